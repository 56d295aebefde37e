import { InvalidCursorError } from '../errors/domain-errors';
import type { Clock } from '../ports/clock';
import { systemClock } from '../ports/clock';
import type { Page } from '../ports/page';
import type {
  ListEventsQuery,
  NewSandboxEvent,
  SandboxEvent,
  SandboxEventLog,
} from '../ports/sandbox-event-log';
import { newEventId } from './event-id';

/**
 * A bounded in-process event log (oldest dropped beyond `capacity`): the store for tests and
 * single-process development; DynamoDB deployments use the table-backed log.
 */
export class InMemorySandboxEventLog implements SandboxEventLog {
  private readonly events: SandboxEvent[] = [];

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly capacity = 10_000,
  ) {}

  record(event: NewSandboxEvent): void {
    const atMs = event.atMs ?? this.clock.nowMs();
    this.events.push({ ...event, atMs, eventId: newEventId(atMs) });
    if (this.events.length > this.capacity)
      this.events.splice(0, this.events.length - this.capacity);
  }

  list(query: ListEventsQuery): Promise<Page<SandboxEvent>> {
    const before = query.cursor === undefined ? null : decodeCursor(query.cursor);
    const matching = this.events
      .filter(
        (e) =>
          (query.sandboxId === undefined || e.sandboxId === query.sandboxId) &&
          (query.type === undefined || e.type === query.type) &&
          (query.fromMs === undefined || e.atMs >= query.fromMs) &&
          (query.toMs === undefined || e.atMs <= query.toMs) &&
          (before === null || e.eventId < before),
      )
      .sort((a, b) => (a.eventId < b.eventId ? 1 : a.eventId > b.eventId ? -1 : 0));
    const items = matching.slice(0, query.limit);
    const last = items[items.length - 1];
    const cursor = matching.length > items.length && last ? encodeCursor(last.eventId) : null;
    return Promise.resolve({ items, cursor });
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  /** Everything recorded, oldest first (tests). */
  all(): readonly SandboxEvent[] {
    return [...this.events];
  }
}

function encodeCursor(eventId: string): string {
  return Buffer.from(eventId, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const eventId = /^[A-Za-z0-9_-]+$/.test(cursor)
    ? Buffer.from(cursor, 'base64url').toString('utf8')
    : '';
  if (!/^\d{13}-[0-9a-f]{12}$/.test(eventId)) throw new InvalidCursorError();
  return eventId;
}
