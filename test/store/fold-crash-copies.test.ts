// Folds of the lowdb log into its snapshot, many of them, while four writers record events
// and a copier takes crash copies of the files (what a restart would find at that instant)
// whenever it gets a turn: each copy, opened, must hold every event acknowledged before it
// was taken, whatever point of a fold it met (a rotation into a segment, a snapshot written,
// installed, its segments deleted). The interleaving differs from run to run; the property
// does not.
import { describe, expect, it } from 'vitest';
import { lowdbFiles } from '../helpers/lowdb-files.js';
import { crashCopy } from '../helpers/server.js';
import { decide, purchaseEvent, shopFixture } from './contract.js';

describe('folds of the lowdb log under concurrent writes', () => {
  it('every crash copy holds every event acknowledged before it', async () => {
    const { newFile, openAt } = lowdbFiles({ warn: () => {} });
    const file = newFile();
    const store = await openAt(file, { snapshotAfterBytes: 8_000 });
    await store.createShop(shopFixture(1));
    const acked: string[] = [];
    const copies: { copy: string; acked: number }[] = [];
    let n = 0;
    const writer = async (w: number) => {
      for (let i = 0; i < 400; i++) {
        const id = `w${w}-${i}`;
        await store.recordEvents('shop_1', [purchaseEvent(id, `c${(n++) % 37}`)], decide);
        acked.push(id);
      }
    };
    const copier = async () => {
      for (let i = 0; i < 80; i++) {
        await new Promise((r) => setTimeout(r, 2));
        const before = acked.length;
        copies.push({ copy: crashCopy(file), acked: before });
      }
    };
    await Promise.all([writer(1), writer(2), writer(3), writer(4), copier()]);
    expect(store.stats.snapshots).toBeGreaterThan(2); // folds did happen meanwhile
    for (const { copy, acked: count } of copies) {
      const reopened = await openAt(copy);
      const seen = new Set((await reopened.dump()).filter((r) => r.kind === 'seen').map((r) => (r as { eventId: string }).eventId));
      for (const id of acked.slice(0, count)) expect(seen.has(id), `${id} in ${copy}`).toBe(true);
      await reopened.close();
    }
    const last = await openAt(crashCopy(file));
    const all = new Set((await last.dump()).filter((r) => r.kind === 'seen').map((r) => (r as { eventId: string }).eventId));
    expect(acked.every((id) => all.has(id))).toBe(true);
    await last.close();
    await store.close();
  }, 60_000);
});
