import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import { createShop, hangingApi, identityFor, purchase, removeRuntime, useRuntime, useShop, type TestShop } from '../../test/web/kudos.js';
import type { KudosPoints } from './kudos-points.js';
import './kudos-points.js';

const PROGRAM = {
  earn: [
    { event: 'purchase', points: 1, per: 'total' },
    { event: 'review', points: 50 },
  ],
  tiers: { basis: 'points', windowDays: 365, levels: [{ name: 'Bronze', min: 0 }, { name: 'Silver', min: 100 }, { name: 'Gold', min: 300 }] },
};
const REWARDS = [
  { id: 'five-off', name: '€5 off', cost: 50, discount: { kind: 'fixed', amount: 5, currency: 'EUR' } },
  { id: 'beans', name: 'Free bag of beans', cost: 250, discount: { kind: 'fixed', amount: 24, currency: 'EUR' } },
];

async function loyaltyShop(options: { customerId?: string | null } = {}): Promise<TestShop> {
  const shop = await createShop(options);
  await executeServerCommand('kudos-program', { publishableKey: shop.publishableKey, program: PROGRAM });
  for (const reward of REWARDS) await executeServerCommand('kudos-reward', { publishableKey: shop.publishableKey, reward });
  return shop;
}

const $ = <T extends Element = HTMLElement>(el: Element, selector: string) => el.shadowRoot!.querySelector<T>(selector);
const $$ = (el: Element, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const loaded = (el: KudosPoints) =>
  waitUntil(() => $(el, '[part~="base"]')?.getAttribute('aria-busy') === 'false', 'widget never finished loading');
const reward = (el: Element, name: string) => $$(el, '[part~="reward"]').find((li) => text(li.querySelector('[part~="reward-name"]')) === name)!;
const mount = (locale = 'en') => fixture<KudosPoints>(html`<kudos-points locale=${locale}></kudos-points>`);

afterEach(() => removeRuntime());

describe('<kudos-points>', () => {
  it('reserves the loader’s 33.5rem while loading, with a skeleton and aria-busy', async () => {
    useRuntime({ api: await hangingApi(), key: 'pk_test_hanging', customerId: 'c_1', customerHash: 'x' });
    const el = await mount();
    expect($(el, '[part~="base"]')!.getAttribute('aria-busy')).to.equal('true');
    expect($(el, '[part~="skeleton"]')).to.exist;
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
    expect(el.getBoundingClientRect().height).to.be.closeTo(33.5 * rem, 0.5);
    await expect(el).to.be.accessible();
  });

  it('shows an error with a retry button that recovers', async () => {
    const shop = await loyaltyShop();
    useShop(shop);
    await executeServerCommand('kudos-fail-next', { key: shop.publishableKey, status: 503, times: 1 });
    const el = await mount();
    await waitUntil(() => $(el, '[part~="error-message"]'), 'no error state');
    expect(text($(el, '[part~="error-message"]'))).to.contain('couldn’t be loaded');
    await expect(el).to.be.accessible();
    $(el, '[part~="retry-button"]')!.click();
    await waitUntil(() => $(el, '[part~="balance"]'), 'did not recover after retry');
  });

  it('tells anonymous visitors how to earn and invites them to sign in', async () => {
    const shop = await loyaltyShop({ customerId: null });
    useShop(shop);
    const el = await mount();
    await loaded(el);
    expect($$(el, '[part~="earn"] li').map(text)).to.deep.equal(['1 point per €1', '50 points per review']);
    expect(text($(el, '[part~="invitation"]'))).to.equal('Sign in to collect points and get rewards.');
    expect($(el, '[part~="redeem-button"]')).to.equal(null);
    expect($$(el, '[part~="reward-name"]').map(text)).to.deep.equal(['€5 off', 'Free bag of beans']);
    await expect(el).to.be.accessible();
  });

  it('shows an empty activity for a new customer, in French too', async () => {
    const shop = await loyaltyShop();
    useShop(shop);
    const el = await mount('fr');
    await loaded(el);
    expect(text($(el, '[part~="heading"]'))).to.equal('Vos points');
    expect(text($(el, '[part~="balance"]'))).to.equal('0 point');
    expect(text($(el, '[part~="empty"]'))).to.contain('Aucune activité');
    expect(text($(el, '[part~="tier-status"]'))).to.equal('Encore 100 points pour Silver');
    expect(text(reward(el, '€5 off').querySelector('[part~="reward-status"]'))).to.equal('Encore 50 points');
    await expect(el).to.be.accessible();
  });

  it('shows balance, tier progress, activity and affordable rewards; updates on kudos-refresh', async () => {
    const shop = await loyaltyShop();
    await purchase(shop, 60);
    useShop(shop);
    const el = await mount();
    await loaded(el);
    expect(text($(el, '[part~="balance"]'))).to.equal('60 points');
    expect(text($(el, '[part~="tier-name"]'))).to.equal('Bronze tier');
    const bar = $<HTMLProgressElement>(el, '[part~="tier-progress"]')!;
    expect([bar.value, bar.max]).to.deep.equal([60, 100]);
    expect(text($(el, '[part~="tier-status"]'))).to.equal('40 points to Silver');
    const today = new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date());
    expect($$(el, '[part~="activity-item"]').map(text)).to.deep.equal([`Earned +60 ${today}`]);
    expect(reward(el, '€5 off').querySelector('[part~="redeem-button"]')).to.exist;
    expect(text(reward(el, 'Free bag of beans').querySelector('[part~="reward-status"]'))).to.equal('190 points to go');

    await purchase(shop, 50);
    document.dispatchEvent(new CustomEvent('kudos-refresh'));
    await waitUntil(() => text($(el, '[part~="balance"]')) === '110 points', 'balance did not refresh');
    expect(text($(el, '[part~="tier-name"]'))).to.equal('Silver tier');
    await expect(el).to.be.accessible();
  });

  it('shows a micro-gift won with an order and its add-on code, in French too', async () => {
    const shop = await loyaltyShop();
    const gift = { name: 'Tote bag offert', gift: { kind: 'code', prefix: 'TOTE-' }, rule: { kind: 'firstOrder' } };
    await executeServerCommand('kudos-gift', { publishableKey: shop.publishableKey, id: 'tote', gift });
    const won = (await purchase(shop, 20)) as { awards: { kind: string; code: string }[] };
    const code = won.awards.find((a) => a.kind === 'gift')!.code;
    useShop(shop);
    const el = await mount('fr');
    await loaded(el);
    expect($$(el, '[part~="gift"]').map(text)).to.deep.equal([`🎁 Votre cadeau : Tote bag offert${code}`]);
    expect(text($(el, '[part~="gift"] code'))).to.match(/^TOTE-[2-9A-Z]{10}$/);
    await expect(el).to.be.accessible();
  });

  it('puts its heading at the outline level it is given (heading-level), 2 by default', async () => {
    useShop(await loyaltyShop());
    const plain = await mount();
    await loaded(plain);
    expect($(plain, '[part~="heading"]')!.getAttribute('aria-level')).to.equal('2');
    const nested = await fixture<KudosPoints>(html`<kudos-points locale="en" heading-level="3"></kudos-points>`);
    await loaded(nested);
    expect($(nested, '[part~="heading"]')!.getAttribute('aria-level')).to.equal('3');
    await expect(nested).to.be.accessible();
  });

  it('claims a guest order from ?kudos_claim= once, says so, and drops the token from the address', async () => {
    const shop = await loyaltyShop();
    const { token } = await executeServerCommand<{ token: string }, unknown>('kudos-claim', {
      publishableKey: shop.publishableKey,
      orderId: `guest-${Date.now()}`,
      total: 42,
    });
    const before = location.href;
    history.replaceState(null, '', `?tab=orders&kudos_claim=${token}`);
    try {
      useShop(shop);
      const el = await mount();
      await loaded(el);
      expect(text($(el, '[part~="balance"]'))).to.equal('42 points');
      expect(text($(el, '[part~="notice"]'))).to.equal('Your guest order now counts: its points are in your balance.');
      expect(location.search).to.equal('?tab=orders');
      // The same link opened again (another tab, a bookmark) is refused, and said so.
      history.replaceState(null, '', `?kudos_claim=${token}`);
      removeRuntime();
      el.remove();
      useShop(shop, await identityFor(shop, 'c-someone-else'));
      const other = await mount();
      await loaded(other);
      expect(text($(other, '[part~="notice"]'))).to.equal('This order was already claimed.');
    } finally {
      history.replaceState(null, '', before);
    }
  });

  /** A shopper with five orders (45 points: no reward affordable), the card's height set to `height`. */
  async function withFiveOrders(height: string): Promise<KudosPoints> {
    const shop = await loyaltyShop();
    for (let i = 0; i < 5; i++) await purchase(shop, 9);
    useShop(shop);
    const el = await fixture<KudosPoints>(html`<kudos-points style=${`--kudos-points-min-height: ${height}`}></kudos-points>`);
    await loaded(el);
    return el;
  }

  it('keeps its height whatever the shopper has: what does not fit scrolls inside the card, from the keyboard too', async () => {
    const el = await withFiveOrders('20rem');
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
    expect(el.getBoundingClientRect().height).to.be.closeTo(20 * rem, 0.5);
    expect($$(el, '[part~="activity-item"]').length).to.equal(5);
    const card = $(el, '[part~="base"]')!;
    expect(card.scrollHeight).to.be.greaterThan(card.clientHeight);
    // Nothing in it is focusable (no reward is affordable): the card itself is, so arrow keys scroll it.
    expect($(el, '[part~="redeem-button"]')).to.equal(null);
    const before = document.createElement('button');
    el.before(before);
    before.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(card);
    await sendKeys({ press: 'End' });
    await waitUntil(() => card.scrollTop + card.clientHeight >= card.scrollHeight - 1, 'End did not scroll the card to its last line');
    before.remove();
    await expect(el).to.be.accessible();
  });

  it('grows with its content when the shop sets --kudos-points-min-height: auto (the launcher’s panel does)', async () => {
    const el = await withFiveOrders('auto');
    const card = $(el, '[part~="base"]')!;
    expect(card.scrollHeight).to.equal(card.clientHeight);
    expect(el.getBoundingClientRect().height).to.be.greaterThan(33.5 * parseFloat(getComputedStyle(document.documentElement).fontSize));
  });

  it('redeems from the keyboard: code shown once and announced, focus on Copy, balance drops', async () => {
    const shop = await loyaltyShop();
    await purchase(shop, 60);
    useShop(shop);
    const el = await mount();
    await loaded(el);
    const redeemed: CustomEvent[] = [];
    el.addEventListener('kudos-reward-redeemed', (e) => redeemed.push(e));
    const button = reward(el, '€5 off').querySelector<HTMLButtonElement>('[part~="redeem-button"]')!;
    expect(text(button)).to.equal('Redeem €5 off');
    button.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(el, '[part~="code-value"]'), 'no code shown');
    const code = text($(el, '[part~="code-value"]'));
    expect(code).to.match(/^[2-9A-Z]{10}$/);
    expect(text($(el, '[part~="announcement"]'))).to.equal(`€5 off redeemed. Your code is ${code}.`);
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part~="copy-button"]'));
    await waitUntil(() => text($(el, '[part~="balance"]')) === '10 points', 'balance did not drop');
    expect(text($$(el, '[part~="activity-item"]')[0])).to.match(/^Redeemed · €5 off -50 /);
    expect(redeemed[0]!.detail).to.include({ rewardId: 'five-off', code, balance: 10 });
    // Not enough any more: no button, what is missing instead.
    expect(text(reward(el, '€5 off').querySelector('[part~="reward-status"]'))).to.equal('40 points to go');
    await expect(el).to.be.accessible();
  });

  it('disables redeeming while pending, and says so politely when the server refuses for lack of points (409)', async () => {
    const shop = await loyaltyShop();
    await purchase(shop, 60);
    useShop(shop);
    const el = await mount();
    await loaded(el);
    // The points go elsewhere (another tab) after the widget showed them.
    const other = await purchase(shop, 1);
    expect(other.status).to.equal('accepted');
    await executeServerCommand('kudos-reward', {
      publishableKey: shop.publishableKey,
      reward: { ...REWARDS[0], cost: 500 },
    });
    reward(el, '€5 off').querySelector<HTMLButtonElement>('[part~="redeem-button"]')!.click();
    // While the request is out (its answer cannot arrive before this render), no second click is possible.
    await el.updateComplete;
    expect($$(el, '[part~="redeem-button"]').map((b) => (b as HTMLButtonElement).disabled)).to.deep.equal([true]);
    await waitUntil(() => $(el, '[part~="notice"]'), 'no notice');
    expect(text($(el, '[part~="notice"]'))).to.equal('Not enough points for this reward yet.');
    expect(text($(el, '[part~="announcement"]'))).to.equal('Not enough points for this reward yet.');
    expect($(el, '[part~="code"]')).to.equal(null);
    await waitUntil(() => text(reward(el, '€5 off').querySelector('[part~="reward-status"]')) === '439 points to go');
    await expect(el).to.be.accessible();
  });
});
