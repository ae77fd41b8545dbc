// Check-in points over HTTP: config auth matrix, the QR and the URL it encodes,
// the hosted page (locale, CSP, consent stored with its text and time), daily
// token rotation and window, one per person, velocity, linking and erase.
import { afterEach, describe, expect, it } from 'vitest';
import { COLLECTIONS, openedVisit } from '../../server/checkins/service.js';
import type { Visit } from '../../server/checkins/schemas.js';
import { popupHarness, type PopupHarness } from '../helpers/popups.js';

const T0 = Date.parse('2026-03-07T09:00:00.000Z'); // Saturday 10:00 in Paris
const DAY = 86_400_000;
const POINT = {
  name: 'Saturday market',
  place: 'Place du marché, stand 12',
  from: '2026-03-07T08:00:00+01:00',
  until: '2026-03-08T14:00:00+01:00',
  timeZone: 'Europe/Paris',
  badgeId: 'market',
  points: 20,
  consentText: 'news about our next markets, about once a month',
  shopUrl: 'https://mia.example/shop',
};
const BADGE = { name: 'Met us at the market', icon: '🧺', criteria: { event: 'market_checkin', count: 1 } };

let h: PopupHarness;
afterEach(async () => h?.close());

async function setup(perIp = { limit: 1000, windowMs: 60_000 }) {
  h = await popupHarness(T0, { perIp });
  const sk = h.shop.secretKey;
  expect((await h.call('/v1/badges/market', { method: 'PUT', key: sk, body: BADGE })).status).toBe(201);
  const put = await h.call('/v1/checkins/saturday', { method: 'PUT', key: sk, body: POINT });
  expect(put.status).toBe(201);
  const qr = await h.call('/v1/checkins/saturday/qr?format=json', { key: sk });
  return ((await qr.json()) as { url: string }).url;
}

async function problem(r: Response, status: number) {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return r.json();
}

describe('check-in points API', () => {
  it('sk only, strict validation with pointers, another shop sees 404', async () => {
    await setup();
    const sk = h.shop.secretKey;
    expect((await fetch(`${h.url}/v1/checkins/x`, { method: 'PUT' })).status).toBe(401);
    await problem(await h.call('/v1/checkins/x', { method: 'PUT', body: POINT }), 403);
    await problem(await h.call('/v1/checkins/saturday'), 403);
    await problem(await h.call('/v1/checkins/saturday/qr'), 403);
    const bad = await problem(await h.call('/v1/checkins/x', { method: 'PUT', key: sk, body: { ...POINT, until: POINT.from, extra: 1 } }), 400);
    expect(bad.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/extra', '/until']);
    await problem(await h.call('/v1/checkins/__proto__', { method: 'PUT', key: sk, body: POINT }), 400);
    await problem(await h.call('/v1/checkins/saturday', { key: h.other.secretKey }), 404);
    await problem(await h.call('/v1/checkins/saturday/qr', { key: h.other.secretKey }), 404);
    const again = await h.call('/v1/checkins/saturday', { method: 'PUT', key: sk, body: POINT });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: 'saturday', day: '2026-03-07', url: expect.stringMatching(/^https:\/\/kudos\.example\/c\//) });
  });

  it('serves the QR as SVG and PNG with the URL it encodes alongside; refuses days outside the window', async () => {
    const url = await setup();
    const sk = h.shop.secretKey;
    const svg = await h.call('/v1/checkins/saturday/qr?format=svg', { key: sk });
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(svg.headers.get('kudos-checkin-url')).toBe(url);
    expect(await svg.text()).toMatch(/^<svg[^>]*viewBox/);
    const png = await h.call('/v1/checkins/saturday/qr?format=png', { key: sk });
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
    const sunday = await (await h.call('/v1/checkins/saturday/qr?format=json&day=2026-03-08', { key: sk })).json();
    expect(sunday.url).not.toBe(url);
    const off = await problem(await h.call('/v1/checkins/saturday/qr?day=2026-03-09', { key: sk }), 400);
    expect(off.errors[0].pointer).toBe('/day');
    await problem(await h.call('/v1/checkins/saturday/qr?format=gif', { key: sk }), 400);
  });
});

describe('the hosted check-in page', () => {
  it('renders in the shopper language under a strict CSP, and an anonymous check-in grants the badge and points at once', async () => {
    const url = await setup();
    const jar = new Map<string, string>();
    const form = await h.page(url, { jar, lang: 'fr-CH, de;q=0.8' });
    expect(form.status).toBe(200);
    expect(form.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(form.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await form.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('le badge « Met us at the market »');
    expect(html).not.toMatch(/<script|style=/);
    expect(jar.get('kudos_anon')).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect((await h.page(url, { lang: 'de' }).then((r) => r.text()))).toContain('Einchecken');

    const done = await h.page(url, { jar, form: {} });
    expect(done.status).toBe(200);
    const doneHtml = await done.text();
    expect(doneHtml).toContain('You are checked in!');
    expect(doneHtml).toContain('the “Met us at the market” badge');
    expect(doneHtml).toContain('20 points');
    expect(doneHtml).toContain('kudos_src=market&amp;kudos_ref=saturday');
    const anon = await h.store.getCustomer(h.shop.id, `~anon:${jar.get('kudos_anon')}`);
    expect(Object.keys(anon!.badges)).toEqual(['market']);
    expect(anon!.ledger!.reduce((s, e) => s + e.points, 0)).toBe(20);

    // One per person: the same phone again, on the same or the next day, gets nothing more.
    expect(await (await h.page(url, { jar, form: {} })).text()).toContain('You already checked in here on');
    const record = await h.store.getCustomer(h.shop.id, `~anon:${jar.get('kudos_anon')}`);
    expect(record!.ledger!.reduce((s, e) => s + e.points, 0)).toBe(20);
  });

  it('stores the consent text and time with the email; an email without consent is refused; the same email on another phone counts as the same person', async () => {
    const url = await setup();
    const jar = new Map<string, string>();
    await h.page(url, { jar });
    const refused = await h.page(url, { jar, form: { email: 'ana@example.com' } });
    expect(refused.status).toBe(400);
    const refusedHtml = await refused.text();
    expect(refusedHtml).toContain('role="alert"');
    expect(refusedHtml).toContain('value="ana@example.com"');
    expect((await h.page(url, { jar, form: { email: 'not-an-email', consent: 'yes' } })).status).toBe(400);
    expect(await h.store.listDocuments(h.shop.id, COLLECTIONS.visits)).toEqual([]);

    h.clock.t += 60_000;
    const ok = await h.page(url, { jar, form: { email: 'Ana@Example.com', consent: 'yes' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Your email was saved with your consent');
    const [stored] = await h.store.listDocuments<Visit>(h.shop.id, COLLECTIONS.visits);
    // Sealed at rest (test/server/sealed-at-rest.test.ts), opened by the server.
    expect(stored!.email).toMatch(/^sealed:v1:/);
    const visit = openedVisit(stored);
    expect(visit).toMatchObject({
      email: 'ana@example.com',
      consent: { text: POINT.consentText, at: new Date(T0 + 60_000).toISOString(), locale: 'en' },
      checkinId: 'saturday',
      day: '2026-03-07',
    });
    const otherPhone = new Map<string, string>();
    await h.page(url, { jar: otherPhone });
    // Another phone with the same email: refused, without telling when that email's owner came.
    const again = await (await h.page(url, { jar: otherPhone, form: { email: 'ana@example.com', consent: 'yes' } })).text();
    expect(again).toContain('This email was already used to check in here.');
    expect(again).not.toContain('2026');
  });

  it("yesterday's token gives nothing, today's works; before the window and after it nothing; forged tokens 404", async () => {
    const saturday = await setup();
    const forged = saturday.slice(0, -3) + (saturday.endsWith('AAA') ? 'BBB' : 'AAA');
    expect((await h.page(forged)).status).toBe(404);
    expect((await h.page('/c/garbage')).status).toBe(404);
    h.clock.t = T0 + DAY; // Sunday
    const old = await h.page(saturday, { form: {} });
    expect(old.status).toBe(410);
    expect(await old.text()).toContain('This QR code was for an earlier day');
    expect(await h.store.listDocuments(h.shop.id, COLLECTIONS.visits)).toEqual([]);
    const sunday = ((await (await h.call('/v1/checkins/saturday/qr?format=json', { key: h.shop.secretKey })).json()) as { url: string }).url;
    expect((await h.page(sunday, { form: {} })).status).toBe(200);
    h.clock.t = Date.parse('2026-03-08T14:00:00+01:00');
    const over = await h.page(sunday, { form: {} });
    expect(over.status).toBe(410);
    expect(await over.text()).toContain('This event is over');
    h.clock.t = Date.parse('2026-03-07T07:59:00+01:00');
    const early = await h.page(saturday);
    expect(early.status).toBe(403);
    expect(await early.text()).toContain('Check-in opens on');
  });

  it('ten taps at once from one phone check in once', async () => {
    const url = await setup();
    const jar = new Map<string, string>();
    await h.page(url, { jar });
    const pages = await Promise.all(Array.from({ length: 10 }, () => h.page(url, { jar, form: {} }).then((r) => r.text())));
    expect(pages.filter((p) => p.includes('<h1>You are checked in!</h1>'))).toHaveLength(1);
    expect(pages.filter((p) => p.includes('You already checked in here'))).toHaveLength(9);
    const anon = await h.store.getCustomer(h.shop.id, `~anon:${jar.get('kudos_anon')}`);
    expect(anon!.ledger!.reduce((s, e) => s + e.points, 0)).toBe(20);
    expect(anon!.stats.market_checkin!.count).toBe(1);
  });

  it('limits check-ins per IP', async () => {
    const url = await setup({ limit: 3, windowMs: 60_000 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await h.page(url, { jar: new Map(), form: {} })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    h.clock.t += 60_001;
    expect((await h.page(url, { jar: new Map(), form: {} })).status).toBe(200);
  });
});

describe('linking and erase', () => {
  it('the shop backend links the email to a customer (first one wins); erasing that customer removes email, consent and check-ins', async () => {
    const url = await setup();
    const jar = new Map<string, string>();
    await h.page(url, { jar });
    await h.page(url, { jar, form: { email: 'ana@example.com', consent: 'yes' } });
    const sk = h.shop.secretKey;
    await problem(await h.call('/v1/checkins/links', { body: { customerId: 'c_ana', email: 'ana@example.com' } }), 403);
    await problem(await h.call('/v1/checkins/links', { key: sk, body: { customerId: 'c_ana', email: 'nope' } }), 400);
    const linked = await (await h.call('/v1/checkins/links', { key: sk, body: { customerId: 'c_ana', email: 'ANA@example.com' } })).json();
    expect(linked).toMatchObject({ customerId: 'c_ana', linked: [{ checkinId: 'saturday' }], awards: [{ kind: 'badge', id: 'market' }] });
    const state = await (await h.call('/v1/customers/c_ana', { key: sk })).json();
    expect(state.badges.map((b: { id: string }) => b.id)).toEqual(['market']);
    expect(state.points).toBe(20);
    // Again: nothing more. Another customer with the same email: not theirs.
    expect((await (await h.call('/v1/checkins/links', { key: sk, body: { customerId: 'c_ana', email: 'ana@example.com' } })).json()).awards).toEqual([]);
    expect((await (await h.call('/v1/checkins/links', { key: sk, body: { customerId: 'c_bob', email: 'ana@example.com' } })).json()).linked).toEqual([]);
    // Another shop's key knows nothing of it.
    expect((await (await h.call('/v1/checkins/links', { key: h.other.secretKey, body: { customerId: 'c_ana', email: 'ana@example.com' } })).json()).linked).toEqual([]);

    // Her export says where she checked in, with the email and the consent she gave.
    const exported = await (await h.call('/v1/customers/c_ana/export', { key: sk })).json();
    expect(exported.features.marketVisits).toEqual([
      expect.objectContaining({ checkinId: 'saturday', email: 'ana@example.com', linkedTo: 'c_ana', consent: expect.objectContaining({ text: expect.any(String) }) }),
    ]);

    expect((await h.call('/v1/customers/c_ana', { method: 'DELETE', key: sk })).status).toBeLessThan(300);
    expect(await h.store.listDocuments(h.shop.id, COLLECTIONS.visits)).toEqual([]);
    expect(await h.store.listDocuments(h.shop.id, COLLECTIONS.persons)).toEqual([]);
    expect(JSON.stringify(await h.store.listDocuments(h.shop.id, COLLECTIONS.byCustomer))).not.toContain('saturday');
  });
});

describe('the check-in page after the check-in (issue 18)', () => {
  it('reopening the link shows the already-checked-in state at once, with no check-in button', async () => {
    const url = await setup();
    const jar = new Map<string, string>();
    await h.page(url, { jar });
    expect(await (await h.page(url, { jar, form: {} })).text()).toContain('You are checked in!');
    h.clock.t += 3_600_000;
    const again = await (await h.page(url, { jar })).text();
    expect(again).toContain('You already checked in here on');
    expect(again).not.toContain('>Check in</button>');
    // Another phone still gets the form.
    expect(await (await h.page(url, { jar: new Map() })).text()).toContain('>Check in</button>');
  });

  it('an anonymous visitor is offered to keep what they earned with an email; it joins their visit, linkable later', async () => {
    const url = await setup();
    const jar = new Map<string, string>();
    await h.page(url, { jar });
    const done = await (await h.page(url, { jar, form: {} })).text();
    expect(done).toContain('Keep what you earned');
    expect(done).toContain('name="then" value="email"');
    expect(done).toContain('Shop online');
    // Without consent: refused, nothing stored.
    expect((await h.page(url, { jar, form: { then: 'email', email: 'ben@example.com' } })).status).toBe(400);
    const saved = await h.page(url, { jar, form: { then: 'email', email: 'Ben@Example.com', consent: 'yes' } });
    expect(saved.status).toBe(200);
    const savedHtml = await saved.text();
    expect(savedHtml).toContain('Your email was saved with your consent');
    expect(savedHtml).not.toContain('Keep what you earned');
    const visit = openedVisit((await h.store.listDocuments<Visit>(h.shop.id, COLLECTIONS.visits))[0]);
    expect(visit).toMatchObject({ email: 'ben@example.com', consent: { text: POINT.consentText, locale: 'en' } });
    // The shop links that email to an account: the visit (badge, points) moves there.
    const link = await h.call('/v1/checkins/links', { key: h.shop.secretKey, body: { customerId: 'c_ben', email: 'ben@example.com' } });
    expect((await link.json()).linked).toHaveLength(1);
    // The same email from another phone is that person: no second check-in.
    const other = new Map<string, string>();
    await h.page(url, { jar: other });
    expect(await (await h.page(url, { jar: other, form: { email: 'ben@example.com', consent: 'yes' } })).text()).toContain('This email was already used');
  });

  it('in German, the consent sentence is German and the shop’s English purpose is quoted after it, not inside it', async () => {
    const url = await setup();
    const html = await (await h.page(url, { lang: 'de' })).text();
    expect(html).toContain('Ich bin einverstanden, dass Mia’s Ceramics meine E-Mail für den folgenden, vom Shop beschriebenen Zweck speichert:');
    expect(html).toContain(`<q class="purpose">${POINT.consentText}</q>`);
    expect(html).not.toMatch(/speichert: news about/);
  });
});

describe('the market list', () => {
  it('lists the sign-ups that left an email with consent, searchable, a page at a time, and as CSV (sk only)', async () => {
    const url = await setup();
    const sk = h.shop.secretKey;
    const signUps = ['ana@example.com', 'bob@example.com', '=cmd@example.com'];
    for (const [i, email] of signUps.entries()) {
      h.clock.t = T0 + (i + 1) * 60_000;
      await h.page(url, { jar: new Map<string, string>(), form: { email, consent: 'yes' } });
    }
    await h.page(url, { jar: new Map<string, string>() }); // anonymous: not on the list
    await problem(await h.call('/v1/market-list'), 403);
    const first = await (await h.call('/v1/market-list?limit=2', { key: sk })).json();
    expect(first.data.map((r: { email: string }) => r.email)).toEqual(['=cmd@example.com', 'bob@example.com']);
    expect(first.data[1]).toEqual({
      email: 'bob@example.com',
      consentText: POINT.consentText,
      consentAt: new Date(T0 + 120_000).toISOString(),
      checkinId: 'saturday',
      day: '2026-03-07',
      checkedInAt: new Date(T0 + 120_000).toISOString(),
      visitId: expect.stringMatching(/^[0-9a-z]{16}$/),
      withdrawUrl: expect.stringMatching(/^https:\/\/kudos\.example\/w\//),
    });
    const second = await (await h.call(`/v1/market-list?limit=2&cursor=${first.nextCursor}`, { key: sk })).json();
    expect(second).toEqual({ data: [expect.objectContaining({ email: 'ana@example.com' })], nextCursor: null });
    const search = await (await h.call('/v1/market-list?q=ANA', { key: sk })).json();
    expect(search.data.map((r: { email: string }) => r.email)).toEqual(['ana@example.com']);
    expect((await (await h.call('/v1/market-list', { key: h.other.secretKey })).json()).data).toEqual([]);
    const csv = await h.call('/v1/market-list.csv', { key: sk });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('email,consent_text,consent_at,stall,day,checked_in_at');
    expect(lines).toHaveLength(4);
    // A cell a spreadsheet would run as a formula is quoted out.
    expect(lines[1]!.startsWith("'=cmd@example.com,")).toBe(true);
    await problem(await h.call('/v1/market-list?limit=0', { key: sk }), 400);
  });
});
