// <kudos-console>: the shop owner's web page for everything Kudos does (install,
// programs, customers, KPIs). Served at /console by the API itself; talks to
// /v1 with the secret key kept in sessionStorage only.
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { api, session } from './api.js';
import { chart } from './chart.js';
import { bodyOf, errorsOf, pointerOf, renderField, valuesOf, type Field, type Values } from './forms.js';
import { fmt, locale, t, type MessageKey } from './messages.js';
import { EVENT_SUGGESTIONS, kinds, type Kind, type KindKey } from './programs.js';
import { styles } from './styles.js';

type Section = 'install' | 'programs' | 'customers' | 'kpis';
const SECTIONS: Section[] = ['install', 'programs', 'customers', 'kpis'];

interface Install {
  shop: { id: string; name: string };
  publishableKey: string;
  scriptTag: string;
  elements: string[];
  lastSeen: { origin: string; at: string } | null;
}

interface Editing {
  kind: KindKey;
  isNew: boolean;
  id?: string;
  original?: Record<string, unknown>;
  values: Values;
  /** Fields the user has changed: live errors show for these only. */
  touched: Set<string>;
  serverErrors: Record<string, string>;
  status?: string;
  formError?: string;
  busy?: boolean;
}

const DAY_MS = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const sectionOfHash = (): Section => (SECTIONS.find((s) => location.hash === `#${s}`) ?? 'install');

/** A stored document minus what the server sets, minus the fields the form owns: what the form's body goes on top of. */
function mergeOver(original: Record<string, unknown>, body: Record<string, unknown>, fields: readonly Field[], readOnly: readonly string[] = []) {
  const base: Record<string, unknown> = { ...original };
  for (const key of ['id', 'createdAt', 'updatedAt', ...readOnly]) delete base[key];
  for (const f of fields) if (!f.uiOnly) delete base[f.name.split('.')[0]!];
  return { ...base, ...body };
}

export class KudosConsole extends LitElement {
  static override styles = styles;
  static override properties = {
    signedIn: { state: true },
    install: { state: true },
    section: { state: true },
    signInError: { state: true },
    busy: { state: true },
    kind: { state: true },
    lists: { state: true },
    editing: { state: true },
    award: { state: true },
    customer: { state: true },
    metrics: { state: true },
    announcement: { state: true },
  };

  signedIn = false;
  install?: Install;
  section: Section = sectionOfHash();
  signInError = '';
  busy = false;
  kind: KindKey = 'badges';
  lists: Partial<Record<KindKey, any>> = {};
  editing?: Editing;
  award: { values: Values; errors: Record<string, string>; status?: string; busy?: boolean } = { values: { level: '' }, errors: {} };
  customer: { id: string; data?: any; notFound?: boolean; status?: string; error?: string; confirm: string } = { id: '', confirm: '' };
  metrics: { from: string; to: string; data?: any; error?: string; errors: Record<string, string>; loading?: boolean } = {
    from: isoDay(Date.now() - 84 * DAY_MS),
    to: isoDay(Date.now() + DAY_MS),
    errors: {},
  };
  announcement = '';
  private focusHeading = false;

  override connectedCallback(): void {
    super.connectedCallback();
    document.documentElement.lang = locale;
    document.title = t('appTitle');
    addEventListener('hashchange', this.onHash);
    if (session.get()) void this.loadInstall(session.get()!);
  }

  override disconnectedCallback(): void {
    removeEventListener('hashchange', this.onHash);
    super.disconnectedCallback();
  }

  private onHash = () => {
    this.section = sectionOfHash();
    this.focusHeading = true;
    this.loadSection();
  };

  override updated(changed: PropertyValues): void {
    if (this.focusHeading) {
      this.focusHeading = false;
      this.renderRoot.querySelector<HTMLElement>('main h2')?.focus();
    }
    super.updated(changed);
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

  private async call<T = any>(path: string, init: { method?: string; body?: unknown } = {}) {
    const r = await api<T>(path, init);
    if (r.status === 401) this.signOut();
    return r;
  }

  // ---- sign in ----
  private async loadInstall(key: string): Promise<boolean> {
    const r = await api<Install>('/v1/console/install', { key });
    if (r.ok) {
      session.set(key);
      this.install = r.data;
      this.signedIn = true;
      this.loadSection();
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
    this.lists = {};
    this.editing = undefined;
    this.customer = { id: '', confirm: '' };
    this.metrics = { ...this.metrics, data: undefined };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#key')?.focus());
  }

  private loadSection() {
    if (!this.signedIn) return;
    if (this.section === 'programs') void this.loadKind(this.kind);
    if (this.section === 'kpis' && !this.metrics.data) void this.loadMetrics();
  }

  // ---- install ----
  private async copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      this.say(t('copied'));
    } catch {
      this.say(t('copyFailed'));
    }
  }

  private renderInstall(): TemplateResult {
    const info = this.install!;
    return html`<h2 tabindex="-1">${t('install')}</h2>
      <section class="card" aria-labelledby="script-h">
        <h3 id="script-h">${t('scriptTag')}</h3>
        <p>${t('installIntro')}</p>
        <div class="copy-row">
          <pre><code id="script-tag">${info.scriptTag}</code></pre>
          <button type="button" @click=${() => this.copy(info.scriptTag)} aria-describedby="script-h">${t('copy')}</button>
        </div>
      </section>
      <section class="card" aria-labelledby="elements-h">
        <h3 id="elements-h">${t('elements')}</h3>
        ${info.elements.map(
          (tag) => html`<div class="copy-row">
            <pre><code>${tag}</code></pre>
            <button type="button" class="secondary" aria-label=${t('copyNamed', { name: tag.slice(1, tag.indexOf(' ') > 0 ? Math.min(tag.indexOf(' '), tag.indexOf('>')) : tag.indexOf('>')) })} @click=${() => this.copy(tag)}>
              ${t('copy')}
            </button>
          </div>`,
        )}
      </section>
      <section class="card" aria-labelledby="seen-h">
        <h3 id="seen-h">${t('lastSeen')}</h3>
        <p id="last-seen">${info.lastSeen ? t('lastSeenAt', { origin: info.lastSeen.origin, time: fmt.dateTime(info.lastSeen.at) }) : t('neverSeen')}</p>
        <button type="button" class="secondary" @click=${() => this.loadInstall(session.get() ?? '')}>${t('refresh')}</button>
      </section>`;
  }

  // ---- programs ----
  private kindOf(key: KindKey): Kind {
    return kinds().find((k) => k.key === key)!;
  }

  private async loadKind(key: KindKey) {
    const kind = this.kindOf(key);
    const r = await this.call(kind.listPath);
    this.lists = { ...this.lists, [key]: r.ok ? (kind.single ? r.data : r.data[kind.listKey!]) : { error: this.problemText(r) } };
    if (kind.single && r.ok && (!this.editing || this.editing.kind !== key)) this.startEdit(key, r.data, false);
    if (key === 'badges' || key === 'trophies') {
      // The award form needs the trophies too.
      if (key === 'badges' && !this.lists.trophies) void this.loadKind('trophies');
    }
  }

  private selectKind(key: KindKey) {
    this.kind = key;
    this.editing = undefined;
    void this.loadKind(key);
  }

  private startEdit(key: KindKey, doc: any | undefined, focus = true) {
    const kind = this.kindOf(key);
    const fields = kind.fields();
    const values = doc ? { ...valuesOf(fields, doc), ...kind.extraValues?.(doc) } : kind.defaults();
    this.editing = { kind: key, isNew: !doc && !kind.single, id: doc?.id, original: doc, values, touched: new Set(), serverErrors: {} };
    if (focus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#edit-h')?.focus());
  }

  private editErrors(kind: Kind, ed: Editing): Record<string, string> {
    const live: Record<string, string> = {};
    if (kind.validate && ed.touched.size) {
      const body = bodyOf(kind.fields(), ed.values);
      kind.finish?.(body, ed.values);
      const found = kind.validate(body, ed.isNew ? String(ed.values.id ?? '') : undefined);
      for (const [pointer, message] of Object.entries(found)) {
        // A field's own error once it was touched; a form-wide one (e.g. /criteria) once anything was.
        const touched = [...ed.touched].some((name) => pointerOf(name) === pointer || pointerOf(name).startsWith(pointer + '/'));
        if (touched) live[pointer] = message;
      }
    }
    return { ...live, ...ed.serverErrors };
  }

  private onEditChange(name: string, value: unknown) {
    const ed = this.editing!;
    const serverErrors = { ...ed.serverErrors };
    const pointer = pointerOf(name);
    for (const p of Object.keys(serverErrors)) if (p === pointer || p.startsWith(pointer + '/')) delete serverErrors[p];
    this.editing = { ...ed, values: { ...ed.values, [name]: value }, touched: new Set([...ed.touched, name]), serverErrors, status: undefined };
  }

  private async saveEdit(e: SubmitEvent) {
    e.preventDefault();
    const ed = this.editing!;
    const kind = this.kindOf(ed.kind);
    const fields = kind.fields();
    const id = kind.single ? '' : ed.isNew ? String(ed.values.id ?? '').trim() : ed.id!;
    let body: Record<string, unknown> = bodyOf(fields, ed.values);
    kind.finish?.(body, ed.values);
    if (!ed.isNew && ed.original) body = mergeOver(ed.original, body, fields, kind.readOnly);
    if (!kind.single && !id) {
      this.editing = { ...ed, serverErrors: { '/id': 'required' }, formError: t('fixErrors', { count: 1 }) };
      await this.focusFirstInvalid();
      return;
    }
    this.editing = { ...ed, busy: true, formError: undefined, status: undefined };
    const r = await this.call(kind.putPath(id), { method: 'PUT', body });
    if (r.ok) {
      const saved = r.data;
      const status = r.status === 201 ? t('created') : t('saved');
      this.startEdit(ed.kind, kind.single ? saved : saved, false);
      this.editing = { ...this.editing!, status };
      this.say(status);
      void this.loadKind(ed.kind);
      return;
    }
    const serverErrors = errorsOf(r.data);
    const count = Object.keys(serverErrors).length;
    this.editing = { ...ed, busy: false, serverErrors, formError: count ? t('fixErrors', { count }) : this.problemText(r) };
    await this.focusFirstInvalid();
  }

  private async focusFirstInvalid() {
    await this.updateComplete;
    const first = this.renderRoot.querySelector<HTMLElement>('form [aria-invalid="true"]');
    (first ?? this.renderRoot.querySelector<HTMLElement>('.form-error'))?.focus();
  }

  /** Errors whose pointer no visible field shows: listed at the top of the form, so none is lost. */
  private orphanErrors(errors: Record<string, string>, form: string): [string, string][] {
    const shown = new Set([...this.renderRoot.querySelectorAll<HTMLElement>(`#${form} [data-pointer]`)].map((el) => el.dataset.pointer));
    return Object.entries(errors).filter(([pointer]) => !shown.has(pointer) && ![...shown].some((s) => s && pointer.startsWith(s + '/')));
  }

  private renderEditForm(kind: Kind): TemplateResult | typeof nothing {
    const ed = this.editing;
    if (!ed || ed.kind !== kind.key) return nothing;
    const errors = this.editErrors(kind, ed);
    const fields = kind.fields().filter((f) => f.name !== 'id' || ed.isNew);
    const orphans = this.orphanErrors(errors, 'edit-form');
    const title = kind.single ? t(kind.key as MessageKey) : ed.isNew ? `${t('newItem')} · ${t(kind.key as MessageKey)}` : t('edit', { name: ed.id! });
    return html`<form id="edit-form" class="card" novalidate @submit=${this.saveEdit} aria-labelledby="edit-h">
      <h3 id="edit-h" tabindex="-1">${title}</h3>
      ${ed.formError ? html`<p class="error form-error" role="alert" tabindex="-1">${ed.formError}</p>` : nothing}
      ${orphans.length
        ? html`<ul class="error">
            ${orphans.map(([p, m]) => html`<li>${p || '/'}: ${m}</li>`)}
          </ul>`
        : nothing}
      ${fields.map((f) => renderField(f, { form: 'edit', values: ed.values, errors, onChange: (n, v) => this.onEditChange(n, v) }))}
      <div class="actions">
        <button type="submit" ?disabled=${ed.busy}>${ed.busy ? t('saving') : t('save')}</button>
        ${kind.single ? nothing : html`<button type="button" class="secondary" @click=${() => (this.editing = undefined)}>${t('cancel')}</button>`}
      </div>
      <p class="status" role="status">${ed.status ?? ''}</p>
    </form>`;
  }

  private renderList(kind: Kind): TemplateResult {
    const list = this.lists[kind.key];
    if (list === undefined) return html`<p>${t('loading')}</p>`;
    if (list.error) return html`<p class="error">${t('loadFailed', { detail: list.error })}</p>`;
    return html`<section class="card" aria-labelledby="list-h">
      <h3 id="list-h">${t(kind.key as MessageKey)}</h3>
      ${list.length === 0 ? html`<p>${t('none')}</p>` : nothing}
      <ul class="items">
        ${(list as any[]).map(
          (doc) => html`<li>
            <span>${kind.describe(doc)} <small>(${doc.id})</small></span>
            <button type="button" class="secondary" aria-label=${t('edit', { name: kind.describe(doc) })} @click=${() => this.startEdit(kind.key, doc)}>${t('edit', { name: '' }).trim()}</button>
          </li>`,
        )}
      </ul>
      <button type="button" @click=${() => this.startEdit(kind.key, undefined)}>${t('newItem')}</button>
    </section>`;
  }

  private async submitAward(e: SubmitEvent) {
    e.preventDefault();
    const v = this.award.values;
    const trophyId = String(v.trophyId ?? (this.lists.trophies?.[0]?.id ?? ''));
    const body = bodyOf(this.awardFields(), v);
    this.award = { ...this.award, busy: true, status: undefined };
    const r = await this.call(`/v1/trophies/${encodeURIComponent(trophyId)}/awards`, { body });
    if (r.ok) {
      const trophy = (this.lists.trophies as any[]).find((x) => x.id === trophyId);
      const status = t('awarded', { trophy: trophy?.name ?? trophyId, customer: String(body.customerId) });
      this.award = { values: { trophyId, level: '' }, errors: {}, status };
      this.say(status);
      return;
    }
    const errors = errorsOf(r.data);
    if (!Object.keys(errors).length) errors['/customerId'] = this.problemText(r);
    this.award = { ...this.award, busy: false, errors };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#award-form [aria-invalid="true"]')?.focus();
  }

  private awardFields(): Field[] {
    const trophies = (Array.isArray(this.lists.trophies) ? this.lists.trophies : []) as any[];
    const selected = trophies.find((x) => x.id === this.award.values.trophyId) ?? trophies[0];
    return [
      { name: 'trophyId', label: 'awardTrophy', type: 'select', uiOnly: true, options: trophies.map((x) => [x.id, x.name]) },
      { name: 'customerId', label: 'customerId', type: 'text', required: true },
      { name: 'level', label: 'level', type: 'select', options: [['', '—'], ...((selected?.levels ?? []) as any[]).map((l): [string, string] => [l.level, l.name ?? l.level])] },
      { name: 'reason', label: 'reason', type: 'textarea', required: true },
    ];
  }

  private renderAward(): TemplateResult | typeof nothing {
    if (!Array.isArray(this.lists.trophies) || this.lists.trophies.length === 0) return nothing;
    const a = this.award;
    return html`<form id="award-form" class="card" novalidate @submit=${this.submitAward} aria-labelledby="award-h">
      <h3 id="award-h">${t('award')}</h3>
      ${this.awardFields().map((f) =>
        renderField(f, {
          form: 'award',
          values: a.values,
          errors: a.errors,
          onChange: (n, v) => {
            const errors = { ...a.errors };
            delete errors[pointerOf(n)];
            this.award = { ...a, values: { ...a.values, [n]: v }, errors, status: undefined };
          },
        }),
      )}
      <button type="submit" ?disabled=${a.busy}>${t('awardIt')}</button>
      <p class="status" role="status">${a.status ?? ''}</p>
    </form>`;
  }

  private renderPrograms(): TemplateResult {
    const kind = this.kindOf(this.kind);
    return html`<h2 tabindex="-1">${t('programs')}</h2>
      <ul class="tabs" aria-label=${t('programs')}>
        ${kinds().map(
          (k) => html`<li><button type="button" aria-pressed=${k.key === this.kind ? 'true' : 'false'} @click=${() => this.selectKind(k.key)}>${t(k.key as MessageKey)}</button></li>`,
        )}
      </ul>
      <datalist id="kudos-events">${EVENT_SUGGESTIONS.map((e) => html`<option value=${e}></option>`)}</datalist>
      <div class="columns">
        <div>${kind.single ? nothing : this.renderList(kind)} ${kind.key === 'trophies' ? this.renderAward() : nothing}</div>
        <div>${this.renderEditForm(kind)}</div>
      </div>`;
  }

  // ---- customers ----
  private async lookup(e?: SubmitEvent) {
    e?.preventDefault();
    const id = this.customer.id.trim();
    if (!id) return;
    const r = await this.call(`/v1/customers/${encodeURIComponent(id)}/export`);
    this.customer = {
      ...this.customer,
      data: r.ok ? r.data : undefined,
      notFound: r.status === 404,
      error: r.ok || r.status === 404 ? undefined : this.problemText(r),
      status: undefined,
    };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#customer-h')?.focus();
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
    this.renderRoot.querySelector<HTMLDialogElement>('#erase-dialog')!.showModal();
  }

  private async erase(e: SubmitEvent) {
    e.preventDefault();
    const id = this.customer.data.customerId as string;
    if (this.customer.confirm.trim() !== id) return;
    const r = await this.call(`/v1/customers/${encodeURIComponent(id)}`, { method: 'DELETE' });
    this.renderRoot.querySelector<HTMLDialogElement>('#erase-dialog')!.close();
    if (r.ok) {
      this.customer = { id: '', confirm: '', status: t('erased', { id }) };
      this.say(t('erased', { id }));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('#lookup-id')?.focus();
    } else {
      this.customer = { ...this.customer, error: this.problemText(r) };
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

  private renderCustomers(): TemplateResult {
    const c = this.customer;
    const id = c.data?.customerId ?? '';
    return html`<h2 tabindex="-1">${t('customers')}</h2>
      <form class="card" @submit=${this.lookup} aria-labelledby="lookup-h">
        <h3 id="lookup-h">${t('lookup')}</h3>
        <div class="field">
          <label for="lookup-id">${t('customerId')}</label>
          <input id="lookup-id" type="text" autocomplete="off" .value=${c.id} @input=${(e: Event) => (this.customer = { ...c, id: (e.target as HTMLInputElement).value })} />
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
            <button type="button" class="secondary" @click=${() => this.renderRoot.querySelector<HTMLDialogElement>('#erase-dialog')!.close()}>${t('cancel')}</button>
          </div>
        </form>
      </dialog>`;
  }

  // ---- KPIs ----
  private async loadMetrics(e?: SubmitEvent) {
    e?.preventDefault();
    const m = this.metrics;
    this.metrics = { ...m, loading: true, error: undefined, errors: {} };
    const r = await this.call(`/v1/metrics?from=${encodeURIComponent(m.from)}&to=${encodeURIComponent(m.to)}`);
    this.metrics = r.ok
      ? { ...this.metrics, loading: false, data: r.data }
      : { ...this.metrics, loading: false, errors: errorsOf(r.data), error: this.problemText(r) };
  }

  private renderKpis(): TemplateResult {
    const m = this.metrics;
    const d = m.data;
    const pct = (n: number) => fmt.percent(n);
    const field = (name: 'from' | 'to') => html`<div class="field">
      <label for="kpi-${name}">${t(name)}</label>
      <input
        id="kpi-${name}"
        type="date"
        .value=${m[name]}
        aria-invalid=${m.errors[`/${name}`] ? 'true' : 'false'}
        aria-describedby=${m.errors[`/${name}`] ? `kpi-${name}-error` : nothing}
        @change=${(e: Event) => (this.metrics = { ...this.metrics, [name]: (e.target as HTMLInputElement).value })}
      />
      ${m.errors[`/${name}`] ? html`<p class="field-error" id="kpi-${name}-error">${m.errors[`/${name}`]}</p>` : nothing}
    </div>`;
    const series = (points: any[], pick: (p: any) => number | null) => points.map(pick);
    return html`<h2 tabindex="-1">${t('kpis')}</h2>
      <form class="card" @submit=${this.loadMetrics} aria-label=${t('kpis')}>
        <p>${t('kpiIntro')}</p>
        <div class="columns">${field('from')} ${field('to')}</div>
        <button type="submit" ?disabled=${m.loading}>${t('update')}</button>
      </form>
      ${m.error && !Object.keys(m.errors).length ? html`<p class="error" role="alert">${m.error}</p>` : nothing}
      ${!d
        ? html`<p>${m.loading ? t('loading') : ''}</p>`
        : html`<div class="kpis" id="kpi-cards">
              <div class="kpi">
                <span class="label">${t('retention')}</span><span class="value">${pct(d.retention.rate)}</span>
                <p>${t('retentionHelp')}</p>
              </div>
              <div class="kpi">
                <span class="label">${t('repeat')}</span><span class="value">${pct(d.repeatPurchase.rate)}</span>
                <p>${t('repeat30')}: ${pct(d.repeat30.rate)}</p>
              </div>
              <div class="kpi">
                <span class="label">${t('nps')}</span><span class="value">${d.nps.nps ?? t('noData')}</span>
                <p>${t('npsHelp', { n: fmt.number(d.nps.responses) })}</p>
              </div>
              <div class="kpi">
                <span class="label">${t('conversion')}</span><span class="value">${pct(d.communityConversion.any.rate)}</span>
                <p>${(['loyalty', 'group', 'directory', 'market'] as const).map((s) => `${t(s)} ${pct(d.communityConversion.sources[s].rate)}`).join(' · ')}</p>
              </div>
            </div>
            <div class="charts">
              ${chart({
                id: 'chart-retention',
                title: t('retention'),
                headline: `${pct(d.retention.rate)} (${d.retention.retained}/${d.retention.cohort})`,
                weeks: d.weeks,
                kind: 'line',
                min: 0,
                max: 1,
                format: pct,
                series: [{ label: t('retention'), values: series(d.retention.series, (p) => p.rate) }],
              })}
              ${chart({
                id: 'chart-repeat',
                title: t('repeat'),
                headline: `${pct(d.repeatPurchase.rate)} · ${t('repeat30')} ${pct(d.repeat30.rate)}`,
                weeks: d.weeks,
                kind: 'line',
                min: 0,
                max: 1,
                format: pct,
                series: [
                  { label: t('repeat'), values: series(d.repeatPurchase.series, (p) => p.rate) },
                  { label: t('repeat30'), values: series(d.repeat30.series, (p) => p.rate) },
                ],
              })}
              ${chart({
                id: 'chart-nps',
                title: t('nps'),
                headline: `${d.nps.nps ?? t('noData')} · ${t('npsHelp', { n: fmt.number(d.nps.responses) })}`,
                weeks: d.weeks,
                kind: 'line',
                min: -100,
                max: 100,
                format: (n) => fmt.number(Math.round(n)),
                series: [{ label: t('nps'), values: series(d.nps.series, (p) => p.nps) }],
              })}
              ${chart({
                id: 'chart-conversion',
                title: t('conversion'),
                headline: t('conversionHelp', { n: fmt.number(d.communityConversion.purchases) }),
                weeks: d.weeks,
                kind: 'line',
                min: 0,
                format: pct,
                series: (['loyalty', 'group', 'directory', 'market'] as const).map((s) => ({
                  label: t(s),
                  values: series(d.communityConversion.series, (p) => p.sources[s].rate),
                })),
              })}
              ${chart({
                id: 'chart-awards',
                title: t('awardsKpi'),
                headline: `${fmt.number(d.awards.badges)} ${t('badge')} · ${fmt.number(d.awards.trophies)} ${t('trophy')}`,
                weeks: d.weeks,
                kind: 'bar',
                format: (n) => fmt.number(Math.round(n)),
                series: [
                  { label: t('badge'), values: series(d.awards.series, (p) => p.badges) },
                  { label: t('trophy'), values: series(d.awards.series, (p) => p.trophies) },
                ],
              })}
              ${chart({
                id: 'chart-points',
                title: t('pointsKpi'),
                headline: `${fmt.number(d.points.issued)} ${t('issued')} · ${fmt.number(d.points.redeemed)} ${t('redeemed')}`,
                weeks: d.weeks,
                kind: 'bar',
                format: (n) => fmt.number(Math.round(n)),
                series: [
                  { label: t('issued'), values: series(d.points.series, (p) => p.issued) },
                  { label: t('redeemed'), values: series(d.points.series, (p) => p.redeemed) },
                ],
              })}
              ${chart({
                id: 'chart-groups',
                title: t('groupUnlock'),
                headline: `${pct(d.groupUnlock.rate)} · ${t('groupUnlockHelp', { unlocked: d.groupUnlock.unlocked, created: d.groupUnlock.created })}`,
                weeks: d.weeks,
                kind: 'line',
                min: 0,
                max: 1,
                format: pct,
                series: [{ label: t('groupUnlock'), values: series(d.groupUnlock.series, (p) => p.rate) }],
              })}
            </div>`}`;
  }

  // ---- page ----
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

  override render(): TemplateResult {
    const live = html`<div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>`;
    if (!this.signedIn || !this.install) {
      return html`<header><h1>${t('appTitle')}</h1></header>
        ${this.renderSignIn()} ${live}`;
    }
    const body =
      this.section === 'install'
        ? this.renderInstall()
        : this.section === 'programs'
          ? this.renderPrograms()
          : this.section === 'customers'
            ? this.renderCustomers()
            : this.renderKpis();
    // A button, not a link to #main: the target lives in this shadow root, where a fragment cannot reach.
    return html`<button type="button" class="skip" @click=${() => this.renderRoot.querySelector<HTMLElement>('main h2')?.focus()}>${t('skip')}</button>
      <header>
        <h1>${t('appTitle')}</h1>
        <span class="shop">${t('shop', { name: this.install.shop.name })}</span>
        <nav aria-label=${t('nav')}>
          <ul>
            ${SECTIONS.map((s) => html`<li><a href="#${s}" aria-current=${s === this.section ? 'page' : nothing}>${t(s)}</a></li>`)}
          </ul>
        </nav>
        <span class="spacer"></span>
        <button type="button" class="secondary" @click=${this.signOut}>${t('signOut')}</button>
      </header>
      <main id="main">${body}</main>
      ${live}`;
  }
}

if (!customElements.get('kudos-console')) customElements.define('kudos-console', KudosConsole);
