import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimJwt } from './auth/sim-jwt';
import { DEFAULT_SIMULATOR_CONFIG, type SimulatorConfig } from './config/sim-config';
import { FaultRegistry } from './faults/faults';
import { handleAdmin } from './http/admin-routes';
import { HttpError, sendError } from './http/http-util';
import { handleProvider, type SimContext } from './http/provider-routes';
import { SimStats } from './stats/sim-stats';
import { SimStore } from './store/sim-store';

export interface RunningSimulator {
  /** `http://host:port` — the NIOSXaaS base URL (no `/v2`). */
  readonly url: string;
  /** `${url}/v2` — the CSP base URL (`CSP_BASE_URL`). */
  readonly cspBaseUrl: string;
  readonly port: number;
  readonly config: SimulatorConfig;
  readonly store: SimStore;
  readonly stats: SimStats;
  readonly faults: FaultRegistry;
  /** Reseeds the pool and clears faults and stats (same as `POST /_sim/reset`). */
  reset(): void;
  /** Closes the server, dropping open (also hung) connections. */
  stop(): Promise<void>;
}

/** Programmatic defaults differ from the CLI in one way: any free port. */
export type SimulatorOptions = Partial<SimulatorConfig>;

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const config: SimulatorConfig = { ...DEFAULT_SIMULATOR_CONFIG, port: 0, ...options };
  const store = new SimStore();
  const stats = new SimStats();
  const faults = new FaultRegistry();
  const timers = new Set<NodeJS.Timeout>();

  const reset = (): void => {
    store.seed(config);
    faults.clear();
    for (const spec of config.faults) faults.add(spec);
    stats.reset();
  };
  reset();

  const ctx: SimContext = {
    config,
    store,
    stats,
    faults,
    jwt: new SimJwt(),
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      }),
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', 'http://simulator.local');
      if (await handleAdmin(ctx, { reset }, req, res, url)) return;
      if (await handleProvider(ctx, req, res, url)) return;
      throw new HttpError(404, `no route ${req.method ?? ''} ${url.pathname}`, 'NOT_FOUND');
    } catch (err) {
      if (err instanceof HttpError) sendError(res, err.status, err.message, err.code);
      else sendError(res, 500, `simulator error: ${String(err)}`, 'SIM_INTERNAL');
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;

  let stopped: Promise<void> | undefined;
  return {
    url,
    cspBaseUrl: `${url}/v2`,
    port,
    config: { ...config, port },
    store,
    stats,
    faults,
    reset,
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
