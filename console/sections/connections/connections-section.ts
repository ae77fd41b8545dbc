// Connect Shopify or WooCommerce, no code: the platform's signing secret in, the
// address to paste into the platform's webhook settings (and its topics) out.
// PUT/GET/DELETE /v1/connections (admin: they hold the platform's secret).
import { html, nothing, type TemplateResult } from 'lit';
import { fmt } from '../../i18n.js';
import { ConsoleSection, type SectionDef } from '../../section.js';
import { t } from './messages.js';

type Platform = 'shopify' | 'woocommerce';
interface Connection {
  id: string;
  platform: Platform;
  deliveryUrl: string;
  topics: string[];
  lastDeliveryAt?: string;
  lastTopic?: string;
}
const NAMES: Record<Platform, string> = { shopify: 'Shopify', woocommerce: 'WooCommerce' };
const ID: Record<Platform, string> = { shopify: 'shopify', woocommerce: 'woo' };

export class ConnectionsSection extends ConsoleSection {
  static override properties = { ...ConsoleSection.properties, list: { state: true }, errors: { state: true } };
  list?: Connection[];
  errors: Partial<Record<Platform, string>> = {};

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    const r = await this.ctx.call<{ data: Connection[] }>('/v1/connections');
    this.list = r.ok ? r.data.data : [];
  }

  private async connect(platform: Platform, e: SubmitEvent) {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem('secret') as HTMLInputElement;
    const r = await this.ctx.call<Connection>(`/v1/connections/${ID[platform]}`, { method: 'PUT', body: { platform, secret: input.value } });
    if (!r.ok) {
      const pointer = (r.data as { errors?: { pointer: string; detail: string }[] })?.errors?.find((x) => x.pointer === '/secret');
      this.errors = { ...this.errors, [platform]: pointer?.detail ?? this.ctx.problemText(r) };
      await this.updateComplete;
      this.$<HTMLInputElement>(`#conn-${platform}-secret`)?.focus();
      return;
    }
    this.errors = { ...this.errors, [platform]: undefined };
    input.value = '';
    this.ctx.say(t('saved'));
    await this.load();
    await this.updateComplete;
    this.$(`#conn-${platform}-h`)?.focus();
  }

  private async disconnect(c: Connection) {
    const r = await this.ctx.call(`/v1/connections/${encodeURIComponent(c.id)}`, { method: 'DELETE' });
    if (r.ok) this.ctx.say(t('removed'));
    await this.load();
  }

  private card(platform: Platform): TemplateResult {
    const c = this.list?.find((x) => x.platform === platform);
    const error = this.errors[platform];
    const name = NAMES[platform];
    return html`<section class="card" aria-labelledby="conn-${platform}-h">
      <h3 id="conn-${platform}-h" tabindex="-1">${c ? t('connected', { platform: name }) : platform === 'shopify' ? t('connectShopify') : t('connectWoo')}</h3>
      ${c
        ? html`<div class="field">
              <label for="conn-${platform}-url">${t('deliveryUrl')}</label>
              <input id="conn-${platform}-url" type="text" readonly .value=${c.deliveryUrl} />
            </div>
            <div class="actions"><button type="button" class="secondary" @click=${() => this.ctx.copy(c.deliveryUrl)}>${t('copyUrl')}</button></div>
            <p>${t('topics')}:</p>
            <ul class="topics">${c.topics.map((topic) => html`<li><code>${topic}</code></li>`)}</ul>
            <p>${c.lastDeliveryAt ? t('lastDelivery', { topic: c.lastTopic ?? '', at: fmt.dateTime(c.lastDeliveryAt) }) : t('noDelivery')}</p>`
        : nothing}
      <form novalidate @submit=${(e: SubmitEvent) => this.connect(platform, e)} aria-label=${platform === 'shopify' ? t('connectShopify') : t('connectWoo')}>
        <div class="field">
          <label for="conn-${platform}-secret">${t('secret')}</label>
          <p class="hint" id="conn-${platform}-hint">${platform === 'shopify' ? t('secretHelpShopify') : t('secretHelpWoo')}</p>
          <input
            id="conn-${platform}-secret"
            name="secret"
            type="password"
            autocomplete="off"
            required
            minlength="8"
            aria-invalid=${error ? 'true' : 'false'}
            aria-describedby="conn-${platform}-hint${error ? ` conn-${platform}-error` : ''}"
          />
          ${error ? html`<p class="field-error" id="conn-${platform}-error">${error}</p>` : nothing}
        </div>
        <div class="actions">
          <button type="submit">${platform === 'shopify' ? t('connectShopify') : t('connectWoo')}</button>
          ${c ? html`<button type="button" class="secondary" @click=${() => this.disconnect(c)}>${t('remove')}</button>` : nothing}
        </div>
      </form>
      <p class="hint">${t('guide', { platform })}</p>
    </section>`;
  }

  override render(): TemplateResult {
    return html`<h2 tabindex="-1">${t('connections')}</h2>
      <p class="intro">${t('connectionsIntro')}</p>
      ${!this.list ? html`<p>${t('loading')}</p>` : html`<div class="columns">${this.card('shopify')} ${this.card('woocommerce')}</div>`}`;
  }
}

if (!customElements.get('kc-connections')) customElements.define('kc-connections', ConnectionsSection);

export const connectionsSection: SectionDef = {
  id: 'connections',
  title: () => t('connections'),
  render: (ctx) => html`<kc-connections .ctx=${ctx}></kc-connections>`,
};
