import type { CliError } from './exit-codes';
import type { CliIo } from './io';

/** Success: one sentence, or with --json one object `{ ok: true, command, ...fields }`. */
export function reportSuccess(
  io: CliIo,
  json: boolean,
  command: string,
  sentence: string,
  fields: Record<string, unknown>,
): void {
  io.out(json ? JSON.stringify({ ok: true, command, ...fields }) : sentence);
}

/** Failure: one line on stderr, or with --json one object on stdout (scripts parse stdout). */
export function reportFailure(io: CliIo, json: boolean, command: string, error: CliError): void {
  const p = error.problem;
  if (json) {
    io.out(
      JSON.stringify({
        ok: false,
        command,
        exit_code: error.exitCode,
        outcome: error.outcome,
        message: error.message,
        ...(p
          ? {
              code: p.code,
              status: p.status,
              request_id: p.requestId,
              retry_after: p.retryAfterSec,
            }
          : {}),
      }),
    );
    return;
  }
  const ref = p
    ? ` (${[p.code, p.requestId && `request ${p.requestId}`].filter(Boolean).join(', ')})`
    : '';
  io.err(`sandbox-broker ${command}: ${error.outcome}: ${error.message}${ref}`);
}
