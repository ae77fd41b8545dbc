// <kudos-console>: the shop owner's web page for everything Kudos does (install,
// programs, customers, KPIs). Served at /console by the API itself; talks to
// /v1 with the secret key kept in sessionStorage only.
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { api, apiBlob, session } from './api.js';
import { chart } from './chart.js';
import { bodyOf, errorsOf, pointerOf, renderField, valuesOf, type Field, type Values } from './forms.js';
import { fmt, locale, t, type MessageKey } from './messages.js';
import { EVENT_SUGGESTIONS, kinds, webhookKind, type Kind, type KindKey } from './programs.js';
import { styles } from './styles.js';

type Section = 'install' | 'programs' | 'customers' | 'kpis' | 'webhooks';
const SECTIONS: Section[] = ['install', 'programs', 'customers', 'kpis', 'webhooks'];

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

/** The QR view of a check-in point: object URLs of the fetched images, revoked when it closes. */
interface QrView {
  id: string;
  name: string;
  place?: string;
  timeZone: string;
  from: string;
  until: string;
  day?: string;
  url?: string;
  svg?: string;
  png?: string;
  loading?: boolean;
  error?: string;
  dayError?: string;
}

const DAY_MS = 86_400_000;
/** YYYY-MM-DD of an instant in a time zone (the check-in point's event days). */
const dayIn = (iso: string | number, timeZone: string) => {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
  } catch {
    return new Date(iso).toISOString().slice(0, 10);
  }
};
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
    secret: { state: true },
    deliveries: { state: true },
    deleting: { state: true },
    qr: { state: true },
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
  secret?: ShownSecret;
  deliveries?: Deliveries;
  deleting?: { id: string; url: string };
  qr?: QrView;
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
    // The print stylesheet shows the QR sheet alone while a QR view is open.
    this.toggleAttribute('qr-open', !!this.qr?.svg);
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
    this.secret = undefined;
    this.deliveries = undefined;
    this.closeQr();
    this.customer = { id: '', confirm: '' };
    this.metrics = { ...this.metrics, data: undefined };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#key')?.focus());
  }

  private loadSection() {
    if (!this.signedIn) return;
    if (this.section === 'programs') void this.loadKind(this.kind);
    if (this.section === 'kpis' && !this.metrics.data) void this.loadMetrics();
    if (this.section === 'webhooks') void this.loadKind('webhooks');
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
    return [...kinds(), webhookKind()].find((k) => k.key === key)!;
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
    this.closeQr();
    void this.loadKind(key);
  }

  private startEdit(key: KindKey, doc: any | undefined, focus = true) {
    const kind = this.kindOf(key);
    const fields = kind.fields();
    const values = doc ? { ...valuesOf(fields, doc), ...kind.extraValues?.(doc) } : kind.defaults();
    if (key === 'checkins') this.closeQr();
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
      const { secret, ...saved } = r.data ?? {};
      const status = r.status === 201 ? t('created') : t('saved');
      this.startEdit(ed.kind, saved, false);
      this.editing = { ...this.editing!, status };
      this.say(status);
      void this.loadKind(ed.kind);
      // A webhook endpoint's signing secret comes in this one answer only.
      if (typeof secret === 'string') await this.showSecret({ id, secret });
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
      <h3 id="list-h" tabindex="-1">${t(kind.key as MessageKey)}</h3>
      ${list.length === 0 ? html`<p>${t('none')}</p>` : nothing}
      <ul class="items">
        ${(list as any[]).map(
          (doc) => html`<li>
            <span>${kind.describe(doc)} <small>(${doc.id})</small></span>
            <span class="actions inline">
              <button type="button" class="secondary" aria-label=${t('edit', { name: kind.describe(doc) })} @click=${() => this.startEdit(kind.key, doc)}>${t('edit', { name: '' }).trim()}</button>
              ${kind.key === 'checkins'
                ? html`<button type="button" class="secondary" aria-label=${t('qrNamed', { name: doc.name })} @click=${() => this.openQr(doc)}>${t('qrCode')}</button>`
                : nothing}
            </span>
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
        <div>${kind.key === 'checkins' && this.qr ? this.renderQr() : this.renderEditForm(kind)}</div>
      </div>`;
  }

  // ---- check-in QR ----
  private closeQr(focus = false) {
    const qr = this.qr;
    if (!qr) return;
    for (const url of [qr.svg, qr.png]) if (url) URL.revokeObjectURL(url);
    this.qr = undefined;
    if (focus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#list-h')?.focus());
  }

  private async openQr(doc: any, day?: string) {
    const first = !day;
    if (first) {
      this.editing = undefined;
      this.closeQr();
    } else if (this.qr) {
      for (const url of [this.qr.svg, this.qr.png]) if (url) URL.revokeObjectURL(url);
    }
    const base: QrView = {
      id: doc.id,
      name: doc.name,
      place: doc.place,
      timeZone: doc.timeZone ?? 'UTC',
      from: doc.from,
      until: doc.until,
      day,
      loading: true,
    };
    this.qr = base;
    if (first) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#qr-h')?.focus());
    const path = (format: string) => `/v1/checkins/${encodeURIComponent(doc.id)}/qr?format=${format}${day ? `&day=${encodeURIComponent(day)}` : ''}`;
    const [json, svg, png] = await Promise.all([this.call(path('json')), apiBlob(path('svg')), apiBlob(path('png'))]);
    if (this.qr !== base) return; // closed or replaced meanwhile
    if (!json.ok || !svg.blob || !png.blob) {
      const failed = !json.ok ? json : !svg.ok ? svg : png;
      const dayError = errorsOf(failed.data)['/day'];
      this.qr = { ...base, loading: false, error: dayError ? undefined : this.problemText(failed), dayError };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(dayError ? '#qr-day' : '#qr-error')?.focus();
      return;
    }
    this.qr = {
      ...base,
      loading: false,
      day: json.data.day,
      url: json.data.url,
      svg: URL.createObjectURL(svg.blob),
      png: URL.createObjectURL(png.blob),
    };
    if (!first) this.say(t('qrNamed', { name: `${doc.name} · ${fmt.date(`${json.data.day}T12:00:00Z`)}` }));
  }

  private renderQr(): TemplateResult {
    const qr = this.qr!;
    const doc = { id: qr.id, name: qr.name, place: qr.place, timeZone: qr.timeZone, from: qr.from, until: qr.until };
    const dayHint = 'qr-day-hint';
    return html`<section class="card qr-view" aria-labelledby="qr-h">
      <h3 id="qr-h" class="no-print" tabindex="-1">${t('qrTitle', { name: qr.name })}</h3>
      ${qr.error ? html`<p class="error" id="qr-error" role="alert" tabindex="-1">${qr.error}</p>` : nothing}
      ${qr.svg
        ? html`<figure class="qr-sheet">
            <img id="qr-img" src=${qr.svg} alt=${t('qrAlt', { name: qr.name })} width="256" height="256" />
            <figcaption>
              <span class="qr-name">${qr.name}</span>
              ${qr.place ? html`<span class="qr-place">${qr.place}</span>` : nothing}
            </figcaption>
          </figure>`
        : html`<p class="no-print">${qr.loading ? t('loading') : ''}</p>`}
      <div class="no-print">
        <div class="field">
          <label for="qr-day">${t('qrDay')}</label>
          <input
            id="qr-day"
            type="date"
            .value=${qr.day ?? ''}
            min=${dayIn(qr.from, qr.timeZone)}
            max=${dayIn(Date.parse(qr.until) - 1, qr.timeZone)}
            aria-invalid=${qr.dayError ? 'true' : 'false'}
            aria-describedby=${qr.dayError ? `${dayHint} qr-day-error` : dayHint}
            @change=${(e: Event) => {
              const day = (e.target as HTMLInputElement).value;
              if (day) void this.openQr(doc, day);
            }}
          />
          <p class="hint" id=${dayHint}>${t('qrDayHint')}</p>
          ${qr.dayError ? html`<p class="field-error" id="qr-day-error">${qr.dayError}</p>` : nothing}
        </div>
        ${qr.url
          ? html`<h4 id="qr-url-h">${t('qrUrl')}</h4>
              <div class="copy-row">
                <pre><code id="qr-url">${qr.url}</code></pre>
                <button type="button" class="secondary" @click=${() => this.copy(qr.url!)}>${t('copyLink')}</button>
              </div>
              <div class="actions">
                <button type="button" @click=${() => window.print()}>${t('print')}</button>
                <a class="button secondary" id="qr-png" href=${qr.png!} download=${`checkin-${qr.id}-${qr.day}.png`}>${t('downloadPng')}</a>
                <button type="button" class="secondary" @click=${() => this.closeQr(true)}>${t('close')}</button>
              </div>`
          : html`<div class="actions"><button type="button" class="secondary" @click=${() => this.closeQr(true)}>${t('close')}</button></div>`}
      </div>
    </section>`;
  }

  // ---- webhooks ----
  private async showSecret(secret: ShownSecret) {
    this.secret = secret;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#secret-h')?.focus();
  }

  private dismissSecret() {
    this.secret = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#list-h')?.focus());
  }

  private async rotateSecret(id: string) {
    const r = await this.call(`/v1/webhooks/${encodeURIComponent(id)}/rotate`, { method: 'POST' });
    if (!r.ok) {
      this.say(this.problemText(r));
      return;
    }
    await this.showSecret({ id, secret: r.data.secret, previousUntil: r.data.previousSecretExpiresAt });
  }

  private async loadDeliveries(id: string, focus: boolean) {
    const r = await this.call(`/v1/webhooks/${encodeURIComponent(id)}/deliveries`);
    this.deliveries = r.ok ? { id, data: r.data, status: this.deliveries?.id === id ? this.deliveries.status : undefined } : { id, error: this.problemText(r) };
    if (focus) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#deliveries-h')?.focus();
    }
  }

  private closeDeliveries() {
    this.deliveries = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#list-h')?.focus());
  }

  private async redeliver(id: string, deliveryId: string, type: string) {
    const r = await this.call(`/v1/webhooks/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`, { method: 'POST' });
    const status = r.ok ? t('redelivered', { type }) : this.problemText(r);
    this.deliveries = { ...this.deliveries!, status };
    this.say(status);
    await this.loadDeliveries(id, false);
  }

  private openDelete(w: any) {
    this.deleting = { id: w.id, url: w.url };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLDialogElement>('#webhook-delete-dialog')!.showModal());
  }

  private async deleteWebhook(e: SubmitEvent) {
    e.preventDefault();
    if (!this.deleting) return;
    const id = this.deleting.id;
    const r = await this.call(`/v1/webhooks/${encodeURIComponent(id)}`, { method: 'DELETE' });
    this.renderRoot.querySelector<HTMLDialogElement>('#webhook-delete-dialog')!.close();
    this.deleting = undefined;
    const message = r.ok ? t('deleted', { id }) : this.problemText(r);
    if (r.ok) {
      if (this.editing?.kind === 'webhooks' && this.editing.id === id) this.editing = undefined;
      if (this.deliveries?.id === id) this.deliveries = undefined;
      if (this.secret?.id === id) this.secret = undefined;
      await this.loadKind('webhooks');
    }
    this.say(message);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#list-h')?.focus();
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
        <button type="button" aria-label=${t('copyNamed', { name: t('secretLabel') })} @click=${() => this.copy(s.secret)}>${t('copy')}</button>
      </div>
      <button type="button" class="secondary" @click=${this.dismissSecret}>${t('secretDone')}</button>
    </section>`;
  }

  private renderWebhookList(): TemplateResult {
    const kind = this.kindOf('webhooks');
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
              <strong>${w.id}</strong> · <span class=${w.enabled ? 'on' : 'off'}>${w.enabled ? t('enabledState') : t('disabledState')}</span>
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
                      <td class="time">${p.nextAttemptAt ? fmt.dateTimeSec(p.nextAttemptAt) : '—'}</td><td class="err">${p.lastError ?? ''}</td>
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
                      <td class="time">${fmt.ms(a.durationMs)}</td><td class="err">${a.error ?? ''}</td>
                      <td>${redeliverButton(a.deliveryId, a.type, a.at)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
        : nothing}
    </section>`;
  }

  private renderWebhooks(): TemplateResult {
    const kind = this.kindOf('webhooks');
    return html`<h2 tabindex="-1">${t('webhooks')}</h2>
      <p class="intro">${t('webhooksIntro')}</p>
      ${this.renderSecret()}
      <div class="columns">
        <div>${this.renderWebhookList()}</div>
        <div>${this.renderEditForm(kind)}</div>
      </div>
      ${this.renderDeliveries()}
      <dialog id="webhook-delete-dialog" aria-labelledby="wh-delete-h">
        <form @submit=${this.deleteWebhook}>
          <h3 id="wh-delete-h">${t('deleteTitle', { id: this.deleting?.id ?? '' })}</h3>
          <p>${t('deleteWarning', { url: this.deleting?.url ?? '' })}</p>
          <div class="actions">
            <button type="submit" class="danger">${t('deleteConfirm')}</button>
            <button type="button" class="secondary" @click=${() => this.renderRoot.querySelector<HTMLDialogElement>('#webhook-delete-dialog')!.close()}>${t('cancel')}</button>
          </div>
        </form>
      </dialog>`;
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
            : this.section === 'webhooks'
              ? this.renderWebhooks()
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
