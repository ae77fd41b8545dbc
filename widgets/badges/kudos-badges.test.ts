import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import {
  createGate,
  createShop,
  deadApi,
  hangingApi,
  purchase,
  removeRuntime,
  useRuntime,
  useShop,
  type BadgeSpec,
  type TestShop,
} from '../../test/web/kudos.js';
import type { EarnedBadge } from '../../sdk/types.js';
import { KudosBadges } from './kudos-badges.js';

const BADGES: BadgeSpec[] = [
  { id: 'first-order', name: 'First order', icon: '🛍️', criteria: { event: 'purchase', count: 1 } },
  {
    id: 'regular',
    name: 'Regular',
    description: 'Three orders and counting',
    icon: '⭐',
    criteria: { event: 'purchase', count: 3 },
  },
  { id: 'big-spender', name: 'Big spender', icon: '💎', criteria: { event: 'purchase', sumOf: 'total', atLeast: 100 } },
];

const $ = <T extends Element = HTMLElement>(el: Element, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);
const $$ = <T extends Element = HTMLElement>(el: Element, selector: string) => [
  ...el.shadowRoot!.querySelectorAll<T>(selector),
];
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const base = (el: Element) => $(el, '[part~="base"]')!;
const items = (el: Element) => $$(el, '[part~="badge"]');
const byName = (el: Element, name: string) => items(el).find((li) => text(li.querySelector('[part~="name"]')) === name);
const loaded = (el: KudosBadges) => waitUntil(() => base(el).getAttribute('aria-busy') === 'false', 'widget never finished loading');
const rem = () => parseFloat(getComputedStyle(document.documentElement).fontSize);

async function mount(template = html`<kudos-badges locale="en"></kudos-badges>`) {
  const el = await fixture<KudosBadges>(template);
  return el;
}

afterEach(() => removeRuntime());

describe('<kudos-badges> registration', () => {
  it('is defined, and defining it again is harmless', () => {
    const Registered = customElements.get('kudos-badges');
    expect(Registered).to.equal(KudosBadges);
    expect(() => KudosBadges.define('kudos-badges')).not.to.throw();
    expect(KudosBadges.define('kudos-badges')).to.equal(KudosBadges);
    expect(customElements.get('kudos-badges')).to.equal(KudosBadges);
  });

  it('shows a clear setup error without window.Kudos, and recovers on kudos-refresh once it is installed', async () => {
    removeRuntime();
    const shop = await createShop({ badges: BADGES });
    const el = await mount();
    await waitUntil(() => $(el, '[part~="error-message"]'), 'no error without a runtime');
    expect(text($(el, '[part~="error-message"]'))).to.equal('Rewards aren’t set up on this page yet.');
    await expect(el).to.be.accessible();
    useShop(shop);
    document.dispatchEvent(new CustomEvent('kudos-refresh'));
    await waitUntil(() => items(el).length === 3, 'did not recover after the runtime arrived');
    expect($(el, '[part~="error"]')).to.equal(null);
  });
});

describe('<kudos-badges> loading', () => {
  it('reserves its space with a skeleton and is aria-busy while the API does not answer', async () => {
    useRuntime({ api: await hangingApi(), key: 'pk_test_hanging', customerId: 'c_1', customerHash: 'x' });
    const el = await mount();
    const section = base(el);
    expect(section.getAttribute('aria-busy')).to.equal('true');
    expect($(el, '[part~="skeleton"]')).to.exist;
    expect($(el, '[part~="skeleton"]')!.getAttribute('aria-hidden')).to.equal('true');
    expect(text(el.shadowRoot!.querySelector('.visually-hidden'))).to.equal('Loading badges…');
    // Exactly the reservation the loader makes for kudos-badges:not(:defined): nothing moves on upgrade.
    expect(el.getBoundingClientRect().height).to.be.closeTo((innerWidth < 768 ? 45 : 14) * rem(), 0.5);
    await expect(el).to.be.accessible();
    // Still loading: the hanging API never answers.
    await new Promise((r) => requestAnimationFrame(r));
    expect(section.getAttribute('aria-busy')).to.equal('true');
    expect(items(el)).to.have.length(0);
  });

  it('animates the skeleton, except when the reader prefers reduced motion', async () => {
    useRuntime({ api: await hangingApi(), key: 'pk_test_hanging' });
    const el = await mount();
    const item = $(el, '[part~="skeleton-item"]')!;
    expect(getComputedStyle(item).animationName).to.equal('kudos-pulse');
    await emulateMedia({ reducedMotion: 'reduce' });
    try {
      expect(getComputedStyle(item).animationName).to.equal('none');
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });

  it('keeps the same height whether or not the element is defined yet', async () => {
    useRuntime({ api: await hangingApi(), key: 'pk_test_hanging' });
    const wrap = await fixture<HTMLDivElement>(html`<div>
      <kudos-badges locale="en"></kudos-badges>
      <kudos-badges-undefined-twin></kudos-badges-undefined-twin>
    </div>`);
    const el = wrap.querySelector('kudos-badges')!;
    // The loader's placeholder rule, applied to an element that never upgrades.
    const twin = wrap.querySelector<HTMLElement>('kudos-badges-undefined-twin')!;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(
      'kudos-badges-undefined-twin:not(:defined){display:block;min-height:var(--kudos-badges-min-height,clamp(14rem,(768px - 100vw)*1e4,45rem))}',
    );
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    try {
      expect(el.getBoundingClientRect().height).to.equal(twin.getBoundingClientRect().height);
    } finally {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    }
  });
});

describe('<kudos-badges> with a real shop', () => {
  let shop: TestShop;

  before(async () => {
    shop = await createShop({ badges: BADGES });
    await purchase(shop, 30);
    await purchase(shop, 30);
  });

  it('lists earned badges first with their date, then locked ones with progress', async () => {
    useShop(shop);
    const el = await mount();
    await loaded(el);
    expect(items(el).map((li) => text(li.querySelector('[part~="name"]')))).to.deep.equal([
      'First order',
      'Regular',
      'Big spender',
    ]);

    const earned = byName(el, 'First order')!;
    expect(earned.getAttribute('part')).to.contain('badge-earned');
    const today = new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date());
    expect(text(earned.querySelector('[part~="status"]'))).to.equal(`Earned ${today}`);
    expect(earned.querySelector('time')!.getAttribute('datetime')).to.match(/^\d{4}-\d\d-\d\dT/);
    expect(earned.querySelector('progress')).to.equal(null);

    const regular = byName(el, 'Regular')!;
    expect(regular.getAttribute('part')).to.contain('badge-locked');
    expect(text(regular.querySelector('[part~="description"]'))).to.equal('Three orders and counting');
    const bar = regular.querySelector('progress')!;
    expect([bar.value, bar.max]).to.deep.equal([2, 3]);
    expect(text(regular.querySelector('[part~="status"]'))).to.equal('2 of 3 purchases');

    const spender = byName(el, 'Big spender')!;
    const money = spender.querySelector('progress')!;
    expect([money.value, money.max]).to.deep.equal([60, 100]);
    expect(text(spender.querySelector('[part~="status"]'))).to.equal('€60 of €100 spent');

    expect(text($(el, '[part~="summary"]'))).to.equal('You’ve earned 1 of 3 badges');
    expect(text($(el, '[part~="heading"]'))).to.equal('Your badges');
    expect($(el, 'h2[part~="heading"]')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('renders text icons as text, hidden from assistive technology, and labels progress bars by badge name', async () => {
    useShop(shop);
    const el = await mount();
    await loaded(el);
    const icon = byName(el, 'Regular')!.querySelector('[part~="icon"]')!;
    expect(icon.localName).to.equal('span');
    expect(icon.textContent).to.equal('⭐');
    expect(icon.getAttribute('aria-hidden')).to.equal('true');
    const bar = byName(el, 'Regular')!.querySelector('progress')!;
    const label = el.shadowRoot!.getElementById(bar.getAttribute('aria-labelledby')!)!;
    expect(text(label)).to.equal('Regular');
    const described = el.shadowRoot!.getElementById(bar.getAttribute('aria-describedby')!)!;
    expect(text(described)).to.equal('2 of 3 purchases');
  });

  it('formats money in the currency attribute', async () => {
    useShop(shop);
    const el = await mount(html`<kudos-badges locale="en" currency="USD"></kudos-badges>`);
    await loaded(el);
    expect(text(byName(el, 'Big spender')!.querySelector('[part~="status"]'))).to.equal('$60 of $100 spent');
  });

  it('speaks French with locale="fr": strings, dates and money', async () => {
    useShop(shop);
    const el = await mount(html`<kudos-badges locale="fr"></kudos-badges>`);
    await loaded(el);
    expect(text($(el, '[part~="heading"]'))).to.equal('Vos badges');
    const date = new Intl.DateTimeFormat('fr', { dateStyle: 'medium' }).format(new Date());
    expect(text(byName(el, 'First order')!.querySelector('[part~="status"]'))).to.equal(`Obtenu le ${date}`);
    expect(date).to.match(/^\d{1,2} \S+ \d{4}$/); // "21 nov. 2025", not "Nov 21, 2025"
    expect(text(byName(el, 'Regular')!.querySelector('[part~="status"]'))).to.equal('2 achats sur 3');
    // "60 € dépensés sur 100 €": amount first, (narrow) no-break space, euro sign after.
    expect(text(byName(el, 'Big spender')!.querySelector('[part~="status"]'))).to.match(
      /^60\s€ dépensés sur 100\s€$/u,
    );
    expect(text($(el, '[part~="summary"]'))).to.equal('1 badge obtenu sur 3');
    await expect(el).to.be.accessible();
  });

  it('takes the locale from Kudos.config.locale, then <html lang>', async () => {
    useShop(shop, { locale: 'de-DE' });
    const el = await mount(html`<kudos-badges></kudos-badges>`);
    await loaded(el);
    expect(text($(el, '[part~="heading"]'))).to.equal('Ihre Abzeichen');
    expect(text(byName(el, 'Regular')!.querySelector('[part~="status"]'))).to.equal('2 von 3 Einkäufen');

    const lang = document.documentElement.lang;
    document.documentElement.lang = 'fr-CA';
    try {
      useShop(shop);
      const fr = await mount(html`<kudos-badges></kudos-badges>`);
      await loaded(fr);
      expect(text($(fr, '[part~="heading"]'))).to.equal('Vos badges');
    } finally {
      document.documentElement.lang = lang;
    }
  });

  it('uses a custom heading text and level', async () => {
    useShop(shop);
    const el = await mount(html`<kudos-badges locale="en" heading="Rewards club" heading-level="3"></kudos-badges>`);
    await loaded(el);
    const heading = $(el, '[part~="heading"]')!;
    expect(heading.localName).to.equal('h3');
    expect(text(heading)).to.equal('Rewards club');
    expect(base(el).getAttribute('aria-labelledby')).to.equal(heading.id);
  });

  it('has a compact layout: one column, no descriptions', async () => {
    useShop(shop);
    const el = await mount(html`<kudos-badges locale="en" compact></kudos-badges>`);
    await loaded(el);
    const regular = byName(el, 'Regular')!;
    expect(getComputedStyle(regular.querySelector('[part~="description"]')!).display).to.equal('none');
    const [a, b] = items(el).map((li) => li.getBoundingClientRect());
    expect(b!.top).to.be.greaterThan(a!.bottom - 1);
    el.compact = false;
    await el.updateComplete;
    expect(el.hasAttribute('compact')).to.equal(false);
    expect(getComputedStyle(regular.querySelector('[part~="description"]')!).display).not.to.equal('none');
  });

  it('takes its theme from --kudos-* tokens set on an ancestor', async () => {
    useShop(shop);
    const wrap = await fixture<HTMLDivElement>(html`<div
      class="themed"
      style="--kudos-color-text: rgb(10, 20, 30); --kudos-color-muted: rgb(70, 70, 70); --kudos-color-accent: rgb(150, 0, 90); --kudos-color-surface: rgb(250, 250, 240); --kudos-font-family: 'Courier New', monospace; --kudos-font-size: 20px; --kudos-radius: 3px"
    >
      <kudos-badges locale="en"></kudos-badges>
    </div>`);
    const el = wrap.querySelector('kudos-badges')!;
    await loaded(el);
    const name = byName(el, 'Regular')!.querySelector('[part~="name"]')!;
    const cs = getComputedStyle(name);
    expect(cs.color).to.equal('rgb(10, 20, 30)');
    expect(cs.fontFamily).to.contain('Courier New');
    expect(cs.fontSize).to.equal('20px');
    expect(getComputedStyle(byName(el, 'Regular')!.querySelector('[part~="status"]')!).color).to.equal(
      'rgb(70, 70, 70)',
    );
    // The bar's fill paints in currentColor.
    expect(getComputedStyle(byName(el, 'Regular')!.querySelector('progress')!).color).to.equal('rgb(150, 0, 90)');
    expect(getComputedStyle(base(el)).backgroundColor).to.equal('rgb(250, 250, 240)');
    expect(getComputedStyle(base(el)).borderTopLeftRadius).to.equal('3px');
  });

  it('does not inherit the page’s body text styles', async () => {
    const style = document.createElement('style');
    style.textContent = `body { font-family: serif; letter-spacing: 3px; text-transform: uppercase; text-align: center;
      line-height: 3; color: rgb(255, 0, 0); font-style: italic; font-weight: 900; word-spacing: 12px; font-size: 30px }`;
    document.head.append(style);
    try {
      useShop(shop);
      const el = await mount();
      await loaded(el);
      const name = byName(el, 'Regular')!.querySelector('[part~="name"]')!;
      const status = byName(el, 'Regular')!.querySelector('[part~="status"]')!;
      for (const node of [el, name, status]) {
        const cs = getComputedStyle(node);
        expect(cs.fontFamily, 'font-family').not.to.match(/^serif$/);
        expect(cs.letterSpacing, 'letter-spacing').to.equal('normal');
        expect(cs.textTransform, 'text-transform').to.equal('none');
        expect(cs.textAlign, 'text-align').to.equal('start');
        expect(cs.fontStyle, 'font-style').to.equal('normal');
        expect(cs.wordSpacing, 'word-spacing').to.equal('0px');
        expect(cs.color, 'color').not.to.equal('rgb(255, 0, 0)');
      }
      expect(getComputedStyle(el).fontSize).to.equal('16px');
      expect(getComputedStyle(el).lineHeight).to.equal('24px');
      expect(getComputedStyle(name).fontWeight).to.equal('600');
    } finally {
      style.remove();
    }
  });

  it('exposes its parts for ::part() styling', async () => {
    const style = document.createElement('style');
    style.textContent = `
      .parted::part(name) { color: rgb(0, 128, 0); }
      .parted::part(badge-earned) { border-top-color: rgb(1, 2, 3); }
      .parted::part(progress) { height: 17px; }
      .parted::part(heading) { font-size: 40px; }`;
    document.head.append(style);
    try {
      useShop(shop);
      const el = await mount(html`<kudos-badges class="parted" locale="en"></kudos-badges>`);
      await loaded(el);
      expect(getComputedStyle(byName(el, 'Regular')!.querySelector('[part~="name"]')!).color).to.equal(
        'rgb(0, 128, 0)',
      );
      expect(getComputedStyle(byName(el, 'First order')!).borderTopColor).to.equal('rgb(1, 2, 3)');
      expect(getComputedStyle(byName(el, 'Regular')!).borderTopColor).not.to.equal('rgb(1, 2, 3)');
      expect(byName(el, 'Regular')!.querySelector('progress')!.getBoundingClientRect().height).to.equal(17);
      expect(getComputedStyle($(el, '[part~="heading"]')!).fontSize).to.equal('40px');
    } finally {
      style.remove();
    }
  });

  it('renders an https icon as an image with empty alt (the name is the text)', async () => {
    const withImage = await createShop({
      badges: [
        {
          id: 'vip',
          name: 'VIP',
          icon: 'https://cdn.example.invalid/vip.png',
          criteria: { event: 'purchase', count: 5 },
        },
      ],
    });
    useShop(withImage);
    const el = await mount();
    await loaded(el);
    const img = byName(el, 'VIP')!.querySelector<HTMLImageElement>('img[part~="icon"]')!;
    expect(img).to.exist;
    expect(img.getAttribute('src')).to.equal('https://cdn.example.invalid/vip.png');
    expect(img.getAttribute('alt')).to.equal('');
    await expect(el).to.be.accessible();
  });
});

describe('<kudos-badges> empty and anonymous', () => {
  it('says so when the shop has no badges', async () => {
    useShop(await createShop({ badges: [] }));
    const el = await mount();
    await loaded(el);
    expect(text($(el, '[part~="empty"]'))).to.equal('No badges to collect yet. Check back soon!');
    expect($(el, '[part~="list"]')).to.equal(null);
    expect($(el, '[part~="summary"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows anonymous visitors every badge locked, what unlocks it, and an invitation to sign in', async () => {
    const shop = await createShop({ badges: BADGES, customerId: null });
    expect(shop.customerId).to.equal(undefined);
    useShop(shop);
    const el = await mount();
    await loaded(el);
    expect(text($(el, '[part~="invitation"]'))).to.equal('Sign in or create an account to start earning badges.');
    expect(items(el)).to.have.length(3);
    for (const li of items(el)) expect(li.getAttribute('part')).to.contain('badge-locked');
    expect(text(byName(el, 'Regular')!.querySelector('[part~="status"]'))).to.equal('Unlock with 3 purchases');
    expect(text(byName(el, 'First order')!.querySelector('[part~="status"]'))).to.equal('Unlock with 1 purchase');
    expect(text(byName(el, 'Big spender')!.querySelector('[part~="status"]'))).to.equal('Unlock by spending €100');
    expect($(el, 'progress')).to.equal(null);
    expect($(el, '[part~="summary"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});

describe('<kudos-badges> streaks and first events', () => {
  const STREAKS: BadgeSpec[] = [
    { id: 'weekly', name: 'Weekly regular', criteria: { event: 'purchase', streakWeeks: 4 } },
    { id: 'first-review', name: 'First review', criteria: { event: 'review', first: true } },
  ];

  it('shows a streak as weeks in a row, for shoppers and for anonymous visitors', async () => {
    const shop = await createShop({ badges: STREAKS });
    await purchase(shop, 10);
    useShop(shop);
    const el = await mount();
    await loaded(el);
    expect(text(byName(el, 'Weekly regular')!.querySelector('[part~="status"]'))).to.equal('1 of 4 weeks in a row');
    expect(text(byName(el, 'First review')!.querySelector('[part~="status"]'))).to.equal('0 of 1 review');
    removeRuntime();
    el.remove();

    useShop(await createShop({ badges: STREAKS, customerId: null }));
    const anonymous = await mount();
    await loaded(anonymous);
    expect(text(byName(anonymous, 'Weekly regular')!.querySelector('[part~="status"]'))).to.equal(
      'Unlock with purchases in 4 weeks in a row',
    );
    expect(text(byName(anonymous, 'First review')!.querySelector('[part~="status"]'))).to.equal('Unlock with 1 review');
  });
});

describe('<kudos-badges> errors', () => {
  it('shows a network error with a native retry button that recovers once the API is reachable', async () => {
    const shop = await createShop({ badges: BADGES });
    const gate = await createGate(false);
    useShop(shop, { api: gate.api });
    const el = await mount();
    await waitUntil(() => $(el, '[part~="error"]'), 'no error state');
    expect(base(el).getAttribute('aria-busy')).to.equal('false');
    expect(text($(el, '[part~="error-message"]'))).to.equal(
      'We couldn’t reach the rewards service. Check your connection and try again.',
    );
    const button = $<HTMLButtonElement>(el, 'button[part~="retry-button"]')!;
    expect(button.type).to.equal('button');
    expect(text(button)).to.equal('Try again');
    await expect(el).to.be.accessible();

    await gate.up();
    button.click();
    await waitUntil(() => items(el).length === 3, 'retry did not recover');
    expect($(el, '[part~="error"]')).to.equal(null);
    // Focus did not fall out of the widget when the button went away.
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part~="heading"]'));
  });

  it('announces when a retry fails again', async () => {
    useRuntime({ api: await deadApi(), key: 'pk_test_dead', customerId: 'c_1', customerHash: 'x' });
    const el = await mount();
    await waitUntil(() => $(el, '[part~="retry-button"]'), 'no error state');
    expect(text($(el, '[part~="announcement"]'))).to.equal('');
    $<HTMLButtonElement>(el, '[part~="retry-button"]')!.click();
    await waitUntil(
      () => text($(el, '[part~="announcement"]')).startsWith('We couldn’t reach'),
      'failed retry not announced',
    );
  });

  it('shows a server error (bad identity hash) differently from a network error', async () => {
    const shop = await createShop({ badges: BADGES });
    useShop(shop, { customerHash: '0'.repeat(64) });
    const el = await mount();
    await waitUntil(() => $(el, '[part~="error"]'), 'no error state');
    expect(text($(el, '[part~="error-message"]'))).to.equal(
      'This couldn’t be loaded right now. Please try again in a moment.',
    );
    await expect(el).to.be.accessible();
  });

  it('lets the keyboard reach the retry button with a visible focus ring', async () => {
    useRuntime({ api: await deadApi(), key: 'pk_test_dead' });
    const el = await mount();
    await waitUntil(() => $(el, '[part~="retry-button"]'), 'no error state');
    const button = $<HTMLButtonElement>(el, '[part~="retry-button"]')!;
    (document.activeElement as HTMLElement | null)?.blur();
    for (let i = 0; i < 5 && el.shadowRoot!.activeElement !== button; i++) await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(button);
    const ring = getComputedStyle(button);
    expect(ring.outlineStyle).to.equal('solid');
    expect(parseFloat(ring.outlineWidth)).to.be.at.least(2);
    // And Tab moves on out of the widget: no trap.
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(null);
  });
});

describe('<kudos-badges> live updates', () => {
  it('refetches on kudos-refresh, announces a newly earned badge, highlights it and fires kudos-badge-earned', async () => {
    const shop = await createShop({ badges: BADGES });
    useShop(shop);
    const el = await mount();
    await loaded(el);
    expect(text(byName(el, 'First order')!.querySelector('[part~="status"]'))).to.equal('0 of 1 purchase');

    const earned: EarnedBadge[] = [];
    const onEarned = (e: Event) => earned.push((e as CustomEvent<EarnedBadge>).detail);
    document.addEventListener('kudos-badge-earned', onEarned);
    try {
      await purchase(shop, 20);
      document.dispatchEvent(new CustomEvent('kudos-refresh'));
      await waitUntil(() => earned.length === 1, 'kudos-badge-earned did not fire');
      expect(earned[0]).to.include({ id: 'first-order', name: 'First order', icon: '🛍️' });
      expect(earned[0].awardedAt).to.match(/^\d{4}-/);
      const announcement = $(el, '[part~="announcement"]')!;
      expect(announcement.getAttribute('role')).to.equal('status');
      expect(text(announcement)).to.equal('You earned “First order”!');
      const li = byName(el, 'First order')!;
      expect(li.getAttribute('part')).to.contain('badge-new');
      expect(text(li.querySelector('[part~="new-tag"]'))).to.equal('New');
      expect(getComputedStyle(li).borderTopColor).to.equal('rgb(29, 78, 216)');
      expect(byName(el, 'Regular')!.getAttribute('part')).not.to.contain('badge-new');
      expect(text(byName(el, 'Regular')!.querySelector('[part~="status"]'))).to.equal('1 of 3 purchases');
      await expect(el).to.be.accessible();

      // A refresh that earns nothing new announces nothing new and fires nothing.
      document.dispatchEvent(new CustomEvent('kudos-refresh'));
      await el.updateComplete;
      expect(base(el).getAttribute('aria-busy')).to.equal('true');
      await loaded(el);
      expect(byName(el, 'First order')!.getAttribute('part')).to.contain('badge-new');
      expect(earned).to.have.length(1);
    } finally {
      document.removeEventListener('kudos-badge-earned', onEarned);
    }
  });

  it('refetches on the runtime’s kudos-award after a tracked event earns a badge', async () => {
    const shop = await createShop({
      badges: [{ id: 'sharer', name: 'Sharer', icon: '📣', criteria: { event: 'share', count: 1 } }],
    });
    const kudos = useShop(shop);
    const el = await mount();
    await loaded(el);
    expect(byName(el, 'Sharer')!.getAttribute('part')).to.contain('badge-locked');
    const awards: unknown[] = [];
    const onAward = (e: Event) => awards.push((e as CustomEvent).detail);
    document.addEventListener('kudos-award', onAward);
    try {
      kudos('track', 'share', { channel: 'test' });
      await waitUntil(() => text($(el, '[part~="announcement"]')) === 'You earned “Sharer”!', 'award not announced', {
        timeout: 8000,
      });
      expect(awards).to.have.length.at.least(1);
      expect(byName(el, 'Sharer')!.getAttribute('part')).to.contain('badge-earned');
    } finally {
      document.removeEventListener('kudos-award', onAward);
    }
  });

  it('does not announce badges that were already earned when the page loaded', async () => {
    const shop = await createShop({ badges: BADGES });
    await purchase(shop, 10);
    useShop(shop);
    let fired = 0;
    const onEarned = () => fired++;
    document.addEventListener('kudos-badge-earned', onEarned);
    try {
      const el = await mount();
      await loaded(el);
      expect(byName(el, 'First order')!.getAttribute('part')).to.equal('badge badge-earned');
      expect(text($(el, '[part~="announcement"]'))).to.equal('');
      expect(fired).to.equal(0);
    } finally {
      document.removeEventListener('kudos-badge-earned', onEarned);
    }
  });
});
