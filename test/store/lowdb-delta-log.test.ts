// The lowdb log records what changed in a customer, not the whole record (issue 20):
// a purchase logs the same bytes whatever the customer's history, and replaying the
// log (after a crash, a rollback, or on logs an older version wrote) gives back
// exactly the records that were in memory.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import type { RecordedEvent } from '../../server/store/store.js';
import type { OpenLogFile } from '../../server/store/write-ahead-log.js';
import { lowdbFiles } from '../helpers/lowdb-files.js';
import { crashCopy } from '../helpers/server.js';
import { decide, purchaseEvent, regularBadge, shopFixture } from './contract.js';

const at = '2026-01-15T10:00:00.000Z';
const refundEvent = (id: string, orderId: string, amount: number, customerId = 'c1'): RecordedEvent => ({
  id,
  type: 'refund',
  customerId,
  occurredAt: at,
  properties: { orderId, amount },
});
const otherEvent = (id: string, customerId = 'c1'): RecordedEvent => ({ id, type: 'review', customerId, occurredAt: at, properties: { stars: 5 } });

describe('lowdb log of customer changes', () => {
  const { newFile, openAt } = lowdbFiles({ warn: () => {} });
  const logSize = (file: string) => statSync(`${file}.wal`).size;

  it('a purchase logs the same bytes for a customer with 20 prior orders as with 400, and none of the earlier orders', async () => {
    const file = newFile();
    const store = await openAt(file);
    await store.createShop(shopFixture(1));
    const bytesOfNext = async (id: string) => {
      const before = logSize(file);
      await store.recordEvents('shop_1', [purchaseEvent(id)], decide);
      return { bytes: logSize(file) - before, line: readFileSync(`${file}.wal`, 'utf8').slice(before) };
    };
    for (let i = 0; i < 20; i++) await store.recordEvents('shop_1', [purchaseEvent(`a${String(i).padStart(4, '0')}`)], decide);
    const small = await bytesOfNext('x0001');
    for (let i = 20; i < 400; i++) await store.recordEvents('shop_1', [purchaseEvent(`a${String(i).padStart(4, '0')}`)], decide);
    const large = await bytesOfNext('x0002');
    expect(large.line).not.toContain('o-a0000');
    expect(large.line).toContain('o-x0002');
    expect(Math.abs(large.bytes - small.bytes)).toBeLessThan(16);
    expect(Object.keys((await store.getCustomer('shop_1', 'c1'))!.orders!)).toHaveLength(402);
  });

  it('a purchase logs the fields it changed (stats, times), not those it left as they were (badges, creation), and replays to the same record', async () => {
    const file = newFile();
    const store = await openAt(file);
    await store.createShop(shopFixture(1));
    await store.putBadge('shop_1', regularBadge);
    for (let i = 0; i < 4; i++) await store.recordEvents('shop_1', [purchaseEvent(`p${i}`)], decide);
    expect(Object.keys((await store.getCustomer('shop_1', 'c1'))!.badges)).toEqual(['regular']);
    await store.recordEvents('shop_1', [purchaseEvent('p4')], decide);
    const line = readFileSync(`${file}.wal`, 'utf8').trimEnd().split('\n').at(-1)!;
    expect(line).toContain('o-p4');
    const [delta] = JSON.parse(line).filter((c: { op: string }) => c.op === 'customerDelta');
    // (The contract's decide runs at one fixed time: updatedAt and lastActivityAt stay what they were.)
    expect(Object.keys(delta.set)).toEqual(['stats']);
    const afterCrash = await openAt(crashCopy(file));
    expect(await afterCrash.getCustomer('shop_1', 'c1')).toEqual(await store.getCustomer('shop_1', 'c1'));
  });

  it('a crash copy replays to exactly the records in memory: purchases, refunds of old orders, other events, deletion and re-creation', async () => {
    const file = newFile();
    const store = await openAt(file);
    await store.createShop(shopFixture(1));
    for (let i = 0; i < 30; i++) await store.recordEvents('shop_1', [purchaseEvent(`p${i}`, i % 3 === 0 ? 'c2' : 'c1')], decide);
    // Several changes of one customer in one flush, a refund of an old order among them.
    await Promise.all([
      store.recordEvents('shop_1', [refundEvent('r1', 'o-p1', 4)], decide),
      store.recordEvents('shop_1', [otherEvent('v1'), purchaseEvent('p100')], decide),
      store.recordEvents('shop_1', [refundEvent('r2', 'o-p2', 10), refundEvent('r3', 'o-missing', 3)], decide),
    ]);
    // Deleted and back within one flush: the new record is logged whole.
    await Promise.all([store.deleteCustomer('shop_1', 'c2'), store.recordEvents('shop_1', [purchaseEvent('p200', 'c2')], decide)]);
    await store.recordEvents('shop_1', [purchaseEvent('p201', 'c2')], decide);
    const afterCrash = await openAt(crashCopy(file));
    for (const id of ['c1', 'c2']) {
      expect(await afterCrash.getCustomer('shop_1', id)).toEqual(await store.getCustomer('shop_1', id));
    }
    expect(Object.keys((await afterCrash.getCustomer('shop_1', 'c2'))!.orders!)).toEqual(['o-p200', 'o-p201']);
    expect(readFileSync(`${file}.wal`, 'utf8')).toContain('"op":"customerDelta"');
  });

  it('a customer changed while the log is folded into the snapshot replays right after a crash', async () => {
    const file = newFile();
    const store = await openAt(file, { snapshotAfterBytes: 3_000 });
    await store.createShop(shopFixture(1));
    for (let i = 0; i < 60; i++) {
      await Promise.all([
        store.recordEvents('shop_1', [purchaseEvent(`p${i}`)], decide),
        store.recordEvents('shop_1', [otherEvent(`v${i}`)], decide),
      ]);
    }
    expect(store.stats.snapshots).toBeGreaterThan(0);
    const afterCrash = await openAt(crashCopy(file));
    expect(await afterCrash.getCustomer('shop_1', 'c1')).toEqual(await store.getCustomer('shop_1', 'c1'));
  });

  it('loads a log written in the previous format (whole customer records, single-change and one-line-per-flush lines), then logs changes on top', async () => {
    const file = newFile();
    const seed = await openAt(newFile());
    await seed.createShop(shopFixture(1));
    await seed.recordEvents('shop_1', [purchaseEvent('p1'), purchaseEvent('p2')], decide);
    const c1 = await seed.getCustomer('shop_1', 'c1');
    const shop = shopFixture(1);
    // What the previous version wrote: a single change per line first, then arrays, the customer whole each time.
    writeFileSync(file, JSON.stringify({ version: 1, shops: {}, badges: {}, customers: {}, processedEvents: {}, browserEvents: {}, awardCounts: {}, documents: {} }));
    writeFileSync(
      `${file}.wal`,
      [
        JSON.stringify({ op: 'shop', shop }),
        JSON.stringify([
          { op: 'customer', shopId: 'shop_1', customer: c1 },
          { op: 'seen', shopId: 'shop_1', eventId: 'p1', event: { customerId: 'c1', at: Date.now(), awards: [] } },
          { op: 'seen', shopId: 'shop_1', eventId: 'p2', event: { customerId: 'c1', at: Date.now(), awards: [] } },
        ]),
      ].join('\n') + '\n',
    );
    const store = await openAt(file);
    expect(await store.getCustomer('shop_1', 'c1')).toEqual(c1);
    expect((await store.recordEvents('shop_1', [purchaseEvent('p2')], decide))[0]!.status).toBe('duplicate');
    await store.recordEvents('shop_1', [purchaseEvent('p3')], decide);
    const afterCrash = await openAt(crashCopy(file));
    expect(Object.keys((await afterCrash.getCustomer('shop_1', 'c1'))!.orders!)).toEqual(['o-p1', 'o-p2', 'o-p3']);
    expect(await afterCrash.getCustomer('shop_1', 'c1')).toEqual(await store.getCustomer('shop_1', 'c1'));
  });

  it('order ids named like Object.prototype members are orders like any other, in memory and after a crash', async () => {
    const file = newFile();
    const store = await openAt(file);
    await store.createShop(shopFixture(1));
    const odd = ['constructor', '__proto__', 'toString'];
    for (const orderId of odd) {
      await store.recordEvents('shop_1', [{ ...purchaseEvent(`p-${orderId}`), properties: { orderId, total: 10, currency: 'EUR' } }], decide);
    }
    await store.recordEvents('shop_1', [{ ...refundEvent('r-proto', '__proto__', 10), occurredAt: purchaseEvent('x').occurredAt }], decide);
    const record = (await store.getCustomer('shop_1', 'c1'))!;
    expect(Object.keys(record.orders!)).toEqual(odd);
    // The "__proto__" order is an order, not the map's prototype (the map has none, or Object's).
    expect([null, Object.prototype]).toContain(Object.getPrototypeOf(record.orders));
    expect(record.ledger!.map((e) => [e.kind, e.points, e.orderId])).toEqual([
      ['earn', 10, 'constructor'],
      ['earn', 10, '__proto__'],
      ['earn', 10, 'toString'],
      ['clawback', -10, '__proto__'],
    ]);
    const afterCrash = (await openAt(crashCopy(file))).getCustomer('shop_1', 'c1');
    expect(Object.keys((await afterCrash)!.orders!)).toEqual(odd);
    expect(await afterCrash).toEqual(record);
  });

  it('replaying a change line twice leaves the same record (every part of a change sets a value)', async () => {
    const file = newFile();
    const store = await openAt(file);
    await store.createShop(shopFixture(1));
    for (let i = 0; i < 5; i++) await store.recordEvents('shop_1', [purchaseEvent(`p${i}`)], decide);
    await store.recordEvents('shop_1', [refundEvent('r1', 'o-p0', 10)], decide);
    const copy = crashCopy(file);
    const lines = readFileSync(`${copy}.wal`, 'utf8').split('\n').filter(Boolean);
    writeFileSync(`${copy}.wal`, [...lines, ...lines.slice(2)].map((l) => `${l}\n`).join(''));
    const afterCrash = await openAt(copy);
    expect(await afterCrash.getCustomer('shop_1', 'c1')).toEqual(await store.getCustomer('shop_1', 'c1'));
  });
});

describe('lowdb snapshot off the request path', () => {
  const { newFile, openAt } = lowdbFiles({ warn: () => {} });

  it("answers the requests whose flush installs a fold once their changes are durable, without waiting for the install", async () => {
    // A log file whose next fdatasync, and later its close (the install's first step), wait until let go.
    const holds: { datasync?: Promise<void>; close?: Promise<void> } = {};
    const hold = (what: 'datasync' | 'close') => {
      let release!: () => void;
      holds[what] = new Promise<void>((resolve) => (release = resolve));
      return () => {
        holds[what] = undefined;
        release();
      };
    };
    const openLogFile: OpenLogFile = async (file) => {
      const real = await open(file, 'a', 0o600);
      return {
        write: (buffer) => real.write(buffer),
        datasync: async () => (await holds.datasync, real.datasync()),
        truncate: (length) => real.truncate(length),
        close: async () => (await holds.close, real.close()),
      };
    };
    const file = newFile();
    let releaseFold!: () => void;
    let folds = 0;
    const gate = () => (++folds === 1 ? new Promise<void>((resolve) => (releaseFold = resolve)) : Promise.resolve());
    const store = await openAt(file, { snapshotAfterBytes: 2_000, snapshotGate: gate, openLogFile });
    await store.createShop(shopFixture(1));
    for (let i = 0; i < 20 && folds === 0; i++) await store.recordEvents('shop_1', [purchaseEvent(`p${i}`, `c${i % 4}`)], decide);
    expect(folds).toBe(1);

    // A's flush is on its way to the disk; the fold finishes meanwhile, so the next flush (B's) installs it.
    const releaseSync = hold('datasync');
    const a = store.recordEvents('shop_1', [purchaseEvent('pa', 'c1')], decide);
    releaseFold();
    // Private, read only to sequence the test: the fold is written and waits for its install.
    await vi.waitFor(() => expect((store as unknown as { folded?: unknown }).folded).toBeDefined());
    const b = store.recordEvents('shop_1', [purchaseEvent('pb', 'c2')], decide);
    const releaseClose = hold('close');
    releaseSync();
    await a;
    // The install is held at its first step (closing the log), and B is answered all the same.
    expect((await b)[0]!.status).toBe('accepted');
    expect(holds.close).toBeDefined();
    releaseClose();
    await store.close();
    const reopened = await openAt(file);
    expect(Object.keys((await reopened.getCustomer('shop_1', 'c2'))?.orders ?? {})).toContain('o-pb');
  });

  it('requests are answered while a fold into the snapshot is half done, and a crash at any point after keeps every acknowledged change', async () => {
    const file = newFile();
    let release!: () => void;
    let held = 0;
    const gate = () => {
      held++;
      return held === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
    };
    const store = await openAt(file, { snapshotAfterBytes: 2_000, snapshotGate: gate });
    await store.createShop(shopFixture(1));
    for (let i = 0; i < 20; i++) await store.recordEvents('shop_1', [purchaseEvent(`p${i}`, `c${i % 4}`)], decide);
    expect(held).toBe(1); // a fold started and is held
    const crashes: string[] = [];
    // Requests go on and are durable while the fold waits: none waits for it.
    for (let i = 20; i < 40; i++) {
      await store.recordEvents('shop_1', [purchaseEvent(`p${i}`, `c${i % 4}`)], decide);
      if (i % 7 === 0) crashes.push(crashCopy(file));
    }
    expect(store.stats.snapshots).toBe(0);
    release();
    for (let i = 40; i < 80; i++) {
      await store.recordEvents('shop_1', [purchaseEvent(`p${i}`, `c${i % 4}`), otherEvent(`v${i}`, `c${i % 4}`)], decide);
      if (i % 9 === 0) crashes.push(crashCopy(file));
    }
    expect(store.stats.snapshots).toBeGreaterThan(0);
    crashes.push(crashCopy(file));
    const last = await openAt(crashes.at(-1)!);
    for (const id of ['c0', 'c1', 'c2', 'c3']) expect(await last.getCustomer('shop_1', id)).toEqual(await store.getCustomer('shop_1', id));
    for (const copy of crashes.slice(0, -1)) {
      const reopened = await openAt(copy);
      const orders = Object.keys((await reopened.getCustomer('shop_1', 'c0'))?.orders ?? {}).length;
      expect(orders).toBeGreaterThan(0);
      // Whatever was acknowledged by the copy's time is there, nothing half: every seen purchase has its order.
      const seen = (await reopened.dump()).filter((r) => r.kind === 'seen' && r.eventId.startsWith('p')).length;
      let ordersTotal = 0;
      for (const id of ['c0', 'c1', 'c2', 'c3']) ordersTotal += Object.keys((await reopened.getCustomer('shop_1', id))?.orders ?? {}).length;
      expect(ordersTotal).toBe(seen);
    }
  });
});
