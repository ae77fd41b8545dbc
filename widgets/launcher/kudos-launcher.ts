import { css, html, nothing, type PropertyDeclarations } from 'lit';
import { errorKind, seg } from '../internal/api.js';
import { KudosElement } from '../internal/base-element.js';
import { hasShared } from '../internal/messages.js';
import { hostStyles } from '../internal/tokens.js';

/** What the panel holds when the page gives it nothing of its own. */
const PANEL = ['kudos-points', 'kudos-badges', 'kudos-trophy-case'];

/**
 * A floating button (bottom end of the viewport, safe-area aware) showing the
 * shopper's balance, opening a modal `<dialog>` with their points, badges and
 * trophies: for shops that cannot edit their theme templates. The loader
 * inserts one into `<body>` when the script tag has `data-launcher`.
 *
 * The panel shows the element's children; with none, it adds `<kudos-points>`,
 * `<kudos-badges>` and `<kudos-trophy-case>` on first open (as light-DOM
 * children, so the loader lazy-loads them then, not on every page view).
 * The dialog traps focus (`showModal`), Escape closes it and focus returns to the button.
 * The element itself is a region landmark named like its button ("Rewards"), so the button
 * is reachable by landmark navigation wherever the page puts it.
 *
 * @tag kudos-launcher
 * @slot - what the panel shows; empty: `<kudos-points>`, `<kudos-badges>` and `<kudos-trophy-case>` on first open
 * @csspart button - the floating button
 * @csspart button-label - "Rewards"
 * @csspart button-balance - "120 points"
 * @csspart dialog - the panel (native dialog)
 * @csspart header - the panel's header
 * @csspart heading - its heading
 * @csspart close-button - closes the panel
 * @csspart body - the panel's content (the slot)
 * @cssprop --kudos-launcher-offset - distance from the viewport's bottom end corner (default `1em`)
 * @cssprop --kudos-launcher-radius - the button's corners (default `2em`)
 * @cssprop --kudos-launcher-z-index - stacking order (default `2147482000`)
 * @cssprop --kudos-launcher-backdrop - the dialog's backdrop colour
 * @cssprop --kudos-color-background - the panel's background
 */
export class KudosLauncher extends KudosElement {
  static override styles = [
    hostStyles,
    css`
:host{position:fixed;z-index:var(--kudos-launcher-z-index,2147482000);inset-block-end:max(var(--kudos-launcher-offset,1em),env(safe-area-inset-bottom));inset-inline-end:max(var(--kudos-launcher-offset,1em),env(safe-area-inset-right))}
[part~=button]{display:flex;align-items:center;gap:.5em;min-height:3em;padding:.5em 1.25em;border-radius:var(--kudos-launcher-radius,2em);box-shadow:0 .25em 1em #0004}
[part~=button-balance]{padding:0 .5em;border-radius:1em;background:var(--kudos-color-accent-contrast,#fff);color:var(--_accent);font-variant-numeric:tabular-nums}
dialog{inline-size:min(28em,100vw);max-inline-size:100vw;max-block-size:min(40em,100dvh);margin-block:auto 0;margin-inline:auto 0;padding:0;border:0;border-radius:var(--_radius) var(--_radius) 0 0;background:var(--kudos-color-background,#f6f8fa);color:inherit;box-shadow:0 0 2em #0005}
@media (min-width:36em){dialog{margin:auto max(1em,env(safe-area-inset-right)) max(1em,env(safe-area-inset-bottom)) auto;border-radius:var(--_radius)}}
dialog::backdrop{background:var(--kudos-launcher-backdrop,#0006)}
[part~=header]{position:sticky;top:0;z-index:1;display:flex;align-items:center;justify-content:space-between;gap:1em;padding:.5em .5em .5em 1em;background:inherit;border-bottom:1px solid var(--_border)}
h2{margin:0}
[part~=close-button]{min-width:2.75em;padding:0;background:none;color:inherit}
[part~=close-button]:hover{background:var(--_border)}
[part~=body]{--kudos-points-min-height:auto;display:grid;gap:1em;padding:1em 1em max(1em,env(safe-area-inset-bottom))}
`,
  ];
  static override properties: PropertyDeclarations = { _points: { state: true } };

  declare private _points?: number;
  private _seq = 0;

  override refresh(): void {
    void this._load();
  }

  private async _load(): Promise<void> {
    const seq = ++this._seq;
    try {
      await null;
      const rt = this.requireRuntime();
      const who = rt.config.customerId;
      const points = who ? (await rt.request<{ points: number }>(`/v1/customers/${seg(who)}`)).points : undefined;
      if (seq === this._seq) this._points = points;
    } catch (error) {
      // The button still opens the panel, whose widgets show their own errors to shoppers;
      // the person installing hears of it now (a page may show nothing but this button).
      if (seq === this._seq) (this._points = undefined), errorKind(error, this);
    }
  }

  private _open(): void {
    if (!this.children.length) {
      // Their headings sit under the dialog's own h2.
      this.append(
        ...PANEL.map((tag) => {
          const widget = document.createElement(tag);
          widget.setAttribute('heading-level', '3');
          return widget;
        }),
      );
    }
    this.renderRoot.querySelector('dialog')!.showModal();
  }

  override render() {
    const f = this.msg;
    // Not a flash of English on a French page: the button appears with its language's chunk.
    if (!hasShared(f.locale)) return nothing;
    const m = f.launcher;
    const n = this._points;
    // A named region holds the floating button, so landmark navigation reaches it (it sits at the
    // end of <body>, outside the page's landmarks). Named "Rewards", not after the inline widgets,
    // whose regions it must not duplicate; inside the panel they are groups (data-element.ts).
    this.setAttribute('role', 'region');
    this.setAttribute('aria-label', m.open);
    return html`<button part="button" type="button" aria-haspopup="dialog" @click=${this._open}>
        <span part="button-label">${m.open}</span>
        ${n === undefined
          ? nothing
          : html`<span part="button-balance">${this.msg.n(n)}<span class="visually-hidden"> ${this.msg.p(n, m.points)}</span></span>`}
      </button>
      <dialog
        part="dialog"
        aria-labelledby="h"
        @close=${() => this.renderRoot.querySelector<HTMLElement>('[part~=button]')!.focus()}
        @click=${(e: Event) => e.target === e.currentTarget && (e.currentTarget as HTMLDialogElement).close()}
      >
        <div part="header">
          <h2 part="heading" id="h">${m.heading}</h2>
          <button part="close-button" type="button" aria-label=${m.close} @click=${() => this.renderRoot.querySelector('dialog')!.close()}>✕</button>
        </div>
        <div part="body"><slot></slot></div>
      </dialog>`;
  }
}

KudosLauncher.define('kudos-launcher');

declare global {
  interface HTMLElementTagNameMap {
    'kudos-launcher': KudosLauncher;
  }
}
