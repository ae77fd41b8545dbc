// Segments on a hand-computed fixture, period 2026-03-09 → 2026-03-16 (end excluded).
import { describe, expect, it } from 'vitest';
import type { CustomerRecord, OrderRecord } from '../../server/loyalty/engine/customer.js';
import { countedFunnel } from '../../server/products/engine.js';
import { computeSegments } from '../../server/segments/engine.js';

const order = (at: string, total: number, refunded = 0): OrderRecord => ({ total, currency: 'EUR', at: `${at}T10:00:00.000Z`, points: 0, refunded, clawedBack: 0 });
const customer = (customerId: string, orders: Record<string, OrderRecord>): CustomerRecord => ({ customerId, createdAt: '', updatedAt: '', stats: {}, badges: {}, orders });

const customers = [
  // First order a drop sale in the period, came back (kept) in it: drop-acquired, retained; gifted.
  customer('ana', { d1: order('2026-03-10', 30), o2: order('2026-03-12', 20) }),
  // First order a drop sale in the period, came back but that order was refunded in full: not retained; gifted after the period.
  customer('bo', { d2: order('2026-03-11', 30), o3: order('2026-03-13', 15, 15) }),
  // Drop sale that was not the first order (first order before the period): not drop-acquired, not in the cohort.
  customer('cy', { o4: order('2026-03-01', 10), d3: order('2026-03-10', 30) }),
  // Plain first order in the period, came back after the period's end: not retained; not gifted.
  customer('dee', { o5: order('2026-03-14', 12), o6: order('2026-03-17', 12) }),
  // Plain first order, back on the last day: retained; gifted in the period.
  customer('eve', { o7: order('2026-03-09', 8), o8: order('2026-03-15', 8) }),
];

describe('segments', () => {
  it('counts drop funnels by day, the repeat rate of drop-acquired customers and retention with and without a micro-gift', () => {
    const s = computeSegments(
      {
        products: [
          { id: 'vinyl', name: 'Vinyl drop' },
          { id: 'tote', name: 'Tote bag' },
        ],
        funnels: [
          {
            productId: 'vinyl',
            days: {
              '2026-03-08': { views: 50, holds: 9, purchases: 9 }, // before the period
              '2026-03-10': { views: 40, holds: 8, purchases: 3 },
              '2026-03-15': { views: 10, holds: 2, purchases: 1 },
              '2026-03-16': { views: 99, holds: 9, purchases: 9 }, // the end is excluded
            },
          },
        ],
        sales: [
          { productId: 'vinyl', customer: 'ana', orderId: 'd1' },
          { productId: 'vinyl', customer: 'bo', orderId: 'd2' },
          { productId: 'vinyl', customer: 'cy', orderId: 'd3' },
        ],
        customers,
        gifted: new Map([
          ['ana', Date.parse('2026-03-10T10:00:00Z')],
          ['bo', Date.parse('2026-03-20T10:00:00Z')],
          ['eve', Date.parse('2026-03-09T10:00:00Z')],
        ]),
      },
      { from: new Date('2026-03-09T00:00:00Z'), to: new Date('2026-03-16T00:00:00Z') },
    );
    // vinyl: 50 views, 10 holds, 4 purchases in the period; the tote has no funnel yet and is not listed.
    expect(s.drops).toEqual([{ productId: 'vinyl', name: 'Vinyl drop', views: 50, holds: 10, purchases: 4, holdRate: 0.2, purchaseRate: 0.4, conversion: 0.08 }]);
    // ana and bo: drop-acquired in the period; ana retained.
    expect(s.dropAcquired).toEqual({ cohort: 2, retained: 1, rate: 0.5 });
    // First orders in the period: ana, bo, dee, eve. Gifted before the end: ana (retained), eve (retained). Not: bo (refunded return), dee (back too late).
    expect(s.giftRetention).toEqual({ gifted: { cohort: 2, retained: 2, rate: 1 }, notGifted: { cohort: 2, retained: 0, rate: 0 } });
  });

  it('counts one funnel step per call and keeps the newest days', () => {
    let doc = countedFunnel(undefined, 'vinyl', '2026-03-10', 'views', 2);
    doc = countedFunnel(doc, 'vinyl', '2026-03-10', 'views', 2);
    doc = countedFunnel(doc, 'vinyl', '2026-03-11', 'holds', 2);
    doc = countedFunnel(doc, 'vinyl', '2026-03-12', 'purchases', 2);
    expect(doc).toEqual({ productId: 'vinyl', days: { '2026-03-12': { views: 0, holds: 0, purchases: 1 }, '2026-03-11': { views: 0, holds: 1, purchases: 0 } } });
  });
});
