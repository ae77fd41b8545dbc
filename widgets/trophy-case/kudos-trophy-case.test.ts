import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, executeServerCommand, sendKeys } from '@web/test-runner-commands';
import { createShop, deadApi, hangingApi, removeRuntime, useRuntime, useShop, type TestShop } from '../../test/web/kudos.js';
import { KudosTrophyCase, type TrophySharedDetail } from './kudos-trophy-case.js';

interface TrophySpec {
  id: string;
  name: string;
  description: string;
  image?: string;
  criteriaNarrative: string;
  levels: { level: 'bronze' | 'silver' | 'gold'; name?: string }[];
}

const ROASTER: TrophySpec = {
  id: 'roaster',
  name: 'Community roaster',
  description: 'For coffee lovers who help others.',
  criteriaNarrative: 'Awarded by the shop for helping other coffee lovers',
  levels: [{ level: 'bronze' }, { level: 'silver' }, { level: 'gold' }],
};
const CRITIC: TrophySpec = {
  id: 'critic',
  name: 'Critic',
  description: 'Thoughtful reviews.',
  criteriaNarrative: 'Write reviews that help others choose',
  levels: [{ level: 'gold' }],
};

const putTrophy = (shop: TestShop, trophy: TrophySpec) =>
  executeServerCommand('kudos-trophy', { publishableKey: shop.publishableKey, trophy });
const awardTrophy = (shop: TestShop, trophyId: string, level?: string) =>
  executeServerCommand<{ awardId: string; url: string }, unknown>('kudos-trophy-award', {
    publishableKey: shop.publishableKey,
    trophyId,
    customerId: shop.customerId,
    level,
  });

const $ = <T extends Element = HTMLElement>(el: Element, s: string) => el.shadowRoot!.querySelector<T>(s);
const $$ = (el: Element, s: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(s)];
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const loaded = (el: KudosTrophyCase) =>
  waitUntil(() => $(el, '[part~="base"]')!.getAttribute('aria-busy') === 'false', 'widget never finished loading');
const announcement = (el: Element) => text($(el, '[part~="announcement"]'));
const mount = (t = html`<kudos-trophy-case locale="en"></kudos-trophy-case>`) => fixture<KudosTrophyCase>(t);
const rem = () => parseFloat(getComputedStyle(document.documentElement).fontSize);

type Nav = Navigator & { share?: unknown };
/** Run with navigator.share and navigator.clipboard.writeText replaced (headless Chromium has no share sheet or clipboard permission). */
async function withBrowserApis(apis: { share?: (d: ShareData) => Promise<void>; writeText?: (s: string) => Promise<void> }, run: () => Promise<void>) {
  const shareBefore = Object.getOwnPropertyDescriptor(navigator, 'share');
  const writeBefore = Object.getOwnPropertyDescriptor(navigator.clipboard, 'writeText');
  Object.defineProperty(navigator, 'share', { value: apis.share, configurable: true, writable: true });
  if (!apis.share) delete (navigator as Nav).share;
  if (apis.writeText) Object.defineProperty(navigator.clipboard, 'writeText', { value: apis.writeText, configurable: true });
  try {
    await run();
  } finally {
    delete (navigator as Nav).share;
    if (shareBefore) Object.defineProperty(navigator, 'share', shareBefore);
    delete (navigator.clipboard as unknown as { writeText?: unknown }).writeText;
    if (writeBefore) Object.defineProperty(navigator.clipboard, 'writeText', writeBefore);
  }
}

afterEach(() => removeRuntime());

describe('<kudos-trophy-case>', () => {
  let shop: TestShop;
  let gold: { awardId: string; url: string };

  const pageOf = (a: { awardId: string }) => new URL(`/t/${a.awardId}`, shop.api).href;

  before(async () => {
    shop = await createShop();
    await putTrophy(shop, ROASTER);
    await putTrophy(shop, CRITIC);
    await awardTrophy(shop, 'roaster', 'bronze');
    gold = await awardTrophy(shop, 'roaster', 'gold');
  });

  it('is defined once; defining again is harmless', () => {
    expect(customElements.get('kudos-trophy-case')).to.equal(KudosTrophyCase);
    expect(KudosTrophyCase.define('kudos-trophy-case')).to.equal(KudosTrophyCase);
  });

  it('reserves its space and says it is loading, pulsing unless the reader prefers reduced motion', async () => {
    useRuntime({ api: await hangingApi(), key: 'pk_test_hanging', customerId: 'c_1', customerHash: 'x' });
    const el = await mount();
    expect($(el, '[part~="base"]')!.getAttribute('aria-busy')).to.equal('true');
    const loading = $(el, '[part~="loading"]')!;
    expect(text(loading)).to.equal('Loading trophies…');
    // Exactly the loader's reservation for kudos-trophy-case:not(:defined): nothing moves on upgrade.
    expect(el.getBoundingClientRect().height).to.be.closeTo((innerWidth < 768 ? 15.5 : 10.25) * rem(), 0.5);
    expect(getComputedStyle(loading, '::before').animationName).to.equal('kudos-pulse');
    await emulateMedia({ reducedMotion: 'reduce' });
    try {
      expect(getComputedStyle(loading, '::before').animationName).to.equal('none');
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
    await expect(el).to.be.accessible();
  });

  it('shows won trophies with level, date and a link to their public page, then locked ones with how to earn them', async () => {
    useShop(shop);
    const el = await mount();
    await loaded(el);
    const items = $$(el, '[part~="trophy"]');
    expect(items.map((li) => text(li.querySelector('[part~="name"]')))).to.deep.equal(['Community roaster', 'Community roaster', 'Critic']);
    const [first, second, locked] = items as [HTMLElement, HTMLElement, HTMLElement];
    expect(text(first.querySelector('[part~="level"]'))).to.equal('Gold');
    expect(first.getAttribute('part')).to.contain('trophy-gold');
    expect(text(second.querySelector('[part~="level"]'))).to.equal('Bronze');
    const today = new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date());
    expect(text(first.querySelector('[part~="status"]'))).to.equal(`Awarded ${today}`);
    const link = first.querySelector<HTMLAnchorElement>('a[part~="name"]')!;
    // Same page; the host is the one the widget's request reached (here the test proxy).
    expect(link.href).to.equal(new URL(`/t/${gold.awardId}`, shop.api).href);
    expect(locked.getAttribute('part')).to.contain('trophy-locked');
    expect(locked.querySelector('a')).to.equal(null);
    expect(locked.querySelector('button')).to.equal(null);
    expect(text(locked.querySelector('[part~="criteria"]'))).to.equal('How to earn it: Write reviews that help others choose');
    expect(getComputedStyle(locked.querySelector('[part~="image"]')!).filter).to.contain('grayscale');
    expect(text($(el, '[part~="summary"]'))).to.equal('2 trophies won');
    await expect(el).to.be.accessible();
  });

  it('copies the link when the browser cannot share, and says so politely', async () => {
    useShop(shop);
    const copied: string[] = [];
    await withBrowserApis({ writeText: async (s) => void copied.push(s) }, async () => {
      const el = await mount();
      await loaded(el);
      const button = $(el, '[part~="trophy-gold"] [part~="share-button"]')!;
      expect(text(button)).to.equal('Copy link: Community roaster, Gold');
      const shared = new Promise<CustomEvent<TrophySharedDetail>>((r) => el.addEventListener('kudos-trophy-shared', r, { once: true }));
      button.click();
      await waitUntil(() => announcement(el) === 'Link copied', 'no "Link copied" announcement');
      expect(copied).to.deep.equal([pageOf(gold)]);
      expect($(el, '[part~="announcement"]')!.getAttribute('role')).to.equal('status');
      expect((await shared).detail).to.deep.equal({ awardId: gold.awardId, url: pageOf(gold), method: 'copy' });
    });
  });

  it('says when the copy failed', async () => {
    useShop(shop);
    await withBrowserApis({ writeText: () => Promise.reject(new Error('denied')) }, async () => {
      const el = await mount();
      await loaded(el);
      $(el, '[part~="share-button"]')!.click();
      await waitUntil(() => announcement(el).startsWith('Couldn’t copy the link'), 'no failure announcement');
    });
  });

  it('uses the Web Share API where there is one', async () => {
    useShop(shop);
    const sheets: ShareData[] = [];
    await withBrowserApis({ share: async (d) => void sheets.push(d) }, async () => {
      const el = await mount();
      await loaded(el);
      const button = $(el, '[part~="trophy-gold"] [part~="share-button"]')!;
      expect(text(button)).to.equal('Share: Community roaster, Gold');
      button.click();
      await waitUntil(() => sheets.length === 1, 'navigator.share was not called');
      expect(sheets[0]).to.deep.equal({ title: 'Community roaster (Gold)', url: pageOf(gold) });
    });
  });

  it('is keyboard complete: Tab reaches each trophy link and share button, Enter copies', async () => {
    useShop(shop);
    const copied: string[] = [];
    await withBrowserApis({ writeText: async (s) => void copied.push(s) }, async () => {
      const el = await mount();
      await loaded(el);
      const stops: string[] = [];
      for (let i = 0; i < 4; i++) {
        await sendKeys({ press: 'Tab' });
        const a = el.shadowRoot!.activeElement as HTMLElement | null;
        stops.push(`${a?.localName}:${text(a)}`);
      }
      expect(stops).to.deep.equal([
        'a:Community roaster',
        'button:Copy link: Community roaster, Gold',
        'a:Community roaster',
        'button:Copy link: Community roaster, Bronze',
      ]);
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => announcement(el) === 'Link copied', 'Enter did not copy');
      expect(copied).to.have.length(1);
      expect(copied[0]).to.match(/\/t\/[A-Za-z0-9_-]{21}$/);
      expect(copied[0]).to.not.equal(pageOf(gold));
    });
  });

  it('shows a trophy won while the page is open after kudos-refresh', async () => {
    const mine = await createShop();
    await putTrophy(mine, ROASTER);
    useShop(mine);
    const el = await mount();
    await loaded(el);
    expect($$(el, '[part~="trophy-earned"]')).to.have.length(0);
    await awardTrophy(mine, 'roaster', 'silver');
    document.dispatchEvent(new CustomEvent('kudos-refresh'));
    await waitUntil(() => $$(el, '[part~="trophy-earned"]').length === 1, 'the new trophy never appeared');
    expect(text($(el, '[part~="trophy-earned"] [part~="level"]'))).to.equal('Silver');
    expect($$(el, '[part~="trophy-locked"]')).to.have.length(0);
  });

  it('speaks French', async () => {
    useShop(shop);
    const el = await mount(html`<kudos-trophy-case locale="fr"></kudos-trophy-case>`);
    await loaded(el);
    expect(text($(el, '[part~="heading"]'))).to.equal('Vos trophées');
    expect(text($(el, '[part~="summary"]'))).to.equal('2 trophées gagnés');
    expect(text($(el, '[part~="trophy-gold"] [part~="level"]'))).to.equal('Or');
    const date = new Intl.DateTimeFormat('fr', { dateStyle: 'medium' }).format(new Date());
    expect(text($(el, '[part~="trophy-gold"] [part~="status"]'))).to.equal(`Décerné le ${date}`);
    expect(text($(el, '[part~="trophy-locked"] [part~="criteria"]'))).to.match(/^Comment l’obtenir :/);
  });

  it('shows every trophy locked, with an invitation, to anonymous visitors', async () => {
    const anon = await createShop({ customerId: null });
    await putTrophy(anon, ROASTER);
    useShop(anon);
    const el = await mount();
    await loaded(el);
    expect(text($(el, '[part~="invitation"]'))).to.equal('Sign in or create an account to win trophies.');
    expect($$(el, '[part~="trophy-locked"]').map((li) => text(li.querySelector('[part~="name"]')))).to.deep.equal(['Community roaster']);
    expect($(el, '[part~="summary"]')).to.equal(null);
    expect($(el, 'button')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('says so when the shop has no trophies', async () => {
    useShop(await createShop());
    const el = await mount();
    await loaded(el);
    expect(text($(el, '[part~="empty"]'))).to.equal('No trophies to win yet. Check back soon!');
    await expect(el).to.be.accessible();
  });

  it('shows a network error with a retry button that works', async () => {
    useRuntime({ api: await deadApi(), key: shop.publishableKey, customerId: shop.customerId, customerHash: shop.customerHash });
    const el = await mount();
    await waitUntil(() => $(el, '[part~="error"]'), 'no error state');
    expect(text($(el, '[part~="error-message"]'))).to.contain('couldn’t reach');
    await expect(el).to.be.accessible();
    useShop(shop);
    $(el, '[part~="retry-button"]')!.click();
    await waitUntil(() => $$(el, '[part~="trophy"]').length === 3, 'retry did not load');
    expect($(el, '[part~="error"]')).to.equal(null);
  });

  it('uses a custom heading text and outline level', async () => {
    useShop(shop);
    const el = await mount(html`<kudos-trophy-case locale="en" heading="Hall of fame" heading-level="3"></kudos-trophy-case>`);
    await loaded(el);
    const heading = $(el, '[part~="heading"]')!;
    expect(text(heading)).to.equal('Hall of fame');
    expect(heading.getAttribute('aria-level')).to.equal('3');
    expect($(el, '[part~="base"]')!.getAttribute('aria-labelledby')).to.equal(heading.id);
    await expect(el).to.be.accessible();
  });

  it('takes its theme from tokens and ::part', async () => {
    const style = document.createElement('style');
    style.textContent = `.themed { --kudos-trophy-gold: rgb(120, 0, 0); --kudos-color-surface: rgb(250, 250, 240); }
      .themed::part(share-button) { border-radius: 0px; }`;
    document.head.append(style);
    try {
      useShop(shop);
      const el = await mount(html`<kudos-trophy-case class="themed" locale="en"></kudos-trophy-case>`);
      await loaded(el);
      expect(getComputedStyle($(el, '[part~="trophy-gold"] [part~="level"]')!).color).to.equal('rgb(120, 0, 0)');
      expect(getComputedStyle($(el, '[part~="base"]')!).backgroundColor).to.equal('rgb(250, 250, 240)');
      expect(getComputedStyle($(el, '[part~="share-button"]')!).borderTopLeftRadius).to.equal('0px');
    } finally {
      style.remove();
    }
  });
});
