// Small SVG charts (no chart library): a weekly line or bar chart, its legend,
// and its text alternative (a sentence in the caption and a data table).
// Colours come from classes (.s0….s3) in the console's stylesheet: no inline styles (CSP).
import { html, svg, nothing, type TemplateResult } from 'lit';
import { fmt } from './i18n.js';
import { t } from './messages.js';

export interface Series {
  label: string;
  values: (number | null)[];
}

export interface ChartSpec {
  id: string;
  title: string;
  /** Mondays, one per point. */
  weeks: string[];
  series: Series[];
  kind: 'line' | 'bar';
  format: (n: number) => string;
  /** Fixed axis range, e.g. 0–1 for rates or −100–100 for NPS. */
  min?: number;
  max?: number;
  /** One sentence under the title: the period's figure. */
  headline?: string;
}

const W = 640;
const H = 220;
const PAD = { left: 56, right: 16, top: 12, bottom: 36 };

function range(spec: ChartSpec): [number, number] {
  const values = spec.series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const lo = spec.min ?? Math.min(0, ...values);
  let hi = spec.max ?? Math.max(1, ...values);
  if (hi <= lo) hi = lo + 1;
  return [lo, hi];
}

function summary(spec: ChartSpec): string {
  const main = spec.series[0];
  const known = (main?.values ?? []).filter((v): v is number => v !== null);
  if (!main || known.length === 0) return t('chartEmpty', { name: spec.title });
  return t('chartSummary', {
    name: main.label !== spec.title ? `${spec.title} (${main.label})` : spec.title,
    first: spec.format(known[0]!),
    last: spec.format(known.at(-1)!),
    weeks: spec.weeks.length,
  });
}

export function chart(spec: ChartSpec): TemplateResult {
  const [lo, hi] = range(spec);
  const n = spec.weeks.length;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + plotH - ((v - lo) / (hi - lo)) * plotH;
  const slot = plotW / Math.max(n, 1);
  const x = (i: number) => PAD.left + slot * i + slot / 2;
  const ticks = [lo, (lo + hi) / 2, hi];
  const labelAt = n <= 1 ? [0] : [0, Math.floor((n - 1) / 2), n - 1];
  const captionId = `${spec.id}-caption`;

  const lines = spec.series.map((s, k) => {
    let d = '';
    s.values.forEach((v, i) => {
      if (v === null) return;
      d += `${d && s.values[i - 1] !== null && i > 0 ? 'L' : 'M'}${x(i).toFixed(1)} ${y(v).toFixed(1)}`;
    });
    return svg`<path class="line s${k}" d=${d || 'M0 0'}></path>
      ${s.values.map((v, i) => (v === null ? nothing : svg`<circle class="dot s${k}" cx=${x(i).toFixed(1)} cy=${y(v).toFixed(1)} r="3.5"></circle>`))}`;
  });
  const barW = (slot * 0.8) / Math.max(spec.series.length, 1);
  const bars = spec.series.map((s, k) =>
    s.values.map((v, i) => {
      if (v === null) return nothing;
      const top = y(Math.max(v, 0));
      const height = Math.max(Math.abs(y(v) - y(0)), v === 0 ? 0 : 1);
      return svg`<rect class="bar s${k}" x=${(x(i) - slot * 0.4 + k * barW).toFixed(1)} y=${top.toFixed(1)} width=${Math.max(barW - 1, 1).toFixed(1)} height=${height.toFixed(1)}></rect>`;
    }),
  );

  return html`<figure class="chart">
    <figcaption id=${captionId}>
      <span class="chart-title">${spec.title}</span>
      ${spec.headline ? html`<span class="chart-headline">${spec.headline}</span>` : nothing}
      <span class="chart-summary">${summary(spec)}</span>
    </figcaption>
    <svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby=${captionId} preserveAspectRatio="xMidYMid meet">
      ${ticks.map(
        (v) => svg`<line class="grid" x1=${PAD.left} x2=${W - PAD.right} y1=${y(v).toFixed(1)} y2=${y(v).toFixed(1)}></line>
          <text class="axis" x=${PAD.left - 6} y=${(y(v) + 4).toFixed(1)} text-anchor="end">${spec.format(v)}</text>`,
      )}
      ${lo < 0 ? svg`<line class="zero" x1=${PAD.left} x2=${W - PAD.right} y1=${y(0)} y2=${y(0)}></line>` : nothing}
      ${labelAt.map((i) => (spec.weeks[i] ? svg`<text class="axis" x=${x(i).toFixed(1)} y=${H - 12} text-anchor="middle">${fmt.shortDate(spec.weeks[i]!)}</text>` : nothing))}
      ${spec.kind === 'line' ? lines : bars}
    </svg>
    ${spec.series.length > 1
      ? html`<ul class="legend">
          ${spec.series.map((s, k) => html`<li><span class="swatch s${k}" aria-hidden="true"></span>${s.label}</li>`)}
        </ul>`
      : nothing}
    <details>
      <summary>${t('showData')}</summary>
      <table>
        <caption class="visually-hidden">${spec.title}</caption>
        <thead>
          <tr>
            <th scope="col">${t('week')}</th>
            ${spec.series.map((s) => html`<th scope="col">${s.label}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${spec.weeks.map(
            (w, i) => html`<tr>
              <th scope="row">${fmt.date(`${w}T00:00:00Z`)}</th>
              ${spec.series.map((s) => html`<td>${s.values[i] === null || s.values[i] === undefined ? t('noData') : spec.format(s.values[i]!)}</td>`)}
            </tr>`,
          )}
        </tbody>
      </table>
    </details>
  </figure>`;
}
