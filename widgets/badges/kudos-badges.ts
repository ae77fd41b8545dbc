import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { BadgeCriteria, BadgeProgress, EarnedBadge } from '../../sdk/types.js';
import { seg, type Runtime } from '../internal/api.js';
import { KudosDataElement } from '../internal/data-element.js';
import type { Messages } from '../internal/messages.js';
import { cardStyles } from '../internal/card.js';
import { hostStyles } from '../internal/tokens.js';
import { badgesMessages, type BadgesMessages } from './messages.js';
import { badgesStyles } from './kudos-badges.styles.js';

/** Shared formatters and errors plus this widget's strings. */
type M = Messages & BadgesMessages;

/** One row of the list: earned (awardedAt), locked with progress (identified), or locked with criteria (anonymous). */
interface Item {
  id: string;
  name: string;
  description?: string;
  icon?: string;
  awardedAt?: string;
  progress?: BadgeProgress;
  criteria?: BadgeCriteria;
}

/** Detail of `kudos-badge-earned`. */
export type BadgeEarnedDetail = EarnedBadge;

const DEFAULT_ICON = '🏅';

/** An https image URL, or undefined when `icon` is text (emoji) to render as text. */
function iconUrl(icon: string | undefined): string | undefined {
  if (!icon || !/^https:\/\//i.test(icon)) return undefined;
  try {
    return new URL(icon).href;
  } catch {
    return undefined;
  }
}

/**
 * The shopper's badges: earned ones first (icon, name, date), then locked ones
 * with progress. Anonymous visitors see every badge locked with an invitation
 * to sign in. Refetches on `kudos-award` / `kudos-refresh`; a badge earned
 * while on the page is announced, highlighted and reported as
 * `kudos-badge-earned`.
 *
 * @tag kudos-badges
 * @fires kudos-badge-earned - a badge was newly earned while the page is open; detail is the badge `{id, name, description?, icon?, awardedAt}`. Bubbles, composed.
 * @csspart base - the card around everything (surface, border, padding)
 * @csspart header - row holding the heading and the summary
 * @csspart heading - the heading (h2 by default, see `heading-level`)
 * @csspart summary - "You’ve earned 2 of 5 badges"
 * @csspart list - the list of badges
 * @csspart badge - every badge item
 * @csspart badge-earned - an earned badge
 * @csspart badge-locked - a badge not earned yet
 * @csspart badge-new - a badge earned while on the page
 * @csspart icon - the badge icon (emoji text or image)
 * @csspart name - badge name
 * @csspart new-tag - the "New" tag on a badge earned while on the page
 * @csspart description - badge description
 * @csspart status - "Earned Jan 3, 2025" / "2 of 3 purchases" / "Unlock with 3 purchases"
 * @csspart progress - the native progress bar of a locked badge
 * @csspart skeleton - loading placeholder list
 * @csspart skeleton-item - each placeholder
 * @csspart empty - message when the shop has no badges
 * @csspart invitation - sign-in invitation for anonymous visitors
 * @csspart error - error box
 * @csspart error-message - its text
 * @csspart retry-button - its retry button
 * @csspart announcement - polite live region (visually hidden)
 * @cssprop --kudos-badges-min-height - space reserved before and while loading (default `45rem` below 768 px wide, `14rem` from there, as the loader reserves: the demo shop's badges)
 * @cssprop --kudos-badges-item-min-width - narrowest badge column before the grid wraps (default `14em`)
 */
export class KudosBadges extends KudosDataElement {
  static override styles = [hostStyles, cardStyles, badgesStyles];
  static override properties: PropertyDeclarations = {
    heading: {},
    headingLevel: { type: Number, attribute: 'heading-level' },
    currency: {},
    compact: { type: Boolean, reflect: true },
    _items: { state: true },
    _anonymous: { state: true },
    _fresh: { state: true },
  };

  /** Custom heading text (default: the catalog's "Your badges"). */
  declare heading?: string;
  /** Heading level 2–6 (default 2). */
  headingLevel = 2;
  /** ISO 4217 currency for money progress ("€60 of €100 spent"). */
  currency = 'EUR';
  /** Denser single-column layout without descriptions. */
  compact = false;

  declare private _items?: Item[];
  private _anonymous = false;
  private _fresh = new Set<string>();

  /** Whose items are shown ('' = anonymous) and which of them were earned, to spot new ones. */
  private _shownFor?: string;
  private _earned = new Set<string>();

  protected override async _fetch(rt: Runtime) {
    const who = rt.config.customerId ?? '';
    if (who !== this._shownFor) {
      // Another shopper (or sign-in): never show the previous one's badges, never diff against them.
      this._items = this._shownFor = undefined;
      this._fresh = new Set();
    }
    // The reader's strings load alongside the data: no flash of English.
    const [d, t] = await Promise.all([
      rt.request<{ badges: Item[]; lockedBadges: Item[]; data: Item[] }>(who ? `/v1/customers/${seg(who)}` : '/v1/badges'),
      badgesMessages.load(this.msg.locale),
    ]);
    // Anonymous: the first page of definitions (up to 100).
    const items: Item[] = who ? [...d.badges, ...d.lockedBadges] : d.data;
    return () => {
      const newly = this._shownFor === who ? items.filter((i) => i.awardedAt && !this._earned.has(i.id)) : [];
      this._shownFor = who;
      this._earned = new Set(items.filter((i) => i.awardedAt).map((i) => i.id));
      this._items = items;
      this._anonymous = !who;
      if (newly.length) {
        this._fresh = new Set([...this._fresh, ...newly.map((b) => b.id)]);
        this._said = newly.map((b) => t.badgeAnnounce(b.name)).join(' ');
        void this.updateComplete.then(() => {
          for (const { id, name, description, icon, awardedAt } of newly) {
            this.emit<BadgeEarnedDetail>('kudos-badge-earned', { id, name, description, icon, awardedAt: awardedAt! });
          }
        });
      }
    };
  }

  override render() {
    const own = this._strings(badgesMessages);
    // Until the reader's strings arrive only the skeleton shows (items need them too).
    const m: M | undefined = own && { ...this.msg, ...own };
    const items = m && this._items;
    return this._frame(
      html`<div part="header">${this._heading(this.heading || m?.badgesHeading || '\u00a0')}${m && items?.length && !this._anonymous
        ? html`<p part="summary">${m.badgesSummary(m, items.filter((i) => i.awardedAt).length, items.length)}</p>`
        : nothing}</div>`,
      m && items ? this._content(m, items) : undefined,
      html`<p class="visually-hidden">${m?.badgesLoading}</p><ul part="skeleton" aria-hidden="true"><li part="skeleton-item"><span></span><span></span></li><li part="skeleton-item"><span></span><span></span></li><li part="skeleton-item"><span></span><span></span></li></ul>`,
    );
  }

  private _heading(text: string): TemplateResult {
    // Native headings, one template per level (no static-html directive needed).
    switch (this.headingLevel) {
      case 3:
        return html`<h3 part="heading" id="h" tabindex="-1">${text}</h3>`;
      case 4:
        return html`<h4 part="heading" id="h" tabindex="-1">${text}</h4>`;
      case 5:
        return html`<h5 part="heading" id="h" tabindex="-1">${text}</h5>`;
      case 6:
        return html`<h6 part="heading" id="h" tabindex="-1">${text}</h6>`;
      default:
        return html`<h2 part="heading" id="h" tabindex="-1">${text}</h2>`;
    }
  }

  private _content(m: M, items: Item[]) {
    if (!items.length) return html`<p part="empty">${m.badgesEmpty}</p>`;
    return html`${this._anonymous ? html`<p part="invitation">${m.badgesAnonymous}</p>` : nothing}
      <ul part="list" role="list">
        ${items.map((b, i) => this._item(m, b, i))}
      </ul>`;
  }

  private _item(m: M, b: Item, i: number): TemplateResult {
    const fresh = this._fresh.has(b.id);
    const src = iconUrl(b.icon);
    const text = b.icon && !src && [...b.icon].length <= 8 ? b.icon : DEFAULT_ICON;
    const p = b.progress;
    const money = (x: number, sums: string | undefined) =>
      sums === 'total' ? m.money(x, this.currency) : m.n(x);
    let status: TemplateResult | typeof nothing = nothing;
    if (b.awardedAt) {
      status = html`<span part="status"
        ><time datetime=${b.awardedAt}>${m.badgeEarned(m.date(b.awardedAt))}</time></span
      >`;
    } else if (p) {
      status = html`<progress
          part="progress"
          max=${Math.max(p.target, 1)}
          value=${Math.max(0, Math.min(p.current, p.target))}
          aria-labelledby="n${i}"
          aria-describedby="s${i}"
        ></progress>
        <span part="status" id="s${i}"
          >${p.unit === 'weeks'
            ? m.progressStreak(m, p.current, p.target)
            : p.property
              ? m.progressSum(money(p.current, p.property), money(p.target, p.property), p.property === 'total')
              : m.progressCount(m, p.current, p.target, p.event)}</span
        >`;
    } else if (b.criteria) {
      const c = b.criteria;
      status = html`<span part="status"
        >${'sumOf' in c
          ? m.goalSum(money(c.atLeast, c.sumOf), c.sumOf === 'total')
          : 'streakWeeks' in c
            ? m.goalStreak(m, c.streakWeeks, c.event)
            : m.goalCount(m, 'count' in c ? c.count : 1, c.event)}</span
      >`;
    }
    return html`<li part="badge ${b.awardedAt ? 'badge-earned' : 'badge-locked'}${fresh ? ' badge-new' : ''}">
      ${src
        ? html`<img part="icon" src=${src} alt="" width="40" height="40" loading="lazy" referrerpolicy="no-referrer" />`
        : html`<span part="icon" aria-hidden="true">${text}</span>`}
      <div class="body">
        <span class="title"
          ><span part="name" id="n${i}">${b.name}</span>${fresh
            ? html`<span part="new-tag">${m.badgeNew}</span>`
            : nothing}</span
        >
        ${b.description ? html`<span part="description">${b.description}</span>` : nothing} ${status}
      </div>
    </li>`;
  }
}

KudosBadges.define('kudos-badges');

declare global {
  interface HTMLElementTagNameMap {
    'kudos-badges': KudosBadges;
  }
  interface HTMLElementEventMap {
    'kudos-badge-earned': CustomEvent<BadgeEarnedDetail>;
  }
}
