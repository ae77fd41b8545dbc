// Install: the script tag (with the signed shopper identity, for the places shops build
// pages), the elements to place, and a live setup check: which websites called with this
// shop's keys and whether they are allowed, whether signed identities verify, and the last
// event requests (GET /v1/console/install, re-read every few seconds while shown).
import { html, nothing, type TemplateResult } from 'lit';
import { fmt } from '../../i18n.js';
import { ConsoleSection, type SectionDef } from '../../section.js';
import { t } from './messages.js';
import type { SeenEvent, SetupSnapshot } from '../../../server/console/setup-watch.js';

/** What GET /v1/console/install says of the setup check (identity is null where nothing is watched). */
type Setup = Omit<SetupSnapshot, 'identity'> & { ownOrigin: string; identity: SetupSnapshot['identity'] | null };
interface Snippet {
  id: 'shopify' | 'php' | 'node' | 'python';
  code: string;
}

const REFRESH_MS = 10_000;
const PLATFORMS = ['html', 'shopify', 'php', 'node', 'python'] as const;
type Platform = (typeof PLATFORMS)[number];
const PLATFORM_NAMES: Record<Platform, () => string> = {
  html: () => t('platformHtml'),
  shopify: () => 'Shopify',
  php: () => 'PHP',
  node: () => 'Node.js',
  python: () => 'Python',
};

/** What an answer's status means to someone installing. */
function outcome(e: SeenEvent): string {
  if (e.status < 300) return t('evAccepted');
  if (e.status === 403 && e.shopper === 'refused') return t('evIdentityRefused');
  if (e.status === 403) return t('evOriginRefused');
  if (e.status === 401) return t('evBadKey');
  if (e.status === 429) return t('evTooMany');
  if (e.status < 500) return t('evInvalid', { status: e.status });
  return t('evServerError', { status: e.status });
}

export class InstallSection extends ConsoleSection {
  static override properties = { ...ConsoleSection.properties, platform: { state: true } };
  platform: Platform = 'html';
  private timer?: ReturnType<typeof setInterval>;

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer = setInterval(() => void this.ctx.refreshInstall(), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    clearInterval(this.timer);
    super.disconnectedCallback();
  }

  private code(platform: Platform): string {
    const info = this.ctx.install;
    if (platform === 'html') {
      const attributes = typeof info.identityAttributes === 'string' ? `\n  ${info.identityAttributes}` : '';
      return info.scriptTag.replace('></script>', `${attributes}></script>`);
    }
    return ((info.identitySnippets as Snippet[] | undefined) ?? []).find((s) => s.id === platform)?.code ?? '';
  }

  private renderScriptTag(): TemplateResult {
    const p = this.platform;
    return html`<section class="card" aria-labelledby="script-h">
      <h3 id="script-h">${t('scriptTag')}</h3>
      <p>${t('installIntro')}</p>
      <ul class="tabs" aria-label=${t('platforms')}>
        ${PLATFORMS.map(
          (x) => html`<li><button type="button" aria-pressed=${x === p ? 'true' : 'false'} @click=${() => (this.platform = x)}>${PLATFORM_NAMES[x]()}</button></li>`,
        )}
      </ul>
      <p class="hint" id="platform-hint">${t(`hint_${p}`)}</p>
      <div class="copy-row">
        <pre><code id="script-tag">${this.code(p)}</code></pre>
        <button type="button" @click=${() => this.ctx.copy(this.code(p))} aria-label=${t('copyNamed', { name: `${t('scriptTag')} (${PLATFORM_NAMES[p]()})` })}>${t('copy')}</button>
      </div>
      <p class="hint">${t('identityWhy')}</p>
    </section>`;
  }

  private renderSetup(): TemplateResult {
    const info = this.ctx.install;
    const setup = info.setup as Setup | undefined;
    const id = setup?.identity;
    return html`<section class="card setup" aria-labelledby="setup-h">
      <h3 id="setup-h">${t('setupCheck')}</h3>
      <p class="hint">${t('setupIntro')}</p>
      <h4 id="origins-h">${t('websites')}</h4>
      ${setup?.origins.length
        ? html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="origins-h">
            <table aria-labelledby="origins-h" id="origins-table">
              <thead>
                <tr><th scope="col">${t('website')}</th><th scope="col">${t('allowedCol')}</th><th scope="col">${t('lastRequest')}</th><th scope="col" class="num">${t('requests')}</th></tr>
              </thead>
              <tbody>
                ${setup.origins.map(
                  (o) => html`<tr>
                    <th scope="row"><code>${o.origin}</code></th>
                    <td class=${o.allowed ? 'on' : 'off'}>${o.allowed ? `✓ ${t('allowed')}` : `✗ ${t('notAllowed')}`}</td>
                    <td class="time">${fmt.dateTimeSec(o.lastAt)}</td>
                    <td class="num">${fmt.number(o.requests)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>
          ${setup.origins.some((o) => !o.allowed)
            ? html`<p class="warning" id="origin-warning">
                ${info.shop.origins?.length ? t('notAllowedHelp', { origins: info.shop.origins.join(', ') }) : t('notAllowedHelpNone')}
              </p>`
            : nothing}`
        : html`<p>${t('noWebsite')}</p>`}
      <h4>${t('signedShoppers')}</h4>
      <p id="identity-check" class=${id && id.refused > 0 ? 'warning' : ''}>
        ${!id || (id.verified === 0 && id.refused === 0)
          ? t('noIdentity')
          : id.refused > 0
            ? t('identityRefused', { verified: fmt.number(id.verified), refused: fmt.number(id.refused), time: fmt.dateTimeSec(id.lastRefusedAt!) })
            : t('identityOk', { verified: fmt.number(id.verified), time: fmt.dateTimeSec(id.lastVerifiedAt!) })}
      </p>
      <h4 id="events-h">${t('lastEvents')}</h4>
      ${setup?.events.length
        ? html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="events-h">
            <table aria-labelledby="events-h" id="events-table">
              <thead>
                <tr><th scope="col">${t('time')}</th><th scope="col">${t('eventsCol')}</th><th scope="col">${t('fromCol')}</th><th scope="col">${t('resultCol')}</th></tr>
              </thead>
              <tbody>
                ${setup.events.map(
                  (e) => html`<tr>
                    <td class="time">${fmt.dateTimeSec(e.at)}</td>
                    <td>${e.types.length ? html`<code>${e.types.join(', ')}</code>${e.count > e.types.length ? ` +${e.count - e.types.length}` : ''}` : '—'}</td>
                    <td>${e.origin ? html`<code>${e.origin}</code>` : t('fromBackend')}</td>
                    <td class=${e.status < 300 ? 'on' : 'off'}>${outcome(e)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : html`<p>${t('noEvents')}</p>`}
      ${info.lastSeen || !setup?.origins.length
        ? html`<p id="last-seen" class="hint">${info.lastSeen ? t('lastSeenAt', { origin: info.lastSeen.origin, time: fmt.dateTime(info.lastSeen.at) }) : t('neverSeen')}</p>`
        : nothing}
      <button type="button" class="secondary" @click=${() => this.ctx.refreshInstall()}>${t('refresh')}</button>
    </section>`;
  }

  override render(): TemplateResult {
    const info = this.ctx.install;
    return html`<h2 tabindex="-1">${t('install')}</h2>
      <div class="install-layout">
        ${this.renderScriptTag()}
          <section class="card" aria-labelledby="elements-h">
            <h3 id="elements-h">${t('elements')}</h3>
            <p class="hint">${t('elementsIntro')}</p>
            ${info.elements.map(
              (tag) => html`<div class="copy-row">
                <pre><code>${tag}</code></pre>
                <button type="button" class="secondary" aria-label=${t('copyNamed', { name: tag.slice(1, tag.indexOf(' ') > 0 ? Math.min(tag.indexOf(' '), tag.indexOf('>')) : tag.indexOf('>')) })} @click=${() => this.ctx.copy(tag)}>
                  ${t('copy')}
                </button>
              </div>`,
            )}
          </section>
      </div>
      ${this.renderSetup()}`;
  }
}

if (!customElements.get('kc-install')) customElements.define('kc-install', InstallSection);

export const installSection: SectionDef = {
  id: 'install',
  title: () => t('install'),
  render: (ctx) => html`<kc-install .ctx=${ctx}></kc-install>`,
};
