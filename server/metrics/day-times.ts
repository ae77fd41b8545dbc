import type { Side } from './daily.js';

/**
 * The times of a day's one-dimensional items, for side(): whether a period boundary at `t` comes
 * before all of them, after all of them, or cuts the day, which only their least and greatest
 * decide. Kept unsorted: a time is appended in O(1) however many the day holds. (A sorted array
 * moved what followed the insertion point on every item: purchases recorded a little after they
 * occurred land thousands of places before the end of a busy day, ~3 µs an item and 7 % of a
 * batch's record path, bench/record-cpu.mjs.) Taking one out searches from the end, where the
 * day's recent items are, as the sorted array's splice moved them.
 */
export class DayTimes {
  private readonly all: number[] = [];
  private min = Infinity;
  private max = -Infinity;
  /** A least or greatest time was taken out: recomputed when next asked. */
  private stale = false;

  get size(): number {
    return this.all.length;
  }

  add(t: number): void {
    this.all.push(t);
    if (t < this.min) this.min = t;
    if (t > this.max) this.max = t;
  }

  remove(t: number): void {
    const i = this.all.lastIndexOf(t);
    if (i < 0) return;
    const last = this.all.pop()!;
    if (i < this.all.length) this.all[i] = last;
    if (t === this.min || t === this.max) this.stale = true;
  }

  /** 1: every time is at or after `t`; -1: every time is before it; 0: `t` falls among them. */
  side(t: number): Side {
    if (this.stale) {
      this.min = Infinity;
      this.max = -Infinity;
      for (const x of this.all) {
        if (x < this.min) this.min = x;
        if (x > this.max) this.max = x;
      }
      this.stale = false;
    }
    return this.min >= t ? 1 : this.max < t ? -1 : 0;
  }
}
