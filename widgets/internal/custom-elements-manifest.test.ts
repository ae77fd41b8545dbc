// custom-elements.json, as `npm run build` writes it (dist/, what kudos-widgets ships), against
// what each element really does in Chromium: every widget is created against the real test
// server and driven through its states (loading, error, empty, anonymous, signed in, the steps
// of its flows; states that need data the server cannot easily produce are set as properties).
// The union over those states of the `part` names in its shadow root, its slots, the
// --kudos-* properties its adopted stylesheets read, its observed attributes and the events it
// dispatches must equal what the manifest documents, both ways.
// (test/server/custom-elements-manifest.test.ts checks the same against the source text.)
import { expect, waitUntil as poll } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { createShop, deadApi, hangingApi, identityFor, purchase, removeRuntime, useRuntime, useShop, type TestShop } from '../../test/web/kudos.js';
import { WIDGET_TAGS } from '../../sdk/widget-tags.js';
import '../badges/kudos-badges.js';
import '../buy-button/kudos-buy-button.js';
import '../launcher/kudos-launcher.js';
import '../nps/kudos-nps.js';
import '../points/kudos-points.js';
import '../share-save/kudos-share-save.js';
import '../toast/kudos-toast.js';
import '../trophy-case/kudos-trophy-case.js';

interface Named {
  name: string;
}
interface Declaration {
  tagName?: string;
  customElement?: boolean;
  attributes?: Named[];
  events?: Named[];
  cssParts?: Named[];
  cssProperties?: Named[];
  slots?: Named[];
}

/** What an element was seen to render, read and dispatch, over all the states it was driven through. */
class Seen {
  parts = new Set<string>();
  slots = new Set<string>();
  cssProperties = new Set<string>();
  events = new Set<string>();
  constructor(readonly tag: string) {}

  /** Everything the element's own shadow root holds now (not nested widgets' roots: those are theirs). */
  snap(el: Element): void {
    const root = el.shadowRoot!;
    for (const node of root.querySelectorAll('[part]')) for (const name of node.part) this.parts.add(name);
    for (const slot of root.querySelectorAll('slot')) this.slots.add(slot.name);
    for (const sheet of root.adoptedStyleSheets) {
      for (const rule of sheet.cssRules) for (const [, name] of rule.cssText.matchAll(/var\(\s*(--kudos-[a-z0-9-]+)/g)) this.cssProperties.add(name!);
    }
  }

  /** A new element of this tag, its dispatched events recorded, attached to the page. */
  create(attributes: Record<string, string> = {}): HTMLElement {
    const el = document.createElement(this.tag);
    const dispatch = el.dispatchEvent.bind(el);
    el.dispatchEvent = (event: Event) => {
      this.events.add(event.type);
      return dispatch(event);
    };
    for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
    document.body.append(el);
    mounted.push(el);
    return el;
  }
}

const mounted: Element[] = [];
/** Server round trips on a busy machine: up to 5 s, not waitUntil's 1 s (a state that never comes still fails). */
const waitUntil = (predicate: () => unknown, message: string, options: { timeout?: number } = {}) => poll(predicate, message, { timeout: 5000, ...options });
let declarations: Declaration[] = [];

before(async () => {
  // The build's output, not the source tree: what a shop installs.
  const response = await fetch('/dist/custom-elements.json');
  if (!response.ok) throw new Error('dist/custom-elements.json is missing: run "npm run build" first.');
  const manifest = (await response.json()) as { modules: { declarations?: Declaration[] }[] };
  declarations = manifest.modules.flatMap((m) => m.declarations ?? []);
});

afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
  removeRuntime();
  localStorage.clear();
  history.replaceState(null, '', location.pathname);
  delete (navigator as { share?: unknown }).share;
});

// Private members are reached by name: the tests run the sources, unminified.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const $ = (el: Element, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
const part = (el: Element, name: string) => $(el, `[part~="${name}"]`);
const loaded = (el: Element) => waitUntil(() => part(el, 'base')?.getAttribute('aria-busy') === 'false', `${el.localName} never finished loading`);
const errored = (el: Element) => waitUntil(() => part(el, 'error'), `${el.localName} never showed its error`);
const settle = async (el: Element) => {
  await (el as Any).updateComplete;
  await new Promise((r) => requestAnimationFrame(r));
};
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const anonymous = (shop: TestShop) => useShop(shop, { customerId: undefined, customerHash: undefined });

/** The loading and the error state of a data widget: a server that never answers, then one that is not there. */
async function loadingAndError(seen: Seen, attributes: Record<string, string> = {}): Promise<void> {
  useRuntime({ api: await hangingApi(), key: 'pk_test_hanging' });
  const waiting = seen.create({ locale: 'en', ...attributes });
  await waitUntil(() => part(waiting, 'base')?.getAttribute('aria-busy') === 'true', 'not busy');
  await settle(waiting);
  seen.snap(waiting);
  waiting.remove();
  useRuntime({ api: await deadApi(), key: 'pk_test_dead' });
  const failing = seen.create({ locale: 'en', ...attributes });
  await errored(failing);
  seen.snap(failing);
  failing.remove();
}

/** The signed-out state of a data widget for `shop`, then the empty state of a new shop. */
async function anonymousThenEmpty(seen: Seen, shop: TestShop, { empty = true } = {}): Promise<void> {
  anonymous(shop);
  const visitor = seen.create({ locale: 'en' });
  await waitUntil(() => part(visitor, 'invitation'), 'no invitation');
  seen.snap(visitor);
  if (!empty) return;
  useShop(await createShop());
  const none = seen.create({ locale: 'en' });
  await waitUntil(() => part(none, 'empty'), 'no empty state');
  seen.snap(none);
}

/** Each tag's states. */
const SCENARIOS: Record<string, (seen: Seen) => Promise<void>> = {
  async 'kudos-badges'(seen) {
    await loadingAndError(seen);
    const shop = await createShop({
      badges: [
        { id: 'first', name: 'First order', description: 'Your first order', icon: '🛍️', criteria: { event: 'purchase', count: 1 } },
        { id: 'second', name: 'Second order', criteria: { event: 'purchase', count: 2 } },
        { id: 'regular', name: 'Regular', icon: 'https://images.example/regular.png', criteria: { event: 'purchase', count: 5 } },
      ],
    });
    await purchase(shop, 10);
    useShop(shop);
    const el = seen.create({ locale: 'en' });
    await loaded(el);
    seen.snap(el);
    // Earned while the page is open: highlighted, tagged "New", announced and dispatched.
    await purchase(shop, 10);
    document.dispatchEvent(new CustomEvent('kudos-refresh'));
    await waitUntil(() => part(el, 'badge-new'), 'no badge earned on the page');
    await settle(el);
    seen.snap(el);
    await anonymousThenEmpty(seen, shop);
  },

  async 'kudos-points'(seen) {
    await loadingAndError(seen);
    const shop = await createShop();
    await executeServerCommand('kudos-program', {
      publishableKey: shop.publishableKey,
      program: {
        earn: [{ event: 'purchase', points: 1, per: 'total' }],
        tiers: { basis: 'points', windowDays: 365, levels: [{ name: 'Bronze', min: 0 }, { name: 'Silver', min: 100 }, { name: 'Gold', min: 300 }] },
      },
    });
    for (const reward of [
      { id: 'five-off', name: '€5 off', cost: 50, discount: { kind: 'fixed', amount: 5, currency: 'EUR' } },
      { id: 'beans', name: 'Free bag of beans', cost: 250, discount: { kind: 'fixed', amount: 24, currency: 'EUR' } },
    ]) {
      await executeServerCommand('kudos-reward', { publishableKey: shop.publishableKey, reward });
    }
    await purchase(shop, 120);
    useShop(shop);
    const el = seen.create({ locale: 'en' }) as Any;
    await waitUntil(() => part(el, 'redeem-button'), 'no redeem button');
    seen.snap(el);
    part(el, 'redeem-button')!.click();
    await waitUntil(() => part(el, 'code-value'), 'no code after redeeming');
    await loaded(el);
    seen.snap(el);
    // Pending points, an expiry, a micro-gift, a claim notice: data the test server has no quick way to make.
    el._s = { ...el._s, pendingPoints: 12, pointsExpireAt: iso(864e5 * 30), gifts: [{ name: 'Tote bag', code: 'GIFT-1' }] };
    el._notice = 'Points from your order were added.';
    await settle(el);
    seen.snap(el);
    // No activity yet; at the top tier.
    el._s = { ...el._s, activity: [], tierProgress: { basis: 'points', value: 400, current: { name: 'Gold', min: 300 }, next: null } };
    await settle(el);
    seen.snap(el);
    await anonymousThenEmpty(seen, shop, { empty: false });
  },

  async 'kudos-trophy-case'(seen) {
    await loadingAndError(seen);
    const shop = await createShop();
    const trophies = [
      { id: 'helper', name: 'Helper', description: 'Helps others.', criteriaNarrative: 'Help', levels: [{ level: 'bronze' }] },
      { id: 'critic', name: 'Critic', description: 'Reviews.', criteriaNarrative: 'Review', levels: [{ level: 'silver' }] },
      { id: 'roaster', name: 'Roaster', description: 'Roasts.', criteriaNarrative: 'Roast', levels: [{ level: 'gold' }] },
      { id: 'locked', name: 'Locked', description: 'Not yet.', image: 'https://images.example/locked.png', criteriaNarrative: 'Later', levels: [{ level: 'gold' }] },
    ];
    for (const trophy of trophies) await executeServerCommand('kudos-trophy', { publishableKey: shop.publishableKey, trophy });
    for (const [trophyId, level] of [['helper', 'bronze'], ['critic', 'silver'], ['roaster', 'gold']]) {
      await executeServerCommand('kudos-trophy-award', { publishableKey: shop.publishableKey, trophyId, customerId: shop.customerId, level });
    }
    useShop(shop);
    // The share sheet, answered at once.
    Object.defineProperty(navigator, 'share', { value: async () => {}, configurable: true });
    const el = seen.create({ locale: 'en' });
    await waitUntil(() => part(el, 'share-button'), 'no share button');
    part(el, 'share-button')!.click();
    await waitUntil(() => seen.events.has('kudos-trophy-shared'), 'no kudos-trophy-shared');
    seen.snap(el);
    await anonymousThenEmpty(seen, shop);
  },

  async 'kudos-nps'(seen) {
    const shop = await createShop({ badges: [{ id: 'voice', name: 'Your voice', criteria: { event: 'survey_response', count: 1 } }] });
    await executeServerCommand('kudos-survey', {
      publishableKey: shop.publishableKey,
      survey: { id: 'checkout', question: { en: 'Would you recommend us?' }, placement: 'cart', samplePercent: 100, recontactDays: 7, maxDisplays: 3, recordEvent: true },
    });
    useShop(shop);
    const el = seen.create({ locale: 'en', survey: 'checkout', placement: 'cart', compact: '' });
    await waitUntil(() => part(el, 'base'), 'the survey never appeared');
    seen.snap(el);
    // Next without a score: the error.
    part(el, 'next-button')!.click();
    await waitUntil(() => part(el, 'error'), 'no error');
    seen.snap(el);
    el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type=radio]')[9]!.click();
    await waitUntil(() => part(el, 'option-checked'), 'no checked option');
    seen.snap(el);
    part(el, 'next-button')!.click();
    await waitUntil(() => $(el, '.step:not([inert]) textarea'), 'no follow-up step');
    seen.snap(el);
    part(el, 'send-button')!.click();
    await waitUntil(() => seen.events.has('kudos-nps-response') || $(el, '.step:not([inert]) [part~="error"]'), 'no answer');
    expect($(el, '.step:not([inert]) [part~="error"]')?.textContent ?? '').to.equal('');
    // The answer earned the badge: the award is dispatched for the toast and the data widgets.
    await waitUntil(() => seen.events.has('kudos-award'), `no award event (${[...seen.events]})`);
    seen.snap(el);
  },

  async 'kudos-share-save'(seen) {
    const campaign = {
      name: 'Mug duo',
      scope: { kind: 'product', productId: 'mug' },
      tiers: [
        { members: 2, percentOff: 10 },
        { members: 3, percentOff: 15 },
      ],
      windowHours: 24,
      maxMembers: 3,
    };
    await loadingAndError(seen, { campaign: 'duo' });
    const shop = await createShop();
    await executeServerCommand('kudos-campaign', { publishableKey: shop.publishableKey, id: 'duo', campaign });
    useShop(shop);
    const el = seen.create({ locale: 'en', campaign: 'duo' }) as Any;
    await waitUntil(() => part(el, 'start-button'), 'no start button');
    seen.snap(el);
    part(el, 'start-button')!.click();
    await waitUntil(() => part(el, 'link'), 'no group started');
    seen.snap(el);
    const group = el._g;
    const code = group.code as string;
    // A tier reached: the shopper's code, then used; then a code on its way; then a full group, an expired one.
    const you = { role: 'owner', discountCode: 'DUO-10', percentOff: 10, used: false, codePending: false };
    const states = [
      { ...group, status: 'unlocked', members: 2, tier: campaign.tiers[0], you },
      { ...group, status: 'unlocked', members: 2, tier: campaign.tiers[0], you: { ...you, used: true } },
      { ...group, status: 'unlocked', members: 2, tier: campaign.tiers[0], you: { ...you, discountCode: null, codePending: true } },
      { ...group, status: 'full', members: 3 },
      { ...group, status: 'expired' },
    ];
    for (const state of states) {
      el._g = state;
      el._said = 'Copied';
      await settle(el);
      seen.snap(el);
    }
    el._g = undefined;
    el._c = { ...el._c, active: false };
    await settle(el);
    seen.snap(el);
    // Invited: another signed-in shopper (join button), a visitor (sign-in notice), a visitor who may join by email.
    history.replaceState(null, '', `${location.pathname}?kudos_group=${code}`);
    const friend = await identityFor(shop, 'c_friend');
    useShop(shop, friend);
    const invited = seen.create({ locale: 'en', campaign: 'duo' });
    await waitUntil(() => part(invited, 'join-button'), 'no join button');
    seen.snap(invited);
    anonymous(shop);
    const visitor = seen.create({ locale: 'en', campaign: 'duo' });
    await waitUntil(() => part(visitor, 'invitation') && part(visitor, 'notice'), 'no invitation');
    seen.snap(visitor);
    const byEmail = seen.create({ locale: 'en', campaign: 'duo', 'join-by-email': '' });
    await waitUntil(() => part(byEmail, 'email-input'), 'no email form');
    seen.snap(byEmail);
  },

  async 'kudos-buy-button'(seen) {
    await loadingAndError(seen, { product: 'mug' });
    const shop = await createShop({ customerId: null });
    const mug = {
      name: 'Moon glaze mug',
      price: 28,
      currency: 'EUR',
      imageUrl: `${location.origin}/nothing-here.png`,
      checkoutUrl: 'https://mia.example/cart?add=mug',
      availableUntil: iso(2 * 3.6e6),
      stock: 50,
    };
    await executeServerCommand('kudos-product', { publishableKey: shop.publishableKey, id: 'mug', product: mug });
    useShop(shop);
    const el = seen.create({ locale: 'en', product: 'mug' }) as Any;
    await loaded(el);
    await waitUntil(() => part(el, 'countdown') && part(el, 'stock'), 'no stock or countdown');
    // The page takes over the checkout (the test page stays).
    el.addEventListener('kudos-checkout', (e: Event) => e.preventDefault());
    part(el, 'buy-button')!.click();
    await waitUntil(() => seen.events.has('kudos-checkout'), 'no kudos-checkout');
    await loaded(el);
    seen.snap(el);
    // Insiders only (notice), and a refusal said in the visible status.
    el._p = { ...el._p, state: 'insiders', insiders: [{ tier: 'Gold' }] };
    el._said = 'Sold out.';
    await settle(el);
    seen.snap(el);
  },

  async 'kudos-toast'(seen) {
    useShop(await createShop());
    const el = seen.create({ locale: 'en', duration: '60000', max: '3' });
    await settle(el);
    for (const [kind, name] of [['badge', 'First order'], ['trophy', 'Critic'], ['gift', 'Tote bag']]) {
      document.dispatchEvent(new CustomEvent('kudos-award', { detail: { kind, id: name, name } }));
    }
    await waitUntil(() => el.shadowRoot!.querySelectorAll('[part~="toast"]').length === 3, 'no three toasts');
    seen.snap(el);
  },

  async 'kudos-launcher'(seen) {
    const shop = await createShop();
    await purchase(shop, 42);
    useShop(shop);
    const el = seen.create({ locale: 'en' });
    await waitUntil(() => part(el, 'button-balance'), 'no balance');
    seen.snap(el);
    part(el, 'button')!.click();
    await waitUntil(() => (part(el, 'dialog') as HTMLDialogElement).open, 'not open');
    seen.snap(el);
    (part(el, 'dialog') as HTMLDialogElement).close();
  },
};

describe('custom-elements.json against the elements in Chromium', () => {
  it('describes every widget, each with a scenario here', () => {
    const tags = declarations.filter((d) => d.customElement && d.tagName).map((d) => d.tagName!);
    expect(tags.sort()).to.deep.equal(Object.keys(WIDGET_TAGS).sort());
    expect(Object.keys(SCENARIOS).sort()).to.deep.equal(tags);
  });

  for (const tag of Object.keys(SCENARIOS)) {
    it(`<${tag}>: the parts, slots, --kudos-* properties, attributes and events it really has are the documented ones`, async function () {
      this.timeout(60_000);
      const seen = new Seen(tag);
      await SCENARIOS[tag]!(seen);
      const declared = declarations.find((d) => d.tagName === tag)!;
      const names = (list?: Named[]) => (list ?? []).map((x) => x.name);
      const compare = (real: Iterable<string>, documented: string[]) => {
        const actual = new Set(real);
        return {
          undocumented: [...actual].filter((x) => !documented.includes(x)).sort(),
          neverSeen: [...new Set(documented)].filter((x) => !actual.has(x)).sort(),
        };
      };
      const observed = (customElements.get(tag) as unknown as { observedAttributes: string[] }).observedAttributes;
      const none = { undocumented: [], neverSeen: [] };
      expect({
        parts: compare(seen.parts, names(declared.cssParts)),
        slots: compare(seen.slots, names(declared.slots)),
        cssProperties: compare(seen.cssProperties, names(declared.cssProperties)),
        attributes: compare(observed, names(declared.attributes)),
        events: compare(seen.events, names(declared.events)),
      }).to.deep.equal({ parts: none, slots: none, cssProperties: none, attributes: none, events: none });
    });
  }
});
