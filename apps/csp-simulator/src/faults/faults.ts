export const SIM_OPERATIONS = [
  'list',
  'delete',
  'sign_in',
  'account_switch',
  'services_list',
  'service_delete',
  'groups_list',
  'user_create',
  'users_list',
  'user_password',
  'user_delete',
] as const;
export type SimOperation = (typeof SIM_OPERATIONS)[number];

/** What to inject; JSON-friendly (SIM_FAULTS, `POST /_sim/faults`). */
export interface FaultSpec {
  operation: SimOperation | '*';
  /** Answer with this status instead of doing the operation. */
  status?: number;
  /** Fire on this share of matching calls (0..1); default every call. */
  probability?: number;
  /** Fire on the next N matching calls, then the fault is removed. */
  count?: number;
  /** Delay before answering (alone: a slow but otherwise normal answer). */
  latencyMs?: number;
  /** `Retry-After` header value: seconds, or an HTTP date string. */
  retryAfter?: number | string;
  /**
   * An HTML page instead of a JSON body, with any status (like a proxy, a captive portal or the
   * CSP licence-service bug): `{status: 200, html: true}` is a 200 that is not the provider's.
   */
  html?: boolean;
  /** Send the answer with this content type instead (e.g. `text/plain`), body unchanged. */
  contentType?: string;
  /** Never answer; the client must time out. */
  hang?: boolean;
  /** Only calls about this account (uuid or `identity/accounts/<uuid>`). */
  accountId?: string;
}

export interface Fault extends FaultSpec {
  readonly id: string;
  /** Calls this fault fired on. */
  hits: number;
  /** Remaining firings when `count` was given. */
  remaining?: number;
}

export class FaultValidationError extends Error {
  override readonly name = 'FaultValidationError';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pick(raw: Record<string, unknown>, camel: string, snake: string): unknown {
  return raw[camel] ?? raw[snake];
}

function optNumber(
  raw: Record<string, unknown>,
  camel: string,
  snake: string,
  check: (n: number) => boolean,
  rule: string,
): number | undefined {
  const v = pick(raw, camel, snake);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) {
    throw new FaultValidationError(`fault.${camel} must be ${rule} (got ${JSON.stringify(v)})`);
  }
  return v;
}

function optBool(raw: Record<string, unknown>, key: string): boolean | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new FaultValidationError(`fault.${key} must be a boolean`);
  return v;
}

/** Validates one fault; messages name the offending field. */
export function parseFaultSpec(input: unknown): FaultSpec {
  if (!isRecord(input)) throw new FaultValidationError('a fault must be a JSON object');
  const operation = input['operation'] ?? '*';
  if (
    typeof operation !== 'string' ||
    (operation !== '*' && !(SIM_OPERATIONS as readonly string[]).includes(operation))
  ) {
    throw new FaultValidationError(
      `fault.operation must be one of ${[...SIM_OPERATIONS, '*'].join('|')} (got ${JSON.stringify(operation)})`,
    );
  }
  const spec: FaultSpec = { operation: operation as SimOperation | '*' };
  const status = optNumber(
    input,
    'status',
    'status',
    (n) => Number.isInteger(n) && n >= 200 && n <= 599,
    'an integer HTTP status 200..599',
  );
  const probability = optNumber(
    input,
    'probability',
    'probability',
    (n) => n >= 0 && n <= 1,
    'a number between 0 and 1',
  );
  const count = optNumber(
    input,
    'count',
    'count',
    (n) => Number.isInteger(n) && n > 0,
    'an integer > 0',
  );
  const latencyMs = optNumber(
    input,
    'latencyMs',
    'latency_ms',
    (n) => n >= 0 && n <= 600_000,
    'a number of ms between 0 and 600000',
  );
  const retryAfterRaw = pick(input, 'retryAfter', 'retry_after');
  if (retryAfterRaw !== undefined && retryAfterRaw !== null) {
    const ok =
      (typeof retryAfterRaw === 'number' && Number.isFinite(retryAfterRaw) && retryAfterRaw >= 0) ||
      (typeof retryAfterRaw === 'string' && retryAfterRaw.trim() !== '');
    if (!ok) {
      throw new FaultValidationError(
        'fault.retryAfter must be seconds (>= 0) or an HTTP date string',
      );
    }
    spec.retryAfter = retryAfterRaw;
  }
  const html = optBool(input, 'html');
  const contentType = pick(input, 'contentType', 'content_type');
  if (contentType !== undefined && contentType !== null) {
    if (typeof contentType !== 'string' || contentType.trim() === '') {
      throw new FaultValidationError('fault.contentType must be a non-empty string');
    }
    spec.contentType = contentType;
  }
  const hang = optBool(input, 'hang');
  const accountId = pick(input, 'accountId', 'account_id');
  if (accountId !== undefined && accountId !== null) {
    if (typeof accountId !== 'string' || accountId === '') {
      throw new FaultValidationError('fault.accountId must be a non-empty string');
    }
    spec.accountId = accountId;
  }
  if (status !== undefined) spec.status = status;
  if (probability !== undefined) spec.probability = probability;
  if (count !== undefined) spec.count = count;
  if (latencyMs !== undefined) spec.latencyMs = latencyMs;
  if (html !== undefined) spec.html = html;
  if (hang !== undefined) spec.hang = hang;
  if (spec.status === undefined && !spec.latencyMs && !spec.hang) {
    throw new FaultValidationError('a fault needs at least one of status, latencyMs or hang');
  }
  return spec;
}

/** Validates a JSON array of faults (SIM_FAULTS). */
export function parseFaultList(input: unknown): FaultSpec[] {
  if (!Array.isArray(input)) throw new FaultValidationError('faults must be a JSON array');
  return input.map((item, i) => {
    try {
      return parseFaultSpec(item);
    } catch (err) {
      throw new FaultValidationError(`faults[${i}]: ${(err as Error).message}`);
    }
  });
}

/** Active faults, checked in insertion order; the first one that fires wins. */
export class FaultRegistry {
  private faults: Fault[] = [];
  private seq = 0;

  constructor(private readonly random: () => number = Math.random) {}

  add(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, id: `f${++this.seq}`, hits: 0 };
    if (spec.count !== undefined) fault.remaining = spec.count;
    this.faults.push(fault);
    return { ...fault };
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length !== before;
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault to apply to this call, if any; consumes one firing of a counted fault. */
  next(operation: SimOperation, accountUuid?: string): Fault | undefined {
    for (const fault of this.faults) {
      if (fault.operation !== '*' && fault.operation !== operation) continue;
      if (fault.accountId !== undefined && !sameAccount(fault.accountId, accountUuid)) continue;
      if (fault.probability !== undefined && this.random() >= fault.probability) continue;
      fault.hits++;
      if (fault.remaining !== undefined) {
        fault.remaining--;
        if (fault.remaining <= 0) this.remove(fault.id);
      }
      return { ...fault };
    }
    return undefined;
  }
}

function sameAccount(faultAccount: string, uuid: string | undefined): boolean {
  if (uuid === undefined) return false;
  return faultAccount === uuid || faultAccount.endsWith(`/${uuid}`);
}
