// Programs: badges, trophies (and awarding one by hand), the points program, rewards,
// share-to-save campaigns, NPS surveys, products and drops, check-in points (with their
// QR codes per market day) and micro-gifts. One tab per kind; a list and a form.
import { html, nothing, type TemplateResult } from 'lit';
import { apiBlob } from '../../api.js';
import { DocumentsSection } from '../../documents-section.js';
import { bodyOf, errorsOf, pointerOf, renderField, type Field, type Values } from '../../forms.js';
import { fmt } from '../../i18n.js';
import type { Kind } from '../../kind.js';
import type { SectionDef } from '../../section.js';
import { EVENT_SUGGESTIONS, kinds, type ProgramKey } from './kinds.js';
import { t } from './messages.js';

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

/** YYYY-MM-DD of an instant in a time zone (the check-in point's event days). */
const dayIn = (iso: string | number, timeZone: string) => {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
  } catch {
    return new Date(iso).toISOString().slice(0, 10);
  }
};

export class ProgramsSection extends DocumentsSection {
  static override properties = { ...DocumentsSection.properties, kind: { state: true }, award: { state: true }, qr: { state: true } };
  kind: ProgramKey = 'badges';
  award: { values: Values; errors: Record<string, string>; status?: string; busy?: boolean } = { values: { level: '' }, errors: {} };
  qr?: QrView;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadKind(this.kind);
  }

  override disconnectedCallback(): void {
    this.closeQr();
    super.disconnectedCallback();
  }

  override updated(): void {
    // The print stylesheet shows the QR sheet alone while a QR view is open.
    this.dispatchEvent(new CustomEvent('kc-print-mode', { detail: !!this.qr?.svg, bubbles: true }));
  }

  protected kindOf(key: string): Kind {
    return kinds().find((k) => k.key === key)!;
  }

  protected override async loadKind(key: string) {
    await super.loadKind(key);
    // The award form needs the trophies too.
    if (key === 'badges' && !this.lists.trophies) void this.loadKind('trophies');
  }

  protected override startEdit(key: string, doc: any | undefined, focus = true) {
    if (key === 'checkins') this.closeQr();
    super.startEdit(key, doc, focus);
  }

  private selectKind(key: ProgramKey) {
    this.kind = key;
    this.editing = undefined;
    this.closeQr();
    void this.loadKind(key);
  }

  private renderList(kind: Kind): TemplateResult {
    const list = this.lists[kind.key];
    if (list === undefined) return html`<p>${t('loading')}</p>`;
    if (list.error) return html`<p class="error">${t('loadFailed', { detail: list.error })}</p>`;
    return html`<section class="card" aria-labelledby="list-h">
      <h3 id="list-h" tabindex="-1">${kind.title()}</h3>
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
    const r = await this.ctx.call(`/v1/trophies/${encodeURIComponent(trophyId)}/awards`, { body });
    if (r.ok) {
      const trophy = (this.lists.trophies as any[]).find((x) => x.id === trophyId);
      const status = t('awarded', { trophy: trophy?.name ?? trophyId, customer: String(body.customerId) });
      this.award = { values: { trophyId, level: '' }, errors: {}, status };
      this.ctx.say(status);
      return;
    }
    const errors = errorsOf(r.data);
    if (!Object.keys(errors).length) errors['/customerId'] = this.ctx.problemText(r);
    this.award = { ...this.award, busy: false, errors };
    await this.updateComplete;
    this.querySelector<HTMLElement>('#award-form [aria-invalid="true"]')?.focus();
  }

  private awardFields(): Field[] {
    const trophies = (Array.isArray(this.lists.trophies) ? this.lists.trophies : []) as any[];
    const selected = trophies.find((x) => x.id === this.award.values.trophyId) ?? trophies[0];
    return [
      { name: 'trophyId', label: t('awardTrophy'), type: 'select', uiOnly: true, options: trophies.map((x) => [x.id, x.name]) },
      { name: 'customerId', label: t('customerId'), type: 'text', required: true },
      { name: 'level', label: t('level'), type: 'select', options: [['', '—'], ...((selected?.levels ?? []) as any[]).map((l): [string, string] => [l.level, l.name ?? l.level])] },
      { name: 'reason', label: t('reason'), type: 'textarea', required: true },
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

  override render(): TemplateResult {
    const kind = this.kindOf(this.kind);
    return html`<h2 tabindex="-1">${t('programs')}</h2>
      <ul class="tabs" aria-label=${t('programs')}>
        ${kinds().map(
          (k) => html`<li><button type="button" aria-pressed=${k.key === this.kind ? 'true' : 'false'} @click=${() => this.selectKind(k.key)}>${k.title()}</button></li>`,
        )}
      </ul>
      <datalist id="kudos-events">${EVENT_SUGGESTIONS().map(([value, label]) => html`<option value=${value} label=${`${value} — ${label}`}></option>`)}</datalist>
      ${kind.single
        ? // One document, no list: the form takes the page's width.
          this.renderEditForm(kind)
        : this.renderListAndForm(kind)}`;
  }

  /** The list, and beside it what is open (a form, a QR view, else the trophy award form); the list alone takes the width. */
  private renderListAndForm(kind: Kind): TemplateResult {
    const open = kind.key === 'checkins' && this.qr ? this.renderQr() : this.renderEditForm(kind);
    const award = kind.key === 'trophies' ? this.renderAward() : nothing;
    const side = open !== nothing ? open : award;
    return html`<div class="columns">
      <div>${this.renderList(kind)} ${side === award ? nothing : award}</div>
      ${side === nothing ? nothing : html`<div>${side}</div>`}
    </div>`;
  }

  private closeQr(focus = false) {
    const qr = this.qr;
    if (!qr) return;
    for (const url of [qr.svg, qr.png]) if (url) URL.revokeObjectURL(url);
    this.qr = undefined;
    if (focus) void this.updateComplete.then(() => this.querySelector<HTMLElement>('#list-h')?.focus());
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
    if (first) void this.updateComplete.then(() => this.querySelector<HTMLElement>('#qr-h')?.focus());
    const path = (format: string) => `/v1/checkins/${encodeURIComponent(doc.id)}/qr?format=${format}${day ? `&day=${encodeURIComponent(day)}` : ''}`;
    const [json, svg, png] = await Promise.all([this.ctx.call(path('json')), apiBlob(path('svg')), apiBlob(path('png'))]);
    if (this.qr !== base) return; // closed or replaced meanwhile
    if (!json.ok || !svg.blob || !png.blob) {
      const failed = !json.ok ? json : !svg.ok ? svg : png;
      const dayError = errorsOf(failed.data)['/day'];
      this.qr = { ...base, loading: false, error: dayError ? undefined : this.ctx.problemText(failed), dayError };
      await this.updateComplete;
      this.querySelector<HTMLElement>(dayError ? '#qr-day' : '#qr-error')?.focus();
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
    if (!first) this.ctx.say(t('qrNamed', { name: `${doc.name} · ${fmt.date(`${json.data.day}T12:00:00Z`)}` }));
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
                <button type="button" class="secondary" @click=${() => this.ctx.copy(qr.url!)}>${t('copyLink')}</button>
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
}

if (!customElements.get('kc-programs')) customElements.define('kc-programs', ProgramsSection);

export const programsSection: SectionDef = {
  id: 'programs',
  title: () => t('programs'),
  render: (ctx) => html`<kc-programs .ctx=${ctx}></kc-programs>`,
};
