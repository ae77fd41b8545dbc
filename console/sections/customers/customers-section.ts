// Customers: look one up, read what Kudos holds about them, export it, erase it.
import { html, nothing, type TemplateResult } from 'lit';
import { fmt } from '../../i18n.js';
import { ConsoleSection, type SectionDef } from '../../section.js';
import { t } from './messages.js';

interface CustomerView {
  id: string;
  data?: any;
  notFound?: boolean;
  status?: string;
  error?: string;
  confirm: string;
}

export class CustomersSection extends ConsoleSection {
  static override properties = { ...ConsoleSection.properties, customer: { state: true } };
  customer: CustomerView = { id: '', confirm: '' };

  private async lookup(e?: SubmitEvent) {
    e?.preventDefault();
    const id = this.customer.id.trim();
    if (!id) return;
    const r = await this.ctx.call(`/v1/customers/${encodeURIComponent(id)}/export`);
    this.customer = {
      ...this.customer,
      data: r.ok ? r.data : undefined,
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
      <h4>${t('ledger')}</h4>
      ${ledger.length
        ? html`<table>
            <thead>
              <tr><th scope="col">${t('date')}</th><th scope="col">${t('kind')}</th><th scope="col">${t('points')}</th><th scope="col">${t('order')}</th></tr>
            </thead>
            <tbody>
              ${ledger.map((e) => html`<tr><td>${fmt.dateTime(e.at)}</td><td>${e.kind}</td><td>${fmt.number(e.points)}</td><td>${e.orderId ?? e.rewardId ?? ''}</td></tr>`)}
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
      </div>
    </section>`;
  }

  override render(): TemplateResult {
    const c = this.customer;
    const id = c.data?.customerId ?? '';
    return html`<h2 tabindex="-1">${t('customers')}</h2>
      <form class="card" @submit=${this.lookup} aria-labelledby="lookup-h">
        <h3 id="lookup-h">${t('lookup')}</h3>
        <div class="field">
          <label for="lookup-id">${t('customerId')}</label>
          <input id="lookup-id" type="text" autocomplete="off" .value=${c.id} @input=${(e: Event) => (this.customer = { ...this.customer, id: (e.target as HTMLInputElement).value })} />
        </div>
        <button type="submit">${t('find')}</button>
        <p class="status" role="status">${c.status ?? ''}</p>
      </form>
      ${c.notFound ? html`<p class="card" id="customer-h" tabindex="-1">${t('notFound', { id: c.id })}</p>` : nothing}
      ${c.error ? html`<p class="error" role="alert">${c.error}</p>` : nothing}
      ${c.data ? this.renderCustomerData(c.data) : nothing}
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
