import {
  type ActivityStatsRepository,
  CLEANUP_OUTCOME_FIELDS,
  type CleanupOutcomeCounts,
  HOUR_MS,
  type TrackAllocationSnapshot,
  zeroCleanupOutcomes,
} from '@broker/domain';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { isConditionalFailure } from '../client/conditional';
import { TTL_ATTRIBUTE } from '../schema/table-schema';

export const STATS_SK = 'STATS';
/** Hourly counters outlive the longest chart window (7 days) by a day. */
const COUNTER_RETENTION_MS = 8 * 24 * HOUR_MS;
/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_SIZE = 100;
/** Rounds re-asking for UnprocessedKeys before giving up (bounded). */
const BATCH_GET_ROUNDS = 5;

export function allocationCounterPk(hourStartMs: number): string {
  return `STATS#ALLOC#${new Date(hourStartMs).toISOString().slice(0, 13)}`;
}

export function cleanupCounterPk(hourStartMs: number): string {
  return `STATS#CLEANUP#${new Date(hourStartMs).toISOString().slice(0, 13)}`;
}

const TRACK_SNAPSHOT_KEY = { PK: 'STATS#TRACKS', SK: 'SNAPSHOT' } as const;

/** Item attribute of each cleanup outcome field. */
const CLEANUP_ATTRIBUTES: Readonly<Record<keyof CleanupOutcomeCounts, string>> = {
  deleted: 'deleted',
  retried: 'retried',
  failed: 'failed',
  quarantined: 'quarantined',
  niosxaasCleaned: 'niosxaas_cleaned',
  niosxaasSkipped: 'niosxaas_skipped',
  niosxaasFailed: 'niosxaas_failed',
};

export interface DynamoActivityStatsRepositoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * Chart counters as items `STATS#ALLOC#<yyyy-mm-ddThh>` and `STATS#CLEANUP#<…>` / `STATS`
 * (one per UTC hour, `UpdateItem ADD`, so concurrent writers add up exactly; TTL 8 days after
 * the hour) and one `STATS#TRACKS` / `SNAPSHOT` item. Reads are BatchGetItem by key.
 */
export class DynamoActivityStatsRepository implements ActivityStatsRepository {
  constructor(private readonly options: DynamoActivityStatsRepositoryOptions) {}

  async addAllocations(perHour: ReadonlyMap<number, number>): Promise<void> {
    await Promise.all(
      [...perHour]
        .filter(([, count]) => count > 0)
        .map(([hour, count]) => this.add(allocationCounterPk(hour), hour, { allocations: count })),
    );
  }

  async allocationsPerHour(fromHourMs: number, hours: number): Promise<number[]> {
    const items = await this.readHours(fromHourMs, hours, allocationCounterPk);
    return items.map((item) => Number(item?.['allocations'] ?? 0));
  }

  async addCleanupOutcomes(
    hourStartMs: number,
    counts: Partial<CleanupOutcomeCounts>,
  ): Promise<void> {
    const values: Record<string, number> = {};
    for (const field of CLEANUP_OUTCOME_FIELDS) {
      const value = counts[field] ?? 0;
      if (value > 0) values[CLEANUP_ATTRIBUTES[field]] = value;
    }
    if (Object.keys(values).length === 0) return;
    await this.add(cleanupCounterPk(hourStartMs), hourStartMs, values);
  }

  async cleanupPerHour(fromHourMs: number, hours: number): Promise<CleanupOutcomeCounts[]> {
    const items = await this.readHours(fromHourMs, hours, cleanupCounterPk);
    return items.map((item) => {
      const counts: Record<string, number> = { ...zeroCleanupOutcomes() };
      for (const field of CLEANUP_OUTCOME_FIELDS) {
        counts[field] = Number(item?.[CLEANUP_ATTRIBUTES[field]] ?? 0);
      }
      return counts as unknown as CleanupOutcomeCounts;
    });
  }

  async writeTrackSnapshot(snapshot: TrackAllocationSnapshot): Promise<void> {
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            ...TRACK_SNAPSHOT_KEY,
            as_of_ms: snapshot.asOfMs,
            tracks: snapshot.tracks.map((t) => ({ track: t.track, allocated: t.allocated })),
          },
          // A slower recount finishing late never replaces a newer snapshot.
          ConditionExpression: 'attribute_not_exists(PK) OR as_of_ms <= :at',
          ExpressionAttributeValues: { ':at': snapshot.asOfMs },
        }),
      );
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
    }
  }

  async readTrackSnapshot(): Promise<TrackAllocationSnapshot | null> {
    const { Item } = await this.options.client.send(
      new GetCommand({ TableName: this.options.tableName, Key: TRACK_SNAPSHOT_KEY }),
    );
    if (!Item) return null;
    const tracks = Array.isArray(Item['tracks']) ? (Item['tracks'] as unknown[]) : [];
    return {
      asOfMs: Number(Item['as_of_ms']),
      tracks: tracks.map((entry) => {
        const t = entry as Record<string, unknown>;
        return { track: String(t['track']), allocated: Number(t['allocated'] ?? 0) };
      }),
    };
  }

  private async add(pk: string, hourStartMs: number, values: Record<string, number>) {
    const names = Object.keys(values);
    await this.options.client.send(
      new UpdateCommand({
        TableName: this.options.tableName,
        Key: { PK: pk, SK: STATS_SK },
        UpdateExpression:
          `ADD ${names.map((_, i) => `#f${i} :v${i}`).join(', ')} ` + `SET #ttl = :ttl`,
        ExpressionAttributeNames: {
          ...Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
          '#ttl': TTL_ATTRIBUTE,
        },
        ExpressionAttributeValues: {
          ...Object.fromEntries(names.map((name, i) => [`:v${i}`, values[name]])),
          ':ttl': Math.floor((hourStartMs + HOUR_MS + COUNTER_RETENTION_MS) / 1000),
        },
      }),
    );
  }

  /** The items of `hours` consecutive hours (undefined where none), oldest first. */
  private async readHours(
    fromHourMs: number,
    hours: number,
    pkOf: (hourStartMs: number) => string,
  ): Promise<(Record<string, unknown> | undefined)[]> {
    const pks = Array.from({ length: hours }, (_, i) => pkOf(fromHourMs + i * HOUR_MS));
    const found = new Map<string, Record<string, unknown>>();
    for (let start = 0; start < pks.length; start += BATCH_GET_SIZE) {
      let keys: Record<string, unknown>[] = pks
        .slice(start, start + BATCH_GET_SIZE)
        .map((PK) => ({ PK, SK: STATS_SK }));
      for (let round = 0; keys.length > 0; round += 1) {
        if (round >= BATCH_GET_ROUNDS) {
          throw new Error(`DynamoDB left ${keys.length} counter keys unprocessed`);
        }
        if (round > 0) await sleep(25 * 2 ** round, undefined, { ref: false });
        const output = await this.options.client.send(
          new BatchGetCommand({ RequestItems: { [this.options.tableName]: { Keys: keys } } }),
        );
        for (const item of output.Responses?.[this.options.tableName] ?? []) {
          found.set(String(item['PK']), item);
        }
        keys = (output.UnprocessedKeys?.[this.options.tableName]?.Keys ?? []) as Record<
          string,
          unknown
        >[];
      }
    }
    return pks.map((pk) => found.get(pk));
  }
}
