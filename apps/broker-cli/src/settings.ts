import { type Command, Option } from 'commander';
import { isAbsolute, resolve } from 'node:path';
import { CliError, EXIT } from './exit-codes';
import type { CliIo } from './io';

/** Flags every broker command takes; each falls back to the environment the original scripts read. */
export interface ConnectionFlags {
  url?: string;
  token?: string;
  participant?: string;
  dir?: string;
  json?: boolean;
  timeout?: string;
  retries?: string;
  retryDelay?: string;
}

export interface ConnectionSettings {
  readonly url: string;
  readonly token: string;
  readonly participant: string;
  readonly dir: string;
  readonly json: boolean;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
}

export function addConnectionOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--url <url>', 'broker base URL, with or without /v1').env('BROKER_API_URL'),
    )
    .addOption(new Option('--token <token>', 'track bearer token').env('BROKER_API_TOKEN'))
    .addOption(
      new Option('--participant <id>', 'student id (Instruqt participant id)').env(
        'INSTRUQT_PARTICIPANT_ID',
      ),
    )
    .addOption(new Option('--dir <dir>', 'where the sandbox files are written/read (default: cwd)'))
    .addOption(new Option('--json', 'print one JSON object instead of a sentence'))
    .addOption(
      new Option('--timeout <sec>', 'per-attempt timeout in seconds (default 30)').env(
        'BROKER_TIMEOUT_SEC',
      ),
    )
    .addOption(
      new Option('--retries <n>', 'retries on 5xx, 429 and timeouts (default 4)').env(
        'BROKER_RETRIES',
      ),
    )
    .addOption(
      new Option(
        '--retry-delay <ms>',
        'first back-off step in ms, doubled per retry (default 500)',
      ).env('BROKER_RETRY_DELAY_MS'),
    );
}

export function resolveConnection(flags: ConnectionFlags, io: CliIo): ConnectionSettings {
  const missing: string[] = [];
  const need = (value: string | undefined, flag: string, env: string) => {
    const v = value?.trim();
    if (!v) missing.push(`${flag} or ${env}`);
    return v ?? '';
  };
  const url = need(flags.url, '--url', 'BROKER_API_URL');
  const token = need(flags.token, '--token', 'BROKER_API_TOKEN');
  const participant = need(flags.participant, '--participant', 'INSTRUQT_PARTICIPANT_ID');
  if (missing.length) throw badInput(`missing ${missing.join(', ')}`);
  if (!/^https?:\/\/[^\s]+$/.test(url))
    throw badInput(`--url must be an http(s) URL, got "${url}"`);
  const dir = flags.dir ? (isAbsolute(flags.dir) ? flags.dir : resolve(io.cwd, flags.dir)) : io.cwd;
  return {
    url,
    token,
    participant,
    dir,
    json: flags.json === true,
    timeoutMs: number(flags.timeout, 30, '--timeout', 0.001) * 1000,
    retries: Math.floor(number(flags.retries, 4, '--retries', 0)),
    retryDelayMs: number(flags.retryDelay, 500, '--retry-delay', 0),
  };
}

export function number(
  value: string | undefined,
  fallback: number,
  flag: string,
  min: number,
): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min)
    throw badInput(`${flag} must be a number ≥ ${min}, got "${value}"`);
  return n;
}

export const badInput = (message: string) => new CliError(EXIT.BAD_INPUT, 'bad input', message);
