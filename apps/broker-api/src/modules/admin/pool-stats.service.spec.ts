import type { PoolStats, SandboxAdminRepository } from '@broker/domain';
import { FixedClock } from '@broker/domain/testing';
import { PoolStatsService } from './pool-stats.service';

/** A recount whose answer the test releases by hand: counts how often the indexes were read. */
class ScriptedStats {
  calls = 0;
  private pending: Array<{ resolve: (s: PoolStats) => void; reject: (e: Error) => void }> = [];

  readonly port = {
    stats: (): Promise<PoolStats> => {
      this.calls += 1;
      return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
    },
  } as unknown as SandboxAdminRepository;

  answer(total: number): void {
    this.pending.shift()?.resolve({
      byStatus: {} as PoolStats['byStatus'],
      byPrefix: {},
      total,
      providerDiscrepancies: null,
    });
  }

  fail(): void {
    this.pending.shift()?.reject(new Error('store down'));
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('PoolStatsService (cache, then stale-while-revalidate)', () => {
  const start = async (ttlMs: number, maxStaleMs: number) => {
    const clock = new FixedClock();
    const scripted = new ScriptedStats();
    const service = new PoolStatsService(scripted.port, clock, ttlMs, maxStaleMs);
    const first = service.get();
    scripted.answer(1);
    expect((await first).stats.total).toBe(1);
    return { clock, scripted, service };
  };

  it('answers from the cache inside the TTL without reading the indexes', async () => {
    const { clock, scripted, service } = await start(10_000, 60_000);
    clock.advanceSeconds(9);
    expect((await service.get()).stats.total).toBe(1);
    expect(scripted.calls).toBe(1);
  });

  it('past the TTL answers the old counts at once and recounts once in the background', async () => {
    const { clock, scripted, service } = await start(10_000, 60_000);
    clock.advanceSeconds(30);
    const [a, b] = await Promise.all([service.get(), service.get()]);
    expect([a.stats.total, b.stats.total]).toEqual([1, 1]);
    expect(scripted.calls).toBe(2); // one shared recount
    scripted.answer(2);
    await settle();
    const fresh = await service.get();
    expect(fresh.stats.total).toBe(2);
    expect(fresh.generatedAtMs).toBe(clock.nowMs());
  });

  it('beyond the stale bound the caller waits for the recount', async () => {
    const { clock, scripted, service } = await start(10_000, 60_000);
    clock.advanceSeconds(61);
    let answered = false;
    const pending = service.get().then((r) => ((answered = true), r));
    await settle();
    expect(answered).toBe(false);
    scripted.answer(3);
    expect((await pending).stats.total).toBe(3);
  });

  it('with no stale bound (cache 0 in tests) every call past the TTL recounts', async () => {
    const { clock, scripted, service } = await start(0, 0);
    clock.advanceSeconds(1);
    const pending = service.get();
    scripted.answer(4);
    expect((await pending).stats.total).toBe(4);
    expect(scripted.calls).toBe(2);
  });

  it('a failed background recount keeps the old counts and is tried again next call', async () => {
    const { clock, scripted, service } = await start(10_000, 60_000);
    clock.advanceSeconds(20);
    expect((await service.get()).stats.total).toBe(1);
    scripted.fail();
    await settle();
    expect((await service.get()).stats.total).toBe(1);
    expect(scripted.calls).toBe(3);
  });
});
