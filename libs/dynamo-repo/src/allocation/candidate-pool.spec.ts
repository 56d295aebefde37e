import { type Candidate, CandidatePool } from './candidate-pool';

/** An index stand-in: the ids it still lists as available. */
function fakeIndex(names: string[]) {
  const available = new Map(names.map((name, i) => [String(i), name]));
  const reads: string[] = [];
  const source = (prefix: string, exclude: (id: string) => boolean, want: number) => {
    reads.push(prefix);
    const found: Candidate[] = [];
    for (const [id, name] of available) {
      if (name.startsWith(prefix) && !exclude(id) && found.length < want) found.push({ id, name });
    }
    return Promise.resolve(found);
  };
  return { available, reads, source };
}

describe('CandidatePool', () => {
  it('hands each candidate to one taker at a time and refills once per batch', async () => {
    const index = fakeIndex(['a-1', 'a-2', 'a-3']);
    const pool = new CandidatePool(index.source, { batchSize: 2 });
    const first = await pool.take('a-');
    const second = await pool.take('a-');
    expect(first?.id).not.toBe(second?.id);
    expect(index.reads).toEqual(['a-']);
    const third = await pool.take('a-');
    expect(new Set([first?.id, second?.id, third?.id]).size).toBe(3);
  });

  it('answers null only when the index has none and nothing for the prefix is in flight', async () => {
    const index = fakeIndex(['a-1', 'b-1']);
    const pool = new CandidatePool(index.source, { inFlightPollMs: 1 });
    const held = await pool.take('a-');
    expect(held?.name).toBe('a-1');
    // a-1 is in flight: a second taker waits for it and gets it back when it is returned.
    const waiting = pool.take('a-');
    setTimeout(() => pool.giveBack(held as Candidate), 5);
    expect((await waiting)?.id).toBe(held?.id);
    pool.markTaken(held as Candidate);
    index.available.delete(held?.id ?? '');
    expect(await pool.take('a-')).toBeNull();
    expect((await pool.take('b-'))?.name).toBe('b-1');
  });

  it('never hands out a candidate it saw taken', async () => {
    const index = fakeIndex(['a-1']);
    const pool = new CandidatePool(index.source);
    const taken = await pool.take('');
    pool.markTaken(taken as Candidate);
    // The index still lists it (an eventually consistent index may): the pool skips it.
    expect(await pool.take('a-')).toBeNull();
  });
});
