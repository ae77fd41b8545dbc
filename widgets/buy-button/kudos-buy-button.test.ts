import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import { createShop, deadApi, hangingApi, removeRuntime, useRuntime, useShop, type TestShop } from '../../test/web/kudos.js';
import { KudosBuyButton, type CheckoutDetail } from './kudos-buy-button.js';

const $ = <T extends Element = HTMLElement>(el: Element, selector: string) => el.shadowRoot!.querySelector<T>(selector);
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const part = (el: Element, name: string) => $(el, `[part~="${name}"]`);
const button = (el: Element) => part(el, 'buy-button') as HTMLButtonElement;
const loaded = (el: Element) => waitUntil(() => part(el, 'base')?.getAttribute('aria-busy') === 'false', 'widget never finished loading');
const rem = () => parseFloat(getComputedStyle(document.documentElement).fontSize);
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const HOUR = 3_600_000;

const MUG = {
  name: 'Moon glaze mug',
  price: 28,
  currency: 'EUR',
  imageUrl: `${location.origin}/nothing-here.png`,
  checkoutUrl: 'https://mia.example/cart?add=mug',
  availableUntil: iso(2 * HOUR),
  stock: 50,
};

type Requests = { method: string; path: string; headers: Record<string, string>; body: { type?: string; properties?: Record<string, unknown> } }[];
const requests = (key: string) => executeServerCommand<Requests, unknown>('kudos-requests', { key });

async function shopWith(products: Record<string, object>, customerId?: string | null): Promise<TestShop> {
  const shop = await createShop(customerId === undefined ? { customerId: null } : { customerId });
  for (const [id, product] of Object.entries(products)) {
    await executeServerCommand('kudos-product', { publishableKey: shop.publishableKey, id, product });
  }
  return shop;
}

async function mount(product = 'mug', locale = 'en', key?: string) {
  const el = await fixture<KudosBuyButton>(html`<kudos-buy-button product=${product} locale=${locale} key=${key ?? ''}></kudos-buy-button>`);
  await loaded(el);
  return el;
}

/** Press the button; the page cancels `kudos-checkout` so the test page stays, and gets its detail. */
async function buy(el: KudosBuyButton): Promise<CheckoutDetail> {
  const checkout = new Promise<CheckoutDetail>((resolve) =>
    el.addEventListener('kudos-checkout', (e) => {
      e.preventDefault();
      resolve((e as CustomEvent<CheckoutDetail>).detail);
    }, { once: true }),
  );
  button(el).focus();
  await sendKeys({ press: 'Enter' });
  return checkout;
}

afterEach(() => {
  removeRuntime();
});

describe('<kudos-buy-button>', () => {
  it('is defined once; defining again is harmless', () => {
    expect(customElements.get('kudos-buy-button')).to.equal(KudosBuyButton);
    expect(KudosBuyButton.define('kudos-buy-button')).to.equal(KudosBuyButton);
  });

  it('reserves the loader’s height with an image placeholder while the API does not answer', async () => {
    useRuntime({ api: await hangingApi(), key: 'pk_hanging' });
    const el = await fixture<KudosBuyButton>(html`<kudos-buy-button product="mug" locale="en"></kudos-buy-button>`);
    expect(part(el, 'base')!.getAttribute('aria-busy')).to.equal('true');
    expect(part(el, 'image')).to.exist;
    expect(el.getBoundingClientRect().height).to.be.closeTo(25 * rem(), 0.5);
    await expect(el).to.be.accessible();
  });

  it('does not grow when a drop with a two-line name, stock and countdown arrives in a narrow listing column', async () => {
    const shop = await shopWith({ mug: { ...MUG, name: 'Moon glaze mug — drop #3' } });
    useShop(shop);
    const column = await fixture<HTMLDivElement>(html`<div style="width:230px"><kudos-buy-button product="mug" locale="en"></kudos-buy-button></div>`);
    const el = column.querySelector('kudos-buy-button')!;
    const reserved = el.getBoundingClientRect().height;
    await loaded(el);
    expect(part(el, 'countdown')).to.exist;
    expect(el.getBoundingClientRect().height).to.equal(reserved);
  });

  it('leaves no blank above "Buy now" in a phone-wide card, and keeps the reserved height (issue 18)', async () => {
    const shop = await shopWith({ mug: MUG, limited: { ...MUG, perCustomerLimit: 1 } }, 'c_phone');
    const rt = useShop(shop);
    const { token } = await rt.request<{ token: string }>('/v1/products/limited/reservations', { body: { ref: location.origin } });
    await executeServerCommand('kudos-purchase', { publishableKey: shop.publishableKey, customerId: 'c_phone', total: 28, properties: { kudos_reservation: token } });
    // A 390 px phone: the card is the page's width less its margins. At the limit the card has one more line.
    for (const [product, width] of [['mug', 358], ['limited', 358], ['limited', 230]] as const) {
      const column = await fixture<HTMLDivElement>(html`<div style="width:${width}px"><kudos-buy-button product=${product} locale="en"></kudos-buy-button></div>`);
      const el = column.querySelector('kudos-buy-button')!;
      const reserved = el.getBoundingClientRect().height;
      await loaded(el);
      const card = part(el, 'base')!;
      const gap = parseFloat(getComputedStyle(card).rowGap);
      const above = [...card.children].filter((c) => c.localName != 'button').map((c) => c.getBoundingClientRect().bottom);
      const blank = button(el).getBoundingClientRect().top - Math.max(...above.filter((b) => b <= button(el).getBoundingClientRect().top));
      expect(blank, `blank above the button of ${product} at ${width} px`).to.be.at.most(gap + 1);
      expect(el.getBoundingClientRect().height, `${product} at ${width} px grew`).to.equal(reserved);
    }
  });

  it('shows a retryable error when the API is unreachable', async () => {
    useRuntime({ api: await deadApi(), key: 'pk_dead' });
    const el = await mount();
    expect(text(part(el, 'error-message'))).to.contain('couldn’t reach');
    expect(part(el, 'retry-button')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('shows a live drop: name, price, stock left, a countdown to its end; records the view for this directory', async () => {
    const shop = await shopWith({ mug: MUG });
    useShop(shop);
    const el = await mount();
    expect(text(part(el, 'name'))).to.equal('Moon glaze mug');
    expect(text(part(el, 'price'))).to.equal('€28');
    expect(text(part(el, 'stock'))).to.equal('50 left');
    expect(text(part(el, 'countdown'))).to.match(/^Ends in (1:59:\d\d|2:00:00)$/);
    expect(button(el).disabled).to.equal(false);
    expect(part(el, 'image')!.getAttribute('alt')).to.equal('');
    await expect(el).to.be.accessible();
    const isView = (r: { path: string; body?: { type?: string } }) => r.path === '/v1/products/mug/interactions' && r.body?.type === 'view';
    await waitUntil(async () => (await requests(shop.publishableKey)).some(isView), 'no view recorded');
    expect((await requests(shop.publishableKey)).find(isView)!.body).to.deep.equal({ type: 'view', ref: location.origin });
  });

  it('holds a unit on Enter and opens the checkout with kudos_src, kudos_ref and the reservation', async () => {
    const shop = await shopWith({ mug: MUG });
    useShop(shop);
    const el = await mount();
    const detail = await buy(el);
    const url = new URL(detail.url);
    expect(url.origin + url.pathname).to.equal('https://mia.example/cart');
    expect(url.searchParams.get('kudos_src')).to.equal('directory');
    expect(url.searchParams.get('kudos_ref')).to.equal(location.origin);
    expect(url.searchParams.get('kudos_reservation')).to.equal(detail.reservation).and.match(/^mug\./);
    const sent = await requests(shop.publishableKey);
    expect(sent.some((r) => r.path === '/v1/products/mug/interactions' && r.body?.type === 'click')).to.equal(true);
    expect(sent.some((r) => r.path === '/v1/products/mug/reservations' && r.method === 'POST')).to.equal(true);
  });

  it('shows sold out with the action disabled', async () => {
    useShop(await shopWith({ bowl: { ...MUG, name: 'Speckled bowl', stock: 0 } }));
    const el = await mount('bowl');
    expect(text(part(el, 'notice'))).to.equal('Sold out');
    expect(part(el, 'stock')).to.equal(null);
    expect(part(el, 'countdown')).to.equal(null);
    expect(button(el).disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('says so when the last unit went to someone else meanwhile, and shows the new state', async () => {
    // Anonymous visitors may hold the whole (one-unit) drop here: the shop set their share to 100%.
    const shop = await shopWith({ mug: { ...MUG, stock: 1, anonymousHoldShare: 100 } });
    useShop(shop);
    const el = await mount();
    expect(text(part(el, 'stock'))).to.equal('1 left');
    // Another shopper holds the last unit first.
    const other = await fetch(`${shop.api}/v1/products/mug/reservations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${shop.publishableKey}`, 'x-kudos-anonymous-id': 'someone-else-1', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(other.status).to.equal(201);
    button(el).click();
    await waitUntil(() => text(part(el, 'status')) === 'Sold out', 'refusal not shown');
    await waitUntil(() => button(el).disabled && text(part(el, 'notice')) === 'Sold out', 'state not refreshed');
  });

  it('asks an anonymous visitor to sign in when the rest of a drop is kept for customers', async () => {
    const shop = await shopWith({ mug: { ...MUG, stock: 5, anonymousHoldShare: 0 } });
    useShop(shop);
    const el = await mount();
    button(el).click();
    await waitUntil(() => text(part(el, 'status')) === 'Sign in to buy: the rest is kept for customers.', 'refusal not shown');
    expect(button(el).disabled).to.equal(false);
    expect(text(part(el, 'stock'))).to.equal('5 left');
  });

  it('counts down to the opening, then opens by itself', async () => {
    useShop(await shopWith({ soon: { ...MUG, availableFrom: iso(2500), availableUntil: iso(HOUR) } }));
    const el = await mount('soon');
    expect(text(part(el, 'countdown'))).to.match(/^Opens in 0:00:0[0-3]$/);
    expect(button(el).disabled).to.equal(true);
    const first = text(part(el, 'countdown'));
    await waitUntil(() => text(part(el, 'countdown')) !== first, 'the countdown does not tick');
    await waitUntil(() => !button(el).disabled, 'never opened', { timeout: 8000 });
    expect(text(part(el, 'countdown'))).to.match(/^Ends in 0:59:\d\d$/);
  });

  it('counts down in days when the drop is a day or more away, in the reader’s language (issue 18)', async () => {
    const DAY = 24 * HOUR;
    useShop(
      await shopWith({
        later: { ...MUG, availableFrom: iso(47 * HOUR + 48 * 60_000), availableUntil: iso(5 * DAY) },
        long: { ...MUG, availableUntil: iso(3 * DAY + HOUR) },
      }),
    );
    const later = await mount('later');
    expect(text(part(later, 'countdown'))).to.equal('Opens in 2 days');
    expect(part(later, 'countdown')!.querySelector('time')!.getAttribute('datetime')).to.match(/^\d{4}-\d\d-\d\dT/);
    const long = await mount('long');
    expect(text(part(long, 'countdown'))).to.equal('Ends in 3 days');
    const fr = await mount('long', 'fr');
    await waitUntil(() => text(part(fr, 'countdown')) === 'Fin dans 3 jours', `French: ${text(part(fr, 'countdown'))}`);
    const de = await mount('long', 'de');
    await waitUntil(() => text(part(de, 'countdown')) === 'Endet in 3 Tagen', `German: ${text(part(de, 'countdown'))}`);
    await expect(de).to.be.accessible();
  });

  it('is disabled, saying why, for a signed-in customer at the per-customer limit (issue 18)', async () => {
    const shop = await shopWith({ mug: { ...MUG, perCustomerLimit: 1 } }, 'c_limit');
    const rt = useShop(shop);
    const el = await mount();
    expect(button(el).disabled).to.equal(false);
    // Meanwhile, in another tab, the customer buys their one.
    const { token } = await rt.request<{ token: string }>('/v1/products/mug/reservations', { body: { ref: location.origin } });
    await executeServerCommand('kudos-purchase', { publishableKey: shop.publishableKey, customerId: 'c_limit', total: 28, properties: { kudos_reservation: token } });
    // This card's view is stale: pressing is refused, and then the button says no for good.
    button(el).click();
    await waitUntil(() => button(el).disabled && text(part(el, 'notice')) === 'Limit per customer reached.', 'not disabled after the refusal');
    // Back later: disabled from the start, with the reason beside it and as its description.
    const again = await mount();
    const notice = part(again, 'notice')!;
    expect(button(again).disabled).to.equal(true);
    expect(text(notice)).to.equal('Limit per customer reached.');
    expect(button(again).getAttribute('aria-describedby')!.split(' ')).to.include(notice.id);
    await expect(again).to.be.accessible();
  });

  it('tells insiders-only visitors how to qualify', async () => {
    const shop = await shopWith({});
    await executeServerCommand('kudos-badge', { publishableKey: shop.publishableKey, badge: { id: 'regular', name: 'Regular', criteria: { event: 'purchase', count: 3 } } });
    await executeServerCommand('kudos-product', {
      publishableKey: shop.publishableKey,
      id: 'early',
      product: { ...MUG, availableFrom: iso(HOUR), availableUntil: iso(2 * HOUR), earlyAccess: [{ opensAt: iso(-HOUR), badge: 'regular' }] },
    });
    useShop(shop);
    const el = await mount('early');
    expect(text(part(el, 'notice'))).to.equal('Insiders only: “Regular” badge holders.');
    expect(text(part(el, 'countdown'))).to.match(/^Open to all in 0:59:\d\d$/);
    button(el).click();
    await waitUntil(() => text(part(el, 'status')) === 'Only insiders can buy yet.', 'refusal not shown');
  });

  it('speaks French: price, stock and action', async () => {
    useShop(await shopWith({ mug: MUG }));
    const el = await mount('mug', 'fr');
    await waitUntil(() => text(button(el)) === 'Acheter', 'French strings never arrived');
    expect(text(part(el, 'price'))).to.equal('28 €');
    expect(text(part(el, 'stock'))).to.equal('Plus que 50');
    expect(text(part(el, 'countdown'))).to.match(/^Fin dans/);
  });

  it('sells another shop’s product with that shop’s key, as an anonymous visitor', async () => {
    const page = await createShop({ customerId: 'c_page' });
    const ceramics = await shopWith({ mug: MUG });
    useShop(page);
    const el = await mount('mug', 'en', ceramics.publishableKey);
    expect(text(part(el, 'name'))).to.equal('Moon glaze mug');
    await buy(el);
    const sent = await requests(ceramics.publishableKey);
    const hold = sent.find((r) => r.path === '/v1/products/mug/reservations')!;
    expect(hold.headers['x-kudos-customer']).to.equal(undefined);
    expect(hold.headers['x-kudos-anonymous-id']).to.match(/^[\w-]{8,}$/);
  });
});
