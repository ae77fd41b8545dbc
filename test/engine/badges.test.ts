import { describe, expect, it } from 'vitest';
import { applyEventToRecord as applyEvent, customerView } from '../../server/loyalty/engine/apply.js';
import type { CustomerRecord } from '../../server/loyalty/engine/customer.js';
import { DEFAULT_PROGRAM, type BadgeDefinition } from '../../server/loyalty/schemas.js';

const at = '2026-11-01T10:00:00.000Z';
const badge = (id: string, criteria: BadgeDefinition['criteria'], name = id): BadgeDefinition => ({
  id,
  name,
  criteria,
  createdAt: at,
  updatedAt: at,
});
const first = badge('first-order', { event: 'purchase', count: 1 }, 'First order');
const regular = badge('regular', { event: 'purchase', count: 3 }, 'Regular');
const spender = badge('spender', { event: 'purchase', sumOf: 'total', atLeast: 100 }, 'Big spender');
const all = [first, regular, spender];
const rules = (badges: BadgeDefinition[]) => ({ badges, program: DEFAULT_PROGRAM });

const purchase = (n: number, total: number) => ({
  id: `e${n}`,
  type: 'purchase',
  properties: { orderId: `o${n}`, total, currency: 'EUR' },
});

function run(events: ReturnType<typeof purchase>[], definitions = all) {
  let customer: CustomerRecord | undefined;
  const awards: string[][] = [];
  for (const event of events) {
    const decision = applyEvent(customer, 'c1', event, rules(definitions), at);
    customer = decision.customer;
    awards.push(decision.awards.map((a) => a.id));
  }
  return { customer: customer!, awards };
}

describe('badge engine', () => {
  it('grants a count badge on the event that reaches the count, and only then', () => {
    const { awards } = run([purchase(1, 10), purchase(2, 10), purchase(3, 10), purchase(4, 10)]);
    expect(awards).toEqual([['first-order'], [], ['regular'], []]);
  });

  it('grants a sum badge when the running sum of the property reaches the threshold', () => {
    const { awards, customer } = run([purchase(1, 60), purchase(2, 39.99), purchase(3, 0.01)]);
    expect(awards[1]).not.toContain('spender');
    expect(awards[2]).toContain('spender');
    expect(customer.stats.purchase!.sums.total).toBe(100);
  });

  it('keeps money sums exact to the cent (0.1 + 0.2 does not drift)', () => {
    const tiny = badge('tiny', { event: 'purchase', sumOf: 'total', atLeast: 0.3 });
    const { awards } = run([purchase(1, 0.1), purchase(2, 0.2)], [tiny]);
    expect(awards).toEqual([[], ['tiny']]);
  });

  it('never grants a badge twice, even if its criteria keep holding', () => {
    const { customer, awards } = run(Array.from({ length: 10 }, (_, i) => purchase(i, 50)));
    expect(awards.flat().filter((id) => id === 'first-order')).toHaveLength(1);
    expect(Object.keys(customer.badges).sort()).toEqual(['first-order', 'regular', 'spender']);
  });

  it('ignores events of other types', () => {
    const decision = applyEvent(undefined, 'c1', { id: 'v1', type: 'page_view' }, rules(all), at);
    expect(decision.awards).toEqual([]);
    expect(decision.customer.stats.page_view!.count).toBe(1);
  });

  it('does not mutate the state it was given (pure)', () => {
    const { customer } = run([purchase(1, 10)]);
    const snapshot = structuredClone(customer);
    applyEvent(customer, 'c1', purchase(2, 10), rules(all), at);
    expect(customer).toEqual(snapshot);
  });

  it('shows earned badges and locked ones with capped progress', () => {
    const { customer } = run([purchase(1, 70), purchase(2, 20)]);
    const view = customerView('c1', customer, rules(all), at);
    expect(view.badges.map((b) => b.id)).toEqual(['first-order']);
    expect(view.lockedBadges).toEqual([
      { id: 'regular', name: 'Regular', progress: { current: 2, target: 3, event: 'purchase' } },
      { id: 'spender', name: 'Big spender', progress: { current: 90, target: 100, event: 'purchase', property: 'total' } },
    ]);
  });

  it('shows a customer never seen as all locked at zero', () => {
    const view = customerView('new', undefined, rules(all), at);
    expect(view).toMatchObject({ customerId: 'new', points: 0, tier: null, badges: [], trophies: [] });
    expect(view.lockedBadges.map((b) => b.progress.current)).toEqual([0, 0, 0]);
  });
});
