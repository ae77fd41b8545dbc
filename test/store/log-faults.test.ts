// The log survives faults (issue 13): a full disk or an I/O error fails every
// request of its batch and leaves their ids unseen; the next write starts on a
// clean line; a torn last line is dropped on recovery, and only the last; a
// damaged line elsewhere refuses start and `kudos store repair` keeps the rest.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LowdbStore } from '../../server/store/lowdb-store.js';
import { AWARDS_BY_CUSTOMER, AWARDS_BY_ID } from '../../server/trophies/lookups.js';
import { StoreWriteError } from '../../server/store/store.js';
import { logFiles, WriteAheadLog } from '../../server/store/write-ahead-log.js';
import { failingFileSystem } from '../helpers/failing-fs.js';
import { lowdbFiles } from '../helpers/lowdb-files.js';
import { crashCopy, purchase, startTestServer } from '../helpers/server.js';
import { decide, purchaseEvent, shopFixture } from './contract.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

describe('a log that survives faults', () => {
  const { newFile, openAt } = lowdbFiles({ warn: () => {}, lookups: [AWARDS_BY_CUSTOMER, AWARDS_BY_ID] });
  const count = async (store: LowdbStore, customerId = 'c1') => (await store.getCustomer('shop_1', customerId))?.stats.purchase?.count ?? 0;

  it('a write error rolls the origin and document indexes back with the data', async () => {
    const { faults, openLogFile } = failingFileSystem();
    const store = await openAt(newFile(), { openLogFile });
    await store.createShop(shopFixture(1));
    const award = (id: string, customerId: string) =>
      store.updateDocuments('shop_1', [{ collection: 'trophy-awards', id }], () => ({ values: [{ id, customerId }], result: null }));
    await award('a1', 'ann');
    faults.budget = 10;
    const failed = await Promise.allSettled([
      award('a2', 'ann'),
      store.updateShop('shop_1', (shop) => ({ ...shop, origins: ['https://lost.example'] })),
      store.updateDocuments('shop_1', [{ collection: 'trophy-awards', id: 'a1' }], () => ({ values: [undefined], result: null })),
    ]);
    expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected', 'rejected']);
    // What the indexes answer is what is on disk: a1 only, the old origin.
    expect((await store.findDocuments(AWARDS_BY_CUSTOMER, { shopId: 'shop_1', equals: 'ann' })).map((f) => f.id)).toEqual(['a1']);
    expect((await store.findDocuments(AWARDS_BY_ID, { equals: 'a2' }))).toEqual([]);
    expect(await store.shopIdsWithOrigin('https://lost.example')).toEqual([]);
    expect(await store.shopIdsWithOrigin('https://shop1.example')).toEqual(['shop_1']);
  });

  it('a write error fails every request of its batch and leaves their ids unseen, so a retry stores them', async () => {
    const file = newFile();
    const { faults, openLogFile } = failingFileSystem();
    const store = await openAt(file, { openLogFile });
    await store.createShop(shopFixture(1));
    await store.recordEvents('shop_1', [purchaseEvent('e0')], decide);
    faults.budget = 40; // the disk fills up in the middle of the next line
    // The first starts a write; the others arrive while it is in flight (one
    // of them a "retry" of the first): none of them may be told it is stored.
    const attempts = await Promise.allSettled([
      store.recordEvents('shop_1', [purchaseEvent('e1')], decide),
      store.recordEvents('shop_1', [purchaseEvent('e2', 'c2')], decide),
      store.recordEvents('shop_1', [purchaseEvent('e1')], decide),
    ]);
    expect(attempts.map((a) => a.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const a of attempts) expect((a as PromiseRejectedResult).reason).toBeInstanceOf(StoreWriteError);
    // Memory is back to what is on disk.
    expect(await count(store)).toBe(1);
    expect(await store.getCustomer('shop_1', 'c2')).toBeUndefined();
    // Space is back: the retry is stored, not a "duplicate".
    faults.budget = Infinity;
    const [retry] = await store.recordEvents('shop_1', [purchaseEvent('e1')], decide);
    expect(retry!.status).toBe('accepted');
    const restarted = await openAt(crashCopy(file));
    expect(await count(restarted)).toBe(2);
    expect(await restarted.getCustomer('shop_1', 'c2')).toBeUndefined();
  });

  it('the next write after a failed one starts on a clean line, even when cutting the torn part failed at first', async () => {
    const file = newFile();
    const { faults, openLogFile } = failingFileSystem();
    const store = await openAt(file, { openLogFile });
    await store.createShop(shopFixture(1));
    faults.budget = 25;
    faults.code = 'EIO';
    faults.truncateFails = true;
    await expect(store.recordEvents('shop_1', [purchaseEvent('e1')], decide)).rejects.toBeInstanceOf(StoreWriteError);
    // The torn bytes are still in the file.
    expect(readFileSync(`${file}.wal`, 'utf8').endsWith('\n')).toBe(false);
    faults.budget = Infinity;
    faults.truncateFails = false;
    await store.recordEvents('shop_1', [purchaseEvent('e2')], decide);
    const text = readFileSync(`${file}.wal`, 'utf8');
    for (const line of text.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
    const restarted = await openAt(crashCopy(file));
    expect(await count(restarted)).toBe(1);
    expect((await restarted.recordEvents('shop_1', [purchaseEvent('e1')], decide))[0]!.status).toBe('accepted');
  });

  it('a torn last line is discarded on recovery, and the next write starts on a clean line', async () => {
    const file = newFile();
    // Power went out during the very first write: the log is one torn line.
    writeFileSync(`${file}.wal`, '{"op":"shop","shop":{"id":"shop_9","na');
    const store = await openAt(file);
    await store.createShop(shopFixture(1));
    await store.recordEvents('shop_1', [purchaseEvent('e1')], decide);
    // And a torn line after whole ones.
    const copy = crashCopy(file);
    writeFileSync(`${copy}.wal`, readFileSync(`${copy}.wal`, 'utf8') + '{"op":"customer","shopId":"sh');
    const restarted = await openAt(copy);
    expect(await restarted.getShop('shop_9')).toBeUndefined();
    expect(await count(restarted)).toBe(1);
    await restarted.recordEvents('shop_1', [purchaseEvent('e2')], decide);
    const again = await openAt(crashCopy(copy));
    expect(await count(again)).toBe(2);
  });

  it('a damaged line before the last refuses start with the repair command, and `kudos store repair` keeps every intact line', async () => {
    const file = newFile();
    const store = await openAt(file);
    await store.createShop(shopFixture(1));
    await store.recordEvents('shop_1', [purchaseEvent('e1')], decide);
    await store.recordEvents('shop_1', [purchaseEvent('e2', 'c2')], decide);
    const copy = crashCopy(file);
    // One line per flush: the shop, then each event's.
    const lines = readFileSync(`${copy}.wal`, 'utf8').split('\n').filter(Boolean);
    expect(lines.length).toBe(3);
    const damaged = [lines[0], '{"op":"doc",\u0000\u0000\u0000', ...lines.slice(1)].join('\n') + '\n';
    writeFileSync(`${copy}.wal`, damaged);
    const refused = await LowdbStore.open(copy).catch((error: unknown) => error as Error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toContain(`line 2 of ${lines.length + 1} is corrupt`);
    expect((refused as Error).message).toContain('npm run kudos -- store repair');
    // Nothing was changed by the refusal.
    expect(readFileSync(`${copy}.wal`, 'utf8')).toBe(damaged);
    const { stdout } = await run(process.execPath, [join(root, 'dist', 'server', 'cli.js'), 'store', 'repair'], { env: { ...process.env, KUDOS_DATA: copy } });
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ kept: lines.length, setAside: [2] });
    expect(readFileSync(report.setAsideIn, 'utf8')).toContain('{"op":"doc",');
    const repaired = await openAt(copy);
    expect(await count(repaired)).toBe(1);
    expect((await repaired.recordEvents('shop_1', [purchaseEvent('e1')], decide))[0]!.status).toBe('duplicate');
  });

  it('a disk write error answers 503 problem+json over HTTP, and the retried request is then stored', async () => {
    const { faults, openLogFile } = failingFileSystem();
    const t = await startTestServer({ openLogFile, rateLimit: false });
    try {
      faults.budget = 10;
      const failed = await t.call('/v1/events', { key: t.shop.secretKey, body: purchase('disk-1', 'ann') });
      expect(failed.status).toBe(503);
      expect(failed.headers.get('content-type')).toContain('application/problem+json');
      expect(failed.headers.get('retry-after')).toBeTruthy();
      expect((await failed.json()).type).toContain('store-unavailable');
      faults.budget = Infinity;
      const retried = await t.call('/v1/events', { key: t.shop.secretKey, body: purchase('disk-1', 'ann') });
      expect((await retried.json()).results[0].status).toBe('accepted');
      expect(existsSync(`${t.dataFile}.wal`)).toBe(true);
    } finally {
      await t.dispose();
    }
  });
});

describe('dropping what a fold holds', () => {
  it('rotates without holding appends: lines appended during and after a rotation are kept, in order, until their segment is dropped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kudos-drop-'));
    const file = join(dir, 'kudos.json.wal');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let appends = 0;
    // The third append's write waits until let go: a rotation must wait for it, not lose it.
    const openLogFile = async (path: string) => {
      const handle = await open(path, 'a', 0o600);
      return {
        write: async (buffer: Buffer) => {
          if (appends++ === 2) await held;
          return handle.write(buffer);
        },
        datasync: () => handle.datasync(),
        truncate: (length: number) => handle.truncate(length),
        close: () => handle.close(),
      };
    };
    const log = new WriteAheadLog(file, openLogFile);
    await log.append(['{"a":1}\n']);
    await log.append(['{"b":2}\n']);
    const inFlight = log.append(['{"c":3}\n']);
    const rotating = log.rotate();
    const after = log.append(['{"d":4}\n']);
    release();
    await inFlight;
    const segment = await rotating;
    await after;
    expect(readFileSync(`${file}.${segment}`, 'utf8')).toBe('{"a":1}\n{"b":2}\n{"c":3}\n');
    expect(readFileSync(file, 'utf8')).toBe('{"d":4}\n');
    expect(log.size).toBe(8);
    expect(await log.acknowledged()).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }, { d: 4 }]);
    // A crash now (the snapshot not yet replaced) replays both files, segment first.
    expect(await new WriteAheadLog(file).readEntries()).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }, { d: 4 }]);
    expect(logFiles(file)).toEqual([`${file}.${segment}`, file]);

    // A second rotation before the first segment was dropped (a fold given up) numbers on.
    await log.append(['{"e":5}\n']);
    const second = await log.rotate();
    expect(second).toBe(segment + 1);
    await log.dropThrough(second);
    expect(logFiles(file)).toEqual([file]);
    await log.append(['{"f":6}\n']);
    expect(await log.acknowledged()).toEqual([{ f: 6 }]);
    await log.close();
    const reopened = new WriteAheadLog(file);
    expect(await reopened.recover()).toEqual([{ f: 6 }]);
    await reopened.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a rollback reads every acknowledged line although a rotation starts while it reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kudos-drop-'));
    const file = join(dir, 'kudos.json.wal');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = false;
    class HeldLog extends WriteAheadLog {
      protected override async readLogFile(path: string): Promise<Buffer | undefined> {
        if (holding) await held;
        return super.readLogFile(path);
      }
    }
    const log = new HeldLog(file);
    await log.append(['{"a":1}\n', '{"b":2}\n']);
    holding = true;
    const reading = log.acknowledged();
    // A fold's rotation begins while the rollback's read waits: it must not move the file from under it.
    const rotating = log.rotate();
    // A rotation that does not wait for the read finishes meanwhile; one that waits is given a moment to try.
    await Promise.race([rotating, new Promise((resolve) => setTimeout(resolve, 20))]);
    release();
    expect(await reading).toEqual([{ a: 1 }, { b: 2 }]);
    holding = false;
    await rotating;
    expect(await log.acknowledged()).toEqual([{ a: 1 }, { b: 2 }]);
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a rotation with nothing appended since the last one closes no segment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kudos-drop-'));
    const file = join(dir, 'kudos.json.wal');
    const log = new WriteAheadLog(file);
    expect(await log.rotate()).toBe(0);
    await log.append(['{"a":1}\n']);
    expect(await log.rotate()).toBe(1);
    expect(await log.rotate()).toBe(1);
    await log.dropThrough(1);
    await log.append(['{"b":2}\n']);
    expect(await new WriteAheadLog(file).readEntries()).toEqual([{ b: 2 }]);
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

