// Market day: the check-in points and, for one, today's QR code to show or print. What a
// market-helper key may do (GET /v1/checkins, /v1/checkins/:id/qr: the `market` scope).
import { html, nothing, type TemplateResult } from 'lit';
import { apiBlob } from '../../api.js';
import { ConsoleSection, type SectionDef } from '../../section.js';
import { t } from './messages.js';

interface Point {
  id: string;
  name: string;
  place?: string;
}

export class MarketSection extends ConsoleSection {
  static override properties = { ...ConsoleSection.properties, points: { state: true }, qr: { state: true }, error: { state: true } };
  points?: Point[];
  qr?: { point: Point; src: string };
  error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override disconnectedCallback(): void {
    if (this.qr) URL.revokeObjectURL(this.qr.src);
    super.disconnectedCallback();
  }

  private async load() {
    const r = await this.ctx.call<{ data: Point[] }>('/v1/checkins');
    if (r.ok) this.points = r.data.data;
    else this.error = this.ctx.problemText(r);
  }

  private async show(point: Point) {
    const r = await apiBlob(`/v1/checkins/${encodeURIComponent(point.id)}/qr?format=svg`);
    if (!r.blob) {
      this.error = this.ctx.problemText(r);
      await this.focusAfterRender('#market-error');
      return;
    }
    if (this.qr) URL.revokeObjectURL(this.qr.src);
    this.error = '';
    this.qr = { point, src: URL.createObjectURL(r.blob) };
    this.dispatchEvent(new CustomEvent('kc-print-mode', { detail: true, bubbles: true }));
    await this.focusAfterRender('#market-qr-h');
  }

  override render(): TemplateResult {
    const points = this.points;
    const qr = this.qr;
    return html`<h2 tabindex="-1">${t('market')}</h2>
      <p class="intro">${t('marketIntro')}</p>
      ${this.error ? html`<p class="error" id="market-error" role="alert" tabindex="-1">${this.error}</p>` : nothing}
      <div class="columns">
        <section class="card" aria-labelledby="market-points-h">
          <h3 id="market-points-h">${t('marketPoints')}</h3>
          ${!points
            ? html`<p>${this.error ? '' : t('loading')}</p>`
            : points.length === 0
              ? html`<p>${t('noPoints')}</p>`
              : html`<ul class="items" id="market-points">
                  ${points.map(
                    (p) => html`<li>
                      <span>${p.name}${p.place ? html` · <small>${p.place}</small>` : nothing}</span>
                      <button type="button" class="secondary" aria-label=${t('showQrNamed', { name: p.name })} @click=${() => this.show(p)}>${t('showQr')}</button>
                    </li>`,
                  )}
                </ul>`}
        </section>
        ${qr
          ? html`<section class="card qr-view" aria-labelledby="market-qr-h">
              <h3 id="market-qr-h" class="no-print" tabindex="-1">${t('qrFor', { name: qr.point.name })}</h3>
              <figure class="qr-sheet">
                <img id="market-qr-img" src=${qr.src} alt=${t('qrAlt', { name: qr.point.name })} width="256" height="256" />
                <figcaption>
                  <span class="qr-name">${qr.point.name}</span>
                  ${qr.point.place ? html`<span class="qr-place">${qr.point.place}</span>` : nothing}
                </figcaption>
              </figure>
              <div class="actions no-print"><button type="button" @click=${() => window.print()}>${t('printQr')}</button></div>
            </section>`
          : nothing}
      </div>`;
  }
}

if (!customElements.get('kc-market')) customElements.define('kc-market', MarketSection);

export const marketSection: SectionDef = {
  id: 'market',
  title: () => t('market'),
  render: (ctx) => html`<kc-market .ctx=${ctx}></kc-market>`,
  scope: 'market',
};
