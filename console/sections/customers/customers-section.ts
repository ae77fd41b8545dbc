// Customers: look one up, read what Kudos holds about them, export it, erase it.
import { html, nothing, type TemplateResult } from 'lit';
import { fmt } from '../../i18n.js';
import { ConsoleSection, type SectionDef } from '../../section.js';
import { t } from './messages.js';

interface ListItem {
  customerId: string;
  points: number;
  tier: string | null;
  badges: number;
  createdAt: string;
  lastActivityAt: string | null;
}

/** The list: the search as typed, the pages read so far (cursors to go back), the rows shown. */
interface ListView {
  q: string;
  rows?: ListItem[];
  /** cursors[i] opened page i (undefined for the first). */
  cursors: (string | undefined)[];
  page: number;
  next: string | null;
  loading?: boolean;
  error?: string;
}

const PAGE_SIZE = 20;

/** A ledger line's kind in the words of a shop (the API says earn, clawback, redeem, expire). */
const LEDGER_KINDS: Record<string, () => string> = {
  earn: () => t('ledgerEarn'),
  clawback: () => t('ledgerClawback'),
  redeem: () => t('ledgerRedeem'),
  expire: () => t('ledgerExpire'),
};
const ledgerKind = (kind: string) => LEDGER_KINDS[kind]?.() ?? kind;
const SEARCH_DELAY_MS = 250;

interface CustomerView {
  id: string;
  data?: any;
  notFound?: boolean;
  status?: string;
  error?: string;
  confirm: string;
}

export class CustomersSection extends ConsoleSection {
  static override properties = { ...ConsoleSection.properties, customer: { state: true }, list: { state: true } };
  customer: CustomerView = { id: '', confirm: '' };
  list: ListView = { q: '', cursors: [undefined], page: 0, next: null };
  private searchTimer?: ReturnType<typeof setTimeout>;
  private listSeq = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadList(0);
  }

  override disconnectedCallback(): void {
    clearTimeout(this.searchTimer);
    super.disconnectedCallback();
  }

  /** Reads page `page` of the list for the current search. */
  private async loadList(page: number) {
    const cursor = this.list.cursors[page];
    const q = this.list.q.trim();
    const seq = ++this.listSeq;
    this.list = { ...this.list, loading: true };
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (q) params.set('q', q);
    if (cursor) params.set('cursor', cursor);
    const r = await this.ctx.call<{ data: ListItem[]; nextCursor: string | null }>(`/v1/customers?${params}`);
    if (seq !== this.listSeq) return; // a later search won
    this.list = r.ok
      ? { ...this.list, rows: r.data.data, page, next: r.data.nextCursor, cursors: [...this.list.cursors.slice(0, page + 1), r.data.nextCursor ?? undefined], loading: false, error: undefined }
      : { ...this.list, loading: false, error: this.ctx.problemText(r) };
  }

  private onSearch(value: string) {
    this.customer = { ...this.customer, id: value };
    this.list = { ...this.list, q: value, cursors: [undefined], page: 0 };
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => void this.loadList(0), SEARCH_DELAY_MS);
  }

  private async turnPage(page: number) {
    await this.loadList(page);
    await this.focusAfterRender('#customer-list-h');
  }

  /** Enter in the search: open the customer with exactly that id, else show the matching list. */
  private async lookup(e?: SubmitEvent) {
    e?.preventDefault();
    const id = this.customer.id.trim();
    if (!id) return;
    await this.open(id);
  }

  private async open(id: string) {
    this.customer = { ...this.customer, id };
    // The export (all their data) needs admin; a staff key reads what the counter needs:
    // points, tier, badges and trophies (GET /v1/customers/:id), without export or erase.
    const admin = this.ctx.can('admin');
    const r = await this.ctx.call(admin ? `/v1/customers/${encodeURIComponent(id)}/export` : `/v1/customers/${encodeURIComponent(id)}`);
    const counterView = (state: any) => ({
      customerId: id,
      state,
      counterOnly: true,
      trophyAwards: (state.trophies ?? []).map((a: any) => ({ trophy: { name: a.name }, level: a.level, awardedAt: a.awardedAt })),
      groups: [],
      surveyAnswers: [],
    });
    this.customer = {
      ...this.customer,
      data: r.ok ? (admin ? r.data : counterView(r.data)) : undefined,
      notFound: r.status === 404,
      error: r.ok || r.status === 404 ? undefined : this.ctx.problemText(r),
      status: undefined,
    };
    await this.focusAfterRender('#customer-h');
  }

  private download() {
    const data = this.customer.data;
    const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `kudos-customer-${data.customerId}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }

  private openErase() {
    this.customer = { ...this.customer, confirm: '' };
    this.$<HTMLDialogElement>('#erase-dialog')!.showModal();
  }

  private async erase(e: SubmitEvent) {
    e.preventDefault();
    const id = this.customer.data.customerId as string;
    if (this.customer.confirm.trim() !== id) return;
    const r = await this.ctx.call(`/v1/customers/${encodeURIComponent(id)}`, { method: 'DELETE' });
    this.$<HTMLDialogElement>('#erase-dialog')!.close();
    if (r.ok) {
      this.customer = { id: '', confirm: '', status: t('erased', { id }) };
      this.ctx.say(t('erased', { id }));
      this.list = { ...this.list, q: '', cursors: [undefined], page: 0 };
      void this.loadList(0);
      await this.focusAfterRender('#lookup-id');
    } else {
      this.customer = { ...this.customer, error: this.ctx.problemText(r) };
    }
  }

  private renderCustomerData(d: any): TemplateResult {
    const ledger = (d.record?.ledger ?? []) as any[];
    return html`<section class="card" aria-labelledby="customer-h">
      <h3 id="customer-h" tabindex="-1">${d.customerId}</h3>
      <p>${t('pointsBalance', { points: fmt.number(d.state.points) })} · ${d.state.tier ? t('tier', { tier: d.state.tier }) : t('noTier')}</p>
      <h4>${t('badges')}</h4>
      ${d.state.badges.length
        ? html`<ul class="badges">
            ${d.state.badges.map((b: any) => html`<li>${b.icon ?? ''} ${b.name} · ${fmt.date(b.awardedAt)}</li>`)}
          </ul>`
        : html`<p>${t('none')}</p>`}
      <h4>${t('trophies')}</h4>
      ${d.trophyAwards.length
        ? html`<ul class="badges">
            ${d.trophyAwards.map((a: any) => html`<li>${a.trophy?.name ?? a.trophyId} (${a.level}) · ${fmt.date(a.awardedAt)}${a.revokedAt ? ' ✕' : ''}</li>`)}
          </ul>`
        : html`<p>${t('none')}</p>`}
      ${d.counterOnly ? nothing : this.renderHistory(d, ledger)}
    </section>`;
  }

  private renderHistory(d: any, ledger: any[]): TemplateResult {
    return html`<h4>${t('ledger')}</h4>
      ${ledger.length
        ? html`<table>
            <thead>
              <tr><th scope="col">${t('date')}</th><th scope="col">${t('kind')}</th><th scope="col">${t('points')}</th><th scope="col">${t('order')}</th></tr>
            </thead>
            <tbody>
              ${ledger.map((e) => html`<tr><td>${fmt.dateTime(e.at)}</td><td>${ledgerKind(e.kind)}</td><td>${fmt.number(e.points)}</td><td>${e.orderId ?? e.rewardId ?? ''}</td></tr>`)}
            </tbody>
          </table>`
        : html`<p>${t('none')}</p>`}
      <h4>${t('groups')}</h4>
      ${d.groups.length
        ? html`<ul>
            ${d.groups.map((g: any) => html`<li>${g.code} · ${g.campaignId} · ${g.role} · ${g.status}${g.percentOff ? ` · −${g.percentOff} %` : ''}</li>`)}
          </ul>`
        : html`<p>${t('none')}</p>`}
      <h4>${t('surveyAnswers')}</h4>
      ${d.surveyAnswers.length
        ? html`<table>
            <thead>
              <tr><th scope="col">${t('date')}</th><th scope="col">${t('surveys')}</th><th scope="col">${t('score')}</th><th scope="col">${t('comment')}</th></tr>
            </thead>
            <tbody>
              ${d.surveyAnswers.map((a: any) => html`<tr><td>${fmt.dateTime(a.answeredAt ?? a.shownAt)}</td><td>${a.surveyId}</td><td>${a.score ?? '—'}</td><td>${a.comment ?? ''}</td></tr>`)}
            </tbody>
          </table>`
        : html`<p>${t('none')}</p>`}
      <div class="actions">
        <button type="button" class="secondary" @click=${this.download}>${t('exportJson')}</button>
        <button type="button" class="danger" @click=${this.openErase}>${t('erase')}</button>
      </div>`;
  }

  private renderList(): TemplateResult {
    const l = this.list;
    const q = l.q.trim();
    return html`<section class="card" aria-labelledby="customer-list-h" aria-busy=${l.loading ? 'true' : 'false'}>
      <h3 id="customer-list-h" tabindex="-1">${q ? t('matching', { q }) : t('allCustomers')}</h3>
      ${l.error ? html`<p class="error" role="alert">${l.error}</p>` : nothing}
      ${!l.rows
        ? html`<p>${t('loading')}</p>`
        : l.rows.length === 0
          ? html`<p>${q ? t('noMatch', { q }) : t('noCustomers')}</p>`
          : html`<div class="table-wrap">
              <table id="customer-table">
                <thead>
                  <tr>
                    <th scope="col">${t('customerId')}</th>
                    <th scope="col" class="num">${t('points')}</th>
                    <th scope="col">${t('tierCol')}</th>
                    <th scope="col" class="num">${t('badges')}</th>
                    <th scope="col">${t('lastActivity')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${l.rows.map(
                    (row) => html`<tr>
                      <th scope="row">
                        <button type="button" class="link" aria-current=${this.customer.data?.customerId === row.customerId ? 'true' : nothing} @click=${() => this.open(row.customerId)}>${row.customerId}</button>
                      </th>
                      <td class="num">${fmt.number(row.points)}</td>
                      <td>${row.tier ?? '—'}</td>
                      <td class="num">${fmt.number(row.badges)}</td>
                      <td>${row.lastActivityAt ? fmt.date(row.lastActivityAt) : '—'}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`}
      <nav class="pager" aria-label=${t('pages')}>
        <button type="button" class="secondary" ?disabled=${l.page === 0 || l.loading} @click=${() => this.turnPage(l.page - 1)}>${t('previousPage')}</button>
        <span>${t('pageN', { n: l.page + 1 })}</span>
        <button type="button" class="secondary" ?disabled=${!l.next || l.loading} @click=${() => this.turnPage(l.page + 1)}>${t('nextPage')}</button>
      </nav>
    </section>`;
  }

  override render(): TemplateResult {
    const c = this.customer;
    const id = c.data?.customerId ?? '';
    return html`<h2 tabindex="-1">${t('customers')}</h2>
      <div class="customers-layout">
        <div>
          <form class="card" @submit=${this.lookup} aria-labelledby="lookup-h" role="search">
            <h3 id="lookup-h">${t('lookup')}</h3>
            <div class="field">
              <label for="lookup-id">${t('searchLabel')}</label>
              <input id="lookup-id" type="search" autocomplete="off" spellcheck="false" aria-describedby="lookup-hint" .value=${c.id} @input=${(e: Event) => this.onSearch((e.target as HTMLInputElement).value)} />
              <p class="hint" id="lookup-hint">${t('searchHint')}</p>
            </div>
            <button type="submit">${t('find')}</button>
            <p class="status" role="status">${c.status ?? ''}</p>
          </form>
          ${this.renderList()}
        </div>
        <div>
      ${c.notFound ? html`<p class="card" id="customer-h" tabindex="-1">${t('notFound', { id: c.id })}</p>` : nothing}
      ${c.error ? html`<p class="error" role="alert">${c.error}</p>` : nothing}
      ${c.data ? this.renderCustomerData(c.data) : nothing}
        </div>
      </div>
      <dialog id="erase-dialog" aria-labelledby="erase-h">
        <form @submit=${this.erase}>
          <h3 id="erase-h">${t('eraseTitle', { id })}</h3>
          <p>${t('eraseWarning')}</p>
          <div class="field">
            <label for="erase-confirm">${t('eraseConfirmLabel')}</label>
            <input id="erase-confirm" type="text" autocomplete="off" .value=${c.confirm} @input=${(e: Event) => (this.customer = { ...this.customer, confirm: (e.target as HTMLInputElement).value })} />
          </div>
          <div class="actions">
            <button type="submit" class="danger" ?disabled=${c.confirm.trim() !== id}>${t('eraseConfirm')}</button>
            <button type="button" class="secondary" @click=${() => this.$<HTMLDialogElement>('#erase-dialog')!.close()}>${t('cancel')}</button>
          </div>
        </form>
      </dialog>`;
  }
}

if (!customElements.get('kc-customers')) customElements.define('kc-customers', CustomersSection);

export const customersSection: SectionDef = {
  id: 'customers',
  title: () => t('customers'),
  render: (ctx) => html`<kc-customers .ctx=${ctx}></kc-customers>`,
};
