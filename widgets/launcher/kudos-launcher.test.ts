import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { a11ySnapshot, executeServerCommand, sendKeys } from '@web/test-runner-commands';
import { createShop, purchase, removeRuntime, useShop } from '../../test/web/kudos.js';
import type { KudosLauncher } from './kudos-launcher.js';
import './kudos-launcher.js';
import '../points/kudos-points.js';
import '../badges/kudos-badges.js';
import '../trophy-case/kudos-trophy-case.js';

const $ = <T extends Element = HTMLElement>(el: Element, selector: string) => el.shadowRoot!.querySelector<T>(selector);
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

afterEach(() => removeRuntime());

describe('<kudos-launcher>', () => {
  it('shows the balance in the button name, opens a modal panel, Escape closes it and focus returns', async () => {
    const shop = await createShop();
    await purchase(shop, 42);
    useShop(shop);
    const el = await fixture<KudosLauncher>(html`<kudos-launcher locale="en"></kudos-launcher>`);
    const button = $<HTMLButtonElement>(el, '[part~="button"]')!;
    await waitUntil(() => text(button) === 'Rewards 42 points', 'balance not shown');
    await expect(el).to.be.accessible();

    button.focus();
    await sendKeys({ press: 'Enter' });
    const dialog = $<HTMLDialogElement>(el, 'dialog')!;
    expect(dialog.open).to.equal(true);
    expect(dialog.matches(':modal')).to.equal(true);
    // The panel's widgets are light-DOM children, so the loader lazy-loads them on first open.
    expect([...el.children].map((c) => c.localName)).to.deep.equal(['kudos-points', 'kudos-badges', 'kudos-trophy-case']);
    // Their headings are one level below the dialog's.
    expect([...el.children].map((c) => c.getAttribute('heading-level'))).to.deep.equal(['3', '3', '3']);
    // The points card grows with its content in the panel (the dialog scrolls): no box scrolling inside
    // a box, no tab stop on it; in page flow it keeps the loader's height instead (its own tests).
    const points = el.querySelector('kudos-points')!;
    await waitUntil(() => points.shadowRoot?.querySelector('[part~="balance"]'), 'panel points not shown');
    const card = points.shadowRoot!.querySelector<HTMLElement>('[part~="base"]')!;
    expect(card.scrollHeight).to.equal(card.clientHeight);
    expect(card.getBoundingClientRect().height).to.be.lessThan(33.5 * parseFloat(getComputedStyle(document.documentElement).fontSize));
    expect(card.hasAttribute('tabindex')).to.equal(false);
    // Focus is inside the dialog and Tab keeps it there (modal: the page behind is inert).
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    const inside = el.shadowRoot!.activeElement;
    expect(inside === null || dialog.contains(inside) || el.contains(document.activeElement)).to.equal(true);
    await sendKeys({ press: 'Escape' });
    expect(dialog.open).to.equal(false);
    expect(el.shadowRoot!.activeElement).to.equal(button);
  });

  it('closes with its labelled close button, localized', async () => {
    useShop(await createShop({ customerId: null }));
    const el = await fixture<KudosLauncher>(html`<kudos-launcher locale="de"><p>panel</p></kudos-launcher>`);
    // The button waits for German (the shared language chunk) rather than flashing English.
    await waitUntil(() => $(el, '[part~="button"]'), 'no button');
    const button = $<HTMLButtonElement>(el, '[part~="button"]')!;
    expect(text(button)).to.equal('Prämien');
    button.click();
    const close = $<HTMLButtonElement>(el, '[part~="close-button"]')!;
    expect(close.getAttribute('aria-label')).to.equal('Schließen');
    expect(text($(el, '[part~="heading"]'))).to.equal('Ihre Prämien');
    // The page's own children stay the panel's content.
    expect([...el.children].map((c) => c.localName)).to.deep.equal(['p']);
    close.click();
    expect($<HTMLDialogElement>(el, 'dialog')!.open).to.equal(false);
    await waitUntil(() => el.shadowRoot!.activeElement === button, 'focus did not return to the button');
  });

  it('keeps the button’s balance in step with a redemption made in the panel', async () => {
    const shop = await createShop();
    await executeServerCommand('kudos-reward', {
      publishableKey: shop.publishableKey,
      reward: { id: 'mug', name: 'Mug', cost: 30, discount: { kind: 'percent', percent: 10 } },
    });
    await purchase(shop, 42);
    useShop(shop);
    const el = await fixture<KudosLauncher>(html`<kudos-launcher locale="en"></kudos-launcher>`);
    const button = $<HTMLButtonElement>(el, '[part~="button"]')!;
    await waitUntil(() => text(button) === 'Rewards 42 points', 'balance not shown');
    button.click();
    const points = el.querySelector('kudos-points')!;
    await waitUntil(() => points.shadowRoot?.querySelector('[part~="redeem-button"]'), 'no redeem button in the panel');
    points.shadowRoot!.querySelector<HTMLButtonElement>('[part~="redeem-button"]')!.click();
    await waitUntil(() => text(button) === 'Rewards 12 points', 'launcher balance did not follow the redemption');
  });

  it('is axe-clean closed and open beside the same widgets inline: everything in a named landmark, no two landmarks share a name', async () => {
    const shop = await createShop();
    await purchase(shop, 42);
    useShop(shop);
    const page = await fixture(html`<div>
      <kudos-points locale="en"></kudos-points>
      <kudos-badges locale="en"></kudos-badges>
      <kudos-trophy-case locale="en"></kudos-trophy-case>
    </div>`);
    // Where the loader puts it: the end of <body>, beside the page's own content.
    const el = document.createElement('kudos-launcher');
    el.setAttribute('locale', 'en');
    document.body.append(el);
    after(() => el.remove());
    const button = () => $<HTMLButtonElement>(el, '[part~="button"]');
    await waitUntil(() => text(button()) === 'Rewards 42 points', 'no button with its balance', { timeout: 5000 });
    const headings = () => [...page.querySelectorAll('kudos-points, kudos-badges, kudos-trophy-case'), ...el.children].map((w) => text(w.shadowRoot?.querySelector('#h')));
    await waitUntil(() => headings().length === 3 && headings().every(Boolean), 'the inline widgets did not render', { timeout: 5000 });
    // The whole document, as a shopper's screen reader meets it (the element-scoped check above cannot see duplicates).
    await import('axe-core/axe.min.js');
    const axe = (window as unknown as { axe: { run(context: Node, options: object): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const rules = ['region', 'landmark-unique', 'landmark-complementary-is-top-level', 'aria-allowed-role', 'aria-allowed-attr', 'aria-prohibited-attr'];
    const check = async (state: string) => {
      const { violations } = await axe.run(document, { runOnly: { type: 'rule', values: rules } });
      expect(violations.map((v) => `${state}: ${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`)).to.deep.equal([]);
      // axe's region rule exempts buttons and dialogs, so it passes a floating button no landmark
      // holds; landmark navigation (a screen reader's "next region") would still skip it. Chromium's
      // own accessibility tree must show the button inside a named landmark.
      const snapshot = (await a11ySnapshot({})) as unknown as A11yNode;
      // Open, the modal dialog leaves the rest of the page inert, the button included.
      const open = $<HTMLDialogElement>(el, 'dialog')!.open;
      expect(pathTo(snapshot, (n) => n.role === 'dialog' && n.name === 'Your rewards') !== undefined, `${state}: the dialog`).to.equal(open);
      const path = pathTo(snapshot, (n) => n.role === 'button' && /^Rewards/.test(n.name ?? ''));
      if (open) return expect(path, `${state}: the inert button`).to.equal(undefined);
      expect(path, `${state}: the launcher button in the accessibility tree`).to.not.equal(undefined);
      const landmarks = path!.filter((n) => LANDMARKS.includes(n.role) && n.name).map((n) => `${n.role} "${n.name}"`);
      expect(landmarks, `${state}: named landmarks around the launcher button`).to.deep.equal(['region "Rewards"']);
    };
    // Closed: the floating button sits in the launcher's own named region, beside the inline widgets' regions.
    await check('closed');
    button()!.click();
    await waitUntil(() => headings().length === 6 && headings().every(Boolean), 'the panel widgets did not render', { timeout: 5000 });
    await check('open');
    $<HTMLDialogElement>(el, 'dialog')!.close();
    await check('closed again');
  });
});

interface A11yNode {
  role: string;
  name?: string;
  children?: A11yNode[];
}
const LANDMARKS = ['banner', 'complementary', 'contentinfo', 'form', 'main', 'navigation', 'region', 'search'];
/** The nodes from the root down to the first node that matches, or undefined. */
function pathTo(node: A11yNode, match: (n: A11yNode) => boolean): A11yNode[] | undefined {
  if (match(node)) return [node];
  for (const child of node.children ?? []) {
    const path = pathTo(child, match);
    if (path) return [node, ...path];
  }
  return undefined;
}
