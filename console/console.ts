// <kudos-console>: the shop owner's web page for everything Kudos does. Served at /console
// by the API itself; talks to /v1 with the secret key kept in sessionStorage only.
// This file is the shell: sign-in, the header and navigation, hash routing and the
// services sections share (ConsoleContext). Each section is its own element under
// sections/, listed in sections/index.ts.
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { api, session } from './api.js';
import { loadMessages, locale } from './i18n.js';
import { t } from './messages.js';
import type { ConsoleContext, Install, Scope, SectionDef, SignedInKey } from './section.js';
import { SECTIONS } from './sections/index.js';
import { styles } from './styles.js';

const grants = (key: SignedInKey | undefined, scope: Scope) => !!key && (key.scopes.includes('admin') || key.scopes.includes(scope));
const scopeOf = (s: SectionDef): Scope => s.scope ?? 'admin';
/** The sections this key may use, in navigation order. */
const allowedSections = (key: SignedInKey | undefined) => SECTIONS.filter((s) => grants(key, scopeOf(s)));
/** The section the URL names; without one, the first this key may use. */
const sectionOfHash = (key?: SignedInKey): SectionDef =>
  SECTIONS.find((s) => location.hash === `#${s.id}`) ?? allowedSections(key)[0] ?? SECTIONS[0]!;

export class KudosConsole extends LitElement {
  static override styles = styles;
  static override properties = {
    ready: { state: true },
    signedIn: { state: true },
    install: { state: true },
    key: { state: true },
    section: { state: true },
    signInError: { state: true },
    busy: { state: true },
    announcement: { state: true },
  };

  /** The page's strings are here (French and German are fetched first). */
  ready = false;
  signedIn = false;
  install?: Install;
  /** The key signed in with (GET /v1/key): its scopes decide the sections shown. */
  key?: SignedInKey;
  section: SectionDef = sectionOfHash();
  signInError = '';
  busy = false;
  announcement = '';
  private focusHeading = false;
  private ctx?: ConsoleContext;

  override connectedCallback(): void {
    super.connectedCallback();
    document.documentElement.lang = locale;
    addEventListener('hashchange', this.onHash);
    void loadMessages().then(() => {
      document.title = t('appTitle');
      this.ready = true;
      if (session.get()) void this.loadInstall(session.get()!);
    });
  }

  override disconnectedCallback(): void {
    removeEventListener('hashchange', this.onHash);
    super.disconnectedCallback();
  }

  private onHash = () => {
    this.section = sectionOfHash(this.key);
    this.focusHeading = true;
  };

  override updated(): void {
    if (this.focusHeading) {
      this.focusHeading = false;
      // The section renders its heading in its own first update.
      void (this.renderRoot.querySelector(`main > *`) as LitElement | null)?.updateComplete?.then(() =>
        this.renderRoot.querySelector<HTMLElement>('main h2')?.focus(),
      );
    }
  }

  private say(message: string) {
    // Re-announce the same text too.
    this.announcement = '';
    void this.updateComplete.then(() => (this.announcement = message));
  }

  private problemText(r: { status: number; data: any }): string {
    if (r.status === 0) return t('networkError');
    return r.data?.detail ?? r.data?.title ?? t('serverError', { status: r.status });
  }

  private async copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      this.say(t('copied'));
    } catch {
      this.say(t('copyFailed'));
    }
  }

  /** One context object per sign-in: sections re-render only when it changes. */
  private makeContext(install: Install, key: SignedInKey): ConsoleContext {
    return {
      install,
      key,
      can: (scope) => grants(key, scope),
      call: async (path, init = {}) => {
        const r = await api(path, init);
        if (r.status === 401) this.signOut();
        return r;
      },
      problemText: (r) => this.problemText(r),
      say: (m) => this.say(m),
      copy: (text) => this.copy(text),
      refreshInstall: async () => void (await this.loadInstall(session.get() ?? '')),
    };
  }

  // ---- sign in ----
  /**
   * Any secret key signs in: GET /v1/key says who it is and what it may do. An admin key
   * also reads the install answer; a scoped key gets the shop only, and only its sections.
   */
  private async loadInstall(secret: string): Promise<boolean> {
    const fail = (r: { status: number; data: any }) => {
      session.clear();
      this.signedIn = false;
      this.signInError = r.status === 401 ? t('badKey') : r.status === 403 ? t('publishableKey') : this.problemText(r);
      return false;
    };
    const who = await api<{ shop: { id: string; name: string }; key: SignedInKey }>('/v1/key', { key: secret });
    if (!who.ok) return fail(who);
    const key = who.data.key;
    if (key.kind !== 'secret') return fail({ status: 403, data: undefined });
    let install: Install = { shop: who.data.shop, publishableKey: '', scriptTag: '', elements: [], lastSeen: null };
    if (grants(key, 'admin')) {
      const r = await api<Install>('/v1/console/install', { key: secret });
      if (!r.ok) return fail(r);
      install = r.data;
    }
    session.set(secret);
    this.install = install;
    this.key = key;
    this.section = sectionOfHash(key);
    this.ctx = this.makeContext(install, key);
    this.signedIn = true;
    return true;
  }

  private async onSignIn(e: SubmitEvent) {
    e.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#key')!;
    this.busy = true;
    this.signInError = '';
    const ok = await this.loadInstall(input.value.trim());
    this.busy = false;
    if (ok) {
      this.focusHeading = true;
    } else {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('#key')?.focus();
    }
  }

  private signOut() {
    session.clear();
    this.signedIn = false;
    this.install = undefined;
    this.key = undefined;
    this.ctx = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#key')?.focus());
  }

  private renderSignIn(): TemplateResult {
    return html`<main id="main">
      <form class="card signin" @submit=${this.onSignIn} aria-labelledby="signin-h">
        <h2 id="signin-h" tabindex="-1">${t('signInTitle')}</h2>
        <p id="signin-help">${t('signInHelp')}</p>
        <div class="field">
          <label for="key">${t('secretKey')}</label>
          <input
            id="key"
            type="password"
            autocomplete="off"
            spellcheck="false"
            required
            aria-describedby=${this.signInError ? 'signin-help signin-error' : 'signin-help'}
            aria-invalid=${this.signInError ? 'true' : 'false'}
          />
          ${this.signInError ? html`<p class="field-error" id="signin-error" role="alert">${this.signInError}</p>` : nothing}
        </div>
        <button type="submit" ?disabled=${this.busy}>${this.busy ? t('signingIn') : t('signIn')}</button>
      </form>
    </main>`;
  }

  /** A scoped key: which key this is, and which sections it does not show and why (the scope each needs). */
  private renderScopeNote(allowed: readonly SectionDef[]): TemplateResult | typeof nothing {
    const key = this.key!;
    if (grants(key, 'admin')) return nothing;
    const hidden = SECTIONS.filter((s) => !allowed.includes(s));
    const byScope = new Map<Scope, string[]>();
    for (const s of hidden) byScope.set(scopeOf(s), [...(byScope.get(scopeOf(s)) ?? []), s.title()]);
    const reasons = [...byScope].map(([scope, titles]) => t('hiddenNeed', { sections: titles.join(', '), scope }));
    return html`<aside class="scope-note no-print" id="scope-note" aria-label=${t('keyAccess')}>
      <p>${t('signedInAs', { name: key.name, scopes: key.scopes.join(', ') })}</p>
      ${hidden.length ? html`<p>${t('hiddenSections', { reasons: reasons.join('; ') })}</p>` : nothing}
    </aside>`;
  }

  private renderSection(allowed: readonly SectionDef[]): TemplateResult {
    if (allowed.includes(this.section)) return this.section.render(this.ctx!);
    const first = allowed[0];
    if (!first) {
      // No section at all (an events key): say so, not that one section in particular is refused.
      return html`<section class="card" aria-labelledby="denied-h">
        <h2 id="denied-h" tabindex="-1">${t('keyAccess')}</h2>
        <p>${t('noSections')}</p>
      </section>`;
    }
    // The hash names a section this key may not use: say why instead of a blank page.
    return html`<section class="card" aria-labelledby="denied-h">
      <h2 id="denied-h" tabindex="-1">${this.section.title()}</h2>
      <p>${t('sectionNeedsScope', { scope: scopeOf(this.section), name: this.key!.name })}</p>
      <p><a href="#${first.id}">${t('goTo', { section: first.title() })}</a></p>
    </section>`;
  }

  override render(): TemplateResult | typeof nothing {
    if (!this.ready) return nothing;
    const live = html`<div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>`;
    if (!this.signedIn || !this.install || !this.ctx) {
      return html`<header><h1>${t('appTitle')}</h1></header>
        ${this.renderSignIn()} ${live}`;
    }
    const allowed = allowedSections(this.key);
    // A button, not a link to #main: the target lives in this shadow root, where a fragment cannot reach.
    return html`<button type="button" class="skip" @click=${() => this.renderRoot.querySelector<HTMLElement>('main h2')?.focus()}>${t('skip')}</button>
      <header>
        <h1>${t('appTitle')}</h1>
        <span class="shop">${t('shop', { name: this.install.shop.name })}</span>
        <nav aria-label=${t('nav')}>
          <ul>
            ${allowed.map((s) => html`<li><a href="#${s.id}" aria-current=${s === this.section ? 'page' : nothing}>${s.title()}</a></li>`)}
          </ul>
        </nav>
        <span class="spacer"></span>
        <button type="button" class="secondary" @click=${this.signOut}>${t('signOut')}</button>
      </header>
      <main id="main" @kc-print-mode=${(e: CustomEvent<boolean>) => this.toggleAttribute('print-mode', e.detail)}>
        ${this.renderScopeNote(allowed)} ${this.renderSection(allowed)}
      </main>
      ${live}`;
  }
}

if (!customElements.get('kudos-console')) customElements.define('kudos-console', KudosConsole);
