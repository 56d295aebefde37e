export interface BackoffPolicy {
  readonly baseSec: number;
  readonly maxSec: number;
}

/**
 * Delay before attempt `attempt + 1` after `attempt` failures: base·2^(attempt−1), capped, and
 * never shorter than the provider's Retry-After.
 */
export function backoffSeconds(
  attempt: number,
  policy: BackoffPolicy,
  retryAfterMs?: number,
): number {
  const exponential = policy.baseSec * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(policy.maxSec, exponential);
  const floor = retryAfterMs === undefined ? 0 : Math.ceil(retryAfterMs / 1000);
  return Math.max(capped, floor);
}
