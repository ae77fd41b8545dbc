// Stock per SKU, for forecast accuracy: what is on hand (set here, by POST /v1/stock, or
// by a Shopify/WooCommerce product update), the forecast daily demand, the stock days
// it gives and whether they fall in the shop's target range, which is set here too.
// GET /v1/forecast, POST /v1/stock, GET/PUT /v1/forecast/settings.
import { html, nothing, type TemplateResult } from 'lit';
import { errorsOf } from '../../forms.js';
import { fmt } from '../../i18n.js';
import { ConsoleSection, type SectionDef } from '../../section.js';
import { t } from './messages.js';

interface SkuRow {
  sku: string;
  onHand: number | null;
  stockSetAt: string | null;
  dailyDemand: number;
  stockDays: number | null;
  status: 'below' | 'inside' | 'above' | null;
}
interface Settings {
  alpha: number;
  lookbackDays: number;
  targetDays: { min: number; max: number };
}
interface Forecast {
  skus: number;
  inRange: number;
  rate: number | null;
  settings: Settings;
  perSku: SkuRow[];
}

type Field = 'sku' | 'onHand' | 'min' | 'max';
const POINTERS: Record<string, Field> = { '/levels/0/sku': 'sku', '/levels/0/onHand': 'onHand', '/targetDays/min': 'min', '/targetDays/max': 'max' };
/**
 * What the owner typed, as the API reads it (text boxes with a numeric keyboard, as the console's
 * other number fields): empty is a missing value and "12,5" is no number, so the API names the field.
 */
const numberOf = (raw: string) => (raw.trim() === '' ? undefined : Number(raw.trim()));
const oneDecimal = (n: number) => Math.round(n * 10) / 10;

export class StockSection extends ConsoleSection {
  static override properties = { ...ConsoleSection.properties, forecast: { state: true }, errors: { state: true }, error: { state: true } };
  forecast?: Forecast;
  errors: Partial<Record<Field, string>> = {};
  error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    const r = await this.ctx.call<Forecast>('/v1/forecast');
    if (!r.ok) {
      this.error = this.ctx.problemText(r);
      return;
    }
    this.error = '';
    this.forecast = r.data;
  }

  /** Errors at their fields (the first one focused, so a screen reader reads it with its label), or one alert. */
  private async refused(r: { status: number; data: any }, fields: Field[]) {
    const byPointer = errorsOf(r.data);
    const errors: Partial<Record<Field, string>> = {};
    for (const [pointer, detail] of Object.entries(byPointer)) {
      const field = POINTERS[pointer];
      if (field && fields.includes(field)) errors[field] = detail;
    }
    this.errors = errors;
    this.error = Object.keys(errors).length ? '' : this.ctx.problemText(r);
    await this.updateComplete;
    const first = fields.find((f) => errors[f]);
    if (first) this.$<HTMLInputElement>(`#stock-${first}`)?.focus();
  }

  private async setStock(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
    const sku = value('sku').trim();
    const r = await this.ctx.call('/v1/stock', { method: 'POST', body: { levels: [{ sku, onHand: numberOf(value('onHand')) }] } });
    if (!r.ok) return this.refused(r, ['sku', 'onHand']);
    this.errors = {};
    form.reset();
    await this.load();
    this.ctx.say(t('stockSaved', { sku }));
    await this.focusAfterRender('#stock-sku');
  }

  private async setTarget(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const value = (name: string) => numberOf((form.elements.namedItem(name) as HTMLInputElement).value);
    const settings = this.forecast!.settings;
    const r = await this.ctx.call('/v1/forecast/settings', {
      method: 'PUT',
      body: { alpha: settings.alpha, lookbackDays: settings.lookbackDays, targetDays: { min: value('min'), max: value('max') } },
    });
    if (!r.ok) return this.refused(r, ['min', 'max']);
    this.errors = {};
    await this.load();
    this.ctx.say(t('targetSaved'));
  }

  /** "Set" on a row: its SKU in the form, the count box focused. */
  private async edit(row: SkuRow) {
    const sku = this.$<HTMLInputElement>('#stock-sku');
    const onHand = this.$<HTMLInputElement>('#stock-onHand');
    if (!sku || !onHand) return;
    sku.value = row.sku;
    onHand.value = row.onHand === null ? '' : String(row.onHand);
    onHand.focus();
    onHand.select();
  }

  /** A labelled input with its hint and its error, tied to it by aria-describedby (Lit cannot spread attributes, so written out here). */
  private field(name: Field, label: string, hint?: string): TemplateResult {
    const error = this.errors[name];
    const described = [hint ? `stock-${name}-hint` : '', error ? `stock-${name}-error` : ''].filter(Boolean).join(' ') || nothing;
    const invalid = error ? 'true' : 'false';
    const target = this.forecast?.settings.targetDays;
    const input =
      name === 'sku'
        ? html`<input id="stock-sku" name="sku" type="text" autocomplete="off" list="stock-skus" required aria-invalid=${invalid} aria-describedby=${described} />`
        : name === 'onHand'
          ? html`<input id="stock-onHand" name="onHand" type="text" inputmode="numeric" autocomplete="off" required aria-invalid=${invalid} aria-describedby=${described} />`
          : html`<input id="stock-${name}" name=${name} type="text" inputmode="decimal" autocomplete="off" required aria-invalid=${invalid} aria-describedby=${described} .value=${String(target?.[name] ?? '')} />`;
    return html`<div class="field">
      <label for="stock-${name}">${label}</label>
      ${hint ? html`<p class="hint" id="stock-${name}-hint">${hint}</p>` : nothing}
      ${input}
      ${error ? html`<p class="field-error" id="stock-${name}-error">${error}</p>` : nothing}
    </div>`;
  }

  override render(): TemplateResult {
    const f = this.forecast;
    return html`<h2 tabindex="-1">${t('stock')}</h2>
      <p class="intro">${t('stockIntro')}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${!f
        ? html`<p>${this.error ? '' : t('loading')}</p>`
        : html`<p id="stock-summary">
              ${t('inRangeOf', { inRange: fmt.number(f.inRange), skus: fmt.number(f.skus), min: fmt.number(f.settings.targetDays.min), max: fmt.number(f.settings.targetDays.max) })}
              ${f.rate === null ? nothing : html` (${fmt.percent(f.rate)})`}
            </p>
            <div class="columns">
              <form class="card" id="stock-form" novalidate aria-labelledby="stock-form-h" @submit=${(e: SubmitEvent) => this.setStock(e)}>
                <h3 id="stock-form-h">${t('setStock')}</h3>
                ${this.field('sku', t('sku'), t('skuHint'))}
                <datalist id="stock-skus">${f.perSku.map((r) => html`<option value=${r.sku}></option>`)}</datalist>
                ${this.field('onHand', t('onHand'))}
                <div class="actions"><button type="submit">${t('saveStock')}</button></div>
              </form>
              <form class="card" id="target-form" novalidate aria-labelledby="target-form-h" @submit=${(e: SubmitEvent) => this.setTarget(e)}>
                <h3 id="target-form-h">${t('target')}</h3>
                <p class="hint">${t('targetHint')}</p>
                ${this.field('min', t('targetMin'))}
                ${this.field('max', t('targetMax'))}
                <div class="actions"><button type="submit">${t('saveTarget')}</button></div>
              </form>
            </div>
            ${f.perSku.length === 0
              ? html`<p>${t('empty')}</p>`
              : html`<div class="table-wrap">
                  <table id="stock-table">
                    <caption class="visually-hidden">${t('stock')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">${t('sku')}</th>
                        <th scope="col">${t('onHand')}</th>
                        <th scope="col">${t('dailyDemand')}</th>
                        <th scope="col">${t('stockDays')}</th>
                        <th scope="col">${t('status')}</th>
                        <th scope="col"><span class="visually-hidden">${t('actions')}</span></th>
                      </tr>
                    </thead>
                    <tbody>
                      ${f.perSku.map(
                        (r) => html`<tr data-sku=${r.sku}>
                          <th scope="row">${r.sku}</th>
                          <td class="on-hand">${r.onHand === null ? t('notSet') : fmt.number(r.onHand)}${r.stockSetAt ? html`<br /><small>${fmt.dateTime(r.stockSetAt)}</small>` : nothing}</td>
                          <td>${fmt.number(oneDecimal(r.dailyDemand))}</td>
                          <td class="stock-days">${r.onHand === null ? '—' : r.stockDays === null ? t('noDemand') : fmt.number(oneDecimal(r.stockDays))}</td>
                          <td>${r.status ? t(r.status) : '—'}</td>
                          <td><button type="button" class="secondary" aria-label=${t('setFor', { sku: r.sku })} @click=${() => this.edit(r)}>${t('set')}</button></td>
                        </tr>`,
                      )}
                    </tbody>
                  </table>
                </div>`}`}`;
  }
}

if (!customElements.get('kc-stock')) customElements.define('kc-stock', StockSection);

export const stockSection: SectionDef = {
  id: 'stock',
  title: () => t('stock'),
  render: (ctx) => html`<kc-stock .ctx=${ctx}></kc-stock>`,
};
