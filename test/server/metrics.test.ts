// GET /v1/metrics over HTTP: real server, real lowdb file, injected clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityHeaders, startTestServer, type TestServer } from '../helpers/server.js';

let t: TestServer;
let clock = new Date('2026-10-05T09:00:00Z'); // a Monday

const send = (events: object[]) => t.call('/v1/events', { key: t.shop.secretKey, body: { events } });
const buy = (id: string, customerId: string, total: number, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'purchase',
  customerId,
  properties: { orderId: `o-${id}`, total, currency: 'EUR', ...extra },
});
const metrics = (query: string, key = t.shop.secretKey) => t.call(`/v1/metrics${query}`, { key });

async function problem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return response.json();
}

beforeAll(async () => {
  t = await startTestServer({ now: () => clock });
  // Week of Oct 5: ann buys twice (the second from a directory, then refunded in full); bob once at a market stall.
  expect((await send([buy('a1', 'ann', 20), buy('a2', 'ann', 30, { kudos_src: 'directory', kudos_ref: 'https://dir.example' }), buy('b1', 'bob', 10, { kudos_src: 'market' })])).status).toBe(200);
  clock = new Date('2026-10-06T09:00:00Z');
  expect((await send([{ id: 'r-a2', type: 'refund', customerId: 'ann', properties: { orderId: 'o-a2', amount: 30 } }])).status).toBe(200);
  // Week of Oct 12: bob comes back; cid's only order carries an unknown source.
  clock = new Date('2026-10-13T09:00:00Z');
  expect((await send([buy('b2', 'bob', 15), buy('c1', 'cid', 5, { kudos_src: 'billboard' })])).status).toBe(200);
  clock = new Date('2026-11-30T09:00:00Z');
});
afterAll(() => t.dispose());

describe('GET /v1/metrics', () => {
  it('answers the KPIs of the period with a weekly series, counted from recorded events', async () => {
    const response = await metrics('?from=2026-10-05&to=2026-10-19');
    expect(response.status).toBe(200);
    const m = await response.json();
    expect(m.weeks).toEqual(['2026-10-05', '2026-10-12']);
    // Cohort ann, bob, cid; ann's second order was refunded in full, bob's was not.
    expect(m.retention).toMatchObject({ cohort: 3, retained: 1, rate: 0.3333 });
    expect(m.retention.series.map((p: { cohort: number }) => p.cohort)).toEqual([2, 1]);
    expect(m.repeatPurchase).toMatchObject({ customers: 3, repeaters: 2 });
    expect(m.repeat30).toMatchObject({ cohort: 3, repeated: 2, pending: 0, rate: 0.6667 });
    expect(m.communityConversion.purchases).toBe(5);
    expect(m.communityConversion.sources.directory).toEqual({ purchases: 1, rate: 0.2 });
    expect(m.communityConversion.sources.market).toEqual({ purchases: 1, rate: 0.2 });
    expect(m.communityConversion.any).toEqual({ purchases: 2, rate: 0.4 });
    // Default program: a point per euro; the refund takes the 30 back.
    expect(m.points).toMatchObject({ issued: 80, redeemed: 0, clawedBack: 30 });
    expect(m.nps).toMatchObject({ responses: 0, nps: null });
  });

  it('takes the period edges as [from, to) and defaults to the last 12 weeks', async () => {
    const oneDay = await (await metrics('?from=2026-10-13T09:00:00Z&to=2026-10-13T09:00:00.001Z')).json();
    expect(oneDay.communityConversion.purchases).toBe(2);
    const before = await (await metrics('?from=2026-10-12&to=2026-10-13T09:00:00Z')).json();
    expect(before.communityConversion.purchases).toBe(0);
    const byDefault = await (await metrics('')).json();
    expect(byDefault.weeks).toHaveLength(13);
    expect(byDefault.to).toBe('2026-11-30T09:00:00.000Z');
  });

  it('needs the secret key, and shows another shop nothing of this one', async () => {
    await problem(await metrics('', t.shop.publishableKey), 403);
    const other = await (await metrics('?from=2026-10-05&to=2026-10-19', t.otherShop.secretKey)).json();
    expect(other.communityConversion.purchases).toBe(0);
    expect(other.retention).toMatchObject({ cohort: 0, rate: null });
  });

  it('says which query field is wrong', async () => {
    const pointers = async (q: string) => (await problem(await metrics(q), 400)).errors.map((e: { pointer: string }) => e.pointer);
    expect(await pointers('?from=yesterday')).toEqual(['/from']);
    expect(await pointers('?from=2026-10-19&to=2026-10-05')).toEqual(['/to']);
    expect(await pointers('?from=2020-01-01&to=2026-01-01')).toEqual(['/from']);
    expect(await pointers('?from=2027-01-01')).toEqual(['/from']);
    expect(await pointers('?period=week')).toEqual(['/period']);
  });
});

describe('console install beacon', () => {
  it('remembers the origin and time of the last browser events, for the Install tab', async () => {
    const install = async () => (await t.call('/v1/console/install', { key: t.shop.secretKey })).json();
    expect((await install()).lastSeen).toBeNull();
    const r = await t.call('/v1/events', {
      key: t.shop.publishableKey,
      headers: { origin: 'https://shop.example', ...identityHeaders(t.shop, 'ann') },
      body: { id: 'pv-1', type: 'page_view' },
    });
    expect(r.status).toBe(200);
    await expect.poll(async () => (await install()).lastSeen).toEqual({ origin: 'https://shop.example', at: '2026-11-30T09:00:00.000Z' });
    const info = await install();
    expect(info.scriptTag).toBe(`<script async blocking="render" src="${t.url}/kudos.js" data-key="${t.shop.publishableKey}"></script>`);
    expect(info.elements).toContain('<kudos-badges></kudos-badges>');
    expect(JSON.stringify(info)).not.toContain(t.shop.secretKey);
    expect((await t.call('/v1/console/install', { key: t.shop.publishableKey })).status).toBe(403);
    expect((await (await t.call('/v1/console/install', { key: t.otherShop.secretKey })).json()).lastSeen).toBeNull();
  });
});
