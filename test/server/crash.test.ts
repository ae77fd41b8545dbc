// The built server as production runs it, killed under load: SIGKILL (no chance to
// flush) several times on one data file, then SIGTERM (graceful). Every event that
// got a 2xx must survive, nothing may count twice, and the files must always open.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LowdbStore } from '../../server/store/lowdb-store.js';
import { tempDir } from '../helpers/server.js';
import { featureDocuments } from '../../server/features.js';

const root = join(import.meta.dirname, '..', '..');
const main = join(root, 'dist', 'server', 'main.js');
const ROUNDS = 5;
const WORKERS = 8;
const BATCH = 25;
const CUSTOMERS = 10;

let dir: string;
let dataFile: string;
let env: NodeJS.ProcessEnv;
let secretKey: string;
let shopId: string;

beforeAll(() => {
  if (!existsSync(main)) throw new Error('dist/server/main.js is missing: run "npm run build:server" first (npm test does).');
  dir = tempDir('kudos-crash-test-');
  dataFile = join(dir, 'kudos.json');
  env = { ...process.env, KUDOS_DATA: dataFile, KUDOS_DEMO: 'off', PORT: '0', HOST: '127.0.0.1' };
  const shop = JSON.parse(execFileSync(process.execPath, [join(root, 'bin', 'kudos.js'), 'shop', 'create', '--name', 'Crash'], { env }).toString());
  secretKey = shop.secretKey;
  shopId = shop.shopId;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function start(): Promise<Running> {
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const match = /running at (http:\/\/[^\s/]+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    void exited.then(() => reject(new Error(`server exited before listening:\n${out}`)));
  });
  return { child, url, output: () => out, exited };
}

const customerOf = (n: number) => `c${n % CUSTOMERS}`;
/** Every event ever sent, by id → customer; acknowledged ones separately. */
const sent = new Map<string, string>();
const acknowledged = new Set<string>();
let sequence = 0;

function batch(prefix: string) {
  return Array.from({ length: BATCH }, () => {
    const n = sequence++;
    const event = { id: `${prefix}-${n}`, type: 'page_view', customerId: customerOf(n) };
    sent.set(event.id, event.customerId);
    return event;
  });
}

async function post(url: string, events: { id: string }[]): Promise<{ id: string; status: string }[]> {
  const res = await fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  if (res.status !== 200) throw new Error(`POST /v1/events answered ${res.status}: ${await res.text()}`);
  return (await res.json()).results;
}

/**
 * Load until `stopAfter` batches are acknowledged, then `interrupt` the server while the
 * other workers still have batches in flight; workers stop at their first failed request.
 */
async function loadAndInterrupt(server: Running, prefix: string, stopAfter: number, interrupt: () => void): Promise<number> {
  let acked = 0;
  let interrupted = false;
  const worker = async () => {
    for (;;) {
      const events = batch(prefix);
      try {
        await post(server.url, events);
      } catch (e) {
        if (!interrupted) throw new Error(`request failed before the interrupt: ${e}\n${server.output()}`);
        return;
      }
      for (const e of events) acknowledged.add(e.id);
      acked += events.length;
      if (++batches >= stopAfter && !interrupted) {
        interrupted = true;
        interrupt();
      }
    }
  };
  let batches = 0;
  await Promise.all(Array.from({ length: WORKERS }, worker));
  return acked;
}

/** The files as the dead process left them: the snapshot parses and the store opens. */
async function countsOnDisk(): Promise<Map<string, number>> {
  expect(() => JSON.parse(readFileSync(dataFile, 'utf8'))).not.toThrow();
  const store = await LowdbStore.open(dataFile, { ...featureDocuments() });
  try {
    const counts = new Map<string, number>();
    for (let c = 0; c < CUSTOMERS; c++) {
      const customer = await store.getCustomer(shopId, `c${c}`);
      counts.set(`c${c}`, customer?.stats.page_view?.count ?? 0);
    }
    return counts;
  } finally {
    await store.close();
  }
}

function tally(ids: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(sent.get(id)!, (counts.get(sent.get(id)!) ?? 0) + 1);
  return counts;
}

/** Replaying every event: acknowledged ones must answer "duplicate"; the rest may go either way. */
async function replayAll(url: string): Promise<void> {
  const ids = [...sent.keys()];
  for (let i = 0; i < ids.length; i += 100) {
    const events = ids.slice(i, i + 100).map((id) => ({ id, type: 'page_view', customerId: sent.get(id)! }));
    for (const result of await post(url, events)) {
      if (acknowledged.has(result.id)) expect(result, `acknowledged event ${result.id} was lost`).toMatchObject({ status: 'duplicate' });
    }
  }
}

describe('crashes under load', () => {
  it(`keeps every acknowledged event across ${ROUNDS} SIGKILLs mid-load and counts none twice`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const server = await start();
      if (round > 1) await replayAll(server.url); // the previous round's victims, through a fresh process
      const acked = await loadAndInterrupt(server, `r${round}`, 4 + 3 * round, () => server.child.kill('SIGKILL'));
      expect((await server.exited).signal).toBe('SIGKILL');

      // Every acknowledged event counted; in-flight ones may or may not have made it.
      const counts = await countsOnDisk();
      const mustHave = tally(acknowledged);
      const mayHave = tally(sent.keys());
      for (const [customer, count] of counts) {
        expect(count, `${customer} after round ${round}`).toBeGreaterThanOrEqual(mustHave.get(customer) ?? 0);
        expect(count, `${customer} after round ${round}`).toBeLessThanOrEqual(mayHave.get(customer) ?? 0);
      }
      console.log(`crash round ${round}: ${acked} events acknowledged before SIGKILL, all ${acknowledged.size} acknowledged so far checked on disk`);
    }
    // After replaying everything once more, each customer has exactly the events sent to it.
    const server = await start();
    await replayAll(server.url);
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(Object.fromEntries(await countsOnDisk())).toEqual(Object.fromEntries(tally(sent.keys())));
  }, 120_000);

  it('finishes in-flight requests on SIGTERM, exits 0 and has every acknowledged event on disk', async () => {
    const server = await start();
    const ackedBefore = acknowledged.size;
    const acked = await loadAndInterrupt(server, 'term', 10, () => server.child.kill('SIGTERM'));
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain('SIGTERM');
    const counts = await countsOnDisk();
    const mustHave = tally(acknowledged);
    for (const [customer, count] of counts) expect(count, customer).toBeGreaterThanOrEqual(mustHave.get(customer) ?? 0);
    console.log(`SIGTERM: ${acked} events acknowledged during shutdown load, ${acknowledged.size - ackedBefore} new, all on disk`);

    const again = await start();
    await replayAll(again.url);
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
    expect(Object.fromEntries(await countsOnDisk())).toEqual(Object.fromEntries(tally(sent.keys())));
  }, 60_000);
});
