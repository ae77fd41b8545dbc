// The shop's market list: check-in sign-ups with an email and consent, searchable,
// a page at a time, and the whole list as CSV (GET /v1/market-list, .csv; admin).
import { html, nothing, type TemplateResult } from 'lit';
import { apiBlob } from '../../api.js';
import { fmt } from '../../i18n.js';
import { ConsoleSection, type SectionDef } from '../../section.js';
import { t } from './messages.js';

interface Row {
  email: string;
  consentText: string;
  consentAt: string;
  checkinId: string;
  day: string;
  checkedInAt: string;
  withdrawUrl: string;
}

export class MarketListSection extends ConsoleSection {
  static override properties = { ...ConsoleSection.properties, rows: { state: true }, next: { state: true }, error: { state: true } };
  rows?: Row[];
  next: string | null = null;
  error = '';
  private q = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(more = false) {
    const params = new URLSearchParams({ limit: '50', ...(this.q && { q: this.q }), ...(more && this.next && { cursor: this.next }) });
    const r = await this.ctx.call<{ data: Row[]; nextCursor: string | null }>(`/v1/market-list?${params}`);
    if (!r.ok) {
      this.error = this.ctx.problemText(r);
      return;
    }
    this.error = '';
    this.rows = more ? [...(this.rows ?? []), ...r.data.data] : r.data.data;
    this.next = r.data.nextCursor;
    this.ctx.say(t('count', { n: fmt.number(this.rows.length) }));
  }

  private async download() {
    const r = await apiBlob('/v1/market-list.csv');
    if (!r.blob) {
      this.error = this.ctx.problemText(r);
      return;
    }
    const a = document.createElement('a');
    a.href = URL.createObjectURL(r.blob);
    a.download = 'market-list.csv';
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  override render(): TemplateResult {
    const rows = this.rows;
    return html`<h2 tabindex="-1">${t('marketList')}</h2>
      <p class="intro">${t('marketListIntro')}</p>
      <form
        class="card"
        role="search"
        @submit=${(e: SubmitEvent) => {
          e.preventDefault();
          this.q = ((e.target as HTMLFormElement).elements.namedItem('q') as HTMLInputElement).value.trim();
          void this.load();
        }}
      >
        <div class="field">
          <label for="ml-q">${t('search')}</label>
          <input id="ml-q" name="q" type="search" autocomplete="off" />
        </div>
        <div class="actions">
          <button type="submit">${t('find')}</button>
          <button type="button" class="secondary" @click=${() => this.download()}>${t('csv')}</button>
        </div>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${!rows
        ? html`<p>${this.error ? '' : t('loading')}</p>`
        : rows.length === 0
          ? html`<p>${t('empty')}</p>`
          : html`<div class="table-wrap">
              <table id="ml-table">
                <caption class="visually-hidden">${t('marketList')}</caption>
                <thead>
                  <tr><th scope="col">${t('email')}</th><th scope="col">${t('consent')}</th><th scope="col">${t('stall')}</th><th scope="col">${t('day')}</th><th scope="col">${t('withdraw')}</th></tr>
                </thead>
                <tbody>
                  ${rows.map(
                    (r) => html`<tr>
                      <td>${r.email}</td>
                      <td>${r.consentText}<br /><small>${fmt.dateTime(r.consentAt)}</small></td>
                      <td>${r.checkinId}</td>
                      <td>${fmt.date(`${r.day}T12:00:00Z`)}</td>
                      <td><button type="button" class="secondary" aria-label=${t('copyLinkFor', { email: r.email })} @click=${() => this.ctx.copy(r.withdrawUrl)}>${t('copyLink')}</button></td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>
            ${this.next ? html`<div class="actions"><button type="button" class="secondary" @click=${() => this.load(true)}>${t('more')}</button></div>` : nothing}`}`;
  }
}

if (!customElements.get('kc-market-list')) customElements.define('kc-market-list', MarketListSection);

export const marketListSection: SectionDef = {
  id: 'market-list',
  title: () => t('marketList'),
  render: (ctx) => html`<kc-market-list .ctx=${ctx}></kc-market-list>`,
};
