import { html, nothing, type PropertyDeclarations } from 'lit';
import { errorKind, type ErrorKind, type Runtime } from './api.js';
import { KudosElement } from './base-element.js';
import { errorBox, errorText } from './parts.js';

/** A widget's own strings (see `lazyCatalog`). */
interface Strings<T> {
  get(locale: string): T | undefined;
  load(locale: string): Promise<T>;
}

/**
 * Base class of widgets that show API data: one copy of the load sequencing,
 * busy/error state, retry and polite announcement that each of them needs.
 *
 * - `_fetch(rt)` does the requests and returns a function that applies their
 *   result; it runs only if no newer load started meanwhile (a slow answer for
 *   the previous shopper never overwrites the current one).
 * - `_busy` (for `aria-busy`), `_error` (an `ErrorKind` for `errorBox`) and
 *   `_said` (the polite live region) are reactive.
 * - `_retry` keeps focus in the widget on its heading (`[part~=heading]`,
 *   `tabindex="-1"`) while the error box goes away, and announces the error if
 *   the retry fails again (the box itself is not a live region).
 * - `_frame(top, body, loading, scrolls)` renders the card, the error box and the visually hidden
 *   `announcement` region around a widget's own content; `scrolls` (0): a card of fixed height whose
 *   content may scroll inside it, in the tab order so that a keyboard scrolls it too (WCAG 2.1.1).
 */
export class KudosDataElement extends KudosElement {
  static override properties: PropertyDeclarations = {
    _busy: { state: true },
    _error: { state: true },
    _said: { state: true },
  };

  protected _busy = true;
  declare protected _error?: ErrorKind;
  protected _said = '';
  private _seq = 0;
  private _retried = false;

  override refresh(): void {
    void this._load();
  }

  /** Subclasses override: the requests, then a function that shows their result. */
  protected async _fetch(_rt: Runtime): Promise<() => void> {
    return () => {};
  }

  /** `keepBusy`: a background refetch that should not mark the widget busy (nor disable its buttons). */
  protected async _load(keepBusy?: boolean): Promise<void> {
    const seq = ++this._seq;
    if (!keepBusy) this._busy = true;
    this._error = undefined;
    try {
      // Let code that runs in the same task install the runtime first
      // (`import '…/kudos-badges.js'; init({…})` defines the element before init runs).
      await null;
      const show = await this._fetch(this.requireRuntime());
      if (seq == this._seq) show();
    } catch (error) {
      if (seq != this._seq) return;
      const kind = (this._error = errorKind(error, this));
      if (this._retried) this._said = errorText(this.msg, kind);
    } finally {
      if (seq == this._seq) this._busy = this._retried = false;
    }
  }

  /** Retry from the error box (Lit calls event listeners with the element as `this`). */
  protected _retry(): void {
    this.renderRoot.querySelector<HTMLElement>('[part~=heading]')?.focus();
    this._retried = true;
    this._said = '';
    this.refresh();
  }

  /**
   * `strings.get` for the reader's locale; while it is not there yet (the
   * locale changed after the last load) fetches it and renders again.
   */
  protected _strings<T>(strings: Strings<T>): T | undefined {
    const locale = this.msg.locale;
    const t = strings.get(locale);
    if (!t) void strings.load(locale).then(() => this.requestUpdate());
    return t;
  }

  /**
   * The card (`part=base`, labelled by `#h`): `top`, then `content` once there
   * is data (kept on screen when a refetch fails), else `loading` unless there
   * is an error; then the error box and the polite live region.
   * In the launcher's panel the same widgets usually sit inline on the page too: there
   * the card is a group, not a second landmark with the same name (axe landmark-unique).
   */
  protected _frame(top: unknown, content: unknown, loading: unknown, scrolls?: 0) {
    const e = this._error;
    // In the launcher's dialog a card is one group of its panel, and grows with it (the dialog scrolls).
    const panel = this.closest('kudos-launcher');
    return html`<section part="base" role=${panel ? 'group' : nothing} aria-labelledby="h" aria-busy=${this._busy} tabindex=${panel ? nothing : (scrolls ?? nothing)}>${top}${content ?? (e ? nothing : loading)}${e ? errorBox(this.msg, e, this._retry) : nothing}</section><p part="announcement" role="status" class="visually-hidden">${this._said}</p>`;
  }
}
