// Several Kudos instances on one PostgreSQL database, as an operator runs them
// behind a proxy: separate processes (the built server), separate ports, the
// load split between them round-robin. What must hold for one process must hold
// for all of them together, and kill -9 of one loses no acknowledged event.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerHash } from '../../server/identity.js';
import { MIGRATIONS } from '../../server/store/pg/migrations.js';
import { PgStore } from '../../server/store/pg/pg-store.js';
import { featureDocuments } from '../../server/features.js';
import { FOLLOW_UPS, type PendingFollowUps } from '../../server/events/after-record.js';
import { SKU_STATS } from '../../server/forecast/service.js';
import { NO_DATABASE, dropSchemas, freshSchema } from '../helpers/pg.js';

const root = join(import.meta.dirname, '..', '..');
const main = join(root, 'dist', 'server', 'main.js');
const INSTANCES = 3;
const HOUR = 3_600_000;

interface Instance {
  child: ChildProcess;
  url: string;
  exited: Promise<unknown>;
}

let env: NodeJS.ProcessEnv;
let instances: Instance[] = [];
let db: pg.Pool;
let shop: { shopId: string; publishableKey: string; secretKey: string; identitySecret?: string };

async function startInstance(): Promise<Instance> {
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const match = /running at (http:\/\/[^\s/]+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    void exited.then(() => reject(new Error(`instance exited before listening:\n${out}`)));
  });
  return { child, url, exited };
}

let turn = 0;
/** Round-robin over the live instances: the proxy's job. */
function call(path: string, init: { method?: string; key?: string; body?: unknown; as?: string; anon?: string; to?: Instance } = {}) {
  const live = instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null);
  const target = init.to ?? live[turn++ % live.length]!;
  const headers: Record<string, string> = { authorization: `Bearer ${init.key ?? shop.secretKey}` };
  if (init.as) Object.assign(headers, { 'x-kudos-customer': init.as, 'x-kudos-customer-hash': customerHash(shop.identitySecret ?? shop.secretKey, init.as) });
  if (init.anon) headers['x-kudos-anonymous-id'] = init.anon;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(target.url + path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

const purchase = (id: string, customerId: string, total = 10) => ({ id, type: 'purchase', customerId, properties: { orderId: `o-${id}`, total, currency: 'EUR' } });

describe.skipIf(NO_DATABASE)(`${INSTANCES} instances on one PostgreSQL database`, { timeout: 120_000 }, () => {
  beforeAll(async () => {
    if (!existsSync(main)) throw new Error('dist/server/main.js is missing: run "npm run build:server" first (npm test does).');
    const { url } = await freshSchema('instances');
    env = { ...process.env, KUDOS_DATABASE_URL: url, KUDOS_DEMO: 'off', KUDOS_ALLOW_PRIVATE_WEBHOOKS: '1', KUDOS_ACCESS_LOG: 'off', PORT: '0', HOST: '127.0.0.1' };
    // All start at once: the migrations run once, under the advisory lock.
    instances = await Promise.all(Array.from({ length: INSTANCES }, startInstance));
    shop = JSON.parse(execFileSync(process.execPath, [join(root, 'bin', 'kudos.js'), 'shop', 'create', '--name', 'Shared'], { env }).toString());
    db = new pg.Pool({ connectionString: url, max: 2 });
  }, 120_000);
  afterAll(async () => {
    for (const i of instances) i.child.kill('SIGTERM');
    await Promise.all(instances.map((i) => i.exited));
    await db?.end();
    await dropSchemas();
  }, 60_000);

  it('migrated once although all started together, and every instance knows a shop the CLI created', async () => {
    expect((await db.query('SELECT version FROM kudos_migrations')).rows).toHaveLength(MIGRATIONS.length);
    for (const instance of instances) expect((await call(`/v1/badges`, { to: instance })).status).toBe(200);
  });

  it('100 concurrent threshold-crossing events → exactly one award; a capped badge goes to exactly 3 customers', async () => {
    expect((await call('/v1/badges/fifty', { method: 'PUT', body: { name: 'Fifty', criteria: { event: 'purchase', count: 50 } } })).status).toBe(201);
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => call('/v1/events', { body: purchase(`t-${i}`, 'c-threshold') })));
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(200));
    const awards = (await Promise.all(answers.map((a) => a.json()))).flatMap((b) => b.results[0].awards);
    expect(awards.filter((a: { id: string }) => a.id === 'fifty')).toHaveLength(1);
    const state = await (await call('/v1/customers/c-threshold')).json();
    expect(state.badges.map((b: { id: string }) => b.id)).toContain('fifty');

    expect((await call('/v1/badges/first3', { method: 'PUT', body: { name: 'First three', criteria: { event: 'review', count: 1 }, maxAwards: 3 } })).status).toBe(201);
    const reviews = await Promise.all(
      Array.from({ length: 30 }, (_, i) => call('/v1/events', { body: { id: `r-${i}`, type: 'review', customerId: `c-cap-${i}` } })),
    );
    const capped = (await Promise.all(reviews.map((a) => a.json()))).flatMap((b) => b.results[0].awards).filter((a: { id: string }) => a.id === 'first3');
    expect(capped).toHaveLength(3);
  });

  it('50 concurrent joins → the group unlocks exactly once and each code is issued once', async () => {
    const campaign = { name: 'Duo', scope: { kind: 'product', productId: 'mug' }, tiers: [{ members: 2, percentOff: 10 }, { members: 3, percentOff: 15 }], windowHours: 24, maxMembers: 60, codes: { issuer: 'kudos', prefix: 'SAVE-' } };
    expect((await call('/v1/campaigns/duo', { method: 'PUT', body: campaign })).status).toBe(201);
    const started = await call('/v1/groups', { key: shop.publishableKey, as: 'owner', body: { campaign: 'duo' } });
    expect(started.status).toBe(201);
    const { code } = await started.json();
    const joins = await Promise.all(Array.from({ length: 50 }, (_, i) => call(`/v1/groups/${code}/join`, { method: 'POST', key: shop.publishableKey, as: `racer-${i}` })));
    expect(joins.map((r) => r.status)).toEqual(Array(50).fill(200));
    const racers = Array.from({ length: 50 }, (_, i) => `racer-${i}`);
    const states = await Promise.all(racers.map(async (c) => (await db.query('SELECT data FROM customers WHERE customer_id = $1', [c])).rows[0]?.data));
    expect(states.filter((s) => s?.stats['group.unlocked'])).toHaveLength(1);
    expect(states.filter((s) => s?.stats['group.upgraded'])).toHaveLength(1);
    const views = await Promise.all(['owner', ...racers].map(async (who) => (await (await call(`/v1/groups/${code}`, { key: shop.publishableKey, as: who })).json()).you));
    expect(views.every((y) => y.percentOff === 15)).toBe(true);
    expect(new Set(views.map((y) => y.discountCode)).size).toBe(51);
  });

  it('holds the join velocity limit across instances: 60 joins per address in 10 minutes in all, not per instance', async () => {
    // The test above made 50 joins from this address, spread over the three instances.
    const started = await call('/v1/groups', { key: shop.publishableKey, as: 'owner-2', body: { campaign: 'duo' } });
    const { code } = await started.json();
    const joins = await Promise.all(Array.from({ length: 15 }, (_, i) => call(`/v1/groups/${code}/join`, { method: 'POST', key: shop.publishableKey, as: `late-${i}` })));
    const statuses = joins.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
  });

  it('concurrent reservations never oversell a drop: 60 buyers for 20 units get exactly 20 holds', async () => {
    // Signed-in buyers: anonymous visitors may only hold a share of a drop, a few per address.
    const now = Date.now();
    const product = {
      name: 'Moon glaze mug',
      price: 28,
      currency: 'EUR',
      checkoutUrl: 'https://mia.example/cart?add=mug',
      availableFrom: new Date(now - HOUR).toISOString(),
      availableUntil: new Date(now + 24 * HOUR).toISOString(),
      stock: 20,
      holdMinutes: 10,
    };
    expect((await call('/v1/products/mug', { method: 'PUT', body: product })).status).toBe(201);
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => call('/v1/products/mug/reservations', { key: shop.publishableKey, as: `buyer-${String(i).padStart(3, '0')}`, body: {} })),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 409)).toHaveLength(40);
    const tokens = await Promise.all(answers.filter((r) => r.status === 201).map(async (r) => (await r.json()).token));
    expect(new Set(tokens).size).toBe(20);
  });

  it('concurrent redemptions never take a balance below zero', async () => {
    expect((await call('/v1/rewards/coffee', { method: 'PUT', body: { name: 'Free coffee', cost: 100, discount: { kind: 'fixed', amount: 5, currency: 'EUR' } } })).status).toBe(201);
    expect((await call('/v1/events', { body: purchase('rich', 'c-redeemer', 500) })).status).toBe(200);
    const answers = await Promise.all(Array.from({ length: 50 }, () => call('/v1/customers/c-redeemer/redemptions', { body: { rewardId: 'coffee' } })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(45);
    expect((await (await call('/v1/customers/c-redeemer')).json()).points).toBe(0);
  });

  it('the shared outbox delivers each webhook once, whichever instances race for it', async () => {
    const received = new Map<string, number>();
    const receiver = createServer((req, res) => {
      const id = String(req.headers['kudos-delivery']);
      received.set(id, (received.get(id) ?? 0) + 1);
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const hook = { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`, events: ['points.changed'] };
      expect((await call('/v1/webhooks/points', { method: 'PUT', body: hook })).status).toBe(201);
      // Every instance's worker wakes on its own events and sweeps the whole outbox: they race.
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => call('/v1/events', { body: purchase(`w-${i}`, `c-hook-${i}`) })));
      expect(answers.map((a) => a.status)).toEqual(Array(30).fill(200));
      for (let i = 0; i < 300 && received.size < 30; i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 2000)); // room for a second, wrong, send
      expect(received.size).toBe(30);
      expect([...received.values()].every((n) => n === 1)).toBe(true);
      const { rows } = await db.query("SELECT count(*)::int AS n FROM documents WHERE collection = 'webhook-deliveries' AND data->>'status' = 'delivered'");
      expect(rows[0].n).toBe(30);
      expect((await call('/v1/webhooks/points', { method: 'DELETE' })).status).toBeLessThan(300);
    } finally {
      receiver.close();
    }
  });

  it('kill -9 of one instance under load loses no acknowledged event, and the others keep serving', async () => {
    const acknowledged = new Set<string>();
    const sent = new Map<string, string>();
    let n = 0;
    let stop = false;
    // Half the clients send batches of 10, half single events (which each instance coalesces into group commits).
    const worker = async (_: unknown, w: number) => {
      while (!stop) {
        const events = Array.from({ length: w % 2 ? 1 : 10 }, () => {
          const id = `k-${n++}`;
          const customerId = `c-kill-${n % 7}`;
          sent.set(id, customerId);
          return purchase(id, customerId);
        });
        try {
          const r = await call('/v1/events', { body: events.length === 1 ? events[0] : { events } });
          statuses.add(r.status);
          if (r.status === 200) for (const e of events) acknowledged.add(e.id);
        } catch {
          // The killed instance's connections fail: not acknowledged, the client retries below.
        }
      }
    };
    const statuses = new Set<number>();
    const load = Array.from({ length: 8 }, worker);
    const until = async (enough: () => boolean) => {
      for (let i = 0; i < 300 && !enough(); i++) await new Promise((r) => setTimeout(r, 100));
    };
    await until(() => acknowledged.size >= 100);
    const victim = instances[0]!;
    victim.child.kill('SIGKILL');
    await victim.exited;
    const atKill = acknowledged.size;
    await until(() => acknowledged.size >= atKill + 100);
    stop = true;
    await Promise.all(load);
    expect(atKill, `answers: ${[...statuses]}`).toBeGreaterThan(0);
    expect(acknowledged.size).toBeGreaterThan(atKill); // the survivors kept serving

    const seen = new Set((await db.query<{ event_id: string }>("SELECT event_id FROM processed_events WHERE event_id LIKE 'k-%'")).rows.map((r) => r.event_id));
    for (const id of acknowledged) expect(seen.has(id)).toBe(true);
    // Nothing counted twice: each customer's count is exactly its stored events.
    const counts = async () => {
      const { rows } = await db.query<{ customer_id: string; n: number }>(
        "SELECT customer_id, (data->'stats'->'purchase'->>'count')::int AS n FROM customers WHERE customer_id LIKE 'c-kill-%'",
      );
      return Object.fromEntries(rows.map((r) => [r.customer_id, r.n]));
    };
    const perCustomer = (ids: Iterable<string>) => {
      const out: Record<string, number> = {};
      for (const id of ids) out[sent.get(id)!] = (out[sent.get(id)!] ?? 0) + 1;
      return out;
    };
    expect(await counts()).toEqual(perCustomer(seen));
    // The clients retry what was never acknowledged; afterwards every event counts once.
    const unacked = [...sent.keys()].filter((id) => !acknowledged.has(id));
    for (let i = 0; i < unacked.length; i += 50) {
      const events = unacked.slice(i, i + 50).map((id) => purchase(id, sent.get(id)!));
      expect((await call('/v1/events', { body: { events } })).status).toBe(200);
    }
    expect(await counts()).toEqual(perCustomer(sent.keys()));
  });

  it('runs the follow-ups a dead instance left, in a live instance, once, without a restart', async () => {
    // What an instance killed between its events' commit and their follow-ups leaves
    // (the kill -9 above may have left some too): a pending document, here a minute old.
    const writer = await PgStore.open(env.KUDOS_DATABASE_URL!, { migrate: false, ...featureDocuments() });
    const event = { id: 'left-behind', type: 'purchase', customerId: 'c-left', occurredAt: new Date().toISOString(), properties: { orderId: 'o-left', total: 30, currency: 'EUR', sku: 'LEFT-MUG', quantity: 3 } };
    const pending: PendingFollowUps = {
      at: new Date(Date.now() - 60_000).toISOString(),
      silent: false,
      events: [event],
      outcomes: [{ id: event.id, status: 'accepted', awards: [] }],
      keys: [`s:${event.id}`],
    };
    try {
      await writer.updateDocuments(shop.shopId, [{ collection: FOLLOW_UPS, id: 's:left-behind' }], () => ({ values: [pending], result: undefined }));
    } finally {
      await writer.close();
    }
    const pendingLeft = async () => (await db.query("SELECT count(*)::int AS n FROM documents WHERE collection = 'after-record' AND data IS NOT NULL")).rows[0].n;
    // Every live instance looks on its timer; the first to claim it runs it (within the grace period and a pass or two).
    for (let i = 0; i < 900 && (await pendingLeft()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await pendingLeft()).toBe(0);
    const { rows } = await db.query<{ data: { sales: Record<string, number> } }>('SELECT data FROM documents WHERE collection = $1 AND shop_id = $2', [SKU_STATS, shop.shopId]);
    const units = rows.flatMap((r) => Object.values(r.data.sales)).reduce((a, b) => a + b, 0);
    expect(units).toBe(3);
    // Nobody was restarted: the two instances that survived the kill are the ones that started.
    expect(instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null)).toHaveLength(INSTANCES - 1);
  }, 120_000);
});
