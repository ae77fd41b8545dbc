// The hosted post-delivery survey: a signed link (by the API, or computed the way a
// Shopify template's `hmac_sha256` or PHP's hash_hmac computes it), one answer per
// customer, forged links refused, and the KPIs reporting in-cart and post-delivery apart.
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { appHarness, type AppHarness } from '../helpers/app-harness.js';

const T0 = Date.parse('2026-03-20T12:00:00.000Z');
const open: AppHarness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});
async function harness() {
  const h = await appHarness({ t0: T0, app: { rateLimit: false } });
  open.push(h);
  const sk = h.shop.secretKey;
  for (const [id, placement] of [
    ['delivery', 'any'],
    ['checkout', 'cart'],
  ]) {
    const res = await h.call(`/v1/surveys/${id}`, { method: 'PUT', key: sk, body: { question: { en: 'How likely are you to recommend us?', fr: 'Nous recommanderiez-vous ?' }, placement } });
    expect(res.status).toBe(201);
  }
  return h;
}
const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

describe('post-delivery survey page', () => {
  it('opens from a signed link, takes one answer per customer, and refuses a forged link', async () => {
    const h = await harness();
    const made = await h.call('/v1/surveys/delivery/links', { key: h.shop.secretKey, body: { customerId: 'ana', orderId: '1001' } });
    expect(made.status).toBe(200);
    const { url } = await made.json();
    // The same link a Shopify template computes: hmac_sha256 of "kudos-survey:<survey>:<order>:<customer>" with the identity secret (here the harness shop's legacy one).
    const hash = createHmac('sha256', h.shop.secretKey).update('kudos-survey:delivery:1001:ana').digest('hex');
    expect(url).toBe(`${h.url}/s/${h.shop.id}/delivery?c=ana&o=1001&h=${hash}`);

    const page = await fetch(url, { headers: { 'accept-language': 'fr-FR,fr;q=0.9' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<legend>Nous recommanderiez-vous ?</legend>');
    expect(html.match(/type="radio" name="score"/g)).toHaveLength(11);

    for (const forged of [url.replace('c=ana', 'c=bob'), url.replace('o=1001', 'o=1002'), url.replace(/h=[0-9a-f]+/, `h=${'0'.repeat(64)}`), url.replace(h.shop.id, h.other.id)]) {
      expect((await fetch(forged)).status).toBe(404);
      expect((await fetch(forged, form({ score: '10' }))).status).toBe(404);
    }
    const noScore = await fetch(url, form({ comment: 'fast' }));
    expect(noScore.status).toBe(400);
    expect(await noScore.text()).toMatch(/role="alert"[\s\S]*Choose a score/);

    const answered = await fetch(url, form({ score: '9', comment: 'Arrived well packed' }));
    expect(answered.status).toBe(200);
    expect(await answered.text()).toContain('Your answer has been recorded.');
    // Resubmitted (another score) or opened again: one answer, thanks again.
    expect(await (await fetch(url, form({ score: '2' }))).text()).toContain('already answered');
    expect(await (await fetch(url)).text()).toContain('already answered');

    const summary = await (await h.call('/v1/surveys/delivery/summary', { key: h.shop.secretKey })).json();
    expect(summary).toMatchObject({ responses: 1, nps: 100, channels: { cart: { responses: 0 }, postDelivery: { responses: 1, nps: 100 } } });
    expect(summary.comments[0]).toMatchObject({ score: 9, comment: 'Arrived well packed', orderId: '1001' });
    expect((await h.call('/v1/surveys/nope/links', { key: h.shop.secretKey, body: { customerId: 'ana' } })).status).toBe(404);
    expect((await h.call('/v1/surveys/delivery/links', { key: h.shop.secretKey, body: { customerId: 'ana', orderId: 'a:b' } })).status).toBe(400);
    expect((await h.call('/v1/surveys/delivery/links', { body: { customerId: 'ana' } })).status).toBe(403);
  });

  it('keeps one answer per order: the same order again is refused, the same customer\'s next order is a new answer, and the KPI counts orders', async () => {
    const h = await harness();
    h.clock.t = Date.parse('2026-03-23T09:00:00.000Z');
    const link = async (customerId: string, orderId?: string) =>
      (await (await h.call('/v1/surveys/delivery/links', { key: h.shop.secretKey, body: { customerId, ...(orderId && { orderId }) } })).json()).url as string;
    const answer = async (url: string, score: string) => (await (await fetch(url, form({ score }))).text()).includes('already answered') ? 'refused' : 'recorded';
    const [ana1, ana2, bob1, cy] = [await link('ana', 'o-1001'), await link('ana', 'o-1002'), await link('bob', 'o-2001'), await link('cy')];
    expect(await answer(ana1, '10')).toBe('recorded');
    // ana's second order is asked afresh: its page shows the form, not "already answered".
    expect(await (await fetch(ana2)).text()).toContain('type="radio" name="score"');
    expect(await answer(ana2, '3')).toBe('recorded');
    expect(await answer(ana1, '0')).toBe('refused');
    expect(await answer(ana2, '9')).toBe('refused');
    expect(await answer(bob1, '8')).toBe('recorded');
    // A link without an order keeps one answer per customer.
    expect(await answer(cy, '9')).toBe('recorded');
    expect(await answer(cy, '1')).toBe('refused');
    // Hand-computed: post-delivery answers 10, 3, 8, 9 → promoters 2 (50 %), passives 1, detractors 1 (25 %) → NPS 25.
    const m = await (await h.call('/v1/metrics?from=2026-03-23&to=2026-03-24', { key: h.shop.secretKey })).json();
    expect(m.nps).toMatchObject({ responses: 4, nps: 25, postDelivery: { responses: 4, promoters: 1 * 2, passives: 1, detractors: 1, nps: 25 } });
    const summary = await (await h.call('/v1/surveys/delivery/summary', { key: h.shop.secretKey })).json();
    expect(summary).toMatchObject({ responses: 4, distribution: [0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1] });
  });

  it('reports in-cart and post-delivery NPS apart in the KPIs, by the day each answer was given', async () => {
    const h = await harness();
    // In the cart: a detractor (the checkout survey is a cart survey), answered 2026-03-20.
    const as = { as: 'cy' };
    expect((await h.call('/v1/surveys/checkout/displays', { ...as, body: { id: 'display-cart-1', placement: 'cart' } })).status).toBe(200);
    expect((await h.call('/v1/surveys/checkout/responses', { ...as, body: { id: 'response-cart-1', displayId: 'display-cart-1', score: 3 } })).status).toBe(201);
    // After delivery, the next day: a promoter.
    h.clock.t = Date.parse('2026-03-21T08:00:00.000Z');
    const { url } = await (await h.call('/v1/surveys/delivery/links', { key: h.shop.secretKey, body: { customerId: 'dee', orderId: '77' } })).json();
    expect((await fetch(url, form({ score: '10' }))).status).toBe(200);

    const m = await (await h.call('/v1/metrics?from=2026-03-20&to=2026-03-22', { key: h.shop.secretKey })).json();
    expect(m.nps).toMatchObject({ responses: 2, nps: 0, inCart: { responses: 1, detractors: 1, nps: -100 }, postDelivery: { responses: 1, promoters: 1, nps: 100 } });
    // The period's edges: the 21st alone holds the post-delivery answer only.
    const day = await (await h.call('/v1/metrics?from=2026-03-21&to=2026-03-22', { key: h.shop.secretKey })).json();
    expect(day.nps).toMatchObject({ responses: 1, inCart: { responses: 0, nps: null }, postDelivery: { responses: 1 } });
    expect(m.definitions.nps).toMatch(/post-delivery/);
    // A survey for any placement counts in the cart when the page says it showed it there (the widget's placement attribute).
    for (const [who, placement] of [['fay', 'cart'], ['gus', undefined]] as const) {
      const display = { id: `display-any-${who}`, ...(placement && { placement }) };
      expect((await h.call('/v1/surveys/delivery/displays', { as: who, body: display })).status).toBe(200);
      expect((await h.call('/v1/surveys/delivery/responses', { as: who, body: { id: `response-any-${who}`, displayId: display.id, score: 10 } })).status).toBe(201);
    }
    const split = (await (await h.call('/v1/surveys/delivery/summary', { key: h.shop.secretKey })).json()).channels;
    expect(split).toEqual({ cart: { responses: 1, nps: 100 }, postDelivery: { responses: 1, nps: 100 } });
  });
});
