/**
 * One-off migration from the original broker's table (issue #15 part 4):
 *
 *   node apps/broker-worker/dist/migrate.js --from-table <name> [--to-table <name>] [--dry-run]
 *
 * The target table defaults to DDB_TABLE_NAME (else `sandbox-broker`); DDB_ENDPOINT_URL and
 * AWS_REGION as for the worker. Prints one line per row written or refused and a JSON report.
 * Exit 0: done; 2: done, but some rows were not mapped or not written (listed); 1: failed.
 * Safe to run again: it only adds what is missing.
 */
import { systemClock } from '@broker/domain';
import { createDocumentClient, migrateOriginalTable } from '@broker/dynamo-repo';
import { DEFAULT_TABLE_NAME } from '@broker/dynamo-repo/schema';

const USAGE =
  'usage: migrate --from-table <original table> [--to-table <table>] [--dry-run] [--region <r>]';

export interface MigrateArgs {
  readonly fromTable: string;
  readonly toTable: string;
  readonly dryRun: boolean;
  readonly region: string;
}

export function parseMigrateArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): MigrateArgs {
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    if (at < 0) return undefined;
    const v = argv[at + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value\n${USAGE}`);
    return v;
  };
  const known = new Set(['--from-table', '--to-table', '--dry-run', '--region']);
  for (const arg of argv) {
    if (arg.startsWith('--') && !known.has(arg)) throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  const fromTable = value('--from-table');
  if (!fromTable) throw new Error(USAGE);
  const toTable = value('--to-table') ?? env['DDB_TABLE_NAME'] ?? DEFAULT_TABLE_NAME;
  if (toTable === fromTable) throw new Error('--from-table and the target table are the same');
  return {
    fromTable,
    toTable,
    dryRun: argv.includes('--dry-run'),
    region: value('--region') ?? env['AWS_REGION'] ?? 'us-east-1',
  };
}

async function main(): Promise<number> {
  const args = parseMigrateArgs(process.argv.slice(2), process.env);
  const endpoint = process.env['DDB_ENDPOINT_URL'];
  const client = createDocumentClient({ region: args.region, ...(endpoint ? { endpoint } : {}) });
  try {
    const leaseHours = Number(process.env['LAB_DURATION_HOURS'] ?? 48);
    const graceMinutes = Number(process.env['GRACE_PERIOD_MINUTES'] ?? 30);
    const report = await migrateOriginalTable({
      client,
      sourceTable: args.fromTable,
      targetTable: args.toTable,
      clock: systemClock,
      lease: { leaseSeconds: leaseHours * 3600, graceSeconds: graceMinutes * 60 },
      dryRun: args.dryRun,
      log: (line) => process.stdout.write(`${line}\n`),
    });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return report.unmapped.length + report.conflicts.length > 0 ? 2 : 0;
  } finally {
    client.destroy();
  }
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
