export * from './config/sim-config';
export * from './faults/faults';
export * from './simulator';
export * from './stats/sim-stats';
export * from './store/sim-store';
