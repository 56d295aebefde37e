import {
  ALL_SANDBOX_STATUSES,
  DomainError,
  type SandboxStatus,
  SandboxStatus as S,
  type SandboxStore,
  sourcesOf,
  type TransitionActor,
} from '@broker/domain';
import { aProviderPool, FixedClock } from '@broker/domain/testing';
import type { StoreHarness, StoreHarnessFactory } from './store-harness';

const FAR_FUTURE = 4_000_000_000;

/** One public write of the store: the transition it makes and how to call it on a row. */
interface Write {
  readonly name: string;
  readonly to: SandboxStatus;
  readonly by: TransitionActor;
  /** The sources the method itself narrows to (default: what the table allows). */
  readonly narrowedTo?: readonly SandboxStatus[];
  /** Also rewrites a row already in `to` without a status change (sync's refresh). */
  readonly refreshesInPlace?: boolean;
  /** Its other conditions hold on a freshly synced row, so an allowed source must change. */
  readonly changesFreshRow: boolean;
  call(store: SandboxStore, sandboxId: string, name: string, from: SandboxStatus): Promise<unknown>;
}

const WRITES: readonly Write[] = [
  {
    name: 'lifecycle.markStale',
    to: S.Stale,
    by: 'sync',
    changesFreshRow: true,
    call: (s, id) => s.lifecycle.markStale(id, FAR_FUTURE),
  },
  {
    name: 'lifecycle.expire',
    to: S.PendingDeletion,
    by: 'expiry',
    changesFreshRow: false,
    call: (s, id) => s.lifecycle.expire(id, FAR_FUTURE),
  },
  {
    name: 'lifecycle.purgeStale',
    to: S.Deleted,
    by: 'sync',
    changesFreshRow: true,
    call: (s, id) => s.lifecycle.purgeStale(id, FAR_FUTURE),
  },
  {
    name: 'lifecycle.claimDeletion',
    to: S.Deleting,
    by: 'cleanup',
    changesFreshRow: true,
    call: (s, id) => s.lifecycle.claimDeletion(id, 'contract:owner'),
  },
  {
    name: 'lifecycle.recoverDeletion',
    to: S.PendingDeletion,
    by: 'repair',
    narrowedTo: [S.Deleting],
    changesFreshRow: false,
    call: (s, id) => s.lifecycle.recoverDeletion(id, FAR_FUTURE),
  },
  ...(['completeDeletion', 'failDeletion', 'quarantine', 'abandonDeletion'] as const).map(
    (method): Write => ({
      name: `lifecycle.${method} (held claim)`,
      to: {
        completeDeletion: S.Deleted,
        failDeletion: S.DeletionFailed,
        quarantine: S.Quarantined,
        abandonDeletion: S.PendingDeletion,
      }[method],
      by: 'cleanup',
      narrowedTo: [S.Deleting],
      // A forced row is held by nobody: only the status refusal is checked here.
      changesFreshRow: false,
      call: async (s, id) => {
        const sandbox = await s.sandboxes.get(id);
        const claim = { sandbox: sandbox!, owner: 'contract:owner', claimedAt: 0 };
        return method === 'failDeletion'
          ? s.lifecycle.failDeletion(claim, { error: 'x', nextAttemptAt: 0 })
          : s.lifecycle[method](claim, 'contract');
      },
    }),
  ),
  {
    name: 'admin.forceRelease',
    to: S.PendingDeletion,
    by: 'operator',
    narrowedTo: [S.Allocated],
    changesFreshRow: true,
    call: (s, id) => s.admin.forceRelease(id),
  },
  {
    name: 'admin.retryDeletion',
    to: S.PendingDeletion,
    by: 'operator',
    narrowedTo: [S.DeletionFailed, S.Quarantined],
    changesFreshRow: true,
    call: (s, id) => s.admin.retryDeletion(id),
  },
  {
    name: 'admin.quarantine',
    to: S.Quarantined,
    by: 'operator',
    narrowedTo: [S.Available, S.Reserved, S.Stale, S.PendingDeletion, S.DeletionFailed],
    changesFreshRow: true,
    call: (s, id) => s.admin.quarantine(id, 'contract'),
  },
  {
    name: 'admin.sendToDeletion',
    to: S.PendingDeletion,
    by: 'operator',
    changesFreshRow: true,
    call: (s, id, _name, from) => s.admin.sendToDeletion(id, from),
  },
  {
    name: 'admin.tombstone',
    to: S.Deleted,
    by: 'operator',
    changesFreshRow: true,
    call: (s, id, _name, from) => s.admin.tombstone(id, from),
  },
  {
    name: 'sandboxes.release',
    to: S.PendingDeletion,
    by: 'student',
    // A forced row has no owner: only the status refusal is checked here.
    changesFreshRow: false,
    call: (s, id) => s.sandboxes.release(id, 'contract-student'),
  },
  {
    name: 'sandboxes.allocate',
    to: S.Allocated,
    by: 'student',
    // Without a reservation for its track, only the pool: never an earmarked (reserved) row.
    narrowedTo: [S.Available],
    changesFreshRow: true,
    call: (s, _id, name) =>
      s.sandboxes.allocate({ studentId: `st-${name}`, idempotencyKey: 'k', namePrefix: name }),
  },
  {
    name: 'reservationLifecycle.earmarkSandbox',
    to: S.Reserved,
    by: 'reservation',
    changesFreshRow: true,
    call: (s, id) => s.reservationLifecycle.earmarkSandbox('rsv-contract', id),
  },
  {
    name: 'reservationLifecycle.releaseSandbox',
    to: S.Available,
    by: 'reservation',
    // Also conditional on the reservation id, which a forced row does not carry.
    changesFreshRow: false,
    call: (s, id) => s.reservationLifecycle.releaseSandbox('rsv-contract', id),
  },
  {
    name: 'sandboxes.upsertFromProvider (revive)',
    to: S.Available,
    by: 'sync',
    // Sync also refreshes an available row in place (not a status change).
    narrowedTo: [S.Stale],
    refreshesInPlace: true,
    changesFreshRow: true,
    call: async (s, id, name) => {
      const [account] = aProviderPool(1, name);
      return s.sandboxes.upsertFromProvider({ ...account!, sandboxId: id, name });
    },
  },
];

/** Did the call say "changed"? false/null/'untouched' or a domain error is a refusal. */
async function outcome(work: Promise<unknown>): Promise<'changed' | 'refused'> {
  try {
    const result = await work;
    return result === false || result === null || result === 'untouched' ? 'refused' : 'changed';
  } catch (error) {
    if (error instanceof DomainError) return 'refused';
    throw error;
  }
}

/**
 * The TRANSITIONS table is enforced by the real store: every public write is tried on a row in
 * every status, and each status the table does not allow for the write's actor is refused
 * (nothing changes); allowed sources change the row where the write's other conditions hold.
 */
export function describeTransitionTableContract(engine: string, factory: StoreHarnessFactory) {
  describe(`TRANSITIONS enforced by the store: ${engine}`, () => {
    let h: StoreHarness;
    let clock: FixedClock;
    let seq = 0;

    beforeEach(async () => {
      clock = new FixedClock();
      h = await factory({ clock, lease: { leaseSeconds: 3600, graceSeconds: 600 } });
    });
    afterEach(() => h.close());

    async function rowIn(status: SandboxStatus): Promise<{ id: string; name: string }> {
      seq += 1;
      const [account] = aProviderPool(1, `tt-${seq}-`);
      await h.store.sandboxes.upsertFromProvider(account!);
      if (status !== S.Available) await h.forceStatus(account!.sandboxId, status);
      return { id: account!.sandboxId, name: account!.name };
    }

    for (const write of WRITES) {
      it(`${write.name}: only ${write.by}'s sources of ${write.to} change a row`, async () => {
        const allowed = sourcesOf(write.to, write.by);
        const sources = write.narrowedTo ?? allowed;
        // A write never reaches beyond the table.
        expect(sources.filter((s) => !allowed.includes(s))).toEqual([]);
        clock.advanceSeconds(5);
        const seen: Record<string, string> = {};
        for (const from of ALL_SANDBOX_STATUSES) {
          const row = await rowIn(from);
          const result = await outcome(write.call(h.store, row.id, row.name, from));
          const after = (await h.store.sandboxes.get(row.id))?.status;
          if (write.refreshesInPlace && from === write.to) {
            expect(after).toBe(from);
          } else if (!sources.includes(from)) {
            seen[from] = `${result}→${after}`;
            expect({ from, result, after }).toEqual({ from, result: 'refused', after: from });
          } else if (write.changesFreshRow) {
            expect({ from, result, after }).toEqual({ from, result: 'changed', after: write.to });
          }
        }
        // Every disallowed status was tried.
        expect(Object.keys(seen).sort()).toEqual(
          ALL_SANDBOX_STATUSES.filter(
            (s) => !sources.includes(s) && !(write.refreshesInPlace && s === write.to),
          ).sort(),
        );
      });
    }
  });
}
