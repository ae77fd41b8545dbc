// Request paths find what they need through the store's indexes, never by listing
// every shop or a whole collection (issue 20: cost per request must not grow with
// the store), and the keyless award pages are rate-limited per address.
import { afterAll, describe, expect, it } from 'vitest';
import type { Store } from '../../server/store/store.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const servers: TestServer[] = [];
const start = async (options: Parameters<typeof startTestServer>[0] = {}) => {
  const t = await startTestServer(options);
  servers.push(t);
  return t;
};
afterAll(() => Promise.all(servers.map((t) => t.dispose())));

const TROPHY = {
  name: 'Helper',
  description: 'Helps.',
  criteriaNarrative: 'Helped',
  levels: [{ level: 'bronze' }],
};

/** From here on, listing shops or the collections that have lookups fails the request that tries. */
function forbidScans(store: Store): string[] {
  const tried: string[] = [];
  const indexed = new Set(['trophy-awards', 'shareSaveGroups', 'shareSaveMemberships', 'product-stock', 'products', 'emailClaims', 'webhook-deliveries']);
  const listDocuments = store.listDocuments.bind(store);
  Object.assign(store, {
    listShops: async () => {
      tried.push('listShops');
      throw new Error('scanned every shop');
    },
    listDocuments: async (shopId: string, collection: string) => {
      if (!indexed.has(collection)) return listDocuments(shopId, collection);
      tried.push(`listDocuments ${collection}`);
      throw new Error(`scanned ${collection}`);
    },
  });
  return tried;
}

describe('indexed lookups on request paths', () => {
  it('serves award pages, CORS and a customer erase without listing shops or whole collections', async () => {
    const t = await start();
    expect((await t.call('/v1/trophies/helper', { method: 'PUT', key: t.shop.secretKey, body: TROPHY })).status).toBe(201);
    const awarded = await t.call('/v1/trophies/helper/awards', { key: t.shop.secretKey, body: { customerId: 'c-ann', reason: 'Helped' } });
    expect(awarded.status).toBe(201);
    const { awardId } = (await awarded.json()) as { awardId: string };
    const tried = forbidScans(t.server.store);

    expect((await t.call(`/t/${awardId}`)).status).toBe(200);
    expect((await t.call(`/t/${awardId}.json`)).status).toBe(200);
    expect((await t.call(`/t/${'x'.repeat(21)}`)).status).toBe(404);
    // The other shop's registered origin is known (readable 401s); an unknown one is not.
    const other = await t.call('/v1/badges', { key: t.otherShop.publishableKey, headers: { origin: 'https://other.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBe('https://other.example');
    const stranger = await t.call('/v1/badges', { key: 'pk_nope', headers: { origin: 'https://stranger.example' } });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();

    const exported = await t.call('/v1/customers/c-ann/export', { key: t.shop.secretKey });
    expect(exported.status).toBe(200);
    expect(((await exported.json()) as { trophyAwards: { id: string }[] }).trophyAwards.map((a) => a.id)).toEqual([awardId]);
    expect((await t.call('/v1/customers/c-ann', { method: 'DELETE', key: t.shop.secretKey })).status).toBeLessThan(300);
    expect((await t.call(`/t/${awardId}`)).status).toBe(404);
    expect(tried).toEqual([]);
  });
});

describe('rate limit on the public award pages', () => {
  it('answers 429 problem+json once an address used its budget; an IPv6 /64 is one address', async () => {
    const t = await start({ rateLimit: { pages: 3 }, trustProxy: 'loopback' });
    const from = (ip: string) => t.call(`/t/${'x'.repeat(21)}`, { headers: { 'x-forwarded-for': ip } });
    for (let i = 1; i <= 3; i++) expect((await from(`2001:db8:1:2::${i}`)).status).toBe(404);
    // Another interface id in the same /64 shares the budget.
    const limited = await from('2001:db8:1:2:ffff::9');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // A key or another header does not open a new bucket; another /64 or an IPv4 address has its own.
    expect((await t.call(`/t/${'x'.repeat(21)}`, { key: 'pk_whatever', headers: { 'x-forwarded-for': '2001:db8:1:2::1' } })).status).toBe(429);
    expect((await from('2001:db8:1:3::1')).status).toBe(404);
    expect((await from('203.0.113.7')).status).toBe(404);
    // /v1 keeps its own limits.
    expect((await t.call('/v1/badges', { key: t.shop.publishableKey, headers: { 'x-forwarded-for': '2001:db8:1:2::1' } })).status).toBe(200);
  });
});
