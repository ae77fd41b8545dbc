import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import { createShop, deadApi, hangingApi, identityFor, purchase, removeRuntime, useShop, useRuntime, type TestShop } from '../../test/web/kudos.js';
import { catalogLocales } from '../../test/web/catalog-locales.js';
import { KudosShareSave, type GroupView } from './kudos-share-save.js';
import { percent } from './messages.js';

const DUO = {
  name: 'Mug duo',
  scope: { kind: 'product', productId: 'mug' },
  tiers: [
    { members: 2, percentOff: 10 },
    { members: 3, percentOff: 15 },
  ],
  windowHours: 24,
  maxMembers: 3,
};

const $ = <T extends Element = HTMLElement>(el: Element, selector: string) => el.shadowRoot!.querySelector<T>(selector);
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const part = (el: Element, name: string) => $(el, `[part~="${name}"]`);
const loaded = (el: Element) => waitUntil(() => part(el, 'base')?.getAttribute('aria-busy') === 'false', 'widget never finished loading');
const rem = () => parseFloat(getComputedStyle(document.documentElement).fontSize);

async function shopWith(campaign: object = DUO, customerId?: string | null): Promise<TestShop> {
  const shop = await createShop(customerId === undefined ? {} : { customerId });
  await executeServerCommand('kudos-campaign', { publishableKey: shop.publishableKey, id: 'duo', campaign });
  return shop;
}

/** Another shopper of the same shop joins over the API, as their own browser would. */
async function joinAs(shop: TestShop, customerId: string, code: string): Promise<Response> {
  const id = await identityFor(shop, customerId);
  return fetch(`${shop.api}/v1/groups/${code}/join`, {
    method: 'POST',
    headers: { authorization: `Bearer ${shop.publishableKey}`, 'x-kudos-customer': id.customerId, 'x-kudos-customer-hash': id.customerHash },
  });
}

async function mount(locale = 'en') {
  const el = await fixture<KudosShareSave>(html`<kudos-share-save campaign="duo" locale=${locale}></kudos-share-save>`);
  await loaded(el);
  return el;
}

/** The shopper starts a group in the widget; a friend joins over the API; the widget is told to refetch. */
async function startAndLetAFriendJoin(shop: TestShop): Promise<{ el: KudosShareSave; code: string }> {
  const el = await mount();
  part(el, 'start-button')!.click();
  await waitUntil(() => $(el, 'input'));
  const code = new URL(($(el, 'input') as HTMLInputElement).value).searchParams.get('kudos_group')!;
  expect((await joinAs(shop, 'c_friend', code)).status).to.equal(200);
  document.dispatchEvent(new CustomEvent('kudos-refresh'));
  return { el, code };
}

const invite = (code: string) => history.replaceState(null, '', `${location.pathname}?kudos_group=${code}`);

afterEach(() => {
  removeRuntime();
  localStorage.clear();
  history.replaceState(null, '', location.pathname);
});

// Email join makes several server round trips (claim, mailer webhook, confirm, join): on two
// shared cores they can take longer than waitUntil's 1 s default.
const SERVER_ROUND_TRIP = { timeout: 5000 };

describe('<kudos-share-save>', () => {
  it('is defined once; defining again is harmless', () => {
    expect(customElements.get('kudos-share-save')).to.equal(KudosShareSave);
    expect(KudosShareSave.define('kudos-share-save')).to.equal(KudosShareSave);
  });

  it('reserves the loader’s height and is aria-busy while the API does not answer', async () => {
    useRuntime({ api: await hangingApi(), key: 'pk_hanging', customerId: 'c', customerHash: 'x' });
    const el = await fixture<KudosShareSave>(html`<kudos-share-save campaign="duo" locale="en"></kudos-share-save>`);
    expect(part(el, 'base')!.getAttribute('aria-busy')).to.equal('true');
    expect(part(el, 'skeleton')).to.exist;
    expect(el.getBoundingClientRect().height).to.be.closeTo(14 * rem(), 0.5);
    await expect(el).to.be.accessible();
  });

  it('shows a retryable error when the API is unreachable', async () => {
    useRuntime({ api: await deadApi(), key: 'pk_dead' });
    const el = await mount();
    expect(text(part(el, 'error-message'))).to.contain('couldn’t reach');
    expect(part(el, 'retry-button')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('explains the offer in one line with its tiers, and invites anonymous visitors to sign in', async () => {
    useShop(await shopWith(DUO, null));
    const el = await mount();
    expect(text(part(el, 'offer'))).to.equal('Start a group: if friends join within 24 h, everyone saves.');
    expect([...el.shadowRoot!.querySelectorAll('[part~="tier"]')].map(text)).to.deep.equal(['2 people: −10%', '3 people: −15%']);
    expect(text(part(el, 'notice'))).to.equal('Sign in to start or join a group.');
    expect(part(el, 'start-button')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('starts a group from the keyboard and shows its link, progress, next tier and countdown', async () => {
    const shop = await shopWith();
    useShop(shop);
    const el = await mount();
    part(el, 'start-button')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => part(el, 'link'), 'no share link after starting');
    const link = new URL(($(el, 'input') as HTMLInputElement).value);
    const code = link.searchParams.get('kudos_group')!;
    expect(code).to.match(/^[2-9A-Z]{12}$/);
    expect(link.pathname).to.equal(location.pathname);
    expect(text(part(el, 'people'))).to.equal('1 joined · 1 more for −10%');
    expect(text(part(el, 'countdown'))).to.match(/^Ends in 2[34]:\d\d:\d\d$/);
    expect((part(el, 'progress') as HTMLProgressElement).value).to.equal(1);
    expect(part(el, 'code')).to.equal(null);
    // Prefilled links for common apps carry the group link.
    const apps = [...el.shadowRoot!.querySelectorAll<HTMLAnchorElement>('[part~="app"]')];
    expect(apps.map((a) => a.textContent)).to.deep.equal(['WhatsApp', 'Email']);
    for (const a of apps) expect(decodeURIComponent(a.href)).to.contain(`kudos_group=${code}`);
    expect(text(part(el, 'share-button'))).to.equal('share' in navigator ? 'Share link' : 'Copy link');
    await expect(el).to.be.accessible();

    // Coming back later (no link in the URL) shows the same group.
    el.remove();
    const again = await mount();
    expect(($(again, 'input') as HTMLInputElement).value).to.contain(code);
  });

  it('shows the owner their own code once a friend joins, and announces it', async () => {
    const shop = await shopWith();
    useShop(shop);
    const { el, code } = await startAndLetAFriendJoin(shop);
    await waitUntil(() => part(el, 'code'), 'no code after the friend joined');
    expect(text(part(el, 'code'))).to.match(new RegExp(`${code}-`));
    expect(text(part(el, 'code-box'))).to.contain('Your code for −10%:');
    expect(text(part(el, 'status'))).to.equal('Unlocked: −10% for everyone!');
    expect(part(el, 'tier-reached')).to.exist;
    await expect(el).to.be.accessible();

    // Coming back later: the code is there, not announced again.
    el.remove();
    const later = await mount();
    expect(text(part(later, 'code'))).to.equal(text(part(el, 'code')));
    expect(text(part(later, 'status'))).to.equal('');
  });

  it('says the code is on its way while the shop’s backend makes it, then shows the code it supplied', async () => {
    const shop = await shopWith({ ...DUO, codes: { issuer: 'shop' } });
    useShop(shop);
    const { el, code } = await startAndLetAFriendJoin(shop);
    await waitUntil(() => part(el, 'code-box'), 'no word of the discount after the friend joined');
    expect(text(part(el, 'code-box'))).to.equal('−10% unlocked: your code is on its way.');
    expect(part(el, 'code')).to.equal(null);
    await expect(el).to.be.accessible();
    await executeServerCommand('kudos-group-code', {
      publishableKey: shop.publishableKey,
      group: code,
      customerId: shop.customerId,
      discountCode: 'SPRING-OWNER',
      percentOff: 10,
    });
    document.dispatchEvent(new CustomEvent('kudos-refresh'));
    await waitUntil(() => part(el, 'code'), 'the supplied code never showed');
    expect(text(part(el, 'code'))).to.equal('SPRING-OWNER');
    expect(text(part(el, 'status'))).to.equal('Unlocked: −10% for everyone!');
  });

  it('lets an invited visitor without an account join by confirming an email address, from the keyboard', async () => {
    const shop = await shopWith();
    await executeServerCommand('kudos-mailer', { publishableKey: shop.publishableKey });
    const owner = await identityFor(shop, 'c_owner');
    const started = (await (
      await fetch(`${shop.api}/v1/groups`, {
        method: 'POST',
        headers: { authorization: `Bearer ${shop.publishableKey}`, 'content-type': 'application/json', 'x-kudos-customer': owner.customerId, 'x-kudos-customer-hash': owner.customerHash },
        body: JSON.stringify({ campaign: 'duo' }),
      })
    ).json()) as GroupView;
    invite(started.code);
    useShop({ ...shop, customerId: undefined, customerHash: undefined });
    const el = await fixture<KudosShareSave>(html`<kudos-share-save campaign="duo" join-by-email></kudos-share-save>`);
    await loaded(el);
    const input = () => $<HTMLInputElement>(el, 'input')!;
    expect(text($(el, 'label'))).to.equal('Your email, to join without an account');
    expect(input().type).to.equal('email');
    await expect(el).to.be.accessible();
    input().focus();
    await sendKeys({ type: 'ana@example.org' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => text(part(el, 'status')) == 'Check your inbox for a 6-digit code.', 'no word that the code was sent', SERVER_ROUND_TRIP);
    expect(text($(el, 'label'))).to.equal('Code from the email');
    expect(input().value).to.equal('');
    expect(input().autocomplete).to.equal('one-time-code');
    const [mail] = await executeServerCommand<{ code: string; customerId: string }[]>('kudos-mailbox', { publishableKey: shop.publishableKey });
    input().focus();
    await sendKeys({ type: mail!.code === '000000' ? '111111' : '000000' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => text(part(el, 'status')) == 'Check what you typed and try again.', 'a wrong code was not refused', SERVER_ROUND_TRIP);
    input().value = '';
    input().focus();
    await sendKeys({ type: mail!.code });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => part(el, 'code'), 'no code after joining by email', SERVER_ROUND_TRIP);
    expect(text(part(el, 'role'))).to.equal('You’re in this group.');
    expect(window.Kudos!.config.customerId).to.equal(mail!.customerId);
  });

  it('opens an invitation link, joins with one click and shows the joiner’s own code', async () => {
    const shop = await shopWith();
    const started = (await (
      await fetch(`${shop.api}/v1/groups`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${shop.publishableKey}`,
          'content-type': 'application/json',
          'x-kudos-customer': shop.customerId!,
          'x-kudos-customer-hash': shop.customerHash!,
        },
        body: JSON.stringify({ campaign: 'duo' }),
      })
    ).json()) as GroupView;
    invite(started.code);
    const friend = await identityFor(shop, 'c_invited');
    useShop(shop, friend);
    const el = await mount();
    expect(text(part(el, 'invitation'))).to.equal('A friend invited you to save together.');
    expect(part(el, 'code')).to.equal(null);
    await expect(el).to.be.accessible();
    part(el, 'join-button')!.click();
    await waitUntil(() => part(el, 'code'), 'no code after joining');
    expect(text(part(el, 'role'))).to.equal('You’re in this group.');
    expect(text(part(el, 'people'))).to.equal('2 joined · 1 more for −15%');
  });

  it('says when a group is full, and when the offer is for new customers only', async () => {
    const shop = await shopWith({ ...DUO, tiers: [{ members: 2, percentOff: 10 }], maxMembers: 2 });
    useShop(shop);
    const owner = await mount();
    part(owner, 'start-button')!.click();
    await waitUntil(() => $(owner, 'input'));
    const code = new URL(($(owner, 'input') as HTMLInputElement).value).searchParams.get('kudos_group')!;
    await joinAs(shop, 'c_second', code);
    owner.remove();
    invite(code);
    useShop(shop, await identityFor(shop, 'c_third'));
    const el = await mount();
    expect(text(part(el, 'notice'))).to.equal('This group is full.');
    expect(part(el, 'join-button')).to.equal(null);

    const picky = await shopWith({ ...DUO, newCustomersOnly: true });
    const started = await fetch(`${picky.api}/v1/groups`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${picky.publishableKey}`,
        'content-type': 'application/json',
        'x-kudos-customer': picky.customerId!,
        'x-kudos-customer-hash': picky.customerHash!,
      },
      body: JSON.stringify({ campaign: 'duo' }),
    });
    invite(((await started.json()) as GroupView).code);
    const regular = await identityFor(picky, 'c_regular');
    await purchase(picky, 12, { customerId: 'c_regular' });
    useShop(picky, regular);
    el.remove();
    const refused = await mount();
    part(refused, 'join-button')!.click();
    await waitUntil(() => text(part(refused, 'status')), 'no refusal shown');
    expect(text(part(refused, 'status'))).to.equal('This offer is for new customers.');
    expect(part(refused, 'code')).to.equal(null);
    await expect(refused).to.be.accessible();
  });

  it('speaks French and German, percentages through Intl', async () => {
    useShop(await shopWith(DUO, null));
    const fr = await mount('fr');
    expect(text(part(fr, 'heading'))).to.equal('Partagez et économisez');
    expect(text(part(fr, 'tier'))).to.equal('2 personnes : −10 %');
    const de = await mount('de');
    expect(text(part(de, 'tier'))).to.equal('2 Personen: −10 %');
    expect(text(part(de, 'notice'))).to.equal('Melden Sie sich an, um mitzumachen.');
  });
});

describe('percent(locale, x)', () => {
  it('writes every percent as Intl does, in every region of each catalog language', () => {
    for (const locale of catalogLocales(['-150', '-001', '-Latn-DE', '-u-nu-arab', '-CH-u-nu-latn'])) {
      const intl = new Intl.NumberFormat(locale, { style: 'percent' });
      for (const x of [0, 5, 10, 15, 50, 100, 999, 1000, 12.5, -10]) expect(percent(locale, x), `${locale} ${x}`).to.equal(intl.format(x / 100));
    }
  });

  it('makes no Intl object for a whole percent (the first one of a page loads ICU data)', () => {
    const made: string[] = [];
    const { NumberFormat } = Intl;
    Intl.NumberFormat = new Proxy(NumberFormat, { construct: (target, args) => (made.push(String(args[0])), new target(...(args as []))) });
    try {
      expect([percent('en', 10), percent('de-DE', 15), percent('fr', 5), percent('en-SE', 20)]).to.deep.equal(['10%', '15\u00a0%', '5\u00a0%', '20\u00a0%']);
      expect(made).to.deep.equal([]);
      expect(percent('de-CH', 12.5)).to.equal(new NumberFormat('de-CH', { style: 'percent' }).format(0.125));
      expect(made).to.deep.equal(['de-CH']);
    } finally {
      Intl.NumberFormat = NumberFormat;
    }
  });
});
