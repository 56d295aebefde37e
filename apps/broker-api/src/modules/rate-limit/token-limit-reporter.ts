import { Inject, Injectable, Optional } from '@nestjs/common';
import { CLOCK, type Clock, SANDBOX_EVENT_LOG, type SandboxEventLog } from '@broker/domain';
import { API_METRICS, type ApiMetrics } from '../../common/metrics/api-metrics';

/** Which per-token bucket refused: every request of the token, or its allocations. */
export type TokenLimit = 'requests' | 'allocations';

/** At most one event per token and limit in this window; the counters count every refusal. */
const EVENT_WINDOW_MS = 60_000;

/**
 * Makes a token hitting its limit visible to operators: a counter per token name
 * (`broker_token_allocations_limited_total{token}`, `broker_token_requests_limited_total{token}`)
 * to alert on, and an `admin_action` event `token_limited` in the event log (actor
 * `{kind:'system', id:'rate-limit', via:<token name>}`), at most one per token, limit and minute so
 * a script hammering the API cannot flood the log. Token names come from the configuration, so
 * the map and the label set are bounded.
 */
@Injectable()
export class TokenLimitReporter {
  private readonly lastEventMs = new Map<string, number>();

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(API_METRICS) private readonly metrics?: ApiMetrics,
    @Optional() @Inject(SANDBOX_EVENT_LOG) private readonly events?: SandboxEventLog,
  ) {}

  limited(
    limit: TokenLimit,
    tokenName: string,
    settings: { burst: number; retryAfterSec: number; requestId?: string | undefined },
  ): void {
    this.metrics?.tokenLimited(limit, tokenName);
    const key = `${limit}|${tokenName}`;
    const now = this.clock.nowMs();
    const last = this.lastEventMs.get(key);
    if (last !== undefined && now - last < EVENT_WINDOW_MS) return;
    this.lastEventMs.set(key, now);
    this.events?.record({
      type: 'admin_action',
      sandboxId: null,
      actor: { kind: 'system', id: 'rate-limit', via: tokenName },
      action: 'token_limited',
      ...(settings.requestId !== undefined ? { requestId: settings.requestId } : {}),
      details: {
        token: tokenName,
        limit,
        burst: settings.burst,
        retry_after_sec: settings.retryAfterSec,
      },
    });
  }
}
