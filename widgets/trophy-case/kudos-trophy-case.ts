import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { seg, type Runtime } from '../internal/api.js';
import { KudosDataElement } from '../internal/data-element.js';
import { cardStyles } from '../internal/card.js';
import { hostStyles } from '../internal/tokens.js';
import { trophyStyles } from './kudos-trophy-case.styles.js';
import { trophyMessages, type TrophyMessages } from './messages.js';

type Level = 'bronze' | 'silver' | 'gold';

/** An earned trophy (one per award) from `GET /v1/customers/:id`. */
export interface EarnedTrophy {
  id: string;
  awardId: string;
  name: string;
  description: string;
  image?: string;
  level: Level;
  levelName?: string;
  awardedAt: string;
  /** Public page of the award (`/t/:awardId`): what the share action shares. */
  url: string;
}

/** A trophy not held yet: `lockedTrophies` of the customer, or a definition for anonymous visitors. */
export interface LockedTrophy {
  id: string;
  name: string;
  description: string;
  image?: string;
  criteriaNarrative: string;
}

/** Detail of `kudos-trophy-shared`. */
export interface TrophySharedDetail {
  awardId: string;
  url: string;
  method: 'share' | 'copy';
}

const https = (u?: string) => (u && /^https:\/\//i.test(u) ? u : undefined);

/**
 * The shopper's trophies: each one won (image, name, level, date) with a share
 * action for its public page, then the shop's other trophies greyed with how to
 * earn them. Anonymous visitors see every trophy locked and an invitation to sign in.
 *
 * @tag kudos-trophy-case
 * @fires kudos-trophy-shared - the shopper shared or copied a trophy link; detail `{awardId, url, method}`. Bubbles, composed.
 * @csspart base - the card around everything
 * @csspart header - row holding the heading and the summary
 * @csspart heading - the heading (an h2; `heading-level` sets its outline level)
 * @csspart summary - "2 trophies won"
 * @csspart list - the list of trophies
 * @csspart trophy - every trophy
 * @csspart trophy-earned - an earned trophy
 * @csspart trophy-locked - a trophy not earned yet
 * @csspart trophy-bronze - an earned trophy at bronze
 * @csspart trophy-silver - an earned trophy at silver
 * @csspart trophy-gold - an earned trophy at gold
 * @csspart image - the trophy picture (image or 🏆)
 * @csspart name - trophy name (a link to the public page when earned)
 * @csspart level - the level tag ("Gold")
 * @csspart description - trophy description
 * @csspart status - "Awarded Jan 3, 2026"
 * @csspart criteria - how to earn a locked trophy
 * @csspart share-button - the share (or copy link) button
 * @csspart loading - the pulsing "Loading trophies…" placeholder filling the reserved space
 * @csspart empty - message when the shop has no trophies
 * @csspart invitation - sign-in invitation for anonymous visitors
 * @csspart error - error box
 * @csspart error-message - its text
 * @csspart retry-button - its retry button
 * @csspart announcement - polite live region (visually hidden)
 * @cssprop --kudos-trophy-bronze - bronze level tag and edge (default `#8b4513`, 7.1:1 on white)
 * @cssprop --kudos-trophy-silver - silver (default `#4b5563`, 7.6:1)
 * @cssprop --kudos-trophy-gold - gold (default `#7a5c00`, 6.3:1)
 * @cssprop --kudos-trophy-case-min-height - space reserved before and while loading (default `15.5rem` below 768 px wide, `10.25rem` from there, as the loader reserves: the demo shop's trophies)
 */
export class KudosTrophyCase extends KudosDataElement {
  static override styles = [hostStyles, cardStyles, trophyStyles];
  static override properties: PropertyDeclarations = {
    heading: {},
    headingLevel: { type: Number, attribute: 'heading-level' },
    _earned: { state: true },
    _locked: { state: true },
    _anonymous: { state: true },
  };

  /** Custom heading text (default: the catalog's "Your trophies"). */
  declare heading?: string;
  /** Outline level 2–6 of the heading (default 2), as aria-level on its h2: one template instead of five. */
  headingLevel = 2;

  declare private _earned?: EarnedTrophy[];
  private _locked: LockedTrophy[] = [];
  private _anonymous = false;
  /** Whose trophies are shown ('' = anonymous): never show the previous shopper's while loading. */
  private _for?: string;

  protected override async _fetch(rt: Runtime) {
    const who = rt.config.customerId ?? '';
    if (who !== this._for) this._earned = undefined;
    // The reader's strings load alongside the data: no flash of English.
    const [s] = await Promise.all([
      // The customer's state, or for anonymous visitors the first page of definitions (up to 100).
      rt.request<{ trophies: EarnedTrophy[]; lockedTrophies?: LockedTrophy[]; data?: LockedTrophy[] }>(
        who ? `/v1/customers/${seg(who)}` : '/v1/trophies',
      ),
      trophyMessages.load(this.msg.locale),
    ]);
    return () => {
      this._for = who;
      // Anonymous visitors get definitions only: every trophy is locked.
      this._earned = who ? s.trophies : [];
      this._locked = (who ? s.lockedTrophies : s.data) ?? [];
      this._anonymous = !who;
    };
  }

  private _level(m: TrophyMessages, t: EarnedTrophy): string {
    return t.levelName ?? m.levels[t.level] ?? t.level;
  }

  private async _share(m: TrophyMessages, t: EarnedTrophy): Promise<void> {
    // Not every browser has navigator.share (lib.dom says it always does).
    const nav = navigator as { share?: (data: ShareData) => Promise<void>; clipboard: Clipboard };
    const method = nav.share ? 'share' : 'copy';
    this._said = '';
    try {
      if (nav.share) await nav.share({ title: `${t.name} (${this._level(m, t)})`, url: t.url });
      else {
        await nav.clipboard.writeText(t.url);
        this._said = m.copied;
      }
      this.emit<TrophySharedDetail>('kudos-trophy-shared', { awardId: t.awardId, url: t.url, method });
    } catch {
      // A closed share sheet needs no words; a refused clipboard does.
      if (!nav.share) this._said = m.copyFailed;
    }
  }

  // Templates are written without indentation: Lit ships them as written.
  override render() {
    const m = this._strings(trophyMessages);
    const earned = m && this._earned;
    return this._frame(
      html`<div part="header"><h2 part="heading" id="h" tabindex="-1" aria-level=${this.headingLevel}>${this.heading || m?.heading || '\u00a0'}</h2>${
        earned?.length ? html`<p part="summary">${m!.summary(this.msg, earned.length)}</p>` : nothing
      }</div>`,
      earned && this._content(m!, earned),
      html`<p part="loading">${m?.loading}</p>`,
    );
  }

  private _content(m: TrophyMessages, earned: EarnedTrophy[]) {
    const locked = this._locked;
    if (!earned.length && !locked.length) return html`<p part="empty">${m.empty}</p>`;
    const share = 'share' in navigator ? m.share : m.copy;
    return html`${this._anonymous ? html`<p part="invitation">${m.anonymous}</p>` : nothing}<ul part="list" role="list">${earned.map((t) => {
      const level = this._level(m, t);
      return html`<li part="trophy trophy-earned trophy-${t.level}">${this._image(t.image)}<div class="body"><span class="title"><a part="name" href=${t.url} target="_blank" rel="noopener">${t.name}</a><span part="level">${level}</span></span><span part="description">${t.description}</span><span part="status"><time datetime=${t.awardedAt}>${m.awarded(this.msg.date(t.awardedAt))}</time></span></div><button part="share-button" type="button" @click=${() => this._share(m, t)}>${share}<span class="visually-hidden">: ${t.name}, ${level}</span></button></li>`;
    })}${locked.map(
      (t) => html`<li part="trophy trophy-locked">${this._image(t.image)}<div class="body"><span part="name">${t.name}</span><span part="description">${t.description}</span><span part="criteria"><strong>${m.howTo}</strong> ${t.criteriaNarrative}</span></div></li>`,
    )}</ul>`;
  }

  private _image(src?: string): TemplateResult {
    const url = https(src);
    return url
      ? html`<img part="image" src=${url} alt="" width="48" height="48" loading="lazy" referrerpolicy="no-referrer" />`
      : html`<span part="image" aria-hidden="true">🏆</span>`;
  }
}

KudosTrophyCase.define('kudos-trophy-case');

declare global {
  interface HTMLElementTagNameMap {
    'kudos-trophy-case': KudosTrophyCase;
  }
  interface HTMLElementEventMap {
    'kudos-trophy-shared': CustomEvent<TrophySharedDetail>;
  }
}
