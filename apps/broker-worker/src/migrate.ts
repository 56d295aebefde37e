/**
 * One-off migration from the original broker's table (issue #15 part 4):
 *
 *   node apps/broker-worker/dist/migrate.js --from-table <name> [--to-table <name>] [--dry-run]
 *   node apps/broker-worker/dist/migrate.js --backfill-external-index [--to-table <name>] [--dry-run]
 *
 * The second form gives rows written before the ExternalIndex existed its keys (lab scripts that
 * send the provider account id then reach allocated sandboxes too).
 *
 * The target table defaults to DDB_TABLE_NAME (else `sandbox-broker`); DDB_ENDPOINT_URL and
 * AWS_REGION as for the worker. Prints one line per row written or refused and a JSON report.
 * Exit 0: done; 2: done, but some rows were not mapped or not written (listed); 1: failed.
 * Safe to run again: it only adds what is missing.
 */
import { systemClock } from '@broker/domain';
import {
  backfillExternalIndex,
  createDocumentClient,
  migrateOriginalTable,
} from '@broker/dynamo-repo';
import { DEFAULT_TABLE_NAME } from '@broker/dynamo-repo/schema';

const USAGE =
  'usage: migrate --from-table <original table> [--to-table <table>] [--dry-run] [--region <r>]\n' +
  '       migrate --backfill-external-index [--to-table <table>] [--dry-run] [--region <r>]';

export interface MigrateArgs {
  /** Empty in backfill mode. */
  readonly fromTable: string;
  readonly backfill: boolean;
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
  const known = new Set([
    '--from-table',
    '--to-table',
    '--dry-run',
    '--region',
    '--backfill-external-index',
  ]);
  for (const arg of argv) {
    if (arg.startsWith('--') && !known.has(arg)) throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  const backfill = argv.includes('--backfill-external-index');
  const fromTable = value('--from-table') ?? '';
  if (!fromTable && !backfill) throw new Error(USAGE);
  const toTable = value('--to-table') ?? env['DDB_TABLE_NAME'] ?? DEFAULT_TABLE_NAME;
  if (toTable === fromTable) throw new Error('--from-table and the target table are the same');
  return {
    fromTable,
    backfill,
    toTable,
    dryRun: argv.includes('--dry-run'),
    region: value('--region') ?? env['AWS_REGION'] ?? 'us-east-1',
  };
}

/**
 * The command: parses `argv`, runs the migration or the backfill against DDB_ENDPOINT_URL (else
 * AWS), writes lines through `out`; resolves the exit code (0 done, 2 rows left out, 1 thrown).
 */
export async function runMigrate(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  out: (line: string) => void,
): Promise<number> {
  const args = parseMigrateArgs(argv, env);
  const endpoint = env['DDB_ENDPOINT_URL'];
  const client = createDocumentClient({ region: args.region, ...(endpoint ? { endpoint } : {}) });
  try {
    if (args.backfill) {
      const report = await backfillExternalIndex({
        client,
        tableName: args.toTable,
        dryRun: args.dryRun,
        log: out,
      });
      out(JSON.stringify(report, null, 2));
      return report.unmappable.length > 0 ? 2 : 0;
    }
    const leaseHours = Number(env['LAB_DURATION_HOURS'] ?? 48);
    const graceMinutes = Number(env['GRACE_PERIOD_MINUTES'] ?? 30);
    const report = await migrateOriginalTable({
      client,
      sourceTable: args.fromTable,
      targetTable: args.toTable,
      clock: systemClock,
      lease: { leaseSeconds: leaseHours * 3600, graceSeconds: graceMinutes * 60 },
      dryRun: args.dryRun,
      log: out,
    });
    out(JSON.stringify(report, null, 2));
    return report.unmapped.length + report.conflicts.length > 0 ? 2 : 0;
  } finally {
    client.destroy();
  }
}

if (require.main === module) {
  runMigrate(process.argv.slice(2), process.env, (line) => process.stdout.write(`${line}\n`)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
