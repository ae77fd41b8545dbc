import { html, nothing, type PropertyDeclarations } from 'lit';
import type { ApiSchemas } from '../../sdk/types.js';
import { errorKind, seg, type Runtime } from '../internal/api.js';
import { KudosDataElement } from '../internal/data-element.js';
import { errorBox } from '../internal/parts.js';
import { hostStyles } from '../internal/tokens.js';
import type { EmailJoinHost } from './email-join.js';
import { loadShareSaveMessages, percent, shareSaveCatalog, shareSaveMessages, type ShareSaveMessages } from './messages.js';
import { shareSaveStyles } from './kudos-share-save.styles.js';

interface Tier {
  members: number;
  percentOff: number;
}
interface Campaign {
  name: string;
  tiers: Tier[];
  windowHours: number;
  active: boolean;
}
/** GET /v1/groups/:code (server/share-save/schemas.ts GroupView). */
export interface GroupView {
  code: string;
  shareUrl: string | null;
  expiresAt: string;
  status: 'open' | 'unlocked' | 'full' | 'closed' | 'expired';
  members: number;
  maxMembers: number;
  tier: Tier | null;
  nextTier: (Tier & { needed: number }) | null;
  you?: { role: 'owner' | 'member'; discountCode: string | null; percentOff: number | null; used: boolean; codePending: boolean };
}

/** Refusals with a message of their own (the catalogs key them by problem slug); anything else shows the shared error. */
const REFUSALS = [
  'group-full',
  'group-window-over',
  'new-customers-only',
  'rate-limited',
  'campaign-not-active',
] as const;
type Refusal = (typeof REFUSALS)[number];

const POLL_EVERY = 15;

/**
 * Share-to-save: explains the group offer, starts a group, shares its link,
 * shows members joined, the next tier and a live countdown, and the shopper's
 * own single-use code once a tier unlocks. A page opened with
 * `?kudos_group=CODE` shows the invitation with a join button.
 *
 * @tag kudos-share-save
 * @fires kudos-group - a group was started or joined; detail is the group view. Bubbles, composed.
 * @csspart base - the card
 * @csspart heading - the campaign name
 * @csspart offer - what the group gets
 * @csspart tiers - the list of tiers
 * @csspart tier - one tier
 * @csspart tier-reached - the tier the group reached
 * @csspart invitation - "A friend invited you…"
 * @csspart role - "You’re in this group."
 * @csspart progress - native progress bar
 * @csspart people - "2 joined · 1 more for −15%"
 * @csspart countdown - "Ends in 23:59:12"
 * @csspart code-box - the shopper's discount code block
 * @csspart code - the code
 * @csspart copy-code - copies it
 * @csspart used - "Used" once the code was spent
 * @csspart email-form - join by email (`join-by-email`): the address, then the code it received
 * @csspart email-input - the address or code field
 * @csspart share - the share block
 * @csspart link - the share link field
 * @csspart share-button - Share (or Copy) button
 * @csspart apps - prefilled app links
 * @csspart app - one app link
 * @csspart start-button - starts a group
 * @csspart join-button - joins the group
 * @csspart notice - state text
 * @csspart status - polite live region, visible: copied, unlocked, refusals
 * @csspart skeleton - loading placeholder
 * @csspart error - error box
 * @csspart error-message - its text
 * @csspart retry-button - its retry button
 * @cssprop --kudos-share-save-min-height - space reserved before and while loading (default `14rem`, as the loader reserves)
 */
export class KudosShareSave extends KudosDataElement {
  static override styles = [hostStyles, shareSaveStyles];
  static override properties: PropertyDeclarations = {
    campaign: {},
    joinByEmail: { attribute: 'join-by-email', type: Boolean },
    _c: { state: true },
    _claim: { state: true },
    _g: { state: true },
    _now: { state: true },
  };

  /** Campaign id, as set up with `PUT /v1/campaigns/:id`. */
  campaign = '';
  /** Invited visitors who are not signed in may join with an email address they confirm (the shop's backend mails the code). */
  joinByEmail = false;

  declare private _c?: Campaign;
  declare private _g?: GroupView;
  /** The email claim whose code the visitor is asked for (set by email-join.ts). */
  declare _claim?: string;
  private _ej?: typeof import('./email-join.js');
  private _now = Date.now();
  private _ticks = 0;
  private _timer?: ReturnType<typeof setInterval>;

  /** The catalog; French and German arrive as their own chunk (see messages.ts). */
  private get _m() {
    return shareSaveMessages(this.msg.locale)!;
  }

  private _pct(x: number) {
    return percent(this.msg.locale, x);
  }

  /** Where this shopper's own group is remembered between visits. */
  private _slot(who?: string) {
    return who && `kudos-group:${this.campaign}:${who}`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // One tick a second for the countdown; every POLL_EVERY s a refetch, so an
    // owner waiting for friends sees them arrive (and the code unlock).
    this._timer = setInterval(() => {
      const s = this._g?.status;
      if (s != 'open' && s != 'unlocked') return;
      this._now = Date.now();
      if (++this._ticks % POLL_EVERY == 0 && !document.hidden) this.refresh();
    }, 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this._timer);
  }

  override refresh(): void {
    // A background refetch: the buttons stay enabled (`_busy` is for the shopper's own actions).
    void this._load(true);
  }

  protected override async _fetch(rt: Runtime) {
    let code = new URLSearchParams(location.search).get('kudos_group');
    try {
      code ||= localStorage.getItem(this._slot(rt.config.customerId) || '');
    } catch {
      // Storage can be off (privacy modes): the link still works.
    }
    const [c, g] = await Promise.all([
      rt.request<Campaign>(`/v1/campaigns/${seg(this.campaign)}`),
      code
        ? rt.request<GroupView>(`/v1/groups/${seg(code)}`).catch((e) => {
            // A mistyped or foreign link is "no group", not a broken widget.
            if (e.status == 404 || e.status == 400) return undefined;
            throw e;
          })
        : undefined,
      // The page's language chunk loads alongside the data: no extra round trip.
      loadShareSaveMessages(this.msg.locale),
      // So does the join-by-email form, for the only visitors who can use it.
      this.joinByEmail && code && !rt.config.customerId && import('./email-join.js').then((m) => (this._ej = m)),
    ]);
    return () => {
      this._c = c;
      this._show(g);
    };
  }

  private _show(g: GroupView | undefined): void {
    const before = this._g;
    const code = g?.you?.discountCode;
    // Announced when it happens while the page is open, not on every visit.
    if (code && before?.code == g!.code && before.you?.discountCode != code) {
      this._said = this._m.unlocked(this._pct(g!.you!.percentOff!));
    }
    this._g = g;
    this._now = Date.now();
    const slot = this._slot(this.requireRuntime().config.customerId);
    try {
      if (slot && g?.you) localStorage.setItem(slot, g.code);
    } catch {
      // See _load.
    }
  }

  /**
   * POST, then `then` with the answer (default: show the group). A refusal the API
   * explains is said in the live region (`refusals` adds the caller's own); anything else is the error box.
   */
  _act(path: string, body?: object, then = (g: any): unknown => (this._show(g), this.emit('kudos-group', g)), refusals: Record<string, string> = {}): Promise<unknown> {
    this._said = '';
    this._busy = true;
    return this.requireRuntime()
      .request(path, { method: 'POST', body })
      .then(then)
      .catch((e) => {
        const slug = String((e as { problem?: { type?: string } }).problem?.type).split('/').pop()!;
        // Already in it (another tab): show the membership.
        if (slug == 'already-member') return this.refresh();
        const said = refusals[slug] ?? (REFUSALS.includes(slug as Refusal) && this._m[slug as Refusal]);
        if (said) this._said = said;
        else this._error = errorKind(e, this);
      })
      .finally(() => {
        this._busy = false;
      });
  }

  private _start() {
    const page = new URL(location.href);
    page.searchParams.delete('kudos_group');
    return this._act('/v1/groups', { campaign: this.campaign, pageUrl: page.href });
  }

  private _link(g: GroupView) {
    return g.shareUrl || `${location.href.split(/[?#]/)[0]}?kudos_group=${g.code}`;
  }

  private async _copy(text: string, fallback?: boolean) {
    try {
      await navigator.clipboard.writeText(text);
      this._said = this._m.copied;
    } catch {
      // No clipboard (insecure context, denied): select the link for a manual copy.
      if (fallback) this.renderRoot.querySelector('input')!.select();
    }
  }

  private async _share(url: string) {
    // A dismissed share sheet rejects: nothing to report.
    if (navigator.share) await navigator.share({ text: this._m.shareText, url }).catch(() => 0);
    else await this._copy(url, true);
  }

  override render() {
    const f = this.msg;
    // A locale switched after loading: its strings are fetched, the skeleton shows meanwhile.
    const m = this._strings(shareSaveCatalog);
    const c = m && this._c;
    const g = this._g;
    const e = this._error;
    return html`<section part="base" aria-labelledby="h" aria-busy=${this._busy}>
<h2 part="heading" id="h">${m?.heading}</h2>
${c
  ? html`<p part="offer">${m.offer(f, c.windowHours)}</p>
<ul part="tiers">${c.tiers.map((t) => html`<li part="tier${t.members == g?.tier?.members ? ' tier-reached' : ''}">${m.tier(f, t.members, this._pct(t.percentOff))}</li>`)}</ul>
${g ? this._group(m, g) : this._startOr(m, c.active ? 0 : m['campaign-not-active'])}`
  : e
    ? nothing
    : html`<p class="visually-hidden">${m?.loading}</p><div part="skeleton"></div>`}
${e
  ? errorBox(f, e, () => this.refresh())
  : nothing}
<p part="status" role="status">${this._said || nothing}</p>
</section>`;
  }

  /** The start button for a signed-in shopper, else `why` (or the sign-in invitation) as a notice. */
  private _startOr(m: ShareSaveMessages, why: string | 0) {
    return why || !this.requireRuntime().config.customerId
      ? html`<p part="notice">${why || m.signIn}</p>`
      : html`<button part="start-button" type="button" ?disabled=${this._busy} @click=${this._start}>${m.start}</button>`;
  }

  private _group(m: ShareSaveMessages, g: GroupView) {
    const f = this.msg;
    const you = g.you;
    const s = g.status;
    const live = s == 'open' || s == 'unlocked';
    const left = Math.max(0, Date.parse(g.expiresAt) - this._now);
    // "23:59:12": whole hours, then ":MM:SS" of the ISO time (as the buy button's countdown).
    const clock = Math.floor(left / 3.6e6) + new Date(left).toISOString().slice(13, 19);
    const next = g.nextTier;
    const goal = next?.members ?? g.maxMembers;
    const url = this._link(g);
    const text = encodeURIComponent(`${m.shareText} ${url}`);
    return html`<p part=${you ? 'role' : 'invitation'}>${you ? m.inGroup : m.invited}</p>
<progress part="progress" max=${goal} value=${Math.min(g.members, goal)} aria-labelledby="p"></progress>
<p part="people" id="p">${m.people(f, g.members)}${next && live ? ` · ${m.next(f, next.needed, this._pct(next.percentOff))}` : ''}</p>
${live || s == 'full' ? html`<p part="countdown">${m.endsIn} <time datetime=${g.expiresAt}>${clock}</time></p>` : nothing}
${you?.discountCode
  ? html`<div part="code-box"><span>${m.code(this._pct(you.percentOff!))}</span> <code part="code">${you.discountCode}</code>
${you.used ? html`<span part="used">${m.used}</span>` : html`<button part="copy-code" type="button" @click=${() => this._copy(you.discountCode!)}>${m.copyCode}</button>`}</div>`
  : you?.codePending
    ? html`<p part="code-box">${m.codeSoon(this._pct(you.percentOff!))}</p>`
    : nothing}
${!live
  ? s == 'full'
    ? html`<p part="notice">${m['group-full']}</p>`
    : html`<p part="notice">${m['group-window-over']}</p>${this._startOr(m, 0)}`
  : you
    ? html`<div part="share"><label for="l">${m.link}</label>
<input id="l" part="link" readonly .value=${url} @focus=${() => this.renderRoot.querySelector('input')!.select()} />
<button part="share-button" type="button" @click=${() => this._share(url)}>${'share' in navigator ? m.share : m.copyLink}</button>
<p part="apps"><a part="app" href="https://wa.me/?text=${text}" target="_blank" rel="noopener">WhatsApp</a> · <a part="app" href="mailto:?body=${text}">${m.email}</a></p></div>`
    : this.requireRuntime().config.customerId
      ? html`<button part="join-button" type="button" ?disabled=${this._busy} @click=${() => this._act(`/v1/groups/${seg(g.code)}/join`)}>${m.join}</button>`
      : this._ej
        ? this._ej.emailForm(this as unknown as EmailJoinHost, g)
        : html`<p part="notice">${m.signIn}</p>`}`;
  }
}

KudosShareSave.define('kudos-share-save');

declare global {
  interface HTMLElementTagNameMap {
    'kudos-share-save': KudosShareSave;
  }
  interface HTMLElementEventMap {
    /** The group view, as GET /v1/groups/:code answers it. */
    'kudos-group': CustomEvent<ApiSchemas['GroupView']>;
  }
}
