import { html, nothing, type PropertyDeclarations } from 'lit';
import { errorKind, seg, type Runtime } from '../internal/api.js';
import { KudosDataElement } from '../internal/data-element.js';
import { cardStyles } from '../internal/card.js';
import { hostStyles } from '../internal/tokens.js';
import { buyCatalog, type BuyMessages } from './messages.js';
import { buyStyles } from './kudos-buy-button.styles.js';

/** GET /v1/products/:id (server/products/schemas.ts PublicProduct). */
export interface ProductView {
  id: string;
  name: string;
  price: number;
  currency: string;
  imageUrl?: string;
  state: 'upcoming' | 'insiders' | 'open' | 'sold-out' | 'closed';
  changesAt: string | null;
  remaining: number | null;
  insiders: { badge?: { name: string }; tier?: string }[];
  /** Only for a signed-in customer, when the product has a per-customer limit. */
  limitReached?: boolean;
}

/** Detail of `kudos-checkout`; cancel the event to open `url` yourself (a new tab, an overlay). */
export interface CheckoutDetail {
  product: string;
  url: string;
  reservation: string | null;
}

type Refusal = 'sold-out' | 'sale-ended' | 'not-open-yet' | 'insiders-only' | 'limit-reached' | 'sign-in-to-hold';

/**
 * A buy button for one product of a shop, made to sit in a directory listing:
 * image, name, price, stock left, countdown to the drop's opening or end,
 * insiders-only and sold-out states. Buying holds a unit when stock is limited,
 * then opens the shop's own checkout with `kudos_src=directory`, `kudos_ref`
 * (this page's origin) and `kudos_reservation`. Records `product_view` when
 * shown and `directory_click` when pressed.
 *
 * @tag kudos-buy-button
 * @fires kudos-checkout - about to open the checkout; cancelable; detail `{product, url, reservation}`. Bubbles, composed.
 * @csspart base - the card
 * @csspart image - product picture (takes the height the text leaves, at least 6rem)
 * @csspart name - product name
 * @csspart price - the price
 * @csspart stock - "12 left"
 * @csspart countdown - "Opens in 1:02:03", "Ends in 3 days"
 * @csspart notice - insiders, sold out, ended, limit reached
 * @csspart buy-button - the action
 * @csspart status - polite live region, visible: refusals
 * @csspart announcement - polite live region (visually hidden)
 * @csspart skeleton - loading placeholder
 * @csspart error - error box
 * @csspart error-message - its text
 * @csspart retry-button - its retry button
 * @cssprop --kudos-buy-button-min-height - space reserved before and while loading (default `25rem`, as the loader reserves)
 */
export class KudosBuyButton extends KudosDataElement {
  static override styles = [hostStyles, cardStyles, buyStyles];
  static override properties: PropertyDeclarations = {
    product: {},
    key: {},
    _p: { state: true },
    _now: { state: true },
  };

  /** Product id, as set up with `PUT /v1/products/:id`. */
  product = '';
  /** Publishable key of the product's shop, when it is not the page's own `data-key` (a directory lists many shops). */
  declare key?: string;
  declare private _p?: ProductView;
  private _now = Date.now();
  private _timer?: ReturnType<typeof setInterval>;

  override connectedCallback(): void {
    super.connectedCallback();
    this._timer = setInterval(() => {
      this._now = Date.now();
      // The clock moved the drop to its next state: fetch it (quietly, buttons stay as they are).
      const at = this._p?.changesAt;
      if (at && Date.parse(at) <= this._now && !this._busy) void this._load(true);
    }, 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this._timer);
  }

  /** The page's runtime, or a call with this element's own shop key (anonymous: the page's identity is signed for another shop). */
  private _call<T>(path: string, body?: object): Promise<T> {
    const rt = this.requireRuntime();
    const c = rt.config;
    const k = this.key;
    return !k || k == c.key
      ? rt.request<T>(path, { body })
      : fetch(c.api + path, {
          method: body ? 'POST' : 'GET',
          headers: { Authorization: 'Bearer ' + k, 'X-Kudos-Anonymous-Id': c.anonymousId, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        }).then(async (r) => {
          // The runtime's rejection shape (status + problem): a failed fetch (TypeError) reads as "network".
          if (r.ok) return r.json();
          throw { status: r.status, problem: await r.json() };
        });
  }

  /** Views and clicks count for the directory (`kudos_ref`); never in the shopper's way. */
  private _track(type: 'view' | 'click') {
    this._call(`/v1/products/${seg(this.product)}/interactions`, { type, ref: location.origin }).catch(() => 0);
  }

  protected override async _fetch(rt: Runtime) {
    const [p] = await Promise.all([this._call<ProductView>(`/v1/products/${seg(this.product)}`), buyCatalog.load(this.msg.locale)]);
    return () => {
      if (!this._p) this._track('view');
      this._p = p;
    };
  }

  private async _buy() {
    this._said = '';
    this._busy = true;
    this._track('click');
    try {
      const r = await this._call<{ token: string | null; checkoutUrl: string }>(`/v1/products/${seg(this.product)}/reservations`, { ref: location.origin });
      if (this.emit<CheckoutDetail>('kudos-checkout', { product: this.product, url: r.checkoutUrl, reservation: r.token })) location.assign(r.checkoutUrl);
    } catch (e) {
      const slug = String((e as { problem?: { type?: string } }).problem?.type).split('/').pop() as Refusal;
      const m = this._strings(buyCatalog)!;
      if (m[slug]) {
        this._said = m[slug];
        // Sold out meanwhile, or this shopper at the per-customer limit: the view on screen
        // (maybe from the HTTP cache, or anonymous) is stale.
        if (slug == 'sold-out') this._p = { ...this._p!, state: slug };
        if (slug == 'limit-reached') this._p = { ...this._p!, limitReached: true };
      } else this._error = errorKind(e, this);
    } finally {
      this._busy = false;
    }
  }

  override render() {
    const m = this._strings(buyCatalog);
    const p = m && this._p;
    return this._frame(
      nothing,
      p ? this._card(m, p) : undefined,
      html`<div part="image"></div><div part="skeleton"></div>`,
    );
  }

  private _card(m: BuyMessages, p: ProductView) {
    const f = this.msg;
    const s = p.state;
    const selling = s == 'open' || s == 'insiders';
    const left = p.changesAt ? Math.max(0, Date.parse(p.changesAt) - this._now) : -1;
    // A day or more away: "in 3 days" (Intl says it in the reader's language, "dans 3 jours",
    // "in 3 Tagen"), rounded; nearer, a ticking clock "in 1:02:03".
    const when =
      left < 864e5
        ? `${m.in} ${Math.floor(left / 3.6e6)}${new Date(left).toISOString().slice(13, 19)}`
        : new Intl.RelativeTimeFormat(f.locale).format(Math.round(left / 864e5), 'day');
    const who = new Intl.ListFormat(f.locale, { type: 'disjunction' }).format(p.insiders.map((l) => (l.badge ? m.badge(l.badge.name) : m.tier(l.tier!))));
    // At the limit, why the button is disabled: said beside it and as its description.
    const full = selling && p.limitReached;
    const note = full ? m['limit-reached'] : s == 'insiders' ? m.only(who) : selling || s == 'upcoming' ? '' : m[s == 'closed' ? 'sale-ended' : s];
    return html`${p.imageUrl ? html`<img part="image" src=${p.imageUrl} alt="" />` : nothing}
<h3 part="name" id="h" tabindex="-1">${p.name}</h3>
<p part="price">${f.money(p.price, p.currency)}</p>
${selling && p.remaining != null ? html`<p part="stock">${m.left(f, p.remaining)}</p>` : nothing}
${left >= 0 && s != 'sold-out' && s != 'closed' ? html`<p part="countdown">${m[s]} <time datetime=${p.changesAt!}>${when}</time></p>` : nothing}
${note ? html`<p part="notice" id="n">${note}</p>` : nothing}
<button part="buy-button" type="button" ?disabled=${this._busy || !selling || full} aria-describedby="h n" @click=${this._buy}>${m.buy}</button>
${this._said ? html`<p part="status">${this._said}</p>` : nothing}`;
  }
}

KudosBuyButton.define('kudos-buy-button');

declare global {
  interface HTMLElementTagNameMap {
    'kudos-buy-button': KudosBuyButton;
  }
  interface HTMLElementEventMap {
    'kudos-checkout': CustomEvent<CheckoutDetail>;
  }
}
