// The shop owns its market list: a checkin.created webhook carries the email only
// when it was given with consent, and the withdrawal link removes it (issue 16).
// Delivery bodies are sealed at rest (server/webhooks/outbox.ts): opened to read the code.
import { openText } from '../../server/access/seal.js';
import { afterEach, describe, expect, it } from 'vitest';
import { COLLECTIONS, openedVisit } from '../../server/checkins/service.js';
import type { Visit } from '../../server/checkins/schemas.js';
import { DELIVERIES } from '../../server/webhooks/outbox.js';
import type { Delivery } from '../../server/webhooks/engine.js';
import { popupHarness, type PopupHarness } from '../helpers/popups.js';

const T0 = Date.parse('2026-03-07T09:00:00.000Z');
const POINT = {
  name: 'Saturday market',
  from: '2026-03-07T08:00:00+01:00',
  until: '2026-03-08T14:00:00+01:00',
  timeZone: 'Europe/Paris',
  points: 5,
  consentText: 'news about our next markets, about once a month',
};

let h: PopupHarness;
afterEach(async () => h?.close());

async function setup() {
  h = await popupHarness(T0, { perIp: { limit: 1000, windowMs: 60_000 } });
  const sk = h.shop.secretKey;
  expect((await h.call('/v1/checkins/saturday', { method: 'PUT', key: sk, body: POINT })).status).toBe(201);
  const hook = await h.call('/v1/webhooks/crm', { method: 'PUT', key: sk, body: { url: 'https://crm.example/kudos', events: ['checkin.created', 'checkin.withdrawn'] } });
  expect(hook.status).toBe(201);
  return ((await (await h.call('/v1/checkins/saturday/qr?format=json', { key: sk })).json()) as { url: string }).url;
}

const told = async () =>
  (await h.store.listDocuments<Delivery>(h.shop.id, DELIVERIES))
    .map((d) => JSON.parse(openText(d.body)) as { type: string; data: Record<string, unknown> })
    .sort((a, b) => String(a.data.at ?? a.data.withdrawnAt).localeCompare(String(b.data.at ?? b.data.withdrawnAt)) || a.type.localeCompare(b.type));

describe('market list consent', () => {
  it('tells checkin.created with the email only when consent was given, and the withdrawal link removes it', async () => {
    const url = await setup();
    await h.page(url, { jar: new Map(), form: { email: 'ana@example.com', consent: 'yes' } });
    h.clock.t = T0 + 60_000;
    await h.page(url, { jar: new Map(), form: {} }); // anonymous, no email
    h.clock.t = T0 + 120_000;
    // Consent not ticked: refused (400), nothing told.
    expect((await h.page(url, { jar: new Map(), form: { email: 'bob@example.com' } })).status).toBe(400);

    const events = await told();
    expect(events.map((e) => e.type)).toEqual(['checkin.created', 'checkin.created']);
    const [withEmail, anonymous] = events;
    expect(withEmail!.data).toMatchObject({ checkinId: 'saturday', day: '2026-03-07', email: 'ana@example.com', consent: { text: POINT.consentText } });
    expect(withEmail!.data.withdrawUrl).toMatch(/^https:\/\/kudos\.example\/w\/shop_[^/]+\/[0-9a-z]{16}\/[A-Za-z0-9_-]{22}$/);
    expect(anonymous!.data).not.toHaveProperty('email');
    expect(anonymous!.data).not.toHaveProperty('withdrawUrl');

    const list = await (await h.call('/v1/market-list', { key: h.shop.secretKey })).json();
    expect(list.data).toHaveLength(1);
    expect(list.data[0].withdrawUrl).toBe(withEmail!.data.withdrawUrl);

    const link = String(withEmail!.data.withdrawUrl);
    // A forged link, or another shop's: nothing to see, nothing removed.
    expect((await h.page(link.replace(/.{4}$/, 'AAAA'))).status).toBe(404);
    expect((await h.page(link.replace(/.{4}$/, 'AAAA'), { form: {} })).status).toBe(404);
    // Opening it only asks (mail scanners follow links); the form's POST removes.
    const ask = await h.page(link);
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain('<form method="post">');
    expect((await (await h.call('/v1/market-list', { key: h.shop.secretKey })).json()).data).toHaveLength(1);
    const done = await h.page(link, { form: {} });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('is removed from Mia’s Ceramics');
    expect((await (await h.call('/v1/market-list', { key: h.shop.secretKey })).json()).data).toEqual([]);
    expect((await (await h.call('/v1/market-list.csv', { key: h.shop.secretKey })).text()).trim().split('\r\n')).toHaveLength(1);
    // The check-in stays; the email and consent are gone from the store.
    const visits = (await h.store.listDocuments<Visit>(h.shop.id, COLLECTIONS.visits)).map(openedVisit);
    expect(visits).toHaveLength(2);
    expect(visits.some((v) => v.email || v.consent)).toBe(false);
    // Used twice: the same answer, one checkin.withdrawn.
    expect((await h.page(link, { form: {} })).status).toBe(200);
    expect((await told()).filter((e) => e.type === 'checkin.withdrawn')).toHaveLength(1);
    // The same email may sign up again at this stall.
    h.clock.t = T0 + 180_000;
    expect((await h.page(url, { jar: new Map(), form: { email: 'ana@example.com', consent: 'yes' } })).status).toBe(200);
    expect((await (await h.call('/v1/market-list', { key: h.shop.secretKey })).json()).data).toHaveLength(1);
  });
});
