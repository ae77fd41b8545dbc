// Install: the script tag and elements to paste, and which website last sent events.
import { html, type TemplateResult } from 'lit';
import { fmt } from '../../i18n.js';
import { ConsoleSection, type SectionDef } from '../../section.js';
import { t } from './messages.js';

export class InstallSection extends ConsoleSection {
  override render(): TemplateResult {
    const info = this.ctx.install;
    return html`<h2 tabindex="-1">${t('install')}</h2>
      <section class="card" aria-labelledby="script-h">
        <h3 id="script-h">${t('scriptTag')}</h3>
        <p>${t('installIntro')}</p>
        <div class="copy-row">
          <pre><code id="script-tag">${info.scriptTag}</code></pre>
          <button type="button" @click=${() => this.ctx.copy(info.scriptTag)} aria-describedby="script-h">${t('copy')}</button>
        </div>
      </section>
      <section class="card" aria-labelledby="elements-h">
        <h3 id="elements-h">${t('elements')}</h3>
        ${info.elements.map(
          (tag) => html`<div class="copy-row">
            <pre><code>${tag}</code></pre>
            <button type="button" class="secondary" aria-label=${t('copyNamed', { name: tag.slice(1, tag.indexOf(' ') > 0 ? Math.min(tag.indexOf(' '), tag.indexOf('>')) : tag.indexOf('>')) })} @click=${() => this.ctx.copy(tag)}>
              ${t('copy')}
            </button>
          </div>`,
        )}
      </section>
      <section class="card" aria-labelledby="seen-h">
        <h3 id="seen-h">${t('lastSeen')}</h3>
        <p id="last-seen">${info.lastSeen ? t('lastSeenAt', { origin: info.lastSeen.origin, time: fmt.dateTime(info.lastSeen.at) }) : t('neverSeen')}</p>
        <button type="button" class="secondary" @click=${() => this.ctx.refreshInstall()}>${t('refresh')}</button>
      </section>`;
  }
}

if (!customElements.get('kc-install')) customElements.define('kc-install', InstallSection);

export const installSection: SectionDef = {
  id: 'install',
  title: () => t('install'),
  render: (ctx) => html`<kc-install .ctx=${ctx}></kc-install>`,
};
