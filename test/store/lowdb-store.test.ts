import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { featureDocuments } from '../../server/features.js';
import { LowdbStore } from '../../server/store/lowdb-store.js';
import { StoreLockedError } from '../../server/store/process-lock.js';
import { lowdbFiles } from '../helpers/lowdb-files.js';
import { crashCopy, tempDir } from '../helpers/server.js';
import { decide, describeStoreContract, purchaseEvent, shopFixture } from './contract.js';

// Real files in temp folders: never lowdb's NODE_ENV=test in-memory preset.
describeStoreContract('lowdb', () => {
  const file = join(tempDir(), 'kudos.json');
  return {
    create: (options) => LowdbStore.open(file, { ...featureDocuments(), ...options }),
    reopen: (options) => LowdbStore.open(file, { ...featureDocuments(), ...options }),
  };
});

describe('lowdb store on disk', () => {
  const { newFile, openAt } = lowdbFiles();

  it('has the event on disk by the time recordEvents resolves (a crash right then keeps it)', async () => {
    const file = newFile();
    const store = await openAt(file);
    await store.createShop(shopFixture(1));
    await store.recordEvents('shop_1', [purchaseEvent('e1', 'c42')], decide);
    const afterCrash = await openAt(crashCopy(file));
    expect((await afterCrash.getCustomer('shop_1', 'c42'))?.stats.purchase?.count).toBe(1);
    const [replay] = await afterCrash.recordEvents('shop_1', [purchaseEvent('e1', 'c42')], decide);
    expect(replay!.status).toBe('duplicate');
  });

  it('serves 200 concurrent requests with a couple of log flushes (group commit)', async () => {
    const store = await openAt(newFile());
    await store.createShop(shopFixture(1));
    const before = store.stats.flushes;
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => store.recordEvents('shop_1', [purchaseEvent(`e${i}`, `c${i % 7}`)], decide)),
    );
    // The first request starts a flush; the other 199 wait and share the next one.
    expect(store.stats.flushes - before).toBe(2);
  });

  it('folds the log into the lowdb snapshot once it passes the threshold and the snapshot\'s size, and loses nothing', async () => {
    const file = newFile();
    const store = await openAt(file, { snapshotAfterBytes: 2_000 });
    await store.createShop(shopFixture(1));
    for (let i = 0; i < 40; i++) await store.recordEvents('shop_1', [purchaseEvent(`e${i}`)], decide);
    expect(store.stats.snapshots).toBeGreaterThan(1);
    // Each rewrite costs the snapshot's size, so the log may grow to that size first: the two files stay within twice the data.
    // (The flush that takes the log to that size starts a fold, which the next flush installs: that line may be over.)
    const limit = Math.max(2_000, statSync(file).size);
    const lines = readFileSync(`${file}.wal`, 'utf8').split('\n');
    expect(statSync(`${file}.wal`).size).toBeLessThan(limit + lines.at(-2)!.length + 1);
    const afterCrash = await openAt(crashCopy(file));
    expect((await afterCrash.getCustomer('shop_1', 'c1'))?.stats.purchase?.count).toBe(40);
  });

  it('a flush logs each record once, however often it changed: 100 events of one customer are one customer line', async () => {
    const file = newFile();
    const store = await openAt(file);
    await store.createShop(shopFixture(1));
    await store.recordEvents('shop_1', Array.from({ length: 100 }, (_, i) => purchaseEvent(`e${i}`)), decide);
    const log = readFileSync(`${file}.wal`, 'utf8');
    expect(log.match(/"op":"customer"/g)).toHaveLength(1);
    expect(log.match(/"op":"seen"/g)).toHaveLength(100);
    const afterCrash = await openAt(crashCopy(file));
    expect((await afterCrash.getCustomer('shop_1', 'c1'))?.stats.purchase?.count).toBe(100);
  });

  it('a flush torn by a power cut is dropped whole: no event is left seen without its effect, nor counted without being seen', async () => {
    const file = newFile();
    const store = await openAt(file);
    await store.createShop(shopFixture(1));
    await store.recordEvents('shop_1', [purchaseEvent('e1'), purchaseEvent('e2')], decide);
    const copy = crashCopy(file);
    // The last write reached the disk only in part, wherever it was cut.
    const log = readFileSync(`${copy}.wal`, 'utf8');
    const lastStart = log.lastIndexOf('\n', log.length - 2) + 1;
    const seenOfE2 = log.indexOf('"eventId":"e2"', lastStart);
    expect(seenOfE2).toBeGreaterThan(lastStart);
    writeFileSync(`${copy}.wal`, log.slice(0, seenOfE2));
    const afterCrash = await openAt(copy);
    expect(await afterCrash.getCustomer('shop_1', 'c1')).toBeUndefined();
    const retried = await afterCrash.recordEvents('shop_1', [purchaseEvent('e1'), purchaseEvent('e2')], decide);
    expect(retried.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    expect((await afterCrash.getCustomer('shop_1', 'c1'))?.stats.purchase?.count).toBe(2);
  });

  it('leaves one compact JSON file after a clean stop', async () => {
    const file = newFile();
    const store = await LowdbStore.open(file);
    await store.createShop(shopFixture(1));
    await store.recordEvents('shop_1', [purchaseEvent('e1')], decide);
    await store.close();
    expect(statSync(`${file}.wal`).size).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).customers.shop_1.c1.stats.purchase.count).toBe(1);
  });

  it('drops a torn last log line (never acknowledged) and keeps the rest', async () => {
    const file = newFile();
    const store = await openAt(file);
    await store.createShop(shopFixture(1));
    await store.recordEvents('shop_1', [purchaseEvent('e1')], decide);
    const copy = crashCopy(file);
    appendFileSync(`${copy}.wal`, '{"op":"customer","shopId":"shop_1","cust');
    const afterCrash = await openAt(copy);
    expect((await afterCrash.getCustomer('shop_1', 'c1'))?.stats.purchase?.count).toBe(1);
  });

  it('refuses a second store on the same file with a clear message', async () => {
    const file = newFile();
    await openAt(file);
    await expect(LowdbStore.open(file)).rejects.toThrow(StoreLockedError);
    await expect(LowdbStore.open(file)).rejects.toThrow(/Another Kudos process \(pid \d+\) is using/);
  });

  it('takes over a lock left by a process that died', async () => {
    const file = newFile();
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, adminToken: 'x' }));
    const store = await openAt(file);
    await store.createShop(shopFixture(1));
    expect(await store.getShop('shop_1')).toBeDefined();
  });

  it('forgets event ids after the retention window, so the file does not grow with traffic forever', async () => {
    let now = Date.parse('2026-11-01T00:00:00Z');
    const file = newFile();
    const store = await openAt(file, { now: () => now, eventRetentionDays: 1 });
    await store.createShop(shopFixture(1));
    await store.recordEvents('shop_1', [purchaseEvent('old')], decide);
    now += 2 * 86_400_000;
    await store.recordEvents('shop_1', [purchaseEvent('new')], decide);
    await store.close();
    const onDisk = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(onDisk.processedEvents.shop_1)).toEqual(['new']);
    // The roll-up still counts both.
    expect(onDisk.customers.shop_1.c1.stats.purchase.count).toBe(2);
  });

  it('refuses to start on a corrupt data file instead of overwriting it', async () => {
    const file = newFile();
    writeFileSync(file, '{"shops": {');
    await expect(LowdbStore.open(file)).rejects.toThrow(/not valid JSON/);
    expect(readFileSync(file, 'utf8')).toBe('{"shops": {');
    // ...and left no lock behind.
    const store = await openAt(newFile());
    expect(store).toBeDefined();
  });
});
