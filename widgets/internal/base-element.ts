import { LitElement, type CSSResultGroup, type PropertyDeclarations } from 'lit';
import { getRuntime, requireRuntime, type Runtime } from './api.js';
import { hasShared, loadShared, messages, resolveLocale, type Messages } from './messages.js';
import { hostStyles } from './tokens.js';

/**
 * Base class of every Kudos widget.
 *
 * - `static define(tag)` registers the element once; calling it again (two
 *   bundles on one page, a hot reload) is harmless.
 * - `locale` attribute, then `Kudos.config.locale`, `<html lang>`,
 *   `navigator.language` choose the message catalog (`this.msg`).
 * - `refresh(event?)` runs when the element connects and whenever the runtime
 *   dispatches `kudos-award` or `kudos-refresh` on `document` (with that event),
 *   so a widget that reacts to awards needs no listener of its own.
 *
 * Reactive properties are declared with `static properties` (plus `declare`
 * fields for types) rather than decorators: no decorator helpers or decorator
 * modules in the bundle.
 *
 * The tokens below are read by every widget (tokens.ts `hostStyles`); the manifest
 * lists them on each element through this class.
 *
 * @cssprop --kudos-font-family - all text (default `system-ui, sans-serif`: the platform's own UI font in every browser the widgets run in)
 * @cssprop --kudos-font-size - base size; everything inside scales in `em` (default `medium`, the reader's size)
 * @cssprop --kudos-font-weight - body text (default `400`)
 * @cssprop --kudos-line-height - default `1.5`
 * @cssprop --kudos-letter-spacing - default `normal`
 * @cssprop --kudos-word-spacing - default `normal`
 * @cssprop --kudos-text-transform - default `none`
 * @cssprop --kudos-text-align - default `start`
 * @cssprop --kudos-color-text - text (default `#1f2328`)
 * @cssprop --kudos-color-muted - secondary text (default `#57606a`, 6.4:1 on white)
 * @cssprop --kudos-color-surface - card background (default `#fff`)
 * @cssprop --kudos-color-border - borders (default `#d0d7de`)
 * @cssprop --kudos-color-accent - buttons, progress, highlights, focus ring (default `#1d4ed8`)
 * @cssprop --kudos-color-accent-contrast - text on the accent (default `#fff`)
 * @cssprop --kudos-color-focus - focus ring colour (default: the accent)
 * @cssprop --kudos-focus-width - focus ring width (default `2px`)
 * @cssprop --kudos-color-danger - error box edge (default `#b42318`)
 * @cssprop --kudos-radius - corners (default `.5em`)
 * @cssprop --kudos-space - padding and gaps (default `1em`)
 */
export class KudosElement extends LitElement {
  static override styles: CSSResultGroup = hostStyles;
  static override properties: PropertyDeclarations = { locale: {} };

  /** BCP 47 language tag for strings, numbers and dates (e.g. `fr`, `de-CH`). */
  declare locale?: string;

  /** Register `tag` for this class unless the tag is already taken. Returns the registered constructor. */
  static define(tag: string): CustomElementConstructor {
    if (!customElements.get(tag)) customElements.define(tag, this);
    return customElements.get(tag)!;
  }

  /** The installed `window.Kudos`; throws a `KudosSetupError` that explains how to install it. */
  protected requireRuntime(): Runtime {
    return requireRuntime();
  }

  /**
   * Messages and formatters for the resolved locale. The shared strings of a
   * language other than English are a chunk of their own: until it is here they
   * are English, and the element renders again when it arrives.
   */
  protected get msg(): Messages {
    const locale = resolveLocale(this.locale, getRuntime()?.config.locale, document.documentElement.lang, navigator.language);
    if (!hasShared(locale)) void loadShared(locale).then(() => this.requestUpdate());
    return messages(locale);
  }

  private readonly _onRuntimeEvent = (event: Event) => this.refresh(event);

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('kudos-award', this._onRuntimeEvent);
    document.addEventListener('kudos-refresh', this._onRuntimeEvent);
    this.refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('kudos-award', this._onRuntimeEvent);
    document.removeEventListener('kudos-refresh', this._onRuntimeEvent);
  }

  /** (Re)load data; `event` is the runtime's `kudos-award` or `kudos-refresh` that asked, if any. Subclasses override. */
  refresh(_event?: Event): void {}

  /** Dispatch a `kudos-*` event that bubbles out of the shadow root; cancelable, so a page can take over the default (false = cancelled). */
  protected emit<T>(type: string, detail: T): boolean {
    return this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true, cancelable: true }));
  }
}
