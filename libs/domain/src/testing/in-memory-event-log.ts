import { type ActivityStatsRepository, hourStartOf } from '../ports/activity-stats-repository';
import type { Clock } from '../ports/clock';
import { systemClock } from '../ports/clock';
import type { Page } from '../ports/page';
import type {
  ListEventsQuery,
  NewSandboxEvent,
  SandboxEvent,
  SandboxEventLog,
} from '../ports/sandbox-event-log';
import { decodeEventCursor, encodeEventCursor, eventIdRange } from '../events/event-cursor';
import { newEventId } from '../events/event-id';

/**
 * A bounded in-process event log (oldest dropped beyond `capacity`): the store for tests and
 * single-process development; DynamoDB deployments use the table-backed log.
 */
export class InMemorySandboxEventLog implements SandboxEventLog {
  private readonly events: SandboxEvent[] = [];

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly capacity = 10_000,
    /** Hourly allocation counters, added to as `allocate` transitions are recorded. */
    private readonly activity?: ActivityStatsRepository,
  ) {}

  record(event: NewSandboxEvent): void {
    const atMs = event.atMs ?? this.clock.nowMs();
    this.events.push({ ...event, atMs, eventId: newEventId(atMs) });
    if (this.activity && event.type === 'transition' && event.action === 'allocate') {
      void this.activity.addAllocations(new Map([[hourStartOf(atMs), 1]]));
    }
    if (this.events.length > this.capacity)
      this.events.splice(0, this.events.length - this.capacity);
  }

  list(query: ListEventsQuery): Promise<Page<SandboxEvent>> {
    try {
      const before = query.cursor === undefined ? null : decodeEventCursor(query.cursor, query);
      const { low, high } = eventIdRange(query);
      const matching = this.events
        .filter(
          (e) =>
            (query.sandboxId === undefined || e.sandboxId === query.sandboxId) &&
            (query.type === undefined || e.type === query.type) &&
            e.eventId >= low &&
            e.eventId <= high &&
            (before === null || e.eventId < before),
        )
        .sort((a, b) => (a.eventId < b.eventId ? 1 : a.eventId > b.eventId ? -1 : 0));
      const items = matching.slice(0, Math.max(1, query.limit));
      const last = items[items.length - 1];
      const cursor =
        matching.length > items.length && last ? encodeEventCursor(last.eventId, query) : null;
      return Promise.resolve({ items, cursor });
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  /** Everything recorded, oldest first (tests). */
  all(): readonly SandboxEvent[] {
    return [...this.events];
  }
}
