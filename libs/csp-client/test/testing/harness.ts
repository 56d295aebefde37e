// The simulator is an app; tests (only) use it as a real HTTP provider on 127.0.0.1.
import {
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from '@broker/csp-simulator';
import {
  HttpCspClient,
  LabUserClient,
  type CspClientConfig,
  type LabUserClientConfig,
  type RetryEvent,
} from '../../src';

export { startSimulator, type RunningSimulator };

export const TOKEN = 'dev-csp-token';

/** Small timings so failure paths run fast. */
export function clientFor(
  sim: RunningSimulator,
  overrides: Partial<CspClientConfig> = {},
): { client: HttpCspClient; retries: RetryEvent[] } {
  const retries: RetryEvent[] = [];
  const client = new HttpCspClient({
    baseUrl: sim.cspBaseUrl,
    token: TOKEN,
    timeouts: { listMs: 2_000, deleteMs: 2_000 },
    retry: { maxRetries: 2, initialDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 1_500 },
    breaker: { threshold: 100, halfOpenAfterMs: 60_000 },
    niosxaas: {
      enabled: true,
      baseUrl: sim.url,
      email: sim.config.niosEmail,
      password: sim.config.niosPassword,
      serviceName: 'Instrqt-SaaS',
      shadowMode: false,
      timeoutMs: 2_000,
    },
    hooks: { onRetry: (e) => retries.push(e) },
    ...overrides,
  });
  return { client, retries };
}

/** The lab-user client against the simulator, as the operator, with small timings. */
export function labUserClientFor(
  sim: RunningSimulator,
  overrides: Partial<LabUserClientConfig> = {},
): { client: LabUserClient; retries: RetryEvent[] } {
  const retries: RetryEvent[] = [];
  const client = new LabUserClient({
    baseUrl: sim.url,
    email: sim.config.niosEmail,
    password: sim.config.niosPassword,
    timeoutMs: 2_000,
    retry: { maxRetries: 2, initialDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 1_500 },
    breaker: { threshold: 100, halfOpenAfterMs: 60_000 },
    hooks: { onRetry: (e) => retries.push(e) },
    ...overrides,
  });
  return { client, retries };
}

export function uuid(externalId: string): string {
  return externalId.split('/').pop()!;
}

/** Active sandboxes in the simulator, in listing order. */
export function activeSandboxes(sim: RunningSimulator) {
  return sim.store.list().filter((a) => a.account_type === 'sandbox' && a.state === 'active');
}

export async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function withSimulator<T>(
  options: SimulatorOptions,
  fn: (sim: RunningSimulator) => Promise<T>,
): Promise<T> {
  const sim = await startSimulator(options);
  try {
    return await fn(sim);
  } finally {
    await sim.stop();
  }
}
