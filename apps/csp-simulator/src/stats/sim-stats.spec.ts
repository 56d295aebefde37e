import { SimStats } from './sim-stats';

describe('SimStats', () => {
  it('counts calls per operation and status and deletes per account', () => {
    const stats = new SimStats(() => 0);
    stats.arrived('delete', 'a');
    stats.answered('delete', 204);
    stats.arrived('delete', 'a');
    stats.answered('delete', 404);
    stats.arrived('delete', 'b');
    stats.answered('delete', 'hang');
    stats.arrived('list');
    stats.answered('list', 200);
    const snap = stats.snapshot();
    expect(snap.operations.delete).toEqual({
      total: 3,
      byStatus: { '204': 1, '404': 1, hang: 1 },
      peakPerSecond: 3,
    });
    expect(snap.operations.list.total).toBe(1);
    expect(snap.deletesByAccount).toEqual({ a: 2, b: 1 });
    expect(snap.repeatedDeletes).toBe(1);
    expect(stats.deletesFor('a')).toBe(2);
  });

  it('measures the peak over a rolling 1-second window', () => {
    let now = 10_000;
    const stats = new SimStats(() => now);
    // 3 calls at t=0, 0.5 s, 0.9 s -> 3 in one window
    for (const t of [0, 500, 900]) {
      now = 10_000 + t;
      stats.arrived('list');
    }
    // t=1.0 s: the call at t=0 left the window (exactly 1 s old) -> 3 again, not 4
    now = 11_000;
    stats.arrived('list');
    // then 5 calls within 100 ms at t=5 s -> peak 5
    for (let i = 0; i < 5; i++) {
      now = 15_000 + i * 20;
      stats.arrived('list');
    }
    expect(stats.snapshot().operations.list.peakPerSecond).toBe(5);
    expect(stats.callsFor('list')).toBe(9);
  });

  it('keeps the peak bounded memory-wise across many calls', () => {
    let now = 0;
    const stats = new SimStats(() => now);
    for (let i = 0; i < 20_000; i++) {
      now = i * 10; // 100 calls per second
      stats.arrived('delete', `acc-${i % 7}`);
    }
    expect(stats.snapshot().operations.delete.peakPerSecond).toBe(100);
  });

  it('resets everything', () => {
    const stats = new SimStats();
    stats.arrived('delete', 'x');
    stats.reset();
    expect(stats.snapshot().operations.delete.total).toBe(0);
    expect(stats.snapshot().deletesByAccount).toEqual({});
  });
});
