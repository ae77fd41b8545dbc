// Points, tiers, rewards and redemptions over HTTP: the auth matrix, validation
// and the races that must never let a balance go negative.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityHeaders, purchase, startTestServer, type TestServer } from '../helpers/server.js';

let t: TestServer;
const sk = () => t.shop.secretKey;
const pk = () => t.shop.publishableKey;

beforeAll(async () => {
  t = await startTestServer();
  await t.call('/v1/program', {
    method: 'PUT',
    key: sk(),
    body: {
      earn: [
        { event: 'purchase', points: 1, per: 'total' },
        { event: 'review', points: 50 },
      ],
      tiers: { basis: 'points', windowDays: 365, levels: [{ name: 'Bronze', min: 0 }, { name: 'Silver', min: 200 }] },
    },
  });
  await t.call('/v1/rewards/coffee', {
    method: 'PUT',
    key: sk(),
    body: { name: 'Free coffee', cost: 100, discount: { kind: 'fixed', amount: 5, currency: 'EUR' } },
  });
  await t.call('/v1/rewards/retired', {
    method: 'PUT',
    key: sk(),
    body: { name: 'Old mug', cost: 10, discount: { kind: 'percent', percent: 10 }, active: false },
  });
});
afterAll(() => t.dispose());

const state = async (customerId: string) => (await t.call(`/v1/customers/${customerId}`, { key: sk() })).json();
const redeem = (customerId: string, body: object, key = sk(), headers = {}) =>
  t.call(`/v1/customers/${customerId}/redemptions`, { key, body, headers });

describe('program and rewards configuration', () => {
  it('needs the secret key to write, lets pages read', async () => {
    expect((await t.call('/v1/program', { method: 'PUT', key: pk(), body: {} })).status).toBe(403);
    expect((await t.call('/v1/program', { method: 'PUT', body: {} })).status).toBe(401);
    const program = await (await t.call('/v1/program', { key: pk() })).json();
    expect(program.earn).toHaveLength(2);
    const reward = { name: 'X', cost: 1, discount: { kind: 'percent', percent: 5 } };
    expect((await t.call('/v1/rewards/x', { method: 'PUT', key: pk(), body: reward })).status).toBe(403);
  });

  it('shows shoppers only active rewards, and the shop all of them', async () => {
    const forPage = await (await t.call('/v1/rewards', { key: pk() })).json();
    expect(forPage.data.map((r: { id: string }) => r.id)).toEqual(['coffee']);
    const forShop = await (await t.call('/v1/rewards', { key: sk() })).json();
    expect(forShop.data.map((r: { id: string }) => r.id).sort()).toEqual(['coffee', 'retired']);
  });

  it('rejects tiers out of order and malformed discounts with pointers', async () => {
    const tiers = await t.call('/v1/program', {
      method: 'PUT',
      key: sk(),
      body: { tiers: { basis: 'points', levels: [{ name: 'Gold', min: 500 }, { name: 'Silver', min: 100 }] } },
    });
    expect(tiers.status).toBe(400);
    expect((await tiers.json()).errors[0].pointer).toBe('/tiers/levels');
    const discount = await t.call('/v1/rewards/bad', {
      method: 'PUT',
      key: sk(),
      body: { name: 'Bad', cost: 10, discount: { kind: 'percent', percent: 150 } },
    });
    expect((await discount.json()).errors[0].pointer).toBe('/discount/percent');
  });

  it("keeps one shop's rewards from another", async () => {
    const response = await redeem('c1', { rewardId: 'coffee' }, t.otherShop.secretKey);
    expect(response.status).toBe(404);
  });
});

describe('points over HTTP', () => {
  it('earns, shows the tier and its progress, and a refund visibly takes points back', async () => {
    await t.call('/v1/events', { key: sk(), body: purchase('pts-1', 'c-points', 150) });
    expect(await state('c-points')).toMatchObject({
      points: 150,
      tier: 'Bronze',
      tierProgress: { next: { name: 'Silver', remaining: 50 } },
    });
    const refunded = await t.call('/v1/events', {
      key: sk(),
      body: { id: 'rf-1', type: 'refund', customerId: 'c-points', properties: { orderId: 'o-pts-1', amount: 50 } },
    });
    expect(refunded.status).toBe(200);
    const after = await state('c-points');
    expect(after.points).toBe(100);
    expect(after.activity[0]).toMatchObject({ kind: 'clawback', points: -50, orderId: 'o-pts-1' });
  });

  it('refuses internal event types from clients', async () => {
    const response = await t.call('/v1/events', {
      key: sk(),
      body: { id: 'forge-1', type: 'kudos.redemption', customerId: 'c1', properties: { cost: -1000 } },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].pointer).toBe('/type');
  });
});

describe('redemptions', () => {
  it('lets the shopper redeem for themself with a verified identity, never for someone else', async () => {
    await t.call('/v1/events', { key: sk(), body: purchase('self-1', 'c-self', 120) });
    const mine = await redeem('c-self', { rewardId: 'coffee' }, pk(), identityHeaders(t.shop, 'c-self'));
    expect(mine.status).toBe(201);
    expect(await mine.json()).toMatchObject({ rewardId: 'coffee', points: -100, balance: 20, code: expect.stringMatching(/^[A-Z0-9]{10}$/) });
    const theirs = await redeem('c-self', { rewardId: 'coffee' }, pk(), identityHeaders(t.shop, 'c-other'));
    expect(theirs.status).toBe(403);
    const anonymous = await redeem('c-self', { rewardId: 'coffee' }, pk());
    expect(anonymous.status).toBe(403);
  });

  it('answers 409 without enough points or for an inactive reward, and spends nothing', async () => {
    await t.call('/v1/events', { key: sk(), body: purchase('poor-1', 'c-poor', 30) });
    const poor = await redeem('c-poor', { rewardId: 'coffee' });
    expect(poor.status).toBe(409);
    expect((await poor.json()).detail).toMatch(/needs 100 points; 30 are available/);
    expect((await redeem('c-poor', { rewardId: 'retired' })).status).toBe(409);
    expect((await state('c-poor')).points).toBe(30);
  });

  it('returns the same code for a replayed id and spends once', async () => {
    await t.call('/v1/events', { key: sk(), body: purchase('replay-r', 'c-replay-r', 250) });
    const first = await (await redeem('c-replay-r', { rewardId: 'coffee', id: 'order-77-reward' })).json();
    const again = await redeem('c-replay-r', { rewardId: 'coffee', id: 'order-77-reward' });
    expect(again.status).toBe(200);
    expect((await again.json()).code).toBe(first.code);
    expect((await state('c-replay-r')).points).toBe(150);
  });

  it('never lets 50 concurrent redemptions take the balance below zero', async () => {
    await t.call('/v1/events', { key: sk(), body: purchase('race-r', 'c-race-r', 500) });
    const responses = await Promise.all(Array.from({ length: 50 }, () => redeem('c-race-r', { rewardId: 'coffee' })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(45);
    const codes = await Promise.all(responses.filter((r) => r.status === 201).map(async (r) => (await r.json()).code));
    expect(new Set(codes).size).toBe(5);
    expect((await state('c-race-r')).points).toBe(0);
  });
});

describe('retiring a badge', () => {
  it('stops awarding it and offering it, while those who hold it keep it', async () => {
    const badge = (active?: boolean) =>
      t.call('/v1/badges/regular', {
        method: 'PUT',
        key: sk(),
        body: { name: 'Regular', criteria: { event: 'purchase', count: 1 }, ...(active !== undefined && { active }) },
      });
    await badge();
    await t.call('/v1/events', { key: sk(), body: purchase('p-ret-1', 'c-ret-holder', 5) });
    expect((await badge(false)).status).toBe(200);
    const earned = await t.call('/v1/events', { key: sk(), body: purchase('p-ret-2', 'c-ret-late', 5) });
    expect((await earned.json()).results[0].awards.map((a: { id: string }) => a.id)).not.toContain('regular');
    const late = await (await t.call('/v1/customers/c-ret-late', { key: sk() })).json();
    expect(late.badges.map((b: { id: string }) => b.id)).not.toContain('regular');
    expect(late.lockedBadges.map((b: { id: string }) => b.id)).not.toContain('regular');
    const holder = await (await t.call('/v1/customers/c-ret-holder', { key: sk() })).json();
    expect(holder.badges.map((b: { id: string }) => b.id)).toContain('regular');
    const shown = await (await t.call('/v1/badges', { key: pk() })).json();
    expect(shown.data.map((b: { id: string }) => b.id)).not.toContain('regular');
    const all = await (await t.call('/v1/badges', { key: sk() })).json();
    expect(all.data.find((b: { id: string }) => b.id === 'regular')).toMatchObject({ active: false });
    // Back in service: awarded again.
    await badge(true);
    const again = await t.call('/v1/events', { key: sk(), body: purchase('p-ret-3', 'c-ret-late', 5) });
    expect((await again.json()).results[0].awards.map((a: { id: string }) => a.id)).toContain('regular');
  });
});
