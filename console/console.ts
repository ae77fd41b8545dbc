// <kudos-console>: the shop owner's web page for everything Kudos does. Served at /console
// by the API itself; talks to /v1 with the secret key kept in sessionStorage only.
// This file is the shell: sign-in, the header and navigation, hash routing and the
// services sections share (ConsoleContext). Each section is its own element under
// sections/, listed in sections/index.ts.
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { api, session } from './api.js';
import { loadMessages, locale } from './i18n.js';
import { t } from './messages.js';
import type { ConsoleContext, Install, SectionDef } from './section.js';
import { SECTIONS } from './sections/index.js';
import { styles } from './styles.js';

const sectionOfHash = (): SectionDef => SECTIONS.find((s) => location.hash === `#${s.id}`) ?? SECTIONS[0]!;

export class KudosConsole extends LitElement {
  static override styles = styles;
  static override properties = {
    ready: { state: true },
    signedIn: { state: true },
    install: { state: true },
    section: { state: true },
    signInError: { state: true },
    busy: { state: true },
    announcement: { state: true },
  };

  /** The page's strings are here (French and German are fetched first). */
  ready = false;
  signedIn = false;
  install?: Install;
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
    this.section = sectionOfHash();
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
  private makeContext(install: Install): ConsoleContext {
    return {
      install,
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
  private async loadInstall(key: string): Promise<boolean> {
    const r = await api<Install>('/v1/console/install', { key });
    if (r.ok) {
      session.set(key);
      this.install = r.data;
      this.ctx = this.makeContext(r.data);
      this.signedIn = true;
      return true;
    }
    session.clear();
    this.signedIn = false;
    this.signInError = r.status === 401 ? t('badKey') : r.status === 403 ? t('publishableKey') : this.problemText(r);
    return false;
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

  override render(): TemplateResult | typeof nothing {
    if (!this.ready) return nothing;
    const live = html`<div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>`;
    if (!this.signedIn || !this.install || !this.ctx) {
      return html`<header><h1>${t('appTitle')}</h1></header>
        ${this.renderSignIn()} ${live}`;
    }
    // A button, not a link to #main: the target lives in this shadow root, where a fragment cannot reach.
    return html`<button type="button" class="skip" @click=${() => this.renderRoot.querySelector<HTMLElement>('main h2')?.focus()}>${t('skip')}</button>
      <header>
        <h1>${t('appTitle')}</h1>
        <span class="shop">${t('shop', { name: this.install.shop.name })}</span>
        <nav aria-label=${t('nav')}>
          <ul>
            ${SECTIONS.map((s) => html`<li><a href="#${s.id}" aria-current=${s === this.section ? 'page' : nothing}>${s.title()}</a></li>`)}
          </ul>
        </nav>
        <span class="spacer"></span>
        <button type="button" class="secondary" @click=${this.signOut}>${t('signOut')}</button>
      </header>
      <main id="main" @kc-print-mode=${(e: CustomEvent<boolean>) => this.toggleAttribute('print-mode', e.detail)}>${this.section.render(this.ctx)}</main>
      ${live}`;
  }
}

if (!customElements.get('kudos-console')) customElements.define('kudos-console', KudosConsole);
