// Export and erasure of one customer's data (GDPR art. 15/17/20), across features.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityHeaders, startTestServer, type TestServer } from '../helpers/server.js';

let t: TestServer;
const clock = new Date('2026-10-05T09:00:00Z');
const sk = () => t.shop.secretKey;
const as = (customerId: string) => ({ key: t.shop.publishableKey, headers: identityHeaders(t.shop, customerId) });
const store = () => t.server.store;
let awardId = '';
let groupCode = '';

beforeAll(async () => {
  t = await startTestServer({ now: () => clock });
  const ok = async (r: Promise<Response>, status = 200) => {
    const response = await r;
    expect(response.status, await response.clone().text()).toBe(status);
    return response.json();
  };
  const purchase = (id: string, customerId: string) => ({ id, type: 'purchase', customerId, properties: { orderId: `o-${id}`, total: 40, currency: 'EUR' } });
  await ok(t.call('/v1/events', { key: sk(), body: { events: [purchase('p1', 'eve'), purchase('p2', 'max')] } }));
  await ok(t.call('/v1/events', { key: t.otherShop.secretKey, body: purchase('p1', 'eve') }));
  await ok(
    t.call('/v1/trophies/helper', {
      method: 'PUT',
      key: sk(),
      body: { name: 'Helper', description: 'Helps others', criteriaNarrative: 'Given by the shop', levels: [{ level: 'bronze' }] },
    }),
    201,
  );
  awardId = (await ok(t.call('/v1/trophies/helper/awards', { key: sk(), body: { customerId: 'eve', reason: 'Answered questions' } }), 201)).awardId;
  await ok(
    t.call('/v1/campaigns/duo', {
      method: 'PUT',
      key: sk(),
      body: { name: 'Duo', scope: { kind: 'product', productId: 'mug' }, tiers: [{ members: 2, percentOff: 10 }], windowHours: 24, maxMembers: 5, codes: { issuer: 'kudos', prefix: 'DUO-' } },
    }),
    201,
  );
  groupCode = (await ok(t.call('/v1/groups', { ...as('max'), body: { campaign: 'duo' } }), 201)).code;
  await ok(t.call(`/v1/groups/${groupCode}/join`, { ...as('eve'), method: 'POST' }));
  await ok(
    t.call('/v1/surveys/checkout', {
      method: 'PUT',
      key: sk(),
      body: { question: { en: 'Recommend us?' }, placement: 'cart', samplePercent: 100, recontactDays: 1, maxDisplays: 2 },
    }),
    201,
  );
  await ok(t.call('/v1/surveys/checkout/displays', { ...as('eve'), body: { id: 'display-1' } }));
  await ok(t.call('/v1/surveys/checkout/responses', { ...as('eve'), body: { id: 'response-1', displayId: 'display-1', score: 9, comment: 'Eve likes it' } }), 201);
});
afterAll(() => t.dispose());

describe('customer export and erasure', () => {
  it('exports everything Kudos holds about a customer', async () => {
    const r = await t.call('/v1/customers/eve/export', { key: sk() });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toContain('kudos-customer-eve.json');
    const data = await r.json();
    expect(data.customerId).toBe('eve');
    expect(data.state).toMatchObject({ points: 40 });
    expect(data.record.ledger).toEqual([expect.objectContaining({ kind: 'earn', points: 40 })]);
    expect(Object.keys(data.record.orders)).toEqual(['o-p1']);
    expect(data.trophyAwards).toEqual([expect.objectContaining({ id: awardId, trophyId: 'helper', reason: 'Answered questions' })]);
    expect(data.trophyAwards[0]).not.toHaveProperty('salt');
    expect(data.groups).toEqual([expect.objectContaining({ code: groupCode, role: 'member', percentOff: 10 })]);
    expect(data.surveyAnswers).toEqual([expect.objectContaining({ surveyId: 'checkout', score: 9, comment: 'Eve likes it' })]);
  });

  it('needs the secret key, and never reaches another shop', async () => {
    expect((await t.call('/v1/customers/eve/export', as('eve'))).status).toBe(403);
    expect((await t.call('/v1/customers/eve', { ...as('eve'), method: 'DELETE' })).status).toBe(403);
    expect((await t.call('/v1/customers/max/export', { key: t.otherShop.secretKey })).status).toBe(404);
    expect((await t.call('/v1/customers/max', { key: t.otherShop.secretKey, method: 'DELETE' })).status).toBe(404);
    expect(await store().getCustomer(t.shop.shopId, 'max')).toBeDefined();
    expect((await t.call('/v1/customers/Not%20valid/export', { key: sk() })).status).toBe(400);
  });

  it('erases the customer from every feature, and only that customer', async () => {
    const r = await t.call('/v1/customers/eve', { key: sk(), method: 'DELETE' });
    expect(r.status).toBe(204);
    expect((await t.call('/v1/customers/eve/export', { key: sk() })).status).toBe(404);
    expect((await t.call('/v1/customers/eve', { key: sk(), method: 'DELETE' })).status).toBe(404);
    // The state route shows a stranger: no points, badges or trophies.
    const state = await (await t.call('/v1/customers/eve', { key: sk() })).json();
    expect(state).toMatchObject({ points: 0, badges: [], trophies: [] });
    expect(await store().getCustomer(t.shop.shopId, 'eve')).toBeUndefined();
    // Trophy: the award and its public page are gone.
    expect((await t.call(`/t/${awardId}.json`)).status).toBe(404);
    expect(await store().getDocument(t.shop.shopId, { collection: 'trophy-holders', id: 'eve' })).toBeUndefined();
    // Survey: their answers and comment are gone; the score stays counted, anonymously.
    expect(await store().getDocument(t.shop.shopId, { collection: 'survey-contacts', id: 'eve' })).toBeUndefined();
    const summary = await (await t.call('/v1/surveys/checkout/summary', { key: sk() })).json();
    expect(summary.responses).toBe(1);
    expect(summary.comments).toEqual([]);
    // Group: still two members, neither of them named eve.
    const group = await store().getDocument<{ members: { customerId: string }[] }>(t.shop.shopId, { collection: 'shareSaveGroups', id: groupCode });
    expect(group!.members.map((m) => m.customerId)).toEqual(['max', 'erased-1']);
    expect(JSON.stringify(await store().listDocuments(t.shop.shopId, 'shareSaveMemberships'))).not.toContain('eve');
    // Max, and eve at the other shop, are untouched.
    expect((await t.call('/v1/customers/max/export', { key: sk() })).status).toBe(200);
    expect((await t.call('/v1/customers/eve/export', { key: t.otherShop.secretKey })).status).toBe(200);
  });
});
