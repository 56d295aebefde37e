import { createBrokerClient, type BrokerClient, type SandboxView } from '@broker/client';
import { type Command, Option } from 'commander';
import { readSandboxId, writeSandboxFiles } from '../files';
import type { CliIo } from '../io';
import { reportSuccess } from '../output';
import {
  addConnectionOptions,
  badInput,
  type ConnectionFlags,
  type ConnectionSettings,
  number,
  resolveConnection,
} from '../settings';

interface AllocateFlags extends ConnectionFlags {
  track?: string;
  prefix?: string;
  startJitter?: string;
}

/** allocate, status, extend, release: the broker calls of a lab's setup and cleanup scripts. */
export function registerSandboxCommands(program: Command, io: CliIo): void {
  addConnectionOptions(program.command('allocate'))
    .description('allocate a sandbox to the student (or get the one they hold) and write its files')
    .addOption(
      new Option('--track <slug>', 'Instruqt track slug')
        .env('INSTRUQT_TRACK_SLUG')
        .default('unknown-lab'),
    )
    .addOption(
      new Option('--prefix <prefix>', 'sandbox name prefix')
        .env('SANDBOX_NAME_PREFIX')
        .default('lab'),
    )
    .addOption(
      new Option(
        '--start-jitter <sec>',
        'wait a random 0..sec seconds first, so a class does not arrive at once',
      )
        .env('BROKER_START_JITTER_SEC')
        .default('5'),
    )
    .action(async (flags: AllocateFlags) => {
      const settings = resolveConnection(flags, io);
      const jitterMs = number(flags.startJitter, 5, '--start-jitter', 0) * 1000;
      if (jitterMs > 0) await io.sleep(Math.round(io.random() * jitterMs));
      const { data, status } = await client(settings, io).allocate({
        studentId: settings.participant,
        trackSlug: flags.track ?? 'unknown-lab',
        namePrefix: flags.prefix ?? 'lab',
      });
      const files = await writeSandboxFiles(settings.dir, data);
      const verb = status === 201 ? 'allocated' : 'already allocated';
      reportSuccess(
        io,
        settings.json,
        'allocate',
        `${verb} sandbox ${data.sandbox_id} (${data.name}) to ${settings.participant}; files in ${settings.dir}`,
        {
          created: status === 201,
          sandbox: data,
          files,
        },
      );
    });

  addConnectionOptions(program.command('status'))
    .description("show the student's sandbox (id argument, else subtenant_id.txt in --dir)")
    .argument('[sandbox-id]', 'broker sandbox id')
    .action(async (id: string | undefined, flags: ConnectionFlags) => {
      const settings = resolveConnection(flags, io);
      const sandboxId = id ?? (await readSandboxId(settings.dir))?.id;
      if (!sandboxId)
        throw badInput(`no sandbox id given and no subtenant_id.txt in ${settings.dir}`);
      const { data } = await client(settings, io).status(sandboxId, settings.participant);
      reportSuccess(io, settings.json, 'status', describe(data), { sandbox: data });
    });

  addConnectionOptions(program.command('extend'))
    .description(
      "extend the student's lease by one step (id argument, else subtenant_id.txt in --dir)",
    )
    .argument('[sandbox-id]', 'broker sandbox id')
    .action(async (id: string | undefined, flags: ConnectionFlags) => {
      const settings = resolveConnection(flags, io);
      const sandboxId = id ?? (await readSandboxId(settings.dir))?.id;
      if (!sandboxId)
        throw badInput(`no sandbox id given and no subtenant_id.txt in ${settings.dir}`);
      const { data } = await client(settings, io).extend(sandboxId, settings.participant);
      const until = data.expires_at ? new Date(data.expires_at * 1000).toISOString() : 'unknown';
      reportSuccess(
        io,
        settings.json,
        'extend',
        `extended sandbox ${data.sandbox_id} until ${until} (${data.extensions_left} extension(s) left)`,
        { result: data },
      );
    });

  addConnectionOptions(program.command('release'))
    .description('release the sandbox for deletion (id argument, else subtenant_id.txt in --dir)')
    .argument('[sandbox-id]', 'broker sandbox id')
    .action(async (id: string | undefined, flags: ConnectionFlags) => {
      const settings = resolveConnection(flags, io);
      const sandboxId = id ?? (await readSandboxId(settings.dir))?.id;
      if (!sandboxId) {
        // As the original cleanup script: nothing was allocated, so there is nothing to release.
        reportSuccess(
          io,
          settings.json,
          'release',
          `nothing to release: no subtenant_id.txt in ${settings.dir}`,
          {
            released: false,
          },
        );
        return;
      }
      const { data } = await client(settings, io).release(sandboxId, settings.participant);
      reportSuccess(
        io,
        settings.json,
        'release',
        `released sandbox ${data.sandbox_id} (${data.status})`,
        {
          released: true,
          result: data,
        },
      );
    });
}

function client(settings: ConnectionSettings, io: CliIo): BrokerClient {
  return createBrokerClient({
    baseUrl: settings.url,
    token: settings.token,
    timeoutMs: settings.timeoutMs,
    retry: { retries: settings.retries, baseDelayMs: settings.retryDelayMs },
    userAgent: 'sandbox-broker-cli',
    sleep: (ms) => io.sleep(ms),
    random: () => io.random(),
    onRetry: (problem, attempt, delayMs) =>
      io.err(
        `sandbox-broker: attempt ${attempt} failed (${problem.code}: ${problem.message}); retrying in ${(delayMs / 1000).toFixed(1)} s`,
      ),
  });
}

const describe = (s: SandboxView) =>
  `sandbox ${s.sandbox_id} (${s.name}) is ${s.status}` +
  (s.expires_at ? `, expires ${new Date(s.expires_at * 1000).toISOString()}` : '');
