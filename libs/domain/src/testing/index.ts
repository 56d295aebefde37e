export * from './builders';
export * from './fixed-clock';
