// KPIs: retention, repeat purchase, NPS, community conversion, awards, points and group
// unlocks over a date range, as cards and weekly charts (each with a text alternative).
import { html, nothing, type TemplateResult } from 'lit';
import { chart } from '../../chart.js';
import { errorsOf } from '../../forms.js';
import { fmt } from '../../i18n.js';
import { ConsoleSection, type SectionDef } from '../../section.js';
import { t } from './messages.js';

const DAY_MS = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

interface MetricsView {
  from: string;
  to: string;
  data?: any;
  error?: string;
  errors: Record<string, string>;
  loading?: boolean;
}

export class KpisSection extends ConsoleSection {
  static override properties = { ...ConsoleSection.properties, metrics: { state: true } };
  metrics: MetricsView = { from: isoDay(Date.now() - 84 * DAY_MS), to: isoDay(Date.now() + DAY_MS), errors: {} };

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.metrics.data) void this.loadMetrics();
  }

  private async loadMetrics(e?: SubmitEvent) {
    e?.preventDefault();
    const m = this.metrics;
    this.metrics = { ...m, loading: true, error: undefined, errors: {} };
    const r = await this.ctx.call(`/v1/metrics?from=${encodeURIComponent(m.from)}&to=${encodeURIComponent(m.to)}`);
    this.metrics = r.ok
      ? { ...this.metrics, loading: false, data: r.data }
      : { ...this.metrics, loading: false, errors: errorsOf(r.data), error: this.ctx.problemText(r) };
  }

  override render(): TemplateResult {
    const m = this.metrics;
    const d = m.data;
    const pct = (n: number | null) => (n === null ? t('noData') : fmt.percent(n));
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
                <span class="label">${t('rcRetention')}</span><span class="value">${pct(d.returnCorrectedRetention.rate)}</span>
                <p>${t('rcRetentionOf', { retained: fmt.number(d.returnCorrectedRetention.retained), buyers: fmt.number(d.returnCorrectedRetention.buyers) })}</p>
                <p class="hint definition">${t('rcRetentionDef')}</p>
              </div>
              <div class="kpi">
                <span class="label">${t('nps')}</span><span class="value">${d.nps.nps ?? t('noData')}</span>
                <p>${t('npsHelp', { n: fmt.number(d.nps.responses) })}</p>
                <p>${t('npsCart')} ${d.nps.inCart.nps ?? t('noData')} (${fmt.number(d.nps.inCart.responses)}) · ${t('npsDelivery')} ${d.nps.postDelivery.nps ?? t('noData')} (${fmt.number(d.nps.postDelivery.responses)})</p>
                <p class="hint definition">${t('npsDef')}</p>
              </div>
              <div class="kpi">
                <span class="label">${t('forecast')}</span><span class="value">${pct(d.forecastAccuracy.rate)}</span>
                <p>${t('forecastOf', { inRange: fmt.number(d.forecastAccuracy.inRange), skus: fmt.number(d.forecastAccuracy.skus), min: fmt.number(d.forecastAccuracy.settings.targetDays.min), max: fmt.number(d.forecastAccuracy.settings.targetDays.max) })} · ${t('wape')} ${pct(d.forecastAccuracy.wape)}</p>
                <p class="hint definition">${t('forecastDef')}</p>
              </div>
              <div class="kpi">
                <span class="label">${t('conversion')}</span><span class="value">${pct(d.communityConversion.recognition.rate)}</span>
                <p>${t('besideIt')} ${(['group', 'directory', 'market'] as const).map((s) => `${t(s)} ${pct(d.communityConversion.sources[s].rate)}`).join(' · ')}</p>
                <p class="hint definition">${t('conversionDef')}</p>
              </div>
            </div>
            <div class="kpis">
              <div class="kpi">
                <span class="label">${t('retention')}</span><span class="value">${pct(d.retention.rate)}</span>
                <p>${t('retentionHelp')}</p>
              </div>
              <div class="kpi">
                <span class="label">${t('repeat')}</span><span class="value">${pct(d.repeatPurchase.rate)}</span>
                <p>${t('repeat30')}: ${pct(d.repeat30.rate)}</p>
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
}

if (!customElements.get('kc-kpis')) customElements.define('kc-kpis', KpisSection);

export const kpisSection: SectionDef = {
  id: 'kpis',
  title: () => t('kpis'),
  render: (ctx) => html`<kc-kpis .ctx=${ctx}></kc-kpis>`,
};
