// Origins: the storefront addresses whose pages may call Kudos with the publishable key
// (CORS), added and removed here; a change applies with the next request. Admin only.
import { html, nothing, type TemplateResult } from 'lit';
import { errorsOf } from '../../forms.js';
import { ConsoleSection, type SectionDef } from '../../section.js';
import { t } from './messages.js';

export class OriginsSection extends ConsoleSection {
  static override properties = { ...ConsoleSection.properties, origins: { state: true }, input: { state: true }, fieldError: { state: true }, error: { state: true }, status: { state: true } };
  origins?: string[];
  input = '';
  fieldError = '';
  error = '';
  status = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    // At most 50 origins a shop: one page (100) holds them all.
    const r = await this.ctx.call<{ data: string[] }>('/v1/shop/origins');
    if (r.ok) this.origins = r.data.data;
    else this.error = this.ctx.problemText(r);
  }

  private async add(e: SubmitEvent) {
    e.preventDefault();
    this.fieldError = '';
    this.error = '';
    const r = await this.ctx.call<{ origin: string }>('/v1/shop/origins', { body: { origin: this.input.trim() } });
    if (!r.ok) {
      const errors = errorsOf(r.data);
      this.fieldError = errors['/origin'] ?? '';
      if (!this.fieldError) this.error = this.ctx.problemText(r);
      await this.focusAfterRender(this.fieldError ? '#origin-input' : '#origins-error');
      return;
    }
    const added = r.data.origin;
    await this.load();
    this.input = '';
    this.status = t('originAdded', { origin: added });
    this.ctx.say(this.status);
    void this.ctx.refreshInstall();
  }

  private async removeOrigin(origin: string) {
    this.error = '';
    const r = await this.ctx.call(`/v1/shop/origins/${encodeURIComponent(origin)}`, { method: 'DELETE' });
    if (!r.ok) {
      this.error = this.ctx.problemText(r);
      await this.focusAfterRender('#origins-error');
      return;
    }
    await this.load();
    this.status = t('originRemoved', { origin });
    this.ctx.say(this.status);
    await this.focusAfterRender('#origins-list-h');
  }

  override render(): TemplateResult {
    const list = this.origins;
    return html`<h2 tabindex="-1">${t('origins')}</h2>
      <p class="intro">${t('originsIntro')}</p>
      <div class="columns">
        <section class="card" aria-labelledby="origins-list-h">
          <h3 id="origins-list-h" tabindex="-1">${t('originsList')}</h3>
          ${this.error ? html`<p class="error" id="origins-error" role="alert" tabindex="-1">${this.error}</p>` : nothing}
          ${!list
            ? html`<p>${t('loading')}</p>`
            : list.length === 0
              ? html`<p>${t('noOrigins')}</p>`
              : html`<ul class="items" id="origins-list">
                  ${list.map(
                    (o) => html`<li>
                      <code>${o}</code>
                      <button type="button" class="secondary" aria-label=${t('removeNamed', { name: o })} @click=${() => this.removeOrigin(o)}>${t('remove')}</button>
                    </li>`,
                  )}
                </ul>`}
        </section>
        <form class="card" id="origin-form" @submit=${this.add} aria-labelledby="origin-add-h" novalidate>
          <h3 id="origin-add-h">${t('addOrigin')}</h3>
          <div class="field">
            <label for="origin-input">${t('originLabel')}</label>
            <input
              id="origin-input"
              type="text"
              inputmode="url"
              autocomplete="off"
              spellcheck="false"
              placeholder="https://shop.example"
              .value=${this.input}
              aria-invalid=${this.fieldError ? 'true' : 'false'}
              aria-describedby=${this.fieldError ? 'origin-hint origin-error' : 'origin-hint'}
              @input=${(e: Event) => (this.input = (e.target as HTMLInputElement).value)}
            />
            <p class="hint" id="origin-hint">${t('originHint')}</p>
            ${this.fieldError ? html`<p class="field-error" id="origin-error">${this.fieldError}</p>` : nothing}
          </div>
          <div class="actions"><button type="submit">${t('addOrigin')}</button></div>
          <p class="status" role="status">${this.status}</p>
        </form>
      </div>`;
  }
}

if (!customElements.get('kc-origins')) customElements.define('kc-origins', OriginsSection);

export const originsSection: SectionDef = {
  id: 'origins',
  title: () => t('origins'),
  render: (ctx) => html`<kc-origins .ctx=${ctx}></kc-origins>`,
  scope: 'admin',
};
