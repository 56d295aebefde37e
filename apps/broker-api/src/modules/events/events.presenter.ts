import type { Page, SandboxEvent } from '@broker/domain';
import type { EventsPageDto, SandboxEventDto } from './dto/events-page.dto';

export function toSandboxEventDto(event: SandboxEvent): SandboxEventDto {
  return {
    event_id: event.eventId,
    at: new Date(event.atMs).toISOString(),
    type: event.type,
    sandbox_id: event.sandboxId,
    from: event.from ?? null,
    to: event.to ?? null,
    actor: { kind: event.actor.kind, id: event.actor.id, via: event.actor.via ?? null },
    action: event.action,
    request_id: event.requestId ?? null,
    details: event.details ? { ...event.details } : null,
  };
}

export function toEventsPage(page: Page<SandboxEvent>): EventsPageDto {
  return {
    events: page.items.map(toSandboxEventDto),
    count: page.items.length,
    cursor: page.cursor,
  };
}
