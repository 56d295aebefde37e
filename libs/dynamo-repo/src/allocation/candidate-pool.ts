import { ConcurrentModificationError } from '@broker/domain';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Candidate {
  readonly id: string;
  readonly name: string;
  /** Set when the candidate is earmarked for this reservation (status `reserved`). */
  readonly reservationId?: string;
}

/**
 * Reads up to `want` available sandboxes whose name starts with `prefix`, skipping ids for which
 * `exclude` is true. An empty answer means the index has none for the prefix.
 */
export type CandidateSource = (
  prefix: string,
  exclude: (id: string) => boolean,
  want: number,
) => Promise<Candidate[]>;

export interface CandidatePoolOptions {
  /** Candidates fetched per refill. */
  readonly batchSize: number;
  /** Pause before looking again when only in-flight candidates remain. */
  readonly inFlightPollMs: number;
  /** Give up (ConcurrentModificationError) after waiting this long on in-flight candidates. */
  readonly maxInFlightWaitMs: number;
  /** Bound on remembered prefixes and taken ids (memory). */
  readonly maxPrefixes: number;
  readonly maxTakenIds: number;
}

export const DEFAULT_CANDIDATE_POOL_OPTIONS: CandidatePoolOptions = {
  batchSize: 32,
  inFlightPollMs: 5,
  maxInFlightWaitMs: 10_000,
  maxPrefixes: 256,
  maxTakenIds: 50_000,
};

interface InFlight {
  readonly candidate: Candidate;
  readonly prefix: string;
}

/**
 * In-process queues of allocation candidates per name prefix, refilled by one index read at a time
 * per prefix. Each candidate is handed to one request of this process at a time; other processes
 * may pick the same sandbox, and the conditional write decides. This is what keeps allocation at
 * two writes plus an amortised query instead of a query per request.
 */
export class CandidatePool {
  private readonly queues = new Map<string, Candidate[]>();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly taken = new Set<string>();
  private readonly refills = new Map<string, Promise<void>>();
  private readonly options: CandidatePoolOptions;

  constructor(
    private readonly source: CandidateSource,
    options: Partial<CandidatePoolOptions> = {},
  ) {
    this.options = { ...DEFAULT_CANDIDATE_POOL_OPTIONS, ...options };
  }

  /**
   * A candidate for `prefix`, or null when the index has no available sandbox for it and no
   * request of this process is trying one (so none can come back).
   */
  async take(prefix: string): Promise<Candidate | null> {
    const started = Date.now();
    for (;;) {
      const ready = this.shift(prefix);
      if (ready) return ready;
      await this.refill(prefix);
      const fetched = this.shift(prefix);
      if (fetched) return fetched;
      if (!this.hasInFlight(prefix)) return null;
      if (Date.now() - started > this.options.maxInFlightWaitMs) {
        throw new ConcurrentModificationError('The sandbox pool');
      }
      await sleep(this.options.inFlightPollMs);
    }
  }

  /** The request did not use the candidate (it was a repeat): others may try it. */
  giveBack(candidate: Candidate): void {
    const entry = this.inFlight.get(candidate.id);
    this.inFlight.delete(candidate.id);
    if (!entry || this.taken.has(candidate.id)) return;
    this.queueOf(entry.prefix).push(candidate);
  }

  /** The candidate is no longer available (allocated by us or found taken). */
  markTaken(candidate: Candidate): void {
    this.inFlight.delete(candidate.id);
    if (this.taken.size >= this.options.maxTakenIds) this.taken.clear();
    this.taken.add(candidate.id);
  }

  private shift(prefix: string): Candidate | null {
    const queue = this.queues.get(prefix);
    while (queue && queue.length > 0) {
      const candidate = queue.pop();
      if (!candidate || this.inFlight.has(candidate.id) || this.taken.has(candidate.id)) continue;
      this.inFlight.set(candidate.id, { candidate, prefix });
      return candidate;
    }
    return null;
  }

  private hasInFlight(prefix: string): boolean {
    for (const { candidate, prefix: key } of this.inFlight.values()) {
      // `key === prefix` also covers pools keyed by something else (a reservation id).
      if (key === prefix || candidate.name.startsWith(prefix)) return true;
    }
    return false;
  }

  /** One refill per prefix at a time; concurrent takers wait for it. */
  private refill(prefix: string): Promise<void> {
    const running = this.refills.get(prefix);
    if (running) return running;
    const refill = this.source(
      prefix,
      (id) => this.inFlight.has(id) || this.taken.has(id),
      this.options.batchSize,
    )
      .then((found) => {
        const queue = this.queueOf(prefix);
        queue.push(...shuffle(found));
      })
      .finally(() => this.refills.delete(prefix));
    this.refills.set(prefix, refill);
    return refill;
  }

  private queueOf(prefix: string): Candidate[] {
    let queue = this.queues.get(prefix);
    if (!queue) {
      if (this.queues.size >= this.options.maxPrefixes) {
        for (const [key, value] of this.queues) {
          if (value.length === 0) {
            this.queues.delete(key);
            break;
          }
        }
      }
      queue = [];
      this.queues.set(prefix, queue);
    }
    return queue;
  }
}

export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    const a = items[i] as T;
    items[i] = items[j] as T;
    items[j] = a;
  }
  return items;
}
