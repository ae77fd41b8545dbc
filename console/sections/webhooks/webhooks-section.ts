// Webhooks: endpoints that receive signed event messages (the secret shown once), their
// delivery log with redeliver, secret rotation and delete.
import { html, nothing, type TemplateResult } from 'lit';
import type { WebhookEventType } from '../../../server/webhooks/schemas.js';
import { DocumentsSection } from '../../documents-section.js';
import { fmt } from '../../i18n.js';
import { idField, type Kind } from '../../kind.js';
import type { SectionDef } from '../../section.js';
import { t } from './messages.js';

/** What each event type means to a shop owner; a Record, so a new type on the server is a type error here until described. */
const EVENT_MEANINGS: Record<WebhookEventType, () => string> = {
  'award.created': () => t('ev_award_created'),
  'award.revoked': () => t('ev_award_revoked'),
  'points.changed': () => t('ev_points_changed'),
  'tier.changed': () => t('ev_tier_changed'),
  'group.unlocked': () => t('ev_group_unlocked'),
  'group.expired': () => t('ev_group_expired'),
  'group.codes_needed': () => t('ev_group_codes_needed'),
  'email.verification_requested': () => t('ev_email_verification_requested'),
  'nps.responded': () => t('ev_nps_responded'),
  'nps.survey_requested': () => t('ev_nps_survey_requested'),
  'gift.granted': () => t('ev_gift_granted'),
  'product.sold_out': () => t('ev_product_sold_out'),
  'checkin.created': () => t('ev_checkin_created'),
  'checkin.withdrawn': () => t('ev_checkin_withdrawn'),
};

/** Outgoing webhook endpoints: the same form machinery as the programs. */
export const webhookKind = (): Kind => ({
  key: 'webhooks',
  title: () => t('webhooks'),
  listPath: '/v1/webhooks',
  putPath: (id) => `/v1/webhooks/${encodeURIComponent(id)}`,
  readOnly: ['secret', 'previousSecretExpiresAt'],
  fields: () => [
    idField(t('webhookIdHint')),
    { name: 'url', label: t('webhookUrl'), type: 'text', required: true, hint: t('webhookUrlHint') },
    {
      name: 'events',
      label: t('webhookEvents'),
      type: 'checkboxes',
      required: true,
      options: (Object.keys(EVENT_MEANINGS) as WebhookEventType[]).map((type) => [type, `${type} — ${EVENT_MEANINGS[type]()}`]),
    },
    { name: 'description', label: t('description'), type: 'text' },
    { name: 'active', label: t('webhookActive'), type: 'checkbox', hint: t('webhookActiveHint') },
  ],
  defaults: () => ({ events: ['award.created', 'points.changed'], active: true }),
  liveCheck: true,
  describe: (w) => w.description || w.id,
});

/** What went wrong with a delivery, in plain words (the system's own message follows, small, for a developer). */
const PLAIN_ERRORS: [RegExp, () => string][] = [
  [/ENOTFOUND|EAI_AGAIN/, () => t('errNotFound')],
  [/ECONNREFUSED/, () => t('errRefused')],
  [/no answer within|timed? ?out|ETIMEDOUT/i, () => t('errTimeout')],
  [/certificate|CERT_|SSL|TLS/i, () => t('errCertificate')],
  [/ECONNRESET|socket hang up|EPIPE|other side closed/i, () => t('errReset')],
  [/^endpoint inactive/, () => t('errPaused')],
  [/^endpoint deleted/, () => t('errDeleted')],
  [/^refused: the URL/, () => t('errUrlRefused')],
  [/fetch failed|network/i, () => t('errUnreachable')],
];

function renderError(error: string | undefined, status: number | undefined, ok: boolean) {
  if (!error) return ok || !status ? '' : t('errStatus', { status });
  const plain = PLAIN_ERRORS.find(([pattern]) => pattern.test(error))?.[1]();
  return plain ? html`${plain} <small class="muted"><code>${error}</code></small>` : error;
}

/** A signing secret the API answered once (creation or rotation): shown until dismissed, never stored. */
interface ShownSecret {
  id: string;
  secret: string;
  previousUntil?: string;
}

interface Deliveries {
  id: string;
  data?: { attempts: any[]; pending: any[] };
  error?: string;
  status?: string;
}

export class WebhooksSection extends DocumentsSection {
  static override properties = { ...DocumentsSection.properties, secret: { state: true }, deliveries: { state: true }, deleting: { state: true } };
  secret?: ShownSecret;
  deliveries?: Deliveries;
  deleting?: { id: string; url: string };

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadKind('webhooks');
  }

  protected kindOf(): Kind {
    return webhookKind();
  }

  // A webhook endpoint's signing secret comes in the answer that created it only.
  protected override async afterSave(_kind: Kind, id: string, answer: { secret?: unknown }) {
    if (typeof answer.secret === 'string') await this.showSecret({ id, secret: answer.secret });
  }

  private async showSecret(secret: ShownSecret) {
    this.secret = secret;
    await this.updateComplete;
    this.querySelector<HTMLElement>('#secret-h')?.focus();
  }

  private dismissSecret() {
    this.secret = undefined;
    void this.updateComplete.then(() => this.querySelector<HTMLElement>('#list-h')?.focus());
  }

  private async rotateSecret(id: string) {
    const r = await this.ctx.call(`/v1/webhooks/${encodeURIComponent(id)}/rotate`, { method: 'POST' });
    if (!r.ok) {
      this.ctx.say(this.ctx.problemText(r));
      return;
    }
    await this.showSecret({ id, secret: r.data.secret, previousUntil: r.data.previousSecretExpiresAt });
  }

  private async loadDeliveries(id: string, focus: boolean) {
    // Two lists: what is still queued and what was tried (the endpoint's last 100 attempts, one page).
    const base = `/v1/webhooks/${encodeURIComponent(id)}`;
    const [pending, attempts] = await Promise.all([this.ctx.call(`${base}/deliveries`), this.ctx.call(`${base}/attempts`)]);
    const failed = [pending, attempts].find((r) => !r.ok);
    this.deliveries = failed
      ? { id, error: this.ctx.problemText(failed) }
      : { id, data: { pending: pending.data.data, attempts: attempts.data.data }, status: this.deliveries?.id === id ? this.deliveries.status : undefined };
    if (focus) {
      await this.updateComplete;
      this.querySelector<HTMLElement>('#deliveries-h')?.focus();
    }
  }

  private closeDeliveries() {
    this.deliveries = undefined;
    void this.updateComplete.then(() => this.querySelector<HTMLElement>('#list-h')?.focus());
  }

  private async redeliver(id: string, deliveryId: string, type: string) {
    const r = await this.ctx.call(`/v1/webhooks/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`, { method: 'POST' });
    const status = r.ok ? t('redelivered', { type }) : this.ctx.problemText(r);
    this.deliveries = { ...this.deliveries!, status };
    this.ctx.say(status);
    await this.loadDeliveries(id, false);
  }

  private openDelete(w: any) {
    this.deleting = { id: w.id, url: w.url };
    void this.updateComplete.then(() => this.querySelector<HTMLDialogElement>('#webhook-delete-dialog')!.showModal());
  }

  private async deleteWebhook(e: SubmitEvent) {
    e.preventDefault();
    if (!this.deleting) return;
    const id = this.deleting.id;
    const r = await this.ctx.call(`/v1/webhooks/${encodeURIComponent(id)}`, { method: 'DELETE' });
    this.querySelector<HTMLDialogElement>('#webhook-delete-dialog')!.close();
    this.deleting = undefined;
    const message = r.ok ? t('deleted', { id }) : this.ctx.problemText(r);
    if (r.ok) {
      if (this.editing?.kind === 'webhooks' && this.editing.id === id) this.editing = undefined;
      if (this.deliveries?.id === id) this.deliveries = undefined;
      if (this.secret?.id === id) this.secret = undefined;
      await this.loadKind('webhooks');
    }
    this.ctx.say(message);
    await this.updateComplete;
    this.querySelector<HTMLElement>('#list-h')?.focus();
  }

  private renderSecret(): TemplateResult | typeof nothing {
    const s = this.secret;
    if (!s) return nothing;
    return html`<section class="card secret" aria-labelledby="secret-h">
      <h3 id="secret-h" tabindex="-1">${t('secretTitle', { id: s.id })}</h3>
      <p class="once" id="secret-once"><strong>${t('secretOnce')}</strong></p>
      ${s.previousUntil ? html`<p>${t('secretRotated', { time: fmt.dateTime(s.previousUntil) })}</p>` : nothing}
      <div class="copy-row">
        <pre><code id="webhook-secret">${s.secret}</code></pre>
        <button type="button" aria-label=${t('copyNamed', { name: t('secretLabel') })} @click=${() => this.ctx.copy(s.secret)}>${t('copy')}</button>
      </div>
      <button type="button" class="secondary" @click=${this.dismissSecret}>${t('secretDone')}</button>
    </section>`;
  }

  private renderWebhookList(): TemplateResult {
    const kind = webhookKind();
    const list = this.lists.webhooks;
    if (list === undefined) return html`<p>${t('loading')}</p>`;
    if (list.error) return html`<p class="error">${t('loadFailed', { detail: list.error })}</p>`;
    return html`<section class="card" aria-labelledby="list-h">
      <h3 id="list-h" tabindex="-1">${t('endpoints')}</h3>
      ${list.length === 0 ? html`<p>${t('none')}</p>` : nothing}
      <ul class="items endpoints">
        ${(list as any[]).map(
          (w) => html`<li>
            <div class="endpoint">
              <strong>${w.id}</strong> · <span class=${w.active ? 'on' : 'off'}>${w.active ? t('activeState') : t('pausedState')}</span>
              ${w.description ? html`<span class="muted"> · ${w.description}</span>` : nothing}
              <code class="url">${w.url}</code>
              <small>${w.events.join(', ')}</small>
            </div>
            <span class="actions inline">
              <button type="button" class="secondary" aria-label=${t('edit', { name: w.id })} @click=${() => this.startEdit('webhooks', w)}>${t('edit', { name: '' }).trim()}</button>
              <button type="button" class="secondary" aria-label=${t('deliveriesOf', { name: w.id })} @click=${() => this.loadDeliveries(w.id, true)}>${t('deliveries')}</button>
              <button type="button" class="secondary" aria-label=${t('rotateNamed', { name: w.id })} @click=${() => this.rotateSecret(w.id)}>${t('rotate')}</button>
              <button type="button" class="danger" aria-label=${t('deleteNamed', { name: w.id })} @click=${() => this.openDelete(w)}>${t('deleteIt')}</button>
            </span>
          </li>`,
        )}
      </ul>
      <button type="button" @click=${() => this.startEdit(kind.key, undefined)}>${t('newItem')}</button>
    </section>`;
  }

  private renderDeliveries(): TemplateResult | typeof nothing {
    const d = this.deliveries;
    if (!d) return nothing;
    const result = (ok: boolean) => html`<span class=${ok ? 'on' : 'off'}>${ok ? t('stDelivered') : t('stFailed')}</span>`;
    const state = (s: string) => (s === 'delivered' ? t('stDelivered') : s === 'failed' ? t('stFailed') : t('stPending'));
    const redeliverButton = (deliveryId: string, type: string, at: string) =>
      html`<button type="button" class="secondary" aria-label=${t('redeliverNamed', { type, time: fmt.dateTimeSec(at) })} @click=${() => this.redeliver(d.id, deliveryId, type)}>
        ${t('redeliver')}
      </button>`;
    return html`<section class="card" id="deliveries" aria-labelledby="deliveries-h">
      <h3 id="deliveries-h" tabindex="-1">${t('deliveriesOf', { name: d.id })}</h3>
      <div class="actions">
        <button type="button" class="secondary" @click=${() => this.loadDeliveries(d.id, false)}>${t('refresh')}</button>
        <button type="button" class="secondary" @click=${this.closeDeliveries}>${t('close')}</button>
      </div>
      <p class="status" role="status">${d.status ?? ''}</p>
      ${d.error ? html`<p class="error" role="alert">${d.error}</p>` : nothing}
      ${d.data && !d.data.pending.length && !d.data.attempts.length ? html`<p>${t('deliveriesEmpty')}</p>` : nothing}
      ${d.data?.pending.length
        ? html`<h4 id="pending-h">${t('waiting')}</h4>
            <div class="table-wrap">
              <table aria-labelledby="pending-h" id="pending-table">
                <thead>
                  <tr>
                    <th scope="col">${t('time')}</th><th scope="col">${t('eventType')}</th><th scope="col">${t('stateCol')}</th><th scope="col">${t('attemptsCol')}</th>
                    <th scope="col">${t('nextAttempt')}</th><th scope="col">${t('errorCol')}</th><th scope="col">${t('action')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${d.data.pending.map(
                    (p) => html`<tr>
                      <td class="time">${fmt.dateTimeSec(p.createdAt)}</td><td><code>${p.type}</code></td><td>${state(p.status)}</td><td>${fmt.number(p.attempts)}</td>
                      <td class="time">${p.nextAttemptAt ? fmt.dateTimeSec(p.nextAttemptAt) : '—'}</td><td class="err">${renderError(p.lastError, undefined, false)}</td>
                      <td>${redeliverButton(p.id, p.type, p.createdAt)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
        : nothing}
      ${d.data?.attempts.length
        ? html`<h4 id="attempts-h">${t('recentAttempts')}</h4>
            <div class="table-wrap">
              <table aria-labelledby="attempts-h" id="attempts-table">
                <thead>
                  <tr>
                    <th scope="col">${t('time')}</th><th scope="col">${t('eventType')}</th><th scope="col">${t('result')}</th><th scope="col">${t('httpStatus')}</th>
                    <th scope="col">${t('duration')}</th><th scope="col">${t('errorCol')}</th><th scope="col">${t('action')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${d.data.attempts.map(
                    (a) => html`<tr>
                      <td class="time">${fmt.dateTimeSec(a.at)}</td><td><code>${a.type}</code></td><td>${result(a.ok)}</td><td>${a.status ?? '—'}</td>
                      <td class="time">${fmt.ms(a.durationMs)}</td><td class="err">${renderError(a.error, a.status, a.ok)}</td>
                      <td>${redeliverButton(a.deliveryId, a.type, a.at)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
        : nothing}
    </section>`;
  }

  override render(): TemplateResult {
    const kind = webhookKind();
    return html`<h2 tabindex="-1">${t('webhooks')}</h2>
      <p class="intro">${t('webhooksIntro')}</p>
      ${this.renderSecret()}
      <div class="columns">
        <div>${this.renderWebhookList()}</div>
        ${this.editing ? html`<div>${this.renderEditForm(kind)}</div>` : nothing}
      </div>
      ${this.renderDeliveries()}
      <dialog id="webhook-delete-dialog" aria-labelledby="wh-delete-h">
        <form @submit=${this.deleteWebhook}>
          <h3 id="wh-delete-h">${t('deleteTitle', { id: this.deleting?.id ?? '' })}</h3>
          <p>${t('deleteWarning', { url: this.deleting?.url ?? '' })}</p>
          <div class="actions">
            <button type="submit" class="danger">${t('deleteConfirm')}</button>
            <button type="button" class="secondary" @click=${() => this.querySelector<HTMLDialogElement>('#webhook-delete-dialog')!.close()}>${t('cancel')}</button>
          </div>
        </form>
      </dialog>`;
  }
}

if (!customElements.get('kc-webhooks')) customElements.define('kc-webhooks', WebhooksSection);

export const webhooksSection: SectionDef = {
  id: 'webhooks',
  title: () => t('webhooks'),
  render: (ctx) => html`<kc-webhooks .ctx=${ctx}></kc-webhooks>`,
};
