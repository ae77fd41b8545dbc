// Audit log: who changed what and when, newest first, paged (GET /v1/audit?cursor=), with a
// filter on action, key name or target (?q=), the NDJSON export and the retention setting.
// Admin only.
import { html, nothing, type TemplateResult } from 'lit';
import { apiBlob } from '../../api.js';
import { errorsOf } from '../../forms.js';
import { fmt } from '../../i18n.js';
import { ConsoleSection, type SectionDef } from '../../section.js';
import type { AuditEntry } from '../../../server/access/audit.js';
import { t } from './messages.js';

const PAGE = 20;

export class AuditSection extends ConsoleSection {
  static override properties = {
    ...ConsoleSection.properties,
    rows: { state: true },
    q: { state: true },
    page: { state: true },
    next: { state: true },
    loading: { state: true },
    error: { state: true },
    retention: { state: true },
    retentionError: { state: true },
    status: { state: true },
  };
  rows?: AuditEntry[];
  q = '';
  /** The cursor of each page seen so far: page n starts after cursors[n]. */
  private cursors: (string | undefined)[] = [undefined];
  page = 0;
  next: string | null = null;
  loading = false;
  error = '';
  retention = '';
  retentionError = '';
  status = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load(0);
  }

  private async load(page: number) {
    this.loading = true;
    const params = new URLSearchParams({ limit: String(PAGE) });
    const cursor = this.cursors[page];
    if (cursor) params.set('cursor', cursor);
    if (this.q.trim()) params.set('q', this.q.trim());
    const r = await this.ctx.call<{ data: AuditEntry[]; nextCursor: string | null; retentionDays: number }>(`/v1/audit?${params}`);
    this.loading = false;
    if (!r.ok) {
      this.error = this.ctx.problemText(r);
      return;
    }
    this.error = '';
    this.rows = r.data.data;
    this.page = page;
    this.next = r.data.nextCursor;
    if (this.next) this.cursors[page + 1] = this.next;
    if (!this.retention) this.retention = String(r.data.retentionDays);
  }

  private filter(e: SubmitEvent) {
    e.preventDefault();
    this.cursors = [undefined];
    void this.load(0).then(() => this.focusAfterRender('#audit-list-h'));
  }

  private async turn(page: number) {
    await this.load(page);
    await this.focusAfterRender('#audit-list-h');
  }

  private async download() {
    const r = await apiBlob('/v1/audit/export');
    if (!r.blob) {
      this.error = this.ctx.problemText(r);
      return;
    }
    const a = document.createElement('a');
    a.href = URL.createObjectURL(r.blob);
    a.download = `kudos-audit-${this.ctx.install.shop.id}.ndjson`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    // The export is itself an entry: show it.
    void this.load(0);
  }

  private async saveRetention(e: SubmitEvent) {
    e.preventDefault();
    this.retentionError = '';
    const r = await this.ctx.call<{ retentionDays: number }>('/v1/audit/settings', { method: 'PUT', body: { retentionDays: Number(this.retention) } });
    if (!r.ok) {
      this.retentionError = errorsOf(r.data)['/retentionDays'] ?? this.ctx.problemText(r);
      await this.focusAfterRender('#audit-retention');
      return;
    }
    this.status = t('retentionSaved', { days: fmt.number(r.data.retentionDays) });
    this.ctx.say(this.status);
    void this.load(0);
  }

  private changesText(entry: AuditEntry): string {
    const parts: string[] = [];
    if (entry.customer) parts.push(t('customerRef', { ref: entry.customer }));
    if (entry.changes !== undefined) {
      const json = JSON.stringify(entry.changes);
      parts.push(json.length > 160 ? `${json.slice(0, 159)}…` : json);
    }
    return parts.join(' · ');
  }

  override render(): TemplateResult {
    const rows = this.rows;
    const days = this.retention || '—';
    return html`<h2 tabindex="-1">${t('audit')}</h2>
      <p class="intro">${t('auditIntro', { days })}</p>
      <form class="card" id="audit-filter-form" role="search" @submit=${this.filter} aria-labelledby="audit-filter-h">
        <h3 id="audit-filter-h" class="visually-hidden">${t('auditFilter')}</h3>
        <div class="field">
          <label for="audit-q">${t('auditFilter')}</label>
          <input id="audit-q" type="search" autocomplete="off" maxlength="100" aria-describedby="audit-q-hint" .value=${this.q} @input=${(e: Event) => (this.q = (e.target as HTMLInputElement).value)} />
          <p class="hint" id="audit-q-hint">${t('auditFilterHint')}</p>
        </div>
        <div class="actions">
          <button type="submit">${t('apply')}</button>
          <button type="button" class="secondary" @click=${this.download}>${t('exportAudit')}</button>
        </div>
      </form>
      <section class="card" aria-labelledby="audit-list-h" aria-busy=${this.loading ? 'true' : 'false'}>
        <h3 id="audit-list-h" tabindex="-1">${t('audit')}</h3>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        ${!rows
          ? html`<p>${t('loading')}</p>`
          : rows.length === 0
            ? html`<p>${t('noEntries')}</p>`
            : html`<div class="table-wrap">
                <table id="audit-table">
                  <thead>
                    <tr>
                      <th scope="col">${t('colAt')}</th>
                      <th scope="col">${t('colActor')}</th>
                      <th scope="col">${t('colAction')}</th>
                      <th scope="col">${t('colTarget')}</th>
                      <th scope="col">${t('colChanges')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${rows.map(
                      (e) => html`<tr>
                        <td>${fmt.dateTimeSec(e.at)}</td>
                        <td>${e.actor.keyName}</td>
                        <th scope="row"><code>${e.action}</code></th>
                        <td>${e.target ?? ''}</td>
                        <td><small>${this.changesText(e)}</small></td>
                      </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`}
        <nav class="pager" aria-label=${t('audit')}>
          <button type="button" class="secondary" ?disabled=${this.page === 0 || this.loading} @click=${() => this.turn(this.page - 1)}>${t('newer')}</button>
          <span>${t('pageN', { n: this.page + 1 })}</span>
          <button type="button" class="secondary" ?disabled=${!this.next || this.loading} @click=${() => this.turn(this.page + 1)}>${t('older')}</button>
        </nav>
      </section>
      <form class="card" id="audit-retention-form" @submit=${this.saveRetention} aria-labelledby="audit-retention-h">
        <h3 id="audit-retention-h" class="visually-hidden">${t('retention')}</h3>
        <div class="field">
          <label for="audit-retention">${t('retention')}</label>
          <input
            id="audit-retention"
            type="text"
            inputmode="numeric"
            .value=${this.retention}
            aria-invalid=${this.retentionError ? 'true' : 'false'}
            aria-describedby=${this.retentionError ? 'audit-retention-hint audit-retention-error' : 'audit-retention-hint'}
            @input=${(e: Event) => (this.retention = (e.target as HTMLInputElement).value)}
          />
          <p class="hint" id="audit-retention-hint">${t('retentionHint')}</p>
          ${this.retentionError ? html`<p class="field-error" id="audit-retention-error">${this.retentionError}</p>` : nothing}
        </div>
        <div class="actions"><button type="submit">${t('saveRetention')}</button></div>
        <p class="status" role="status">${this.status}</p>
      </form>`;
  }
}

if (!customElements.get('kc-audit')) customElements.define('kc-audit', AuditSection);

export const auditSection: SectionDef = {
  id: 'audit',
  title: () => t('audit'),
  render: (ctx) => html`<kc-audit .ctx=${ctx}></kc-audit>`,
  scope: 'admin',
};
