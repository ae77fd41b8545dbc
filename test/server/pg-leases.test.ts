// Webhook workers in several instances share one outbox on PostgreSQL: each claims
// due deliveries with SELECT … FOR UPDATE SKIP LOCKED and a lease. Two stores on
// one schema stand for two instances (each its own connection pool), with their
// own clocks and transports so every step is explicit: an instance that dies
// mid-attempt keeps its deliveries leased (nobody else sends them meanwhile), and
// another takes them over once the lease runs out (none is lost).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgStore } from '../../server/store/pg/pg-store.js';
import { LEASE_MS, WebhookWorker, type Timer, type Transport } from '../../server/webhooks/worker.js';
import { NO_DATABASE, dropSchemas, freshSchema } from '../helpers/pg.js';
import { purchase, startTestServer, type TestServer } from '../helpers/server.js';
import { featureDocuments } from '../../server/features.js';

const neverFires: Timer = { set: () => undefined, clear: () => {} };

describe.skipIf(NO_DATABASE)('webhook leases across instances (PostgreSQL)', () => {
  let t: TestServer;
  let url: string;
  const stores: PgStore[] = [];
  const open = async () => {
    const store = await PgStore.open(url, { ...featureDocuments() });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    url = (await freshSchema('leases')).url;
    // The API instance that takes the events; its own worker never runs (its timer never fires).
    t = await startTestServer({ databaseUrl: url, webhooks: { allowPrivate: true, timer: neverFires } });
  });
  afterAll(async () => {
    await t.dispose();
    await Promise.all(stores.map((s) => s.close()));
    await dropSchemas();
  });

  const enqueue = async (endpoint: string, n: number) => {
    const put = await t.call(`/v1/webhooks/${endpoint}`, {
      method: 'PUT',
      key: t.shop.secretKey,
      body: { url: 'http://127.0.0.1:9/hooks', events: ['points.changed'] },
    });
    expect(put.status).toBe(201);
    const events = Array.from({ length: n }, (_, i) => purchase(`${endpoint}-${i}`, `c-${endpoint}-${i}`));
    expect((await t.call('/v1/events', { key: t.shop.secretKey, body: { events } })).status).toBe(200);
    const pending = await (await t.call(`/v1/webhooks/${endpoint}/deliveries`, { key: t.shop.secretKey })).json();
    expect(pending.data).toHaveLength(n);
    return (pending.data as { id: string }[]).map((d) => d.id).sort();
  };

  it('leaves a dead instance’s leased deliveries alone until the lease runs out, then another instance sends them, once each', async () => {
    const ids = await enqueue('leases', 10);
    let clock = new Date(Date.now() + 1000);
    const now = () => clock;
    // Instance A sends, then dies before it can record anything: its attempts never settle.
    const sentByA: string[] = [];
    const dying: Transport = (_url, _body, headers) => {
      sentByA.push(headers['kudos-delivery']!);
      return new Promise(() => {});
    };
    const sentByB: string[] = [];
    const healthy: Transport = async (_url, _body, headers) => {
      sentByB.push(headers['kudos-delivery']!);
      return { status: 200 };
    };
    const a = new WebhookWorker({ store: await open(), now, allowPrivate: true, timer: neverFires, transport: dying });
    const b = new WebhookWorker({ store: await open(), now, allowPrivate: true, timer: neverFires, transport: healthy });
    for (const w of [a, b]) w.start();
    void a.runDue();
    for (let i = 0; i < 200 && sentByA.length < 4; i++) await new Promise((r) => setTimeout(r, 25));
    expect(sentByA).toHaveLength(4);

    // B, meanwhile: the six nobody holds, never one of A's.
    await b.runDue();
    expect(sentByB).toHaveLength(6);
    expect(sentByB.filter((id) => sentByA.includes(id))).toEqual([]);
    // Still within A's lease: nothing more to send.
    clock = new Date(clock.getTime() + LEASE_MS - 1000);
    await b.runDue();
    expect(sentByB).toHaveLength(6);

    // A's lease runs out: B takes its four over.
    clock = new Date(clock.getTime() + 2000);
    await b.runDue();
    expect([...sentByB].sort()).toEqual(ids);
    expect(new Set(sentByB).size).toBe(10);
    const after = await (await t.call('/v1/webhooks/leases/deliveries', { key: t.shop.secretKey })).json();
    expect(after.data).toEqual([]);
    expect((await (await t.call('/v1/webhooks/leases/attempts', { key: t.shop.secretKey })).json()).data).toHaveLength(10);
    expect((await t.call('/v1/webhooks/leases', { method: 'DELETE', key: t.shop.secretKey })).status).toBeLessThan(300);
  });

  it('sends each delivery once when two instances claim from the same outbox at the same moment', async () => {
    const ids = await enqueue('race', 30);
    const now = () => new Date(Date.now() + 1000);
    const sent: string[] = [];
    const transport: Transport = async (_url, _body, headers) => {
      sent.push(headers['kudos-delivery']!);
      await new Promise((r) => setTimeout(r, 5));
      return { status: 200 };
    };
    const workers = await Promise.all([open(), open()]).then((s) =>
      s.map((store) => new WebhookWorker({ store, now, allowPrivate: true, timer: neverFires, transport })),
    );
    for (const w of workers) w.start();
    await Promise.all(workers.map((w) => w.runDue()));
    expect([...sent].sort()).toEqual(ids);
  });
});
