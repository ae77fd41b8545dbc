// Setup mistakes explain themselves to the person installing: each widget writes one console
// warning with the server's problem title, detail and a docs link, while the shopper keeps
// the friendly message. Real server, real Chromium.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { createShop, useShop } from '../../test/web/kudos.js';
import '../badges/kudos-badges.js';
import '../points/kudos-points.js';
import '../share-save/kudos-share-save.js';
import '../buy-button/kudos-buy-button.js';
import '../nps/kudos-nps.js';
import '../launcher/kudos-launcher.js';

const $ = (el: Element, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** Record console.warn calls until `restore`: each as its text, prefixed by the element it was said next to. */
function warnings() {
  const calls: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    const last = args.at(-1);
    const tag = last instanceof Element ? `<${last.localName}> ` : '';
    calls.push(tag + args.filter((a) => !(a instanceof Element)).map(String).join(' '));
  };
  return { calls, restore: () => (console.warn = original) };
}

let warned: ReturnType<typeof warnings>;
beforeEach(() => (warned = warnings()));
afterEach(() => warned.restore());

const friendly = async (el: Element) => {
  await waitUntil(() => $(el, '[part~="error-message"]'), 'no error state');
  expect(text($(el, '[part~="error-message"]'))).to.contain('couldn’t be loaded');
};

describe('setup warnings', () => {
  it('an unregistered origin: which origin, where origins are set, a docs link; one warning per failure', async () => {
    useShop(await createShop({ unregistered: true }));
    const el = await fixture(html`<kudos-badges></kudos-badges>`);
    await friendly(el);
    await waitUntil(() => warned.calls.length > 0, 'no warning');
    expect(warned.calls).to.have.length(1);
    const [warning] = warned.calls;
    expect(warning).to.match(/^<kudos-badges> Origin not registered /);
    expect(warning).to.contain(location.origin);
    expect(warning).to.contain('kudos shop origins add');
    expect(warning).to.match(/https?:\/\/[^ ]+\/docs\/access\.md#origins/);
    await expect(el).to.be.accessible();
  });

  it('a bad identity hash: how signing works and where it is documented', async () => {
    const shop = await createShop();
    useShop({ ...shop, customerHash: '0'.repeat(64) });
    const el = await fixture(html`<kudos-points></kudos-points>`);
    await friendly(el);
    await waitUntil(() => warned.calls.length > 0, 'no warning');
    expect(warned.calls).to.have.length(1);
    expect(warned.calls[0]).to.match(/^<kudos-points> Shopper identity not verified /);
    expect(warned.calls[0]).to.contain('HMAC-SHA256');
    expect(warned.calls[0]).to.match(/\/docs\/getting-started\.md#your-shops-backend/);
  });

  it('the launcher alone on a page says so too (issue 18): its balance request fails on a bad identity hash', async () => {
    const shop = await createShop();
    useShop({ ...shop, customerHash: '0'.repeat(64) });
    const el = await fixture(html`<kudos-launcher></kudos-launcher>`);
    await waitUntil(() => warned.calls.length > 0, 'no warning');
    expect(warned.calls).to.have.length(1);
    expect(warned.calls[0]).to.match(/^<kudos-launcher> Shopper identity not verified /);
    expect(warned.calls[0]).to.match(/\/docs\/getting-started\.md#your-shops-backend/);
    // The shopper still gets the button (the panel's widgets show the friendly message).
    expect(el.shadowRoot!.querySelector('[part~="button"]')).to.exist;
  });

  it('an unknown campaign, product or survey: its id, and the feature guide', async () => {
    useShop(await createShop());
    const share = await fixture(html`<kudos-share-save campaign="no-such-campaign"></kudos-share-save>`);
    const buy = await fixture(html`<kudos-buy-button product="no-such-product"></kudos-buy-button>`);
    const nps = await fixture(html`<kudos-nps survey="no-such-survey"></kudos-nps>`);
    await friendly(share);
    await friendly(buy);
    await waitUntil(() => warned.calls.length >= 3, `warnings: ${warned.calls.join(' | ')}`);
    const said = (tag: string) => warned.calls.filter((w) => w.startsWith(`<${tag}> `));
    expect(said('kudos-share-save')).to.have.length(1);
    expect(said('kudos-share-save')[0]).to.contain('"no-such-campaign"').and.to.match(/\/docs\/share-save\.md/);
    expect(said('kudos-buy-button')).to.have.length(1);
    expect(said('kudos-buy-button')[0]).to.contain('"no-such-product"').and.to.match(/\/docs\/buy-buttons\.md/);
    expect(said('kudos-nps')).to.have.length(1);
    expect(said('kudos-nps')[0]).to.contain('"no-such-survey"').and.to.match(/\/docs\/nps\.md/);
    // The survey is optional: shoppers see nothing rather than an error.
    expect(nps.shadowRoot!.textContent!.trim()).to.equal('');
  });
});
