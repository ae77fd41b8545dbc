// Guest-first earning: a guest order becomes a claim link; the first verified
// customer to accept it gets its points and badges, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityHeaders, startTestServer, type TestServer } from '../helpers/server.js';

let t: TestServer;
let clock = Date.parse('2026-03-01T12:00:00Z');

beforeAll(async () => {
  t = await startTestServer({ now: () => new Date(clock) });
  await t.call('/v1/badges/first-order', {
    method: 'PUT',
    key: t.shop.secretKey,
    body: { name: 'First order', criteria: { event: 'purchase', count: 1 } },
  });
});
afterAll(() => t.dispose());

let n = 0;
async function newClaim(body: object = {}) {
  n++;
  const response = await t.call('/v1/order-claims', {
    key: t.shop.secretKey,
    body: {
      event: { id: `guest-order-${n}`, type: 'purchase', properties: { orderId: `g${n}`, total: 42.5, currency: 'EUR' } },
      ...body,
    },
  });
  expect(response.status).toBe(201);
  return response.json();
}
const accept = (token: string, customerId: string) =>
  t.call(`/v1/order-claims/${token}/accept`, { key: t.shop.publishableKey, method: 'POST', headers: identityHeaders(t.shop, customerId) });
const points = async (customerId: string) =>
  (await (await t.call(`/v1/customers/${customerId}`, { key: t.shop.secretKey })).json()).points;

describe('claims', () => {
  it('still answers at the deprecated /v1/claims for one version, saying so and naming the new path (issue 14)', async () => {
    const created = await t.call('/v1/claims', {
      key: t.shop.secretKey,
      body: { event: { id: 'guest-order-old', type: 'purchase', properties: { orderId: 'g-old', total: 10, currency: 'EUR' } } },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('deprecation')).toMatch(/^@\d+$/);
    expect(created.headers.get('link')).toBe('</v1/order-claims>; rel="successor-version"');
    const { token } = await created.json();
    const read = await t.call(`/v1/claims/${token}`, { key: t.shop.publishableKey });
    expect(await read.json()).toMatchObject({ status: 'open' });
    expect(read.headers.get('link')).toBe(`</v1/order-claims/${token}>; rel="successor-version"`);
    const accepted = await t.call(`/v1/claims/${token}/accept`, { key: t.shop.publishableKey, method: 'POST', headers: identityHeaders(t.shop, 'c-old-path') });
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get('link')).toBe(`</v1/order-claims/${token}/accept>; rel="successor-version"`);
    expect(await points('c-old-path')).toBe(10);
    // The new path says nothing of the kind; the spec marks every old operation deprecated, no new one.
    expect((await accept(token, 'c-old-path')).headers.get('deprecation')).toBeNull();
    const spec = await (await t.call('/openapi.json')).json();
    expect(spec.paths['/v1/claims'].post.deprecated).toBe(true);
    expect(spec.paths['/v1/claims/{token}'].get.deprecated).toBe(true);
    expect(spec.paths['/v1/claims/{token}/accept'].post.deprecated).toBe(true);
    expect(spec.paths['/v1/order-claims/{token}/accept'].post.deprecated).toBeUndefined();
  });

  it('needs the secret key to create, and gives an unguessable token and a link', async () => {
    const refused = await t.call('/v1/order-claims', { key: t.shop.publishableKey, body: {} });
    expect(refused.status).toBe(403);
    const claim = await newClaim({ returnUrl: 'https://shop.example/account?tab=orders' });
    expect(claim.token).toMatch(/^[0-9A-Za-z]{24}$/);
    expect(claim.url).toBe(`https://shop.example/account?tab=orders&kudos_claim=${claim.token}`);
  });

  it('credits the order to the verified shopper who accepts it, once', async () => {
    const { token } = await newClaim();
    const first = await accept(token, 'c-guest-1');
    expect(first.status).toBe(200);
    expect((await first.json()).awards.map((a: { id: string }) => a.id)).toEqual(['first-order']);
    expect(await points('c-guest-1')).toBe(42);
    const again = await accept(token, 'c-guest-1');
    expect(again.status).toBe(200);
    expect(await points('c-guest-1')).toBe(42);
    const someoneElse = await accept(token, 'c-guest-2');
    expect(someoneElse.status).toBe(409);
    expect(await points('c-guest-2')).toBe(0);
  });

  it('lets only one of two racing customers have it', async () => {
    const { token } = await newClaim();
    const results = await Promise.all([accept(token, 'c-race-a'), accept(token, 'c-race-b')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await points('c-race-a')) + (await points('c-race-b'))).toBe(42);
  });

  it('refuses anonymous visitors, forged identities, expired links and other shops', async () => {
    const { token } = await newClaim({ expiresInDays: 1 });
    expect((await t.call(`/v1/order-claims/${token}/accept`, { key: t.shop.publishableKey, method: 'POST' })).status).toBe(403);
    const forged = { 'x-kudos-customer': 'c-x', 'x-kudos-customer-hash': 'cd'.repeat(32) };
    expect((await t.call(`/v1/order-claims/${token}/accept`, { key: t.shop.publishableKey, method: 'POST', headers: forged })).status).toBe(403);
    expect((await t.call(`/v1/order-claims/${token}`, { key: t.otherShop.publishableKey })).status).toBe(404);
    expect((await t.call('/v1/order-claims/not-a-token', { key: t.shop.publishableKey })).status).toBe(404);
    expect(await (await t.call(`/v1/order-claims/${token}`, { key: t.shop.publishableKey })).json()).toMatchObject({
      status: 'open',
      order: { total: 42.5, currency: 'EUR' },
    });
    clock += 2 * 86_400_000;
    expect((await accept(token, 'c-late')).status).toBe(410);
    expect((await (await t.call(`/v1/order-claims/${token}`, { key: t.shop.publishableKey })).json()).status).toBe('expired');
  });

  it('lets the shop backend accept for a customer with the secret key', async () => {
    const { token } = await newClaim();
    const response = await t.call(`/v1/order-claims/${token}/accept`, { key: t.shop.secretKey, body: { customerId: 'c-backend' } });
    expect(response.status).toBe(200);
    expect(await points('c-backend')).toBe(42);
    const missing = await t.call(`/v1/order-claims/${token}/accept`, { key: t.shop.secretKey, body: {} });
    expect((await missing.json()).errors[0].pointer).toBe('/customerId');
  });

  it('validates the guest purchase with pointers', async () => {
    const response = await t.call('/v1/order-claims', {
      key: t.shop.secretKey,
      body: { event: { id: 'bad', type: 'purchase', properties: { orderId: 'x', total: 'lots', currency: 'EUR' } } },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).errors.map((e: { pointer: string }) => e.pointer)).toContain('/event/properties/total');
  });
});
