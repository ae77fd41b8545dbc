// The batching of rate-limit hits (server/store/pg/window-hits.ts) with a stand-in for its
// statement: what goes to PostgreSQL and what each caller is told.
import { describe, expect, it } from 'vitest';
import { WindowHits, type AddHits } from '../../server/store/pg/window-hits.js';

/** A statement that keeps windows in a Map and records each call. */
function fakeStatement() {
  const windows = new Map<string, number>();
  const calls: Array<{ keys: string[]; counts: number[] }> = [];
  const add: AddHits = async (keys, starts, counts) => {
    calls.push({ keys, counts });
    await new Promise((r) => setTimeout(r, 1));
    return keys.map((key, i) => {
      const id = `${key}@${starts[i]}`;
      windows.set(id, (windows.get(id) ?? 0) + counts[i]!);
      return { key, start: starts[i]!, count: windows.get(id)! };
    });
  };
  return { add, calls };
}

describe('rate-limit hits batched per process', () => {
  it('sends the hits of one turn of the event loop as one statement, and those that arrive while it runs as the next, one row per window', async () => {
    const { add, calls } = fakeStatement();
    const hits = new WindowHits(add);
    // 30 requests read in one turn, then 20 more while their statement runs.
    const first = Array.from({ length: 30 }, (_, i) => hits.hit(i % 2 ? 'a' : 'b', 0));
    await new Promise((r) => setImmediate(r));
    const second = Array.from({ length: 20 }, (_, i) => hits.hit(i % 2 ? 'a' : 'b', 0));
    const counts = await Promise.all([...first, ...second]);
    // Before: the first hit went alone, then the 29 and 20 others.
    expect(calls).toEqual([
      { keys: ['b', 'a'], counts: [15, 15] },
      { keys: ['b', 'a'], counts: [10, 10] },
    ]);
    expect(counts.filter((_, i) => i % 2).sort((x, y) => x - y)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(counts.filter((_, i) => i % 2 === 0).sort((x, y) => x - y)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('fails every hit of a failed statement, and counts the next ones', async () => {
    let fail = true;
    const { add } = fakeStatement();
    const hits = new WindowHits((k, s, c) => (fail ? Promise.reject(new Error('connection lost')) : add(k, s, c)));
    await expect(Promise.all([hits.hit('a', 0), hits.hit('a', 0)])).rejects.toThrow('connection lost');
    fail = false;
    expect(await hits.hit('a', 0)).toBe(1);
  });
});
