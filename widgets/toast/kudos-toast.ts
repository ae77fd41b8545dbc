import { css, html, nothing, type PropertyDeclarations } from 'lit';
import type { Award } from '../../sdk/types.js';
import { loadShared } from '../internal/messages.js';
import { KudosElement } from '../internal/base-element.js';
import { hostStyles } from '../internal/tokens.js';

interface Item {
  key: number;
  award: Award;
}

/**
 * Celebration toasts: each `kudos-award` the runtime dispatches on `document`
 * shows a short card (newest last, at most `max`), announced politely, that hides
 * after `duration` ms unless the pointer or focus is on the stack. It never takes
 * focus. The loader inserts one into `<body>` when the script tag has
 * `data-celebrate`. It listens only: the award event is the runtime's, so shops
 * react to `kudos-award` as before.
 *
 * A badge award is not read out when a visible `<kudos-badges>` already announces it.
 *
 * @tag kudos-toast
 * @csspart stack - the list of toasts (fixed, top end of the viewport, safe-area aware)
 * @csspart toast - one toast
 * @csspart toast-badge - a badge's toast
 * @csspart toast-trophy - a trophy's toast
 * @csspart toast-gift - a gift's toast
 * @csspart icon - the award icon
 * @csspart label - "New badge"
 * @csspart name - the award's name
 * @csspart dismiss-button - the ✕ button
 * @csspart announcement - polite live region (visually hidden)
 * @cssprop --kudos-toast-z-index - stacking order of the toasts (default `2147483000`)
 */
export class KudosToast extends KudosElement {
  static override styles = [
    hostStyles,
    css`
:host{position:fixed;z-index:var(--kudos-toast-z-index,2147483000);inset-block-start:max(1em,env(safe-area-inset-top));inset-inline-end:max(1em,env(safe-area-inset-right));inline-size:min(22em,calc(100vw - 2em));pointer-events:none}
ol{display:grid;gap:.5em;margin:0;padding:0;list-style:none}
li{pointer-events:auto;display:flex;align-items:center;gap:.75em;padding:.75em;background:var(--_surface);border:1px solid var(--_border);border-inline-start:.25em solid var(--_accent);border-radius:var(--_radius);box-shadow:0 .5em 1.5em #0003;animation:kudos-in .3s ease-out}
@keyframes kudos-in{from{opacity:0;transform:translateY(-.75em)}}
[part~=icon]{font-size:1.5em;line-height:1}
p{flex:1;margin:0;display:flex;flex-direction:column;min-width:0}
[part~=label]{font-size:.75em;font-weight:700;text-transform:uppercase;letter-spacing:.05em;color:var(--_muted)}
[part~=name]{font-weight:600;overflow-wrap:anywhere}
button{min-height:2.75em;min-width:2.75em;padding:0;background:none;color:inherit;font-size:1em}
button:hover{background:var(--_border)}
`,
  ];
  static override properties: PropertyDeclarations = {
    duration: { type: Number },
    max: { type: Number },
    _items: { state: true },
    _say: { state: true },
  };

  /** How long a toast stays, in milliseconds, once neither hovered nor focused. */
  duration = 6000;
  /** How many toasts stack at once; older ones give way. */
  max = 3;

  private _items: Item[] = [];
  private _say = '';
  private _key = 0;
  private _timers = new Map<number, ReturnType<typeof setTimeout>>();
  private _held = false;
  /** Where focus was before the reader tabbed into the stack, to give it back. */
  private _from?: HTMLElement;

  private _m() {
    return this.msg.toast;
  }

  /** Each `kudos-award` (through the base class's listener); a `kudos-refresh` or the first connect carries no award. */
  override async refresh(event?: Event): Promise<void> {
    // The page's language (a shared chunk, fetched on connect) is here before anything is said.
    await loadShared(this.msg.locale);
    const award = (event as CustomEvent<Award> | undefined)?.detail;
    if (!award?.name) return;
    const key = ++this._key;
    this._items = [...this._items, { key, award }].slice(-this.max);
    const m = this._m();
    // <kudos-badges> on screen already says "You earned …": one announcement is enough.
    const said = award.kind === 'badge' && [...document.querySelectorAll('kudos-badges')].some((e) => e.checkVisibility());
    if (!said) this._say = `${m[award.kind]}: ${award.name}`;
    if (!this._held) this._arm(key);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._hold(true);
  }

  private _arm(key: number): void {
    this._timers.set(key, setTimeout(() => this._dismiss(key), this.duration));
  }

  /** Hovered or focused: nothing hides; released: every toast gets a full `duration` again. */
  private _hold(held: boolean): void {
    this._held = held;
    for (const timer of this._timers.values()) clearTimeout(timer);
    this._timers.clear();
    if (!held) for (const { key } of this._items) this._arm(key);
  }

  private _dismiss(key: number): void {
    clearTimeout(this._timers.get(key));
    this._timers.delete(key);
    const focused = this.shadowRoot!.activeElement;
    this._items = this._items.filter((i) => i.key !== key);
    if (!focused) return;
    // Keyboard users dismissing: go to the next toast, or back where they came from.
    void this.updateComplete.then(() => {
      const next = this.shadowRoot!.querySelector('button');
      if (next) next.focus();
      else {
        this._from?.focus();
        this._hold(false);
      }
    });
  }

  private _focusIn(event: FocusEvent): void {
    const from = event.relatedTarget as HTMLElement | null;
    if (from && !this.shadowRoot!.contains(from)) this._from = from;
    this._hold(true);
  }

  private _focusOut(event: FocusEvent): void {
    if (!this.shadowRoot!.contains(event.relatedTarget as Node | null)) this._hold(false);
  }

  override render() {
    const m = this._m();
    // A named region while toasts are shown, so their dismiss buttons are inside a landmark
    // (axe region) and reachable by landmark navigation; none when empty, so screen readers
    // do not list an empty one. The live region below announces, outside it.
    const list = html`<section aria-label=${m.label}
      ><ol
        part="stack"
        @pointerenter=${() => this._hold(true)}
        @pointerleave=${() => this.shadowRoot!.activeElement || this._hold(false)}
        @focusin=${this._focusIn}
        @focusout=${this._focusOut}
        @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this._items.forEach((i) => this._dismiss(i.key))}
      >
        ${this._items.map(
          ({ key, award }) =>
            html`<li part="toast toast-${award.kind}">
              <span part="icon" aria-hidden="true"
                >${award.icon && !/^https?:/.test(award.icon) ? award.icon : award.kind === 'trophy' ? '🏆' : '🏅'}</span
              >
              <p>
                <span part="label">${m[award.kind]}</span>
                <span part="name">${award.name}</span>
              </p>
              <button part="dismiss-button" type="button" aria-label=${m.dismiss} @click=${() => this._dismiss(key)}>✕</button>
            </li>`,
        )}
      </ol></section
    >`;
    return html`${this._items.length ? list : nothing}<p part="announcement" role="status" class="visually-hidden">${this._say}</p>`;
  }
}

KudosToast.define('kudos-toast');

declare global {
  interface HTMLElementTagNameMap {
    'kudos-toast': KudosToast;
  }
}
