// Abuse with the publishable key alone (issue 13): each guarantee below failed on
// the code before it. Real Express on port 0, real lowdb files in temp dirs,
// an injected clock so windows and expiries are exact.
import { openText } from '../../server/access/seal.js';
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
    return deliveries.map((d) => JSON.parse(openText(d.body))).find((b) => b.data.claimId === claimId).data;
  }
  async function claim(email: string): Promise<{ customerId: string; customerHash: string }> {
    const asked = await t.call('/v1/email-verifications', { key: pk(), body: { email } });
    expect(asked.status).toBe(201);
    const { id } = await asked.json();
    const confirmed = await t.call(`/v1/email-verifications/${id}/confirm`, { key: pk(), body: { code: (await mailed(id)).code } });
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
    expect((await t.call('/v1/email-verifications', { key: pk(), body: { email: 'a.nn@googlemail.com' } })).status).toBe(429);
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

describe('limits that mean what they say', () => {
  it('per-IP limits count an IPv6 /64 as one address', async () => {
    t = await startTestServer({ now, trustProxy: 'loopback' });
    await t.call('/v1/webhooks/mailer', { method: 'PUT', key: sk(), body: { url: 'https://backend.shop.example/kudos', events: ['email.verification_requested'] } });
    const statuses: number[] = [];
    for (let i = 1; i <= 12; i++) {
      const r = await t.call('/v1/email-verifications', { key: pk(), body: { email: `person${i}@example.org` }, headers: { 'x-forwarded-for': `2001:db8:42:7::${i.toString(16)}` } });
      statuses.push(r.status);
    }
    // Ten code requests per address per ten minutes: the /64 is one address.
    expect(statuses.slice(0, 10).every((s) => s === 201)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const elsewhere = await t.call('/v1/email-verifications', { key: pk(), body: { email: 'other@example.org' }, headers: { 'x-forwarded-for': '2001:db8:42:8::1' } });
    expect(elsewhere.status).toBe(201);
  });

  it('1,000 empty anonymous POST /v1/groups from many addresses cannot lock out a verified shopper', { timeout: 120_000 }, async () => {
    t = await startTestServer({ now, trustProxy: 'loopback' });
    await t.call('/v1/campaigns/duo', {
      method: 'PUT',
      key: sk(),
      body: { name: 'Duo', scope: { kind: 'cart' }, tiers: [{ members: 2, percentOff: 10 }], windowHours: 24, maxMembers: 4 },
    });
    for (let batch = 0; batch < 40; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 25 }, (_, i) => {
          const n = batch * 25 + i;
          return t.call('/v1/groups', { key: pk(), body: {}, headers: { ...anon(`flooder-${n}-visitor`), 'x-forwarded-for': `198.18.${n >> 8}.${n & 255}` } });
        }),
      );
      for (const a of answers) expect(a.status).toBeLessThan(500);
    }
    const mine = await t.call('/v1/groups', { key: pk(), body: { campaign: 'duo' }, headers: { ...identityHeaders(t.shop, 'c_real'), 'x-forwarded-for': '203.0.113.7' } });
    expect(mine.status).toBe(201);
  });

  it('an inactive reward answers 404 to the publishable key', async () => {
    t = await startTestServer({ now });
    const body = { name: 'Old offer', cost: 100, discount: { kind: 'percent', percent: 10 }, active: false };
    expect((await t.call('/v1/rewards/old', { method: 'PUT', key: sk(), body })).status).toBe(201);
    expect((await t.call('/v1/rewards/old', { key: pk() })).status).toBe(404);
    expect((await t.call('/v1/rewards/old', { key: sk() })).status).toBe(200);
  });
});

describe('secrets stay out of logs', () => {
  it('claim, check-in and reservation tokens are redacted in the access log', async () => {
    const lines: { path: string }[] = [];
    t = await startTestServer({ now, accessLog: (line) => lines.push(line) });
    const secrets = ['chk_SECRETtoken1234567890', 'clm_SECRETtoken1234567890', 'mug.SECRETtoken1234567890'];
    await fetch(`${t.url}/c/${secrets[0]}`);
    await t.call(`/v1/order-claims/${secrets[1]}`, { key: pk() });
    await t.call(`/v1/order-claims/${secrets[1]}/accept`, { key: pk(), body: {} });
    // The deprecated path carries the same token.
    await t.call(`/v1/claims/${secrets[1]}`, { key: pk() });
    await t.call(`/v1/products/mug/reservations/${secrets[2]}`, { key: sk() });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const logged = lines.map((l) => l.path);
    expect(logged).toEqual(expect.arrayContaining(['/c/:redacted', '/v1/order-claims/:redacted', '/v1/order-claims/:redacted/accept', '/v1/claims/:redacted', '/v1/products/mug/reservations/:redacted']));
    expect(JSON.stringify(lines)).not.toMatch(/SECRETtoken/);
  });
});

describe('the demo stays safe', () => {
  it('demo routes answer only clients on this machine, never through a proxy', async () => {
    t = await startTestServer({ now, seedDemo: true, trustProxy: 'loopback' });
    const remote = { 'x-forwarded-for': '203.0.113.50' };
    const purchase = await fetch(`${t.url}/demo/purchase`, { method: 'POST', headers: { 'content-type': 'application/json', ...remote }, body: JSON.stringify({ customerId: 'c_demo' }) });
    expect(purchase.status).toBe(403);
    const printer = await fetch(`${t.url}/examples/storefront.html?customer=c_victim`, { headers: remote });
    expect(printer.status).toBe(403);
    expect(await printer.text()).not.toMatch(/[0-9a-f]{64}/);
    expect((await fetch(`${t.url}/examples/storefront.html?customer=c_me`)).status).toBe(200);
  });
});

describe('the demo binds to this machine', () => {
  it('with the demo on and no HOST, npm start listens on loopback only', { timeout: 60_000 }, async () => {
    const { spawn } = await import('node:child_process');
    const { join } = await import('node:path');
    const { tempDir } = await import('../helpers/server.js');
    const dir = tempDir();
    const env: Record<string, string> = { ...process.env, KUDOS_DATA: join(dir, 'kudos.json'), PORT: '0', KUDOS_DEMO: 'on', KUDOS_ACCESS_LOG: 'off' } as Record<string, string>;
    delete env.HOST;
    const child = spawn(process.execPath, [join(process.cwd(), 'dist', 'server', 'main.js')], { env });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
          const found = /Kudos is running at (\S+)/.exec(out);
          if (found) resolve(found[1]!);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/?$/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('NPS cannot be stuffed', () => {
  const SURVEY = { question: { en: 'How likely are you to recommend us?' }, placement: 'any', samplePercent: 100, recontactDays: 0, maxDisplays: 5 };
  const answer = async (headers: Record<string, string>, n: number, score: number) => {
    const shown = await t.call('/v1/surveys/checkout/displays', { key: pk(), body: { id: `display-${n}` }, headers });
    if (shown.status !== 200) return shown.status;
    return (await t.call('/v1/surveys/checkout/responses', { key: pk(), body: { id: `response-${n}`, displayId: `display-${n}`, score }, headers })).status;
  };

  it('one NPS answer per person and survey, anonymous answers capped per address, and the summary reports verified and anonymous apart', async () => {
    t = await startTestServer({ now, trustProxy: 'loopback' });
    expect((await t.call('/v1/surveys/checkout', { method: 'PUT', key: sk(), body: SURVEY })).status).toBe(201);
    const shopper = identityHeaders(t.shop, 'c_fan');
    expect(await answer(shopper, 1, 10)).toBe(201);
    expect(await answer(shopper, 2, 10)).toBe(409);
    const stuffed: number[] = [];
    for (let i = 0; i < 14; i++) stuffed.push(await answer({ ...anon(`stuffer-visitor-${i}`), 'x-forwarded-for': `2001:db8:9:9::${i + 1}` }, 100 + i, 0));
    expect(stuffed.filter((s) => s === 201)).toHaveLength(10);
    expect(stuffed.slice(10)).toEqual([429, 429, 429, 429]);
    const summary = await (await t.call('/v1/surveys/checkout/summary', { key: sk() })).json();
    expect(summary.verified).toEqual({ responses: 1, nps: 100 });
    expect(summary.anonymous).toEqual({ responses: 10, nps: -100 });
    expect(summary.responses).toBe(11);
  });

  it('one NPS answer per person and survey, even after many more displays push the answered one out of the recent list', async () => {
    t = await startTestServer({ now });
    expect((await t.call('/v1/surveys/checkout', { method: 'PUT', key: sk(), body: { ...SURVEY, maxDisplays: 30 } })).status).toBe(201);
    const shopper = identityHeaders(t.shop, 'c_again');
    const show = (n: number) => t.call('/v1/surveys/checkout/displays', { key: pk(), body: { id: `display-${n}`, dismissed: true }, headers: shopper });
    expect(await answer(shopper, 0, 10)).toBe(201);
    for (let n = 1; n <= 21; n++) expect((await show(n)).status).toBe(200);
    expect(await answer(shopper, 22, 10)).toBe(409);
    const summary = await (await t.call('/v1/surveys/checkout/summary', { key: sk() })).json();
    expect(summary.responses).toBe(1);
  });

  it("the per-address cap on anonymous NPS answers is the shop's to set, and another shop keeps its own", async () => {
    t = await startTestServer({ now, trustProxy: 'loopback' });
    const put = await t.call('/v1/limits', { method: 'PUT', key: sk(), body: { anonymousSurveyResponsesPerIp: 3 } });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ anonymousSurveyResponsesPerIp: 3, browserEventsPerDay: 20_000 });
    expect((await (await t.call('/v1/limits', { key: t.otherShop.secretKey })).json()).anonymousSurveyResponsesPerIp).toBe(10);
    const bad = await t.call('/v1/limits', { method: 'PUT', key: sk(), body: { anonymousSurveyResponsesPerIp: 0 } });
    expect((await bad.json()).errors).toEqual([expect.objectContaining({ pointer: '/anonymousSurveyResponsesPerIp' })]);
    for (const shop of [t.shop, t.otherShop]) {
      expect((await t.call('/v1/surveys/checkout', { method: 'PUT', key: shop.secretKey, body: SURVEY })).status).toBe(201);
    }
    const from = (i: number) => ({ ...anon(`one-address-visitor-${i}`), 'x-forwarded-for': '203.0.113.7' });
    const here: number[] = [];
    for (let i = 0; i < 5; i++) here.push(await answer(from(i), 200 + i, 0));
    expect(here).toEqual([201, 201, 201, 429, 429]);
    // The same address answering the other shop's survey: its default (10) applies, untouched by this shop's setting or hits.
    const there: number[] = [];
    for (let i = 0; i < 5; i++) {
      const headers = from(i);
      const shown = await t.call('/v1/surveys/checkout/displays', { key: t.otherShop.publishableKey, body: { id: `display-${i}` }, headers });
      expect(shown.status).toBe(200);
      there.push((await t.call('/v1/surveys/checkout/responses', { key: t.otherShop.publishableKey, body: { id: `response-${i}`, displayId: `display-${i}`, score: 9 }, headers })).status);
    }
    expect(there).toEqual([201, 201, 201, 201, 201]);
  });
});
