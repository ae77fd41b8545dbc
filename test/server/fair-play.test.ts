// Abuse with the publishable key alone (issue 13): each guarantee below failed on
// the code before it. Real Express on port 0, real lowdb files in temp dirs,
// an injected clock so windows and expiries are exact.
import { afterEach, describe, expect, it } from 'vitest';
import type { Delivery } from '../../server/webhooks/engine.js';
import { DELIVERIES } from '../../server/webhooks/outbox.js';
import { identityHeaders, startTestServer, type TestServer } from '../helpers/server.js';

const T0 = Date.parse('2026-03-02T10:00:00.000Z');
const clock = { t: T0 };
const now = () => new Date(clock.t);
let t: TestServer;
afterEach(async () => {
  await t?.dispose();
  clock.t = T0;
});

const pk = () => t.shop.publishableKey;
const sk = () => t.shop.secretKey;
const anon = (id: string) => ({ 'x-kudos-anonymous-id': id });

describe('one person, one identity', () => {
  /** What the shop's backend received for a claim (the code the email carried). */
  async function mailed(claimId: string): Promise<{ code: string; customerId: string }> {
    const deliveries = await t.server.store.listDocuments<Delivery>(t.shop.shopId, DELIVERIES);
    return deliveries.map((d) => JSON.parse(d.body)).find((b) => b.data.claimId === claimId).data;
  }
  async function claim(email: string): Promise<{ customerId: string; customerHash: string }> {
    const asked = await t.call('/v1/email-claims', { key: pk(), body: { email } });
    expect(asked.status).toBe(201);
    const { id } = await asked.json();
    const confirmed = await t.call(`/v1/email-claims/${id}/confirm`, { key: pk(), body: { code: (await mailed(id)).code } });
    expect(confirmed.status).toBe(200);
    return confirmed.json();
  }

  it('email claims for ann@, ann+1@, ann+2@ and a.nn@ on Gmail are one member of a share-to-save group', async () => {
    t = await startTestServer({ now });
    await t.call('/v1/webhooks/mailer', { method: 'PUT', key: sk(), body: { url: 'https://backend.shop.example/kudos', events: ['email.verification_requested'] } });
    await t.call('/v1/campaigns/team', {
      method: 'PUT',
      key: sk(),
      body: { name: 'Team', scope: { kind: 'cart' }, tiers: [{ members: 2, percentOff: 10 }, { members: 5, percentOff: 30 }], windowHours: 24, maxMembers: 5 },
    });
    const group = await (await t.call('/v1/groups', { key: pk(), body: { campaign: 'team' }, headers: identityHeaders(t.shop, 'c_owner') })).json();

    const identities = [];
    for (const email of ['ann@gmail.com', 'ann+1@gmail.com', 'ann+2@gmail.com']) identities.push(await claim(email));
    // A fourth code for the same inbox within ten minutes is refused, whatever the spelling.
    expect((await t.call('/v1/email-claims', { key: pk(), body: { email: 'a.nn@googlemail.com' } })).status).toBe(429);
    clock.t += 10 * 60_000;
    identities.push(await claim('a.nn@gmail.com'));

    expect(new Set(identities.map((i) => i.customerId)).size).toBe(1);
    const statuses = [];
    for (const identity of identities) {
      const joined = await t.call(`/v1/groups/${group.code}/join`, {
        method: 'POST',
        key: pk(),
        headers: { 'x-kudos-customer': identity.customerId, 'x-kudos-customer-hash': identity.customerHash },
      });
      statuses.push(joined.status);
    }
    expect(statuses[0]).toBe(200);
    const view = await (await t.call(`/v1/groups/${group.code}`, { key: pk() })).json();
    expect(view.members).toBe(2);
  });

  it('a market check-in with ann+1@ or a.nn@ after ann@ on Gmail is "already checked in"', async () => {
    t = await startTestServer({ now, checkins: { publicUrl: 'http://kudos.test' } });
    const put = await t.call('/v1/checkins/market', {
      method: 'PUT',
      key: sk(),
      body: { name: 'Market', from: '2026-03-02T08:00:00Z', until: '2026-03-02T18:00:00Z', timeZone: 'Europe/Paris', points: 10, consentText: 'Email me about the market' },
    });
    expect(put.status).toBe(201);
    const path = new URL((await put.json()).url).pathname;
    const checkIn = async (email: string, cookie: string) => {
      const r = await fetch(`${t.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `kudos_anon=${cookie}` },
        body: new URLSearchParams({ email, consent: 'yes' }),
      });
      expect(r.status).toBe(200);
      return r.text();
    };
    const first = await checkIn('ann@gmail.com', 'anonymousvisitor00001');
    const second = await checkIn('ann+1@gmail.com', 'anonymousvisitor00002');
    const third = await checkIn('A.nn@GoogleMail.com', 'anonymousvisitor00003');
    expect(first).not.toMatch(/already/i);
    expect(second).toMatch(/This email was already used to check in here/);
    expect(third).toMatch(/This email was already used to check in here/);
  });
});

describe('scarcity is fair', () => {
  const DROP = { name: 'Drop mug', price: 30, currency: 'EUR', checkoutUrl: 'https://shop.example/cart?add=mug', stock: 10 };
  const putDrop = (body: object) => t.call('/v1/products/mug', { method: 'PUT', key: sk(), body: { ...DROP, ...body } });
  const hold = (headers: Record<string, string>) => t.call('/v1/products/mug/reservations', { key: pk(), body: {}, headers });
  const fromAddress = (ip: string, visitor: string) => ({ ...anon(visitor), 'x-forwarded-for': ip });

  it('anonymous visitors cannot hold a whole drop: at most the shop’s share, and a verified buyer still gets a unit', async () => {
    t = await startTestServer({ now, trustProxy: 'loopback' });
    expect((await putDrop({})).status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await hold(fromAddress(`203.0.113.${i + 1}`, `hoarder-visitor-${i}`))).status);
    // Default share 50%: five of ten units.
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    const refused = await hold(fromAddress('203.0.113.99', 'hoarder-visitor-99'));
    expect(refused.status).toBe(409);
    expect((await refused.json()).type).toMatch(/sign-in-to-hold/);

    const buyer = await hold(identityHeaders(t.shop, 'c_real'));
    expect(buyer.status).toBe(201);
    expect((await buyer.json()).token).toMatch(/^mug\./);
  });

  it('holds per visitor address are limited: one IPv6 /64 holds at most three units of a drop', async () => {
    t = await startTestServer({ now, trustProxy: 'loopback' });
    await putDrop({ stock: 100 });
    const statuses: number[] = [];
    for (let i = 1; i <= 5; i++) statuses.push((await hold(fromAddress(`2001:db8:7:1::${i.toString(16)}`, `rotating-visitor-${i}`))).status);
    expect(statuses).toEqual([201, 201, 201, 409, 409]);
    // Another /64 is another address.
    expect((await hold(fromAddress('2001:db8:7:2::1', 'neighbour-visitor-1'))).status).toBe(201);
  });

  it('a verified buyer is never turned away while visitors hold more than their share', async () => {
    t = await startTestServer({ now, trustProxy: 'loopback' });
    await putDrop({ anonymousHoldShare: 100 });
    for (let i = 0; i < 10; i++) expect((await hold(fromAddress(`198.51.100.${i + 1}`, `early-visitor-${i}`))).status).toBe(201);
    expect((await hold(identityHeaders(t.shop, 'c_late'))).status).toBe(409);
    // The shop lowers the visitors' share while they hold everything.
    expect((await putDrop({ anonymousHoldShare: 50 })).status).toBe(200);
    const buyer = await hold(identityHeaders(t.shop, 'c_late'));
    expect(buyer.status).toBe(201);
    const owner = await (await t.call('/v1/products/mug', { key: sk() })).json();
    expect(owner.held).toBe(10);
  });
});
