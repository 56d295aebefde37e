import { loadSimulatorConfig, SimulatorConfigError } from './config/sim-config';
import { startSimulator } from './simulator';

/** CLI entry: `node apps/csp-simulator/dist/main.js` (configured by SIM_* variables). */
async function main(): Promise<void> {
  let config;
  try {
    config = loadSimulatorConfig(process.env);
  } catch (err) {
    if (err instanceof SimulatorConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const sim = await startSimulator(config);
  console.log(
    `csp-simulator listening on ${sim.url} (CSP base ${sim.cspBaseUrl}, NIOSXaaS base ${sim.url}); ` +
      `${config.poolSize} sandboxes named ${config.namePrefix}NNNN; token "${config.cspToken}"; ` +
      `faults ${config.faults.length}; admin ${sim.url}/_sim/stats`,
  );

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`csp-simulator: ${signal} received, stopping`);
    const force = setTimeout(() => process.exit(1), 5_000);
    force.unref();
    void sim.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error('csp-simulator failed to start:', err);
  process.exit(1);
});
