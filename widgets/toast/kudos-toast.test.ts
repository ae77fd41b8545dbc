import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import type { KudosToast } from './kudos-toast.js';
import './kudos-toast.js';

const $ = <T extends Element = HTMLElement>(el: Element, selector: string) => el.shadowRoot!.querySelector<T>(selector);
const toasts = (el: Element) => [...el.shadowRoot!.querySelectorAll('[part~="toast"]')];
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const award = (detail: object) => document.dispatchEvent(new CustomEvent('kudos-award', { detail, bubbles: true, composed: true }));

describe('<kudos-toast>', () => {
  it('announces each award politely, stacks them, and never takes focus', async () => {
    const before = await fixture<HTMLButtonElement>(html`<button>shop button</button>`);
    before.focus();
    const el = await fixture<KudosToast>(html`<kudos-toast locale="en" duration="60000"></kudos-toast>`);
    award({ kind: 'badge', id: 'first-order', name: 'First order' });
    award({ kind: 'trophy', id: 'roaster', name: 'Community roaster' });
    await waitUntil(() => toasts(el).length == 2, 'no toasts');
    expect(toasts(el).map(text)).to.deep.equal(['🏅 New badge First order ✕', '🏆 New trophy Community roaster ✕']);
    const status = $(el, '[role="status"]')!;
    expect(text(status)).to.equal('New trophy: Community roaster');
    expect(document.activeElement).to.equal(before);
    // Contrast is judged on the settled toast, not halfway through its fade-in.
    await Promise.all(el.shadowRoot!.getAnimations().map((a) => a.finished));
    await expect(el).to.be.accessible();
  });

  it('celebrates a micro-gift as a surprise gift, in the page language', async () => {
    const el = await fixture<KudosToast>(html`<kudos-toast locale="de" duration="60000"></kudos-toast>`);
    award({ kind: 'gift', id: 'tote', name: 'Gratis-Tasche', icon: '🎁', code: 'TOTE-2345' });
    // German arrives as the shared language chunk: nothing is shown or said in English meanwhile.
    await waitUntil(() => toasts(el).length == 1, 'no toast');
    expect(toasts(el).map(text)).to.deep.equal(['🎁 Überraschungsgeschenk Gratis-Tasche ✕']);
    expect(toasts(el)[0]!.getAttribute('part')).to.equal('toast toast-gift');
    expect(text($(el, '[role="status"]'))).to.equal('Überraschungsgeschenk: Gratis-Tasche');
  });

  it('leaves a badge to a visible <kudos-badges> to announce, but still shows it', async () => {
    const wrap = await fixture(html`<div><kudos-badges style="display:block;height:10px"></kudos-badges><kudos-toast locale="en"></kudos-toast></div>`);
    const el = wrap.querySelector('kudos-toast')!;
    award({ kind: 'badge', id: 'regular', name: 'Regular' });
    await waitUntil(() => toasts(el).length == 1, 'no toast');
    expect(toasts(el)).to.have.length(1);
    expect(text($(el, '[role="status"]'))).to.equal('');
  });

  it('dismisses with its button (keyboard) and gives focus back', async () => {
    const before = await fixture<HTMLButtonElement>(html`<button>shop button</button>`);
    const el = await fixture<KudosToast>(html`<kudos-toast locale="fr" duration="60000"></kudos-toast>`);
    award({ kind: 'badge', id: 'a', name: 'A' });
    await waitUntil(() => toasts(el).length == 1, 'no toast');
    const dismiss = $<HTMLButtonElement>(el, '[part~="dismiss-button"]')!;
    expect(dismiss.getAttribute('aria-label')).to.equal('Fermer');
    before.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(dismiss);
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(toasts(el)).to.have.length(0);
    await waitUntil(() => document.activeElement === before, 'focus did not return');
  });

  it('hides by itself, but not while hovered or focused', async () => {
    const el = await fixture<KudosToast>(html`<kudos-toast locale="en" duration="50"></kudos-toast>`);
    award({ kind: 'badge', id: 'a', name: 'A' });
    // English needs no chunk: the toast is up after the award's microtasks, well within its 50 ms.
    await new Promise((r) => setTimeout(r));
    await el.updateComplete;
    $(el, '[part~="stack"]')!.dispatchEvent(new Event('pointerenter'));
    await new Promise((r) => setTimeout(r, 200));
    expect(toasts(el)).to.have.length(1);
    $(el, '[part~="stack"]')!.dispatchEvent(new Event('pointerleave'));
    await waitUntil(() => toasts(el).length === 0, 'toast never hid');
  });

  it('slides in, except when the reader prefers reduced motion', async () => {
    const el = await fixture<KudosToast>(html`<kudos-toast locale="en" duration="60000"></kudos-toast>`);
    award({ kind: 'badge', id: 'a', name: 'A' });
    await waitUntil(() => toasts(el).length == 1, 'no toast');
    const toast = toasts(el)[0]!;
    expect(getComputedStyle(toast).animationName).to.equal('kudos-in');
    await emulateMedia({ reducedMotion: 'reduce' });
    try {
      expect(getComputedStyle(toast).animationName).to.equal('none');
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });

  it('shows its toasts inside a named landmark, and no empty landmark when there are none (axe region)', async () => {
    const el = await fixture<KudosToast>(html`<kudos-toast locale="en" duration="60000"></kudos-toast>`);
    expect($(el, 'section')).to.equal(null);
    award({ kind: 'badge', id: 'first-order', name: 'First order' });
    await waitUntil(() => toasts(el).length == 1, 'no toast');
    expect($(el, 'section')!.getAttribute('aria-label')).to.equal('Rewards news');
    await Promise.all(el.shadowRoot!.getAnimations().map((a) => a.finished));
    await import('axe-core/axe.min.js');
    const axe = (window as unknown as { axe: { run(context: Node, options: object): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const { violations } = await axe.run(document, { runOnly: { type: 'rule', values: ['region', 'landmark-unique'] } });
    expect(violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`)).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });
});
