import { FaultValidationError, parseFaultList, type FaultSpec } from '../faults/faults';

/** How the account list pages. */
export type ListPaging =
  /** Honours `_offset`/`_limit` and says so: `{results, page: {offset, limit, total}}`. */
  | 'paged'
  /** Honours `_offset`/`_limit` but returns only `{results}` (client must stop on a short page). */
  | 'bare'
  /** Ignores paging parameters and returns every account in `{results}`. */
  | 'unpaged';

export interface SimulatorConfig {
  host: string;
  /** 0 = any free port. */
  port: number;
  poolSize: number;
  namePrefix: string;
  cspToken: string;
  niosEmail: string;
  niosPassword: string;
  /** > 0: deletes are asynchronous; the account is listed as `deleting` for this long. */
  deleteDelayMs: number;
  /** Latency added to every provider call (not `/_sim`). */
  baseLatencyMs: number;
  listPaging: ListPaging;
  /** Name of the universal service seeded on some accounts. */
  serviceName: string;
  /** Every n-th seeded sandbox gets such a service (0 = none). */
  serviceEvery: number;
  /** Seed a few non-sandbox / inactive accounts that clients must filter out. */
  withNoise: boolean;
  faults: FaultSpec[];
}

export const DEFAULT_SIMULATOR_CONFIG: SimulatorConfig = {
  host: '127.0.0.1',
  port: 8090,
  poolSize: 200,
  namePrefix: 'lab-demo-',
  cspToken: 'dev-csp-token',
  niosEmail: 'niosxaas@example.test',
  niosPassword: 'dev-nios-password',
  deleteDelayMs: 0,
  baseLatencyMs: 0,
  listPaging: 'paged',
  serviceName: 'Instrqt-SaaS',
  serviceEvery: 5,
  withNoise: true,
  faults: [],
};

export class SimulatorConfigError extends Error {
  override readonly name = 'SimulatorConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid csp-simulator configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads SIM_* variables; collects every problem before failing so one run shows them all. */
export function loadSimulatorConfig(env: Env): SimulatorConfig {
  const problems: string[] = [];
  const d = DEFAULT_SIMULATOR_CONFIG;

  const int = (key: string, fallback: number, min: number, max: number): number => {
    const raw = env[key];
    if (raw === undefined || raw.trim() === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${key} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const str = (key: string, fallback: string, allowEmpty = false): string => {
    const raw = env[key];
    if (raw === undefined) return fallback;
    if (!allowEmpty && raw.trim() === '') {
      problems.push(`${key} must not be empty`);
      return fallback;
    }
    return raw;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const raw = env[key]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${key} must be true or false (got "${env[key]}")`);
    return fallback;
  };

  const pagingRaw = env['SIM_LIST_PAGING']?.trim() || d.listPaging;
  let listPaging: ListPaging = d.listPaging;
  if (pagingRaw === 'paged' || pagingRaw === 'bare' || pagingRaw === 'unpaged') {
    listPaging = pagingRaw;
  } else {
    problems.push(`SIM_LIST_PAGING must be paged, bare or unpaged (got "${pagingRaw}")`);
  }

  let faults: FaultSpec[] = [];
  const faultsRaw = env['SIM_FAULTS'];
  if (faultsRaw !== undefined && faultsRaw.trim() !== '') {
    try {
      faults = parseFaultList(JSON.parse(faultsRaw));
    } catch (err) {
      const why =
        err instanceof FaultValidationError ? err.message : `not valid JSON (${String(err)})`;
      problems.push(`SIM_FAULTS: ${why}`);
    }
  }

  const config: SimulatorConfig = {
    host: str('SIM_HOST', d.host),
    port: int('SIM_PORT', d.port, 0, 65535),
    poolSize: int('SIM_POOL_SIZE', d.poolSize, 0, 1_000_000),
    namePrefix: str('SIM_NAME_PREFIX', d.namePrefix),
    cspToken: str('SIM_CSP_TOKEN', d.cspToken),
    niosEmail: str('SIM_NIOS_EMAIL', d.niosEmail),
    niosPassword: str('SIM_NIOS_PASSWORD', d.niosPassword),
    deleteDelayMs: int('SIM_DELETE_DELAY_MS', d.deleteDelayMs, 0, 3_600_000),
    baseLatencyMs: int('SIM_LATENCY_MS', d.baseLatencyMs, 0, 600_000),
    listPaging,
    serviceName: str('SIM_SERVICE_NAME', d.serviceName),
    serviceEvery: int('SIM_SERVICE_EVERY', d.serviceEvery, 0, 1_000_000),
    withNoise: bool('SIM_NOISE_ACCOUNTS', d.withNoise),
    faults,
  };
  if (problems.length > 0) throw new SimulatorConfigError(problems);
  return config;
}
