import { BrokerProblem } from '@broker/client';

/** One exit code per outcome a lab script may want to branch on (documented in the README). */
export const EXIT = {
  OK: 0,
  /** Anything not listed below (an unexpected answer or a bug). */
  FAILED: 1,
  /** Missing or invalid flags/environment, or the broker refused the input (400). */
  BAD_INPUT: 2,
  /** 401, or a token not allowed for this track (403 other than NOT_SANDBOX_OWNER). */
  BAD_TOKEN: 3,
  /** 409 NO_SANDBOXES_AVAILABLE: no sandbox matching the prefix is left. */
  POOL_EXHAUSTED: 4,
  /** 403 NOT_SANDBOX_OWNER: the sandbox belongs to another student. */
  NOT_OWNER: 5,
  /** 404 SANDBOX_NOT_FOUND. */
  UNKNOWN_ID: 6,
  /** No answer (connection refused, DNS, timeout) or still 5xx/429 after every retry. */
  UNREACHABLE: 7,
  /** 409 EXTENSION_LIMIT_REACHED: `extend` was refused, the lease stays as it is. */
  LIMIT_REACHED: 8,
  /** 409 TRACK_QUOTA_EXCEEDED: the track holds as many sandboxes as its quota allows. */
  TRACK_QUOTA_REACHED: 9,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the CLI reports in one line and ends with `exitCode`. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    readonly exitCode: ExitCode,
    /** Short outcome label, e.g. `pool exhausted`. */
    readonly outcome: string,
    message: string,
    readonly problem?: BrokerProblem,
  ) {
    super(message);
  }
}

export function cliErrorFrom(problem: BrokerProblem): CliError {
  const [code, outcome] = classify(problem);
  return new CliError(code, outcome, problem.message, problem);
}

function classify(p: BrokerProblem): [ExitCode, string] {
  if (p.kind !== 'http') return [EXIT.UNREACHABLE, 'broker unreachable'];
  if (p.status === 429 || p.status >= 500) return [EXIT.UNREACHABLE, 'broker unavailable'];
  if (p.code === 'NO_SANDBOXES_AVAILABLE') return [EXIT.POOL_EXHAUSTED, 'pool exhausted'];
  if (p.code === 'NOT_SANDBOX_OWNER') return [EXIT.NOT_OWNER, 'not the owner'];
  if (p.code === 'SANDBOX_NOT_FOUND') return [EXIT.UNKNOWN_ID, 'unknown sandbox id'];
  if (p.code === 'EXTENSION_LIMIT_REACHED') return [EXIT.LIMIT_REACHED, 'extension limit reached'];
  if (p.code === 'TRACK_QUOTA_EXCEEDED') return [EXIT.TRACK_QUOTA_REACHED, 'track quota reached'];
  if (p.status === 401 || p.status === 403) return [EXIT.BAD_TOKEN, 'bad token'];
  if (p.status === 400 || p.status === 413 || p.status === 414 || p.status === 422) {
    return [EXIT.BAD_INPUT, 'bad input'];
  }
  return [EXIT.FAILED, 'failed'];
}

export function toCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof BrokerProblem) return cliErrorFrom(error);
  const message = error instanceof Error ? error.message : String(error);
  return new CliError(EXIT.FAILED, 'failed', message);
}
