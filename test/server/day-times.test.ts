// A day's item times as the KPI roll-up keeps them (server/metrics/day-times.ts): unsorted, with
// the least and greatest, against the sorted array it replaced (first index ≥ t: 0 → 1, the
// end → -1, else 0), over random adds and removals with repeated times and boundaries on them.
import { describe, expect, it } from 'vitest';
import { DayTimes } from '../../server/metrics/day-times.js';

/** What the sorted array answered. */
function sortedSide(sorted: number[], t: number): -1 | 0 | 1 {
  const i = sorted.findIndex((x) => x >= t);
  return i === 0 ? 1 : i === -1 ? -1 : 0;
}

/** A small deterministic generator, so a failure repeats. */
function random(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe('a day\'s item times', () => {
  it('answer where a boundary falls as the sorted array did, through adds and removals of the least and the greatest', () => {
    const next = random(7);
    for (let round = 0; round < 200; round++) {
      const times = new DayTimes();
      const sorted: number[] = [];
      for (let step = 0; step < 60; step++) {
        // Few distinct values: repeats, removals of the extremes and boundaries equal to a time are common.
        const t = 1000 + Math.floor(next() * 12);
        if (sorted.length > 0 && next() < 0.4) {
          const gone = sorted[Math.floor(next() * sorted.length)]!;
          sorted.splice(sorted.indexOf(gone), 1);
          times.remove(gone);
        } else {
          const at = sorted.findIndex((x) => x >= t);
          sorted.splice(at === -1 ? sorted.length : at, 0, t);
          times.add(t);
        }
        expect(times.size).toBe(sorted.length);
        if (sorted.length === 0) continue;
        for (let boundary = 998; boundary <= 1014; boundary++) {
          expect(times.side(boundary), `${boundary} among ${sorted.join(',')}`).toBe(sortedSide(sorted, boundary));
        }
      }
    }
  });

  it('ignore the removal of a time it does not hold', () => {
    const times = new DayTimes();
    times.add(5);
    times.add(9);
    times.remove(7);
    expect(times.size).toBe(2);
    expect([times.side(5), times.side(6), times.side(10)]).toEqual([1, 0, -1]);
  });
});
