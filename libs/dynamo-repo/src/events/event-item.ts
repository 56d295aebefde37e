import type { EventActor, SandboxEvent, SandboxEventType, SandboxStatus } from '@broker/domain';
import { fnv1a32 } from '../keys/shard';
import { EVENT_SHARD_COUNT, TTL_ATTRIBUTE } from '../schema/table-schema';

/** Base-table partition of one sandbox's history (sort key = event id). */
export function sandboxEventsPk(sandboxId: string): string {
  return `EVT#${sandboxId}`;
}

/** Base-table key of an event not tied to one sandbox: its own partition, nothing hot. */
export function standaloneEventPk(eventId: string): string {
  return `EVENT#${eventId}`;
}

export const STANDALONE_EVENT_SK = 'EVENT';

/** TypeIndex partition of the global listing: one of EVENT_SHARD_COUNT per event type. */
export function eventTypePk(type: SandboxEventType, shard: number): string {
  return `EVT#${type}#${String(shard).padStart(2, '0')}`;
}

export function eventShardOf(eventId: string): number {
  return fnv1a32(eventId) % EVENT_SHARD_COUNT;
}

/** The stored shape (snake_case; absent optionals are simply missing attributes). */
// A type alias (not an interface) so it is assignable to the SDK's Record<string, unknown>.
export type EventItem = {
  PK: string;
  SK: string;
  type_pk: string;
  type_sk: string;
  event_id: string;
  at_ms: number;
  event_type: SandboxEventType;
  sandbox_id?: string;
  from_status?: SandboxStatus;
  to_status?: SandboxStatus;
  actor_kind: EventActor['kind'];
  actor_id: string;
  /** The acting token's name (EventActor.via); absent when the event has none. */
  actor_via?: string;
  action: string;
  request_id?: string;
  details?: Record<string, string | number | boolean | null>;
  [TTL_ATTRIBUTE]: number;
};

export function toEventItem(event: SandboxEvent, retentionSeconds: number): EventItem {
  const tied = event.sandboxId !== null;
  return {
    PK: tied ? sandboxEventsPk(event.sandboxId) : standaloneEventPk(event.eventId),
    SK: tied ? event.eventId : STANDALONE_EVENT_SK,
    type_pk: eventTypePk(event.type, eventShardOf(event.eventId)),
    type_sk: event.eventId,
    event_id: event.eventId,
    at_ms: event.atMs,
    event_type: event.type,
    ...(tied ? { sandbox_id: event.sandboxId } : {}),
    ...(event.from !== undefined ? { from_status: event.from } : {}),
    ...(event.to !== undefined ? { to_status: event.to } : {}),
    actor_kind: event.actor.kind,
    actor_id: event.actor.id,
    ...(event.actor.via !== undefined ? { actor_via: event.actor.via } : {}),
    action: event.action,
    ...(event.requestId !== undefined ? { request_id: event.requestId } : {}),
    ...(event.details !== undefined && Object.keys(event.details).length > 0
      ? { details: { ...event.details } }
      : {}),
    [TTL_ATTRIBUTE]: Math.floor(event.atMs / 1000) + retentionSeconds,
  };
}

export function toSandboxEvent(item: Record<string, unknown>): SandboxEvent {
  const sandboxId = item['sandbox_id'];
  const details = item['details'];
  return {
    eventId: String(item['event_id']),
    atMs: Number(item['at_ms']),
    type: item['event_type'] as SandboxEventType,
    sandboxId: typeof sandboxId === 'string' ? sandboxId : null,
    ...(typeof item['from_status'] === 'string'
      ? { from: item['from_status'] as SandboxStatus }
      : {}),
    ...(typeof item['to_status'] === 'string' ? { to: item['to_status'] as SandboxStatus } : {}),
    actor: {
      kind: item['actor_kind'] as EventActor['kind'],
      id: String(item['actor_id']),
      ...(typeof item['actor_via'] === 'string' ? { via: item['actor_via'] } : {}),
    },
    action: String(item['action']),
    ...(typeof item['request_id'] === 'string' ? { requestId: item['request_id'] } : {}),
    ...(details && typeof details === 'object'
      ? { details: details as Record<string, string | number | boolean | null> }
      : {}),
  };
}
