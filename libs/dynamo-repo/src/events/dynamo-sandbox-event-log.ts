import {
  type ActivityStatsRepository,
  type Clock,
  decodeEventCursor,
  hourStartOf,
  encodeEventCursor,
  eventIdRange,
  type ListEventsQuery,
  newEventId,
  type NewSandboxEvent,
  type Page,
  type SandboxEvent,
  type SandboxEventLog,
  type SandboxEventType,
  systemClock,
} from '@broker/domain';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { EVENT_SHARD_COUNT, INDEXES } from '../schema/table-schema';
import { eventTypePk, sandboxEventsPk, toEventItem, toSandboxEvent } from './event-item';

/** BatchWriteItem takes at most 25 requests. */
export const EVENT_BATCH_SIZE = 25;
const EVENT_TYPES: readonly SandboxEventType[] = ['transition', 'admin_action'];
const MAX_PAGE = 1_000;
/** Rounds `flush` tries before it gives up on a store that keeps failing. */
const FLUSH_ROUNDS = 3;
/** Ceiling of the back-off between flush rounds while the store keeps failing. */
const MAX_FAILURE_DELAY_MS = 5_000;

export interface DynamoSandboxEventLogOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock?: Clock;
  /** Buffered events are written at least this often (default 250 ms), or as soon as 25 wait. */
  readonly flushIntervalMs?: number;
  /** Buffer bound; beyond it the oldest events are dropped and counted (default 10,000). */
  readonly maxBuffered?: number;
  /** DynamoDB's TTL removes events this long after they happened (default 30 days). */
  readonly retentionSeconds?: number;
  /** BatchWriteItem calls per batch while DynamoDB returns UnprocessedItems (default 5). */
  readonly maxAttempts?: number;
  /** First back-off before re-sending UnprocessedItems, doubled per attempt (default 50 ms). */
  readonly retryBaseMs?: number;
  /**
   * Hourly allocation counters: each flush round adds its written `allocate` transitions, one
   * `UpdateItem ADD` per hour (off the request path; a failed add is reported, not retried).
   */
  readonly activity?: ActivityStatsRepository;
  /** Told about every batch that could not be written (for a log line); must not throw. */
  readonly onWriteError?: (error: unknown, events: number) => void;
}

/** Metrics of the write path since start. */
export interface EventLogCounters {
  /** Events DynamoDB accepted. */
  readonly written: number;
  /** Events thrown away because the buffer was full. */
  readonly dropped: number;
  /** Events whose write failed for good (store down, attempts exhausted, invalid item). */
  readonly failed: number;
  /** Events waiting in memory now. */
  readonly buffered: number;
}

type Partition =
  | { readonly kind: 'sandbox'; readonly pk: string }
  | { readonly kind: 'type'; readonly pk: string };

/**
 * The audit trail in the broker's table (layout in README.md / table-schema.ts).
 *
 * `record` only pushes onto an in-memory buffer — no I/O, never throws — so request paths pay
 * nothing for it. A background round writes the buffer with BatchWriteItem (25 per call,
 * UnprocessedItems re-sent with back-off, bounded) every `flushIntervalMs`, or at once when a
 * full batch waits. Lost events are counted, never raised: the sandbox row is the source of truth,
 * this is its history.
 */
export class DynamoSandboxEventLog implements SandboxEventLog {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly clock: Clock;
  private readonly flushIntervalMs: number;
  private readonly maxBuffered: number;
  private readonly retentionSeconds: number;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly onWriteError: (error: unknown, events: number) => void;
  private readonly activity: ActivityStatsRepository | undefined;
  /** Allocations written this round, per hour start (added to the counters at its end). */
  private roundAllocations = new Map<number, number>();

  private buffer: SandboxEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private draining: Promise<boolean> | null = null;
  /** Consecutive rounds that stopped on a store failure: stretches the next round's delay. */
  private failureStreak = 0;
  private written = 0;
  private dropped = 0;
  private failed = 0;

  constructor(options: DynamoSandboxEventLogOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.clock = options.clock ?? systemClock;
    this.flushIntervalMs = options.flushIntervalMs ?? 250;
    this.maxBuffered = Math.max(EVENT_BATCH_SIZE, options.maxBuffered ?? 10_000);
    this.retentionSeconds = options.retentionSeconds ?? 30 * 24 * 3600;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.retryBaseMs = options.retryBaseMs ?? 50;
    this.onWriteError = options.onWriteError ?? (() => undefined);
    this.activity = options.activity;
  }

  get counters(): EventLogCounters {
    return {
      written: this.written,
      dropped: this.dropped,
      failed: this.failed,
      buffered: this.buffer.length,
    };
  }

  record(event: NewSandboxEvent): void {
    try {
      const atMs = event.atMs ?? this.clock.nowMs();
      this.buffer.push({ ...event, atMs, eventId: newEventId(atMs) });
      const over = this.buffer.length - this.maxBuffered;
      if (over > 0) {
        this.buffer.splice(0, over);
        this.dropped += over;
      }
      this.schedule();
    } catch {
      this.dropped += 1;
    }
  }

  /**
   * Writes everything buffered (shutdown, tests). A round that meets a store failure is tried
   * again a few times (a round already in flight may be the one that failed); after
   * FLUSH_ROUNDS failed rounds what is still buffered is counted as failed: shutdown must not
   * hang on a store that is down.
   */
  async flush(): Promise<void> {
    this.cancelTimers();
    let failedRounds = 0;
    while (this.draining !== null || this.buffer.length > 0) {
      const ok = await this.drain();
      if (ok || this.buffer.length === 0) continue;
      failedRounds += 1;
      if (failedRounds >= FLUSH_ROUNDS) {
        this.failed += this.buffer.length;
        this.buffer = [];
      } else {
        this.cancelTimers();
        await sleep(Math.min(this.flushIntervalMs, 100) * failedRounds, undefined, { ref: false });
      }
    }
  }

  /**
   * Newest first. A sandbox filter reads that sandbox's partition of the base table (consistent);
   * otherwise the type's TypeIndex shards are read in parallel and merged. The time range and the
   * cursor are key conditions on the event id (13-digit ms first). This process's buffer is
   * written first, so a caller sees its own events; other processes' may be up to one flush late.
   */
  async list(query: ListEventsQuery): Promise<Page<SandboxEvent>> {
    const before = query.cursor === undefined ? null : decodeEventCursor(query.cursor, query);
    const limit = Math.min(MAX_PAGE, Math.max(1, Math.floor(query.limit)));
    const range = eventIdRange(query);
    const low = range.low;
    // The cursor's own event is read (BETWEEN is inclusive) and skipped.
    const high = before !== null && before < range.high ? before : range.high;
    if (high === '' || (low !== '' && low > high)) return { items: [], cursor: null };

    if (this.buffer.length > 0 || this.draining !== null) await this.drain();

    const partitions: Partition[] =
      query.sandboxId !== undefined
        ? [{ kind: 'sandbox', pk: sandboxEventsPk(query.sandboxId) }]
        : (query.type !== undefined ? [query.type] : EVENT_TYPES).flatMap((type) =>
            Array.from({ length: EVENT_SHARD_COUNT }, (_, shard) => ({
              kind: 'type' as const,
              pk: eventTypePk(type, shard),
            })),
          );
    const perPartition = await Promise.all(
      partitions.map((partition) =>
        this.readPartition(partition, { low, high, before, want: limit + 1, type: query.type }),
      ),
    );
    const merged = perPartition
      .flat()
      .sort((a, b) => (a.eventId < b.eventId ? 1 : a.eventId > b.eventId ? -1 : 0));
    const items = merged.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      cursor: merged.length > limit && last ? encodeEventCursor(last.eventId, query) : null,
    };
  }

  /** Up to `want` events of one partition, newest first, inside [low, high], never `before`. */
  private async readPartition(
    partition: Partition,
    bounds: {
      low: string;
      high: string;
      before: string | null;
      want: number;
      type: SandboxEventType | undefined;
    },
  ): Promise<SandboxEvent[]> {
    const sandbox = partition.kind === 'sandbox';
    const pkName = sandbox ? 'PK' : INDEXES.type.partitionKey;
    const skName = sandbox ? 'SK' : INDEXES.type.sortKey;
    const range = bounds.low === '' ? `${skName} <= :hi` : `${skName} BETWEEN :lo AND :hi`;
    // Per-sandbox histories are a handful of events: the type is a filter there; globally the
    // type picks the partitions instead.
    const filterType = sandbox && bounds.type !== undefined;
    const input: QueryCommandInput = {
      TableName: this.tableName,
      ...(sandbox ? { ConsistentRead: true } : { IndexName: INDEXES.type.name }),
      KeyConditionExpression: `${pkName} = :pk AND ${range}`,
      ...(filterType ? { FilterExpression: 'event_type = :type' } : {}),
      ExpressionAttributeValues: {
        ':pk': partition.pk,
        ':hi': bounds.high,
        ...(bounds.low === '' ? {} : { ':lo': bounds.low }),
        ...(filterType ? { ':type': bounds.type } : {}),
      },
      ScanIndexForward: false,
    };
    const events: SandboxEvent[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          ...input,
          Limit: bounds.want - events.length + 1,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        if (item['event_id'] === bounds.before) continue;
        events.push(toSandboxEvent(item));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && events.length < bounds.want);
    return events.slice(0, bounds.want);
  }

  private schedule(): void {
    if (this.draining !== null || this.immediate !== null) return;
    if (this.buffer.length >= EVENT_BATCH_SIZE && this.failureStreak === 0) {
      this.cancelTimers();
      this.immediate = setImmediate(() => {
        this.immediate = null;
        void this.drain();
      });
      this.immediate.unref();
      return;
    }
    if (this.timer !== null) return;
    const delay = Math.min(
      MAX_FAILURE_DELAY_MS,
      this.flushIntervalMs * 2 ** Math.min(this.failureStreak, 10),
    );
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.drain();
    }, delay);
    this.timer.unref();
  }

  private cancelTimers(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  /** One round (shared by concurrent callers): false when it stopped on a store failure. */
  private drain(): Promise<boolean> {
    if (this.draining !== null) return this.draining;
    this.cancelTimers();
    const round = this.drainRound().then((ok) => {
      this.draining = null;
      this.failureStreak = ok ? 0 : this.failureStreak + 1;
      if (this.buffer.length > 0) this.schedule();
      return ok;
    });
    this.draining = round;
    return round;
  }

  private async drainRound(): Promise<boolean> {
    try {
      while (this.buffer.length > 0) {
        const batch = this.buffer.splice(0, EVENT_BATCH_SIZE);
        // A store failure ends the round; the rest waits for the next (backed-off) one.
        if (!(await this.writeBatch(batch))) return false;
      }
      return true;
    } finally {
      await this.addAllocationCounters();
    }
  }

  private countWritten(events: readonly SandboxEvent[]): void {
    if (this.activity === undefined) return;
    for (const event of events) {
      if (event.type !== 'transition' || event.action !== 'allocate') continue;
      const hour = hourStartOf(event.atMs);
      this.roundAllocations.set(hour, (this.roundAllocations.get(hour) ?? 0) + 1);
    }
  }

  private async addAllocationCounters(): Promise<void> {
    if (this.activity === undefined || this.roundAllocations.size === 0) return;
    const counts = this.roundAllocations;
    this.roundAllocations = new Map();
    try {
      await this.activity.addAllocations(counts);
    } catch (error) {
      this.report(error, 0);
    }
  }

  /**
   * False when the store could not be reached: the events not written go back to the front of
   * the buffer for the next (backed-off) round — an outage delays events, it does not lose them
   * (issue #12 §3); only the buffer bound and shutdown (`flush`) give events up, counted.
   */
  private async writeBatch(batch: readonly SandboxEvent[]): Promise<boolean> {
    const pending = (items: ReadonlyArray<{ PutRequest: { Item: { event_id: string } } }>) => {
      const ids = new Set(items.map((r) => r.PutRequest.Item.event_id));
      return batch.filter((event) => ids.has(event.eventId));
    };
    let requests = batch.map((event) => ({
      PutRequest: { Item: toEventItem(event, this.retentionSeconds) },
    }));
    for (let attempt = 1; ; attempt += 1) {
      let unprocessed: typeof requests;
      try {
        const output = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        unprocessed = (output.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      } catch (error) {
        this.report(error, requests.length);
        // An invalid batch is not an outage: counted failed, carry on with the next one.
        if (isValidationError(error)) {
          this.failed += requests.length;
          return true;
        }
        this.buffer.unshift(...pending(requests));
        return false;
      }
      this.written += requests.length - unprocessed.length;
      const left = new Set(unprocessed.map((r) => r.PutRequest.Item.event_id));
      this.countWritten(pending(requests).filter((event) => !left.has(event.eventId)));
      if (unprocessed.length === 0) return true;
      if (attempt >= this.maxAttempts) {
        this.report(
          new Error(`DynamoDB left ${unprocessed.length} events unprocessed`),
          unprocessed.length,
        );
        this.buffer.unshift(...pending(unprocessed));
        return false;
      }
      requests = unprocessed;
      const delay = this.retryBaseMs * 2 ** (attempt - 1);
      await sleep(delay / 2 + Math.random() * (delay / 2), undefined, { ref: false });
    }
  }

  private report(error: unknown, events: number): void {
    try {
      this.onWriteError(error, events);
    } catch {
      // A logging hook must never break the write path.
    }
  }
}

function isValidationError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ValidationException';
}
