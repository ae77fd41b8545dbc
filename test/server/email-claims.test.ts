// Verified email claims: a shopper without an account proves an address and joins a
// share-to-save group with it. Real server on port 0, real lowdb file, injected clock;
// the code is read from the webhook delivery, as the shop's backend would read it.
// Delivery bodies are sealed at rest (server/webhooks/outbox.ts): opened to read the code.
import { openText } from '../../server/access/seal.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Delivery } from '../../server/webhooks/engine.js';
import { DELIVERIES } from '../../server/webhooks/outbox.js';
import { identityHeaders, startTestServer, type TestServer } from '../helpers/server.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
let t: TestServer;
const clock = { t: T0 };

beforeEach(async () => {
  clock.t = T0;
  t = await startTestServer({ now: () => new Date(clock.t) });
  const hook = await t.call('/v1/webhooks/mailer', {
    method: 'PUT',
    key: t.shop.secretKey,
    body: { url: 'https://backend.shop.example/kudos', events: ['email.verification_requested'] },
  });
  expect(hook.status).toBe(201);
});
afterEach(() => t.dispose());

const pk = () => t.shop.publishableKey;
const ask = (email: string, key = pk(), headers: Record<string, string> = {}) =>
  t.call('/v1/email-verifications', { key, body: { email }, headers });
const confirm = (id: string, code: string, key = pk()) => t.call(`/v1/email-verifications/${id}/confirm`, { key, body: { code } });

/** What the shop's backend received for a claim. */
async function mailed(claimId: string): Promise<{ email: string; code: string; customerId: string; expiresAt: string }> {
  const deliveries = await t.server.store.listDocuments<Delivery>(t.shop.shopId, DELIVERIES);
  const found = deliveries.map((d) => JSON.parse(openText(d.body))).find((b) => b.data.claimId === claimId);
  expect(found?.type).toBe('email.verification_requested');
  return found.data;
}

async function problem(r: Response, status: number) {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return r.json();
}

describe('verified email claims', () => {
  it('still answers at the deprecated /v1/email-claims for one version, saying so and naming the new path (issue 14)', async () => {
    const asked = await t.call('/v1/email-claims', { key: pk(), body: { email: 'old@example.org' } });
    expect(asked.status).toBe(201);
    expect(asked.headers.get('deprecation')).toMatch(/^@\d+$/);
    expect(asked.headers.get('link')).toBe('</v1/email-verifications>; rel="successor-version"');
    const { id } = await asked.json();
    const confirmed = await t.call(`/v1/email-claims/${id}/confirm`, { key: pk(), body: { code: (await mailed(id)).code } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.headers.get('link')).toBe(`</v1/email-verifications/${id}/confirm>; rel="successor-version"`);
    expect((await confirmed.json()).customerId).toBe((await mailed(id)).customerId);
    expect((await ask('new@example.org')).headers.get('deprecation')).toBeNull();
    const spec = await (await t.call('/openapi.json')).json();
    expect(spec.paths['/v1/email-claims'].post.deprecated).toBe(true);
    expect(spec.paths['/v1/email-claims/{id}/confirm'].post.deprecated).toBe(true);
    expect(spec.paths['/v1/email-verifications'].post.deprecated).toBeUndefined();
  });

  it('sends the code through the shop’s webhook and answers an identity the API accepts for joining a group', async () => {
    const asked = await ask('Ana@Example.org');
    expect(asked.status).toBe(201);
    const { id, expiresAt } = await asked.json();
    expect(expiresAt).toBe(new Date(T0 + 10 * 60_000).toISOString());
    const mail = await mailed(id);
    expect(mail.email).toBe('ana@example.org');
    expect(mail.code).toMatch(/^\d{6}$/);
    // The code is never stored as such.
    expect(JSON.stringify(await t.server.store.listDocuments(t.shop.shopId, 'emailClaims'))).not.toContain(mail.code);

    const confirmed = await confirm(id, mail.code);
    expect(confirmed.status).toBe(200);
    const identity = await confirmed.json();
    expect(identity.customerId).toBe(mail.customerId);
    expect(identity.customerId).not.toContain('ana');
    expect(identity).toEqual({ ...identityHeadersOf(identity.customerId), customerId: identity.customerId });

    // The same address asked again (another device) is the same customer.
    const again = await (await ask('ana@example.org')).json();
    const second = await (await confirm(again.id, (await mailed(again.id)).code)).json();
    expect(second.customerId).toBe(identity.customerId);

    // Joining a group with it works like a shop-signed identity.
    await t.call('/v1/campaigns/duo', {
      method: 'PUT',
      key: t.shop.secretKey,
      body: { name: 'Duo', scope: { kind: 'cart' }, tiers: [{ members: 2, percentOff: 10 }], windowHours: 24, maxMembers: 4 },
    });
    const group = await (await t.call('/v1/groups', { key: pk(), body: { campaign: 'duo' }, headers: identityHeaders(t.shop, 'c_owner') })).json();
    const joined = await t.call(`/v1/groups/${group.code}/join`, {
      method: 'POST',
      key: pk(),
      headers: { 'x-kudos-customer': identity.customerId, 'x-kudos-customer-hash': identity.customerHash },
    });
    expect(joined.status).toBe(200);
    expect((await joined.json()).you).toMatchObject({ role: 'member', percentOff: 10 });
    // An anonymous visitor still cannot.
    const anonymous = await t.call(`/v1/groups/${group.code}/join`, { method: 'POST', key: pk(), headers: { 'x-kudos-anonymous-id': 'anon-12345678' } });
    await problem(anonymous, 403);
  });

  it('counts wrong codes, gives up after five, and a code works once and for ten minutes only', async () => {
    const { id } = await (await ask('bo@example.org')).json();
    const { code } = await mailed(id);
    const wrong = code === '000000' ? '111111' : '000000';
    const first = await problem(await confirm(id, wrong), 400);
    expect(first.errors).toEqual([{ pointer: '/code', detail: 'wrong code; 4 tries left' }]);
    for (let i = 0; i < 4; i++) await problem(await confirm(id, wrong), 400);
    expect((await problem(await confirm(id, code), 410)).detail).toMatch(/Too many wrong codes/);

    const late = await (await ask('cy@example.org')).json();
    clock.t += 10 * 60_000;
    expect((await problem(await confirm(late.id, (await mailed(late.id)).code), 410)).detail).toMatch(/expired/);

    const once = await (await ask('di@example.org')).json();
    const onceCode = (await mailed(once.id)).code;
    expect((await confirm(once.id, onceCode)).status).toBe(200);
    expect((await problem(await confirm(once.id, onceCode), 410)).detail).toMatch(/used already/);
    // Used and expired claims keep no address.
    expect(JSON.stringify(await t.server.store.listDocuments(t.shop.shopId, 'emailClaims'))).not.toMatch(/di@|cy@/);
  });

  it('validates, keeps shops apart, needs a mailer webhook, and limits requests per address', async () => {
    const bad = await problem(await t.call('/v1/email-verifications', { key: pk(), body: { email: 'not-an-address', extra: 1 } }), 400);
    expect(bad.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/email', '/extra']);
    await problem(await t.call('/v1/email-verifications', { body: { email: 'a@example.org' } }), 401);
    const { id } = await (await ask('eve@example.org')).json();
    await problem(await confirm(id, '123456', t.otherShop.publishableKey), 404);
    await problem(await confirm('ec_nope', '123456'), 400);
    expect((await problem(await ask('eve@example.org', t.otherShop.publishableKey), 409)).type).toMatch(/email-verification-unavailable/);
    await ask('EVE@example.org');
    await ask('eve@example.org');
    const flooded = await problem(await ask('eve@example.org'), 429);
    expect(flooded.type).toMatch(/rate-limited/);
  });
});

function identityHeadersOf(customerId: string) {
  const h = identityHeaders(t.shop, customerId);
  return { customerHash: h['x-kudos-customer-hash'] };
}
