// The demo shop's loyalty setup and the demo backend routes the storefront uses:
// purchase returns its order id, refund takes that order's points back.
import { demoKeyOf } from '../../server/access/secrets.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

let t: TestServer;
const sk = () => demoKeyOf(t.server.demoShop!);
const demo = (path: string, body: object) => t.call(path, { body });
const balance = async (customerId: string) =>
  (await (await t.call(`/v1/customers/${customerId}`, { key: sk() })).json()) as {
    points: number;
    tierProgress: { current: { name: string }; next: { name: string; remaining: number } | null };
  };

beforeAll(async () => {
  t = await startTestServer({ seedDemo: true });
});
afterAll(() => t.dispose());

describe('demo shop loyalty', () => {
  it('is seeded with a program (1 point per €, 50 per review, 10 per share (one per product, three a day), 20 per survey answer (one per survey a day); Bronze/Silver/Gold) and two rewards', async () => {
    const pk = t.server.demoShop!.publishableKey;
    const program = await (await t.call('/v1/program', { key: pk })).json();
    expect(program.earn).toEqual([
      { event: 'purchase', points: 1, per: 'total' },
      { event: 'review', points: 50 },
      { event: 'share', points: 10, cap: { perDay: 3, target: 'productId' } },
      { event: 'survey_response', points: 20, cap: { perDay: 1, target: 'surveyId' } },
    ]);
    expect(program.tiers.levels.map((l: { name: string; min: number }) => `${l.name} ${l.min}`)).toEqual([
      'Bronze 0',
      'Silver 100',
      'Gold 300',
    ]);
    const { data: rewards } = await (await t.call('/v1/rewards', { key: pk })).json();
    expect(rewards.map((r: { name: string; cost: number }) => `${r.name} ${r.cost}`).sort()).toEqual([
      'Free bag of beans 250',
      '€5 off 100',
    ]);
  });

  it('purchase answers the order id; refund of that order takes its points back, once', async () => {
    const bought = await (await demo('/demo/purchase', { customerId: 'c_refund', total: 24 })).json();
    expect(bought.orderId).toMatch(/^demo-/);
    await demo('/demo/purchase', { customerId: 'c_refund', total: 24 });
    expect((await balance('c_refund')).points).toBe(48);

    const refund = await demo('/demo/refund', { customerId: 'c_refund', orderId: bought.orderId, amount: 24 });
    expect(refund.status).toBe(200);
    expect((await refund.json()).status).toBe('accepted');
    expect((await balance('c_refund')).points).toBe(24);
    // The same refund again is a duplicate: nothing more is taken.
    expect((await (await demo('/demo/refund', { customerId: 'c_refund', orderId: bought.orderId })).json()).status).toBe('duplicate');
    expect((await balance('c_refund')).points).toBe(24);
  });

  it('refuses a refund without an order id with a pointer', async () => {
    const answer = await demo('/demo/refund', { customerId: 'c_refund' });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect((await answer.json()).errors).toEqual([expect.objectContaining({ pointer: '/orderId' })]);
  });
});
