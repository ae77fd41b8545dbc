// Products and drops with an injected clock: window edges, insider layers by
// badge and tier, holds that expire and give their unit back, per-customer
// limits, confirmation by purchase, and never selling more than the stock.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../server/errors.js';
import {
  checkoutUrlOf,
  confirm,
  emptyStock,
  productOfToken,
  publicView,
  remainingOf,
  reserve,
  windowOf,
  type Standing,
  type StockState,
} from '../../server/products/engine.js';
import { ProductInput, type Product } from '../../server/products/schemas.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (t: number) => new Date(t).toISOString();

const product = (over: Partial<ProductInput> = {}): Product => ({
  id: 'mug',
  ...ProductInput.parse({ name: 'Mug', price: 28, currency: 'EUR', checkoutUrl: 'https://mia.example/cart?add=mug', ...over }),
  createdAt: '',
  updatedAt: '',
});

const drop = (over: Partial<ProductInput> = {}) =>
  product({ availableFrom: iso(T0), availableUntil: iso(T0 + 24 * HOUR), stock: 3, ...over });

let n = 0;
const token = () => `mug.token${String(++n).padStart(12, '0')}`;

/** Reserve and return the new stock state (throws the refusal). */
function hold(p: Product, stock: StockState, customer: string, now: number, standing?: Standing) {
  return reserve(p, stock, { customer, standing }, token(), now);
}

function refusal(run: () => unknown): { status: number; slug: string } {
  try {
    run();
  } catch (e) {
    if (e instanceof DomainError) return { status: e.status, slug: e.slug };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('sale window', () => {
  it('is upcoming until availableFrom, open from that very millisecond, closed at availableUntil', () => {
    const p = drop();
    expect(windowOf(p, T0 - 1)).toEqual({ state: 'upcoming', changesAt: T0 });
    expect(windowOf(p, T0)).toEqual({ state: 'open', changesAt: T0 + 24 * HOUR });
    expect(windowOf(p, T0 + 24 * HOUR - 1).state).toBe('open');
    expect(windowOf(p, T0 + 24 * HOUR)).toEqual({ state: 'closed', changesAt: null });
  });

  it('refuses holds before opening and after closing, and accepts one at the opening edge', () => {
    const p = drop();
    expect(refusal(() => hold(p, emptyStock(), 'a', T0 - 1))).toEqual({ status: 409, slug: 'not-open-yet' });
    expect(hold(p, emptyStock(), 'a', T0).token).toMatch(/^mug\./);
    expect(refusal(() => hold(p, emptyStock(), 'a', T0 + 24 * HOUR))).toEqual({ status: 409, slug: 'sale-ended' });
  });

  it('shows a product without dates as open with nothing to count down, and unlimited stock as null', () => {
    const view = publicView(product(), emptyStock(), T0, {});
    expect(view).toMatchObject({ state: 'open', changesAt: null, remaining: null, reserve: false });
  });
});

describe('layered insider windows', () => {
  const layered = () =>
    drop({
      earlyAccess: [
        { opensAt: iso(T0 - 2 * HOUR), tier: 'Gold' },
        { opensAt: iso(T0 - HOUR), badge: 'regular' },
      ],
    });
  const tiers = ['Silver', 'Gold', 'Platinum'];
  const gold: Standing = { badges: [], tier: 'Gold', tiers };
  const platinum: Standing = { badges: [], tier: 'Platinum', tiers };
  const silver: Standing = { badges: [], tier: 'Silver', tiers };
  const regular: Standing = { badges: ['regular'], tier: null, tiers };

  it('opens to Gold (and higher tiers) first, then adds badge holders, then everyone', () => {
    const p = layered();
    // Before any layer: upcoming, counting down to the first insider opening.
    expect(windowOf(p, T0 - 3 * HOUR)).toEqual({ state: 'upcoming', changesAt: T0 - 2 * HOUR });
    expect(refusal(() => hold(p, emptyStock(), 'g', T0 - 3 * HOUR, gold)).slug).toBe('not-open-yet');

    const goldHour = T0 - 2 * HOUR;
    expect(windowOf(p, goldHour)).toEqual({ state: 'insiders', changesAt: T0 });
    expect(hold(p, emptyStock(), 'g', goldHour, gold).token).toBeTruthy();
    expect(hold(p, emptyStock(), 'p', goldHour, platinum).token).toBeTruthy();
    expect(refusal(() => hold(p, emptyStock(), 's', goldHour, silver))).toEqual({ status: 403, slug: 'insiders-only' });
    // The badge layer is not open yet.
    expect(refusal(() => hold(p, emptyStock(), 'r', goldHour, regular)).slug).toBe('insiders-only');
    expect(refusal(() => hold(p, emptyStock(), 'anon', goldHour)).slug).toBe('insiders-only');

    const badgeHour = T0 - HOUR;
    expect(hold(p, emptyStock(), 'r', badgeHour, regular).token).toBeTruthy();
    expect(refusal(() => hold(p, emptyStock(), 's', badgeHour, silver)).slug).toBe('insiders-only');

    // Public opening: anyone, anonymous included.
    expect(hold(p, emptyStock(), 'anon', T0).token).toBeTruthy();
  });

  it('tells how to qualify in the public view, with the badge name', () => {
    const view = publicView(layered(), emptyStock(), T0 - 90 * MIN, { regular: 'Regular' });
    expect(view.state).toBe('insiders');
    expect(view.changesAt).toBe(iso(T0));
    expect(view.insiders).toEqual([
      { opensAt: iso(T0 - 2 * HOUR), tier: 'Gold' },
      { opensAt: iso(T0 - HOUR), badge: { id: 'regular', name: 'Regular' } },
    ]);
  });

  it('refuses early access without availableFrom, or a layer opening after it', () => {
    const base = { name: 'Mug', price: 1, currency: 'EUR', checkoutUrl: 'https://mia.example/' };
    const noFrom = ProductInput.safeParse({ ...base, earlyAccess: [{ opensAt: iso(T0), tier: 'Gold' }] });
    expect(noFrom.success).toBe(false);
    const late = ProductInput.safeParse({ ...base, availableFrom: iso(T0), earlyAccess: [{ opensAt: iso(T0), badge: 'vip' }] });
    expect(late.error?.issues[0]?.path).toEqual(['earlyAccess', 0, 'opensAt']);
    const both = ProductInput.safeParse({ ...base, availableFrom: iso(T0), earlyAccess: [{ opensAt: iso(T0 - 1), badge: 'vip', tier: 'Gold' }] });
    expect(both.success).toBe(false);
  });
});

describe('stock and holds', () => {
  it('counts holds against the stock and gives a unit back when its hold expires', () => {
    const p = drop({ stock: 2, holdMinutes: 10 });
    let stock = hold(p, emptyStock(), 'a', T0).stock;
    stock = hold(p, stock, 'b', T0 + MIN).stock;
    expect(remainingOf(p, stock, T0 + MIN)).toBe(0);
    expect(publicView(p, stock, T0 + MIN, {}).state).toBe('sold-out');
    expect(refusal(() => hold(p, stock, 'c', T0 + 5 * MIN))).toEqual({ status: 409, slug: 'sold-out' });
    // a's hold (T0 + 10 min) runs out: its unit is free again, at that exact millisecond.
    expect(refusal(() => hold(p, stock, 'c', T0 + 10 * MIN - 1)).slug).toBe('sold-out');
    expect(remainingOf(p, stock, T0 + 10 * MIN)).toBe(1);
    const c = hold(p, stock, 'c', T0 + 10 * MIN);
    expect(Object.values(c.stock.holds).map((h) => h.customer).sort()).toEqual(['b', 'c']);
  });

  it('gives a second click of the same buyer the hold they already have', () => {
    const p = drop({ stock: 5 });
    const first = hold(p, emptyStock(), 'a', T0);
    const again = hold(p, first.stock, 'a', T0 + MIN);
    expect(again.token).toBe(first.token);
    expect(again.stock).toBe(first.stock);
    expect(remainingOf(p, again.stock, T0 + MIN)).toBe(4);
  });

  it('never holds more than the stock, however many buyers arrive', () => {
    const p = drop({ stock: 50 });
    let stock = emptyStock();
    let held = 0;
    let refused = 0;
    for (let i = 0; i < 200; i++) {
      try {
        stock = hold(p, stock, `buyer-${i}`, T0).stock;
        held++;
      } catch {
        refused++;
      }
    }
    expect([held, refused]).toEqual([50, 150]);
  });

  it('confirms a hold by purchase once, and a restock raises what is left', () => {
    const p = drop({ stock: 2 });
    const a = hold(p, emptyStock(), 'a', T0);
    const sold = confirm(p, a.stock, a.token, { customer: 'a', orderId: 'o1' }, T0 + MIN);
    expect(sold.status).toBe('confirmed');
    expect(sold.stock.sold).toBe(1);
    expect(confirm(p, sold.stock, a.token, { customer: 'a', orderId: 'o1' }, T0 + 2 * MIN).status).toBe('already-confirmed');
    // Confirmed units stay sold after the hold time.
    expect(remainingOf(p, sold.stock, T0 + HOUR)).toBe(1);
    expect(remainingOf({ ...p, stock: 10 }, sold.stock, T0 + HOUR)).toBe(9);
  });

  it('confirms a late purchase (hold expired) only while a unit is free: never more sold than stock', () => {
    const p = drop({ stock: 1, holdMinutes: 10 });
    const a = hold(p, emptyStock(), 'a', T0);
    // a's hold expired; b holds the only unit.
    const b = hold(p, a.stock, 'b', T0 + 11 * MIN);
    expect(confirm(p, b.stock, a.token, { customer: 'a', orderId: 'late' }, T0 + 12 * MIN).status).toBe('refused');
    const bSold = confirm(p, b.stock, b.token, { customer: 'b', orderId: 'ok' }, T0 + 12 * MIN);
    expect(bSold.status).toBe('confirmed');
    expect(bSold.stock.sold).toBe(1);
    // With the unit free, a late purchase still counts.
    const free = confirm(p, a.stock, a.token, { customer: 'a', orderId: 'late' }, T0 + 12 * MIN);
    expect(free).toMatchObject({ status: 'confirmed', stock: { sold: 1 } });
  });

  it('limits units per customer across sales; other customers are not affected', () => {
    const p = drop({ stock: 10, perCustomerLimit: 2 });
    let stock = emptyStock();
    for (const order of ['o1', 'o2']) {
      const h = hold(p, stock, 'a', T0);
      stock = confirm(p, h.stock, h.token, { customer: 'a', orderId: order }, T0).stock;
    }
    expect(refusal(() => hold(p, stock, 'a', T0 + MIN))).toEqual({ status: 409, slug: 'limit-reached' });
    expect(hold(p, stock, 'b', T0 + MIN).token).toBeTruthy();
  });
});

describe('attribution and tokens', () => {
  it('puts kudos_src, kudos_ref and the reservation on the shop checkout URL, keeping its own query', () => {
    const url = new URL(checkoutUrlOf(drop(), { ref: 'https://eat-local.example', token: 'mug.abc' }));
    expect(url.origin + url.pathname).toBe('https://mia.example/cart');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      add: 'mug',
      kudos_src: 'directory',
      kudos_ref: 'https://eat-local.example',
      kudos_reservation: 'mug.abc',
    });
  });

  it('reads the product back from a token, and nothing from a malformed one', () => {
    expect(productOfToken('moon-mug.AbCdEfGhIjKlMnOpQrSt')).toBe('moon-mug');
    expect(productOfToken('moon-mug')).toBeUndefined();
    expect(productOfToken('Moon.AbCdEfGhIjKlMnOpQrSt')).toBeUndefined();
  });
});
