import { type RunningEngine, startSupervised, stopChild } from './engine-process';

// Runs in the child: dynalite in memory on loopback, port chosen by the OS and reported back.
const DYNALITE_SCRIPT = `
const dynalite = require(process.env.DYNALITE_MODULE);
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
`;

/**
 * dynalite 4 in its own process (faster than in-process), in memory, on 127.0.0.1 and a port the
 * OS picks. The process exits when `stop()` is called or when this process goes away.
 */
export async function startDynalite(): Promise<RunningEngine> {
  const { child, message } = await startSupervised(
    DYNALITE_SCRIPT,
    { DYNALITE_MODULE: require.resolve('dynalite') },
    15_000,
  );
  const port = (message as { port?: unknown }).port;
  if (typeof port !== 'number') {
    await stopChild(child);
    throw new Error('dynalite did not report its port');
  }
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
}
