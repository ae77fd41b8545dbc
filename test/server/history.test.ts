// History with its dates: events the shop's backend dates count when they happened,
// within bounds; past orders come in silently through POST /v1/history/orders and
// `kudos import`, and end in the same state as if they had been sent live.
import { execFile } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { webhookTestHeader } from '../../sdk/node.js';
import { appHarness, type AppHarness } from '../helpers/app-harness.js';
import { tempDir } from '../helpers/server.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const DAY = 86_400_000;
const T0 = Date.parse('2026-06-01T12:00:00.000Z');
const iso = (t: number) => new Date(t).toISOString();

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'server', 'cli.js'))) throw new Error('Build first: npm run build');
});

const open: AppHarness[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
async function harness(t0 = T0, tmpRoot?: string) {
  const h = await appHarness({ t0, app: { rateLimit: false }, tmpRoot });
  open.push(h);
  return h;
}
const sk = (h: AppHarness) => h.shop.secretKey;
const put = (h: AppHarness, path: string, body: unknown) => h.call(path, { method: 'PUT', key: sk(h), body });
const customer = async (h: AppHarness, id: string) => (await h.call(`/v1/customers/${id}`, { key: sk(h) })).json();
const purchase = (id: string, customerId: string, total: number, at?: number) => ({
  id,
  type: 'purchase',
  customerId,
  properties: { orderId: id, total, currency: 'EUR' },
  ...(at !== undefined && { occurredAt: iso(at) }),
});

describe('dated events', () => {
  it('refuses a date in the future beyond five minutes, or older than three years, saying which field', async () => {
    const h = await harness();
    for (const at of [T0 + 10 * 60_000, T0 - 1100 * DAY]) {
      const res = await h.call('/v1/events', { key: sk(h), body: { events: [purchase('ok', 'c1', 5), purchase('bad', 'c1', 5, at)] } });
      expect(res.status).toBe(400);
      const problem = await res.json();
      expect(problem.errors[0].pointer).toBe('/events/1/occurredAt');
    }
    // Nothing of the refused batches was recorded.
    expect((await customer(h, 'c1')).points).toBe(0);
    // A backend clock a minute ahead is fine: counted as now.
    const ahead = await h.call('/v1/events', { key: sk(h), body: purchase('ahead', 'c1', 5, T0 + 60_000) });
    expect(ahead.status).toBe(200);
  });

  it("an order dated two months ago is outside a 30-day tier window, and shows with its own date", async () => {
    const h = await harness();
    await put(h, '/v1/program', { tiers: { basis: 'spend', windowDays: 30, levels: [{ name: 'Gold', min: 100 }] } });
    await h.call('/v1/events', { key: sk(h), body: purchase('old', 'c1', 150, T0 - 60 * DAY) });
    let state = await customer(h, 'c1');
    expect(state.tier).toBeNull();
    expect(state.activity[0].at).toBe(iso(T0 - 60 * DAY));
    await h.call('/v1/events', { key: sk(h), body: purchase('recent', 'c1', 150, T0 - 5 * DAY) });
    state = await customer(h, 'c1');
    expect(state.tier).toBe('Gold');
  });

  it("a publishable key's date is not believed: browser events happen when they arrive", async () => {
    const h = await harness();
    await put(h, '/v1/program', { earn: [{ event: 'page_view', points: 1, cap: { perDay: 1 } }] });
    const res = await h.call('/v1/events', { anon: 'visitor-0001', body: { id: 'pv1', type: 'page_view', occurredAt: iso(T0 - 100 * DAY) } });
    expect(res.status).toBe(200);
    // The anonymous visitor's record is dated now (its points entry shows when).
    const record = await h.store.getCustomer(h.shop.id, '~anon:visitor-0001');
    expect(record?.ledger?.[0]?.at ?? record?.createdAt).toBe(iso(T0));
  });

  it('a late, older purchase counts where it belongs: its points expired in the gap that followed it', async () => {
    const h = await harness();
    await put(h, '/v1/program', { expiryDays: 90 });
    // Day -200 happened first but arrives last; 200 days of silence followed it.
    await h.call('/v1/events', { key: sk(h), body: purchase('new', 'c1', 30, T0 - 10 * DAY) });
    await h.call('/v1/events', { key: sk(h), body: purchase('old', 'c1', 50, T0 - 200 * DAY) });
    const state = await customer(h, 'c1');
    expect(state.points).toBe(30);
    expect(state.activity.map((a: { kind: string; points: number }) => [a.kind, a.points])).toEqual([
      ['earn', 30],
      ['expire', -50],
      ['earn', 50],
    ]);
  });

  it('a refund delivered before its order is taken off when the order comes: points are not counted twice', async () => {
    const h = await harness();
    const refund = { id: 'r1', type: 'refund', customerId: 'c1', properties: { orderId: 'o1', amount: 40 }, occurredAt: iso(T0 - DAY) };
    await h.call('/v1/events', { key: sk(h), body: refund });
    await h.call('/v1/events', { key: sk(h), body: purchase('p1', 'c1', 40, T0 - 2 * DAY) });
    // p1's orderId is p1; send one for o1.
    await h.call('/v1/events', { key: sk(h), body: { ...purchase('p-o1', 'c1', 100, T0 - 2 * DAY), properties: { orderId: 'o1', total: 100, currency: 'EUR' } } });
    expect((await customer(h, 'c1')).points).toBe(40 + 100 - 40);
  });
});

describe('POST /v1/history/orders', () => {
  it('records past orders silently: points, tier and badge, but no award to celebrate and no webhook', async () => {
    const h = await harness();
    await put(h, '/v1/program', { tiers: { basis: 'spend', windowDays: 365, levels: [{ name: 'Gold', min: 100 }] } });
    await put(h, '/v1/badges/regular', { name: 'Regular', criteria: { event: 'purchase', count: 2 } });
    const hook = await put(h, '/v1/webhooks/crm', { url: 'https://crm.example/hooks', events: ['points.changed', 'award.created', 'tier.changed'] });
    expect(hook.status).toBe(201);
    const orders = [
      { type: 'order.created', orderId: '1002', customerId: 'c1', total: 80, currency: 'EUR', occurredAt: iso(T0 - 20 * DAY) },
      { type: 'order.created', orderId: '1001', customerId: 'c1', total: 60, currency: 'EUR', occurredAt: iso(T0 - 40 * DAY) },
      { type: 'order.refunded', orderId: '1001', customerId: 'c1', amount: 10, occurredAt: iso(T0 - 30 * DAY) },
    ];
    const res = await h.call('/v1/history/orders', { key: sk(h), body: { orders } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ accepted: 3, duplicates: 0 });
    expect(body.results.map((r: { id: string }) => r.id)).toEqual(['purchase:1002', 'purchase:1001', 'refund:1001:at:2026-05-02T12:00:00.000Z']);
    const state = await customer(h, 'c1');
    expect(state.points).toBe(130);
    expect(state.tier).toBe('Gold');
    expect(state.badges.map((b: { id: string; awardedAt: string }) => [b.id, b.awardedAt])).toEqual([['regular', iso(T0 - 20 * DAY)]]);
    const deliveries = await (await h.call('/v1/webhooks/crm/deliveries', { key: sk(h) })).json();
    expect(deliveries).toEqual({ data: [], nextCursor: null });
    expect(await (await h.call('/v1/webhooks/crm/attempts', { key: sk(h) })).json()).toEqual({ data: [], nextCursor: null });
    // The same batch again changes nothing; a live delivery of the same order is a duplicate too.
    const again = await (await h.call('/v1/history/orders', { key: sk(h), body: { orders } })).json();
    expect(again).toMatchObject({ accepted: 0, duplicates: 3 });
    const live = await h.call('/v1/events', { key: sk(h), body: purchase('x', 'c1', 5) });
    expect(live.status).toBe(200);
    // The next live event tells no tier change that history made.
    const after = await (await h.call('/v1/webhooks/crm/deliveries', { key: sk(h) })).json();
    expect(after.data.map((d: { type: string }) => d.type)).toEqual(['points.changed']);
  });

  it('refuses a batch with an undated or out-of-bounds order, pointing at it, and records none of it', async () => {
    const h = await harness();
    const ok = { type: 'order.created', orderId: 'a', customerId: 'c1', total: 10, currency: 'EUR', occurredAt: iso(T0 - DAY) };
    const undated = await h.call('/v1/history/orders', { key: sk(h), body: { orders: [ok, { ...ok, orderId: 'b', occurredAt: undefined }] } });
    expect(undated.status).toBe(400);
    expect((await undated.json()).errors[0].pointer).toBe('/orders/1/occurredAt');
    const ancient = await h.call('/v1/history/orders', { key: sk(h), body: { orders: [ok, { ...ok, orderId: 'b', occurredAt: '2020-01-01T00:00:00Z' }] } });
    expect(ancient.status).toBe(400);
    expect((await ancient.json()).errors[0]).toMatchObject({ pointer: '/orders/1/occurredAt' });
    expect((await customer(h, 'c1')).points).toBe(0);
    expect((await h.call('/v1/history/orders', { body: { orders: [ok] } })).status).toBe(403);
  });
});

/** A deterministic shop history: 10 000 orders of 400 customers over 700 days, 6 % refunded (half of them in part). */
function history(n: number, end: number) {
  // mulberry32: a small seeded generator, so the fixture is the same on every run.
  let seed = 42;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const at = end - 700 * DAY + Math.floor(random() * 699 * DAY);
    const customerId = `cust-${Math.floor(random() ** 2 * 400)}`;
    const total = Math.round(random() * 20_000) / 100;
    rows.push({ type: 'order.created', orderId: `ord-${1000 + i}`, customerId, total, currency: 'EUR', occurredAt: iso(at) });
    if (random() < 0.06) {
      const amount = random() < 0.5 ? total : Math.round(total * 50) / 100;
      rows.push({ type: 'order.refunded', orderId: `ord-${1000 + i}`, customerId, amount, occurredAt: iso(Math.min(at + Math.floor(random() * 20 * DAY), end - DAY)) });
    }
  }
  return rows;
}

describe('kudos import', () => {
  it('10 000 dated orders imported from a file yield the same customers and KPIs as the same orders sent live', { timeout: 600_000 }, async () => {
    const program = {
      earn: [{ event: 'purchase', points: 1, per: 'total' }],
      pendingDays: 14,
      expiryDays: 120,
      tiers: { basis: 'spend', windowDays: 365, levels: [{ name: 'Silver', min: 200 }, { name: 'Gold', min: 1000 }] },
    };
    const badges = {
      regular: { name: 'Regular', criteria: { event: 'purchase', count: 5 } },
      big: { name: 'Big spender', criteria: { event: 'purchase', sumOf: 'total', atLeast: 1500 }, onRefund: 'revoke' },
    };
    const end = T0;
    const rows = history(10_000, end);
    const start = end - 701 * DAY;
    // Memory-backed (if the machine has it): 10 000 one-order requests, each durable before its answer.
    const live = await harness(start, existsSync('/dev/shm') ? '/dev/shm' : undefined);
    const imported = await harness(end);
    for (const h of [live, imported]) {
      expect((await put(h, '/v1/program', program)).status).toBe(200);
      for (const [id, badge] of Object.entries(badges)) expect((await put(h, `/v1/badges/${id}`, badge)).status).toBe(201);
    }
    // Live: each order reaches the signed orders route the moment it happens.
    const chronological = [...rows].sort((a, b) => String(a.occurredAt).localeCompare(String(b.occurredAt)));
    for (const row of chronological) {
      live.clock.t = Date.parse(String(row.occurredAt));
      const raw = JSON.stringify(row);
      const res = await fetch(`${live.url}/v1/webhooks/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'kudos-shop': live.shop.id, 'kudos-signature': webhookTestHeader(raw, live.shop.secretKey, Math.floor(live.clock.t / 1000)) },
        body: raw,
      });
      expect(res.status).toBe(200);
    }
    live.clock.t = end;

    // Imported: a file in no particular order (newest first), sent by the CLI after the fact.
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir, 'orders.ndjson');
    writeFileSync(file, [...chronological].reverse().map((r) => JSON.stringify(r)).join('\n') + '\n');
    const env = { ...process.env, KUDOS_API_KEY: imported.shop.secretKey, KUDOS_URL: imported.url };
    const first = await run(process.execPath, [join(root, 'bin', 'kudos.js'), 'import', file], { env });
    expect(JSON.parse(first.stdout)).toEqual({ orders: rows.length, accepted: rows.length, duplicates: 0 });
    expect(first.stderr).toContain(`100% ${rows.length}/${rows.length} orders`);
    // Run again (as after an interruption): everything is already there.
    const second = await run(process.execPath, [join(root, 'bin', 'kudos.js'), 'import', file], { env });
    expect(JSON.parse(second.stdout)).toEqual({ orders: rows.length, accepted: 0, duplicates: rows.length });

    const customers = [...new Set(rows.map((r) => String(r.customerId)))].sort();
    expect(customers.length).toBeGreaterThan(300);
    let withTier = 0;
    for (const id of customers) {
      const a = await customer(live, id);
      const b = await customer(imported, id);
      expect(b, id).toEqual(a);
      if (a.tier) withTier++;
    }
    expect(withTier).toBeGreaterThan(10);
    const period = `from=${iso(start).slice(0, 10)}&to=${iso(end).slice(0, 10)}`;
    const kpiA = await (await live.call(`/v1/metrics?${period}`, { key: sk(live) })).json();
    const kpiB = await (await imported.call(`/v1/metrics?${period}`, { key: sk(imported) })).json();
    expect(kpiB).toEqual(kpiA);
    expect(kpiA.retention.cohort).toBeGreaterThan(300);
  });
});

describe('import files', () => {
  it('reads CSV with quoted fields and refund rows, oldest first, keeping file lines for messages', async () => {
    const { readImportFile } = await import('../../server/history/import-file.js');
    const csv = 'orderId,customerId,total,amount,currency,occurredAt,discountCode\r\n' +
      '1002,c1,"1,000.5",,EUR,2026-02-01T00:00:00Z,"SAVE ""10"""\r\n' +
      '1001,c1,20,,EUR,2026-01-01T00:00:00Z,\r\n' +
      '1001,c1,,5,,2026-01-05T00:00:00Z,\r\n';
    const rows = readImportFile(csv, 'csv');
    expect(rows.map((r) => [r.line, r.order.type, r.order.orderId])).toEqual([
      [3, 'order.created', '1001'],
      [4, 'order.refunded', '1001'],
      [2, 'order.created', '1002'],
    ]);
    // A quoted number with a comma stays text (the server refuses it with its line), the quote is unescaped.
    expect(rows[2]!.order).toMatchObject({ total: '1,000.5', discountCode: 'SAVE "10"' });
    expect(rows[1]!.order).toEqual({ type: 'order.refunded', orderId: '1001', customerId: 'c1', amount: 5, occurredAt: '2026-01-05T00:00:00Z' });
  });

  it('a refused line is told by its line number, and nothing of that batch is recorded', async () => {
    const h = await harness();
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir, 'orders.csv');
    writeFileSync(file, `orderId,customerId,total,currency,occurredAt\n1,c1,10,EUR,${iso(T0 - DAY)}\n2,c1,ten,EUR,${iso(T0 - DAY)}\n`);
    const env = { ...process.env, KUDOS_API_KEY: h.shop.secretKey, KUDOS_URL: h.url };
    const failed = await run(process.execPath, [join(root, 'bin', 'kudos.js'), 'import', file], { env }).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/line 3 \/total/);
    expect((await customer(h, 'c1')).points).toBe(0);
  });
});
