// Trophies earned by rules: a level with criteria is granted once the customer's
// events meet them, once, and the event result carries it so the page celebrates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityHeaders, purchase, startTestServer, type TestServer } from '../helpers/server.js';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
  const response = await t.call('/v1/trophies/loyal-customer', {
    method: 'PUT',
    key: t.shop.secretKey,
    body: {
      name: 'Loyal customer',
      description: 'For customers who keep coming back.',
      criteriaNarrative: 'Bronze after 2 orders, silver after 4; gold is given by the shop.',
      levels: [
        { level: 'bronze', criteria: { event: 'purchase', count: 2 } },
        { level: 'silver', criteria: { event: 'purchase', count: 4 } },
        { level: 'gold' },
      ],
    },
  });
  expect(response.status).toBe(201);
});
afterAll(() => t.dispose());

const trophies = async (customerId: string) =>
  (await (await t.call(`/v1/customers/${customerId}`, { key: t.shop.secretKey })).json()).trophies as { id: string; level: string }[];
const buy = async (id: string, customerId: string) =>
  (await (await t.call('/v1/events', { key: t.shop.secretKey, body: purchase(id, customerId) })).json()).results[0];

describe('trophies by rules', () => {
  it('grants a level on the event that meets its criteria, in that event’s awards', async () => {
    expect((await buy('tr-1', 'c-rule')).awards.filter((a: { kind: string }) => a.kind === 'trophy')).toEqual([]);
    const second = await buy('tr-2', 'c-rule');
    expect(second.awards).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'trophy', id: 'loyal-customer', name: 'Loyal customer' })]),
    );
    expect((await trophies('c-rule')).map((x) => x.level)).toEqual(['bronze']);
    await buy('tr-3', 'c-rule');
    await buy('tr-4', 'c-rule');
    expect((await trophies('c-rule')).map((x) => x.level).sort()).toEqual(['bronze', 'silver']);
  });

  it('grants each level once when many events race past the threshold', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => buy(`race-tr-${i}`, 'c-race-tr')));
    const levels = (await trophies('c-race-tr')).map((x) => x.level).sort();
    expect(levels).toEqual(['bronze', 'silver']);
  });

  it('leaves levels without criteria to the shop, and anonymous visitors out', async () => {
    await Promise.all(Array.from({ length: 6 }, (_, i) => buy(`many-${i}`, 'c-many')));
    expect((await trophies('c-many')).map((x) => x.level)).not.toContain('gold');
    await t.call('/v1/trophies/first-visit', {
      method: 'PUT',
      key: t.shop.secretKey,
      body: {
        name: 'First visit',
        description: 'Welcome!',
        criteriaNarrative: 'Visit the shop.',
        levels: [{ level: 'bronze', criteria: { event: 'page_view', count: 1 } }],
      },
    });
    const view = async (id: string, headers: Record<string, string>) =>
      (await (await t.call('/v1/events', { key: t.shop.publishableKey, headers, body: { id, type: 'page_view' } })).json())
        .results[0].awards.filter((a: { kind: string }) => a.kind === 'trophy');
    // A public trophy needs an identity to be about: an anonymous visit earns none…
    expect(await view('anon-view', { 'x-kudos-anonymous-id': 'anon-visitor-0001' })).toEqual([]);
    // …the same visit by a signed-in shopper does.
    const signedIn = await view('known-view', identityHeaders(t.shop, 'c-visitor'));
    expect(signedIn.map((a: { id: string }) => a.id)).toEqual(['first-visit']);
  });

  it('rejects criteria that do not validate, with a pointer into the level', async () => {
    const response = await t.call('/v1/trophies/bad', {
      method: 'PUT',
      key: t.shop.secretKey,
      body: {
        name: 'Bad',
        description: 'x',
        criteriaNarrative: 'x',
        levels: [{ level: 'bronze', criteria: { event: 'purchase', count: 0 } }],
      },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].pointer).toBe('/levels/0/criteria/count');
  });
});
