import { LabUserClient, type LabUserCredentials } from '@broker/csp-client';
import { type Command, Option } from 'commander';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { CliError, EXIT } from '../exit-codes';
import { FILES } from '../files';
import type { CliIo } from '../io';
import { reportSuccess } from '../output';
import { badInput, number } from '../settings';

/** The files the original user_provision.py wrote (reference §5.8), same names and meanings. */
export const USER_FILES = {
  email: 'user_email.txt',
  password: 'user_password.txt',
  id: 'user_id.txt',
  env: 'user_credentials.sh',
} as const;

interface UserFlags {
  cspUrl?: string;
  email?: string;
  password?: string;
  userDomain?: string;
  participant?: string;
  dir?: string;
  json?: boolean;
  timeout?: string;
}

function addUserOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--csp-url <host>', 'CSP host or origin (default csp.infoblox.com)').env(
        'CSP_URL',
      ),
    )
    .addOption(new Option('--email <email>', "the operator's CSP e-mail").env('INFOBLOX_EMAIL'))
    .addOption(
      new Option('--password <password>', "the operator's CSP password").env('INFOBLOX_PASSWORD'),
    )
    .addOption(
      new Option('--user-domain <domain>', 'lab user e-mail domain (default infoblox.lab)').env(
        'USER_DOMAIN',
      ),
    )
    .addOption(
      new Option('--participant <id>', 'student id (Instruqt participant id)').env(
        'INSTRUQT_PARTICIPANT_ID',
      ),
    )
    .addOption(new Option('--dir <dir>', 'where the sandbox and user files are (default: cwd)'))
    .addOption(new Option('--json', 'print one JSON object instead of a sentence'))
    .addOption(
      new Option('--timeout <sec>', 'per-call timeout in seconds (default 15)').env(
        'CSP_TIMEOUT_SEC',
      ),
    );
}

interface UserSettings {
  readonly client: LabUserClient;
  readonly participant: string;
  readonly domain: string;
  readonly dir: string;
  readonly json: boolean;
}

function resolveUserSettings(flags: UserFlags, io: CliIo): UserSettings {
  const missing = [
    ['--email or INFOBLOX_EMAIL', flags.email],
    ['--password or INFOBLOX_PASSWORD', flags.password],
    ['--participant or INSTRUQT_PARTICIPANT_ID', flags.participant],
  ]
    .filter(([, value]) => !value?.trim())
    .map(([name]) => name);
  if (missing.length) throw badInput(`missing ${missing.join(', ')}`);
  const host = (flags.cspUrl ?? 'csp.infoblox.com').trim().replace(/\/+$/, '');
  const baseUrl = /^https?:\/\//.test(host) ? host.replace(/\/v2$/, '') : `https://${host}`;
  const dir = flags.dir ? (isAbsolute(flags.dir) ? flags.dir : resolve(io.cwd, flags.dir)) : io.cwd;
  return {
    client: new LabUserClient({
      baseUrl,
      email: flags.email!.trim(),
      password: flags.password!,
      timeoutMs: number(flags.timeout, 15, '--timeout', 0.001) * 1000,
    }),
    participant: flags.participant!.trim(),
    domain: (flags.userDomain ?? 'infoblox.lab').trim(),
    dir,
    json: flags.json === true,
  };
}

const readText = (file: string) =>
  readFile(file, 'utf8').then(
    (t) => t.trim(),
    () => '',
  );
const shQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/** A provider failure as the CLI's outcome: retryable = unreachable, else a failure. */
function providerFailure(
  what: string,
  failure: { kind: 'retryable' | 'permanent'; reason: string; status?: number },
): CliError {
  if (failure.kind === 'retryable') {
    return new CliError(EXIT.UNREACHABLE, 'provider unavailable', `${what}: ${failure.reason}`);
  }
  if (failure.status === 401 || failure.status === 403) {
    return new CliError(EXIT.BAD_TOKEN, 'bad credentials', `${what}: ${failure.reason}`);
  }
  return new CliError(EXIT.FAILED, 'failed', `${what}: ${failure.reason}`);
}

async function writeUserFiles(dir: string, c: LabUserCredentials): Promise<string[]> {
  const files: [string, string][] = [
    [USER_FILES.email, c.email],
    [USER_FILES.password, c.password],
    [USER_FILES.id, c.userId],
    [
      USER_FILES.env,
      [
        '# Written by sandbox-broker user provision; source it: . ./user_credentials.sh',
        `export USER_EMAIL=${shQuote(c.email)}`,
        `export USER_PASSWORD=${shQuote(c.password)}`,
        `export USER_ID=${shQuote(c.userId)}`,
        '',
      ].join('\n'),
    ],
  ];
  for (const [name, text] of files) {
    const file = join(dir, name);
    await writeFile(file, text.endsWith('\n') ? text : `${text}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
  }
  return files.map(([name]) => join(dir, name));
}

/**
 * `user provision` / `user cleanup`: the lab user in the student's sandbox account, over the
 * operator's CSP credentials (reference §5.8 user_provision.py / user_cleanup.py). Provision
 * reads sandbox_id.txt (the account UUID `allocate` wrote); cleanup reads user_id.txt too and
 * runs before release, while the account still exists. The password is written to
 * user_password.txt (mode 600), never printed.
 */
export function registerUserCommands(program: Command, io: CliIo): void {
  const user = program.command('user').description('the lab user in the student sandbox account');

  addUserOptions(user.command('provision'))
    .description('create (or find) the lab user, set a new password, write its files')
    .action(async (flags: UserFlags) => {
      const s = resolveUserSettings(flags, io);
      const account = await readText(join(s.dir, FILES.sandboxId));
      if (!account) throw badInput(`no ${FILES.sandboxId} in ${s.dir}: run allocate first`);
      const email = `${s.participant}@${s.domain}`;
      const result = await s.client.provision({
        sandboxExternalId: account,
        email,
        name: s.participant,
      });
      if (result.kind !== 'provisioned') throw providerFailure('user provision', result);
      const files = await writeUserFiles(s.dir, result.credentials);
      const verb = result.created ? 'created' : 'found existing';
      reportSuccess(io, s.json, 'user provision', `${verb} lab user ${email}; files in ${s.dir}`, {
        created: result.created,
        email,
        user_id: result.credentials.userId,
        account_id: result.credentials.accountId,
        files,
      });
    });

  addUserOptions(user.command('cleanup'))
    .description('delete the lab user (run before release; a user already gone is fine)')
    .action(async (flags: UserFlags) => {
      const s = resolveUserSettings(flags, io);
      const [account, userId] = await Promise.all([
        readText(join(s.dir, FILES.sandboxId)),
        readText(join(s.dir, USER_FILES.id)),
      ]);
      if (!account || !userId) {
        // As the original cleanup: nothing was provisioned, so there is nothing to delete.
        reportSuccess(io, s.json, 'user cleanup', `nothing to clean up in ${s.dir}`, {
          deleted: false,
        });
        return;
      }
      const result = await s.client.cleanup({ sandboxExternalId: account, userId });
      if (result.kind !== 'deleted' && result.kind !== 'already-gone') {
        throw providerFailure('user cleanup', result);
      }
      await rm(join(s.dir, USER_FILES.password), { force: true });
      reportSuccess(io, s.json, 'user cleanup', `lab user ${userId}: ${result.kind}`, {
        deleted: result.kind === 'deleted',
        user_id: userId,
      });
    });
}
