import { html, nothing, type PropertyDeclarations } from 'lit';
import { randomId } from '../../sdk/random-id.js';
import type { KudosApiError } from '../../sdk/types.js';
import { getRuntime, seg, type Runtime } from '../internal/api.js';
import { KudosDataElement } from '../internal/data-element.js';
import type { Messages } from '../internal/messages.js';
import { hostStyles } from '../internal/tokens.js';
import { pointsMessages, type PointsMessages } from './messages.js';
import { pointsStyles } from './kudos-points.styles.js';

// Mirrors of the API's answers (server/loyalty/schemas.ts is the source of truth; no zod in the browser).
interface Level {
  name: string;
  min: number;
}
interface Activity {
  kind: string;
  points: number;
  at: string;
  rewardId?: string;
  availableAt?: string;
}
interface PointsState {
  points: number;
  pendingPoints?: number;
  pointsExpireAt?: string;
  tier: string | null;
  tierProgress: {
    basis: 'points' | 'spend';
    value: number;
    current: Level | null;
    next: (Level & { remaining: number }) | null;
  } | null;
  activity: Activity[];
  /** Micro-gifts won (server/gifts), newest first. */
  gifts?: { name: string; code?: string }[];
}
interface Program {
  earn: { event: string; points: number; per?: string }[];
}
export interface Reward {
  id: string;
  name: string;
  description?: string;
  cost: number;
}
/** Detail of `kudos-reward-redeemed`: what `POST /v1/customers/:id/redemptions` answered. */
export interface Redemption {
  id: string;
  rewardId: string;
  name: string;
  code: string;
  points: number;
  balance: number;
}

type M = Messages & PointsMessages;

/**
 * The shopper's points: balance (pending points, expiry), tier with progress to
 * the next one, rewards to redeem (the code is shown once), recent activity.
 * Anonymous visitors see how to earn and an invitation to sign in.
 * Refetches on `kudos-award` / `kudos-refresh`.
 *
 * @tag kudos-points
 * @fires kudos-reward-redeemed - a reward was redeemed from this widget; detail `{id, rewardId, name, code, points, balance}`. Bubbles, composed.
 * @csspart base - the card around everything
 * @csspart heading - the heading (`heading-level` sets its outline level)
 * @csspart balance - the balance block
 * @csspart balance-value - "120 points"
 * @csspart balance-note - pending points and when the balance expires
 * @csspart tier - the tier block
 * @csspart tier-name - the current tier
 * @csspart tier-progress - native progress bar to the next tier
 * @csspart tier-status - "80 points to Gold"
 * @csspart code - a redeemed reward's code (shown once)
 * @csspart code-value - the code itself
 * @csspart copy-button - copies the code
 * @csspart gift - a micro-gift won with an order and its add-on code, if any
 * @csspart notice - outcome of a claim link or a refused redemption (focus moves to it)
 * @csspart subheading - the headings of rewards, activity and how to earn
 * @csspart rewards - the list of rewards
 * @csspart reward - one reward
 * @csspart reward-available - a reward the shopper has enough points for
 * @csspart reward-locked - a reward the shopper cannot afford yet
 * @csspart reward-name - its name
 * @csspart reward-cost - its cost in points
 * @csspart reward-status - "40 more points"
 * @csspart redeem-button - redeems a reward
 * @csspart activity - the list of recent ledger lines
 * @csspart activity-item - one line
 * @csspart activity-kind - earned, spent, expired…
 * @csspart activity-points - "+12"
 * @csspart activity-date - when
 * @csspart empty - no activity yet
 * @csspart earn - how points are earned
 * @csspart invitation - sign-in invitation for anonymous visitors
 * @csspart skeleton - loading placeholder
 * @csspart error - error box
 * @csspart error-message - its text
 * @csspart retry-button - its retry button
 * @csspart announcement - polite live region (visually hidden)
 * @cssprop --kudos-points-min-height - the card's height, reserved before and while loading too, so nothing below it ever moves; a shopper's content beyond it scrolls inside the card (default `33.5rem`, as the loader reserves: the demo shop's returning shopper with a gift; `auto` lets the card grow with its content, moving what is below)
 */
export class KudosPoints extends KudosDataElement {
  static override styles = [hostStyles, pointsStyles];
  static override properties: PropertyDeclarations = {
    currency: {},
    headingLevel: { type: Number, attribute: 'heading-level' },
    _s: { state: true },
    _program: { state: true },
    _rewards: { state: true },
    _pending: { state: true },
    _code: { state: true },
    _copied: { state: true },
    _notice: { state: true },
  };

  /** ISO 4217 currency of spend-based tiers and "1 point per €1" (default EUR). */
  currency = 'EUR';
  /** Outline level of the heading (2–6, default 2), e.g. 3 inside the launcher's dialog. */
  headingLevel = 2;

  declare private _s?: PointsState;
  declare private _program?: Program;
  declare private _rewards?: Reward[];
  /** Id of the reward being redeemed. */
  private _pending = '';
  declare private _code?: Redemption;
  private _copied = false;
  private _notice = '';
  private _who?: string;

  /** Shared formatters plus this widget's strings; undefined while a language's strings are on their way. */
  private get _m(): M | undefined {
    const t = this._strings(pointsMessages);
    return t && { ...this.msg, ...t };
  }

  protected override async _fetch(rt: Runtime) {
    const who = rt.config.customerId;
    if (who !== this._who) {
      // Never show one shopper's balance or code to the next.
      this._s = this._program = this._code = undefined;
      this._notice = '';
    }
    const claim = who && (await this._claim(rt));
    // The reader's strings load alongside the data: no flash of English.
    const [data, rewards] = await Promise.all([
      rt.request<PointsState | Program>(who ? `/v1/customers/${seg(who)}` : '/v1/program'),
      rt.request<{ data: Reward[] }>('/v1/rewards'),
      pointsMessages.load(this.msg.locale),
    ]);
    return () => {
      if (claim) this._notice = this._said = claim;
      this._who = who;
      this._rewards = rewards.data.sort((a, b) => a.cost - b.cost);
      if (who) this._s = data as PointsState;
      else this._program = data as Program;
    };
  }

  /**
   * A guest order's claim link (`?kudos_claim=TOKEN`, from POST /v1/order-claims) opened by a
   * signed-in shopper: accept it once, then drop it from the address so a reload
   * does not ask again. Answers with what to tell the shopper.
   */
  private async _claim(rt: Runtime): Promise<string | undefined> {
    const url = new URL(location.href);
    const token = url.searchParams.get('kudos_claim');
    if (!token) return;
    url.searchParams.delete('kudos_claim');
    history.replaceState(history.state, '', url);
    const m = await pointsMessages.load(this.msg.locale);
    try {
      await rt.request(`/v1/order-claims/${seg(token)}/accept`, { method: 'POST' });
      return m.claimed;
    } catch (error) {
      const status = (error as KudosApiError).status;
      return status == 410 ? m.claimExpired : status == 409 ? m.claimUsed : undefined;
    }
  }

  private async _redeem(reward: Reward): Promise<void> {
    const m = this._m!;
    this._pending = reward.id;
    this._notice = this._said = '';
    this._copied = false;
    try {
      const rt = this.requireRuntime();
      const done = await rt.request<Redemption>(`/v1/customers/${seg(rt.config.customerId!)}/redemptions`, {
        // A fresh id per click: a retried request never spends twice.
        body: { rewardId: reward.id, id: randomId() },
      });
      this._code = done;
      this._said = m.codeSay(done.name, done.code);
      this.emit('kudos-reward-redeemed', done);
    } catch (error) {
      this._notice = this._said = /insufficient/.test((error as KudosApiError).problem?.type) ? m.short : m.failed;
    } finally {
      this._pending = '';
    }
    await this.updateComplete;
    // The redeem button may go away with the new balance: keep focus on the next useful thing.
    this.renderRoot.querySelector<HTMLElement>('[part~=copy-button],[part~=notice]')?.focus();
    // Every widget showing the balance (this one, a launcher's button, a second copy) reloads.
    getRuntime()?.('refresh');
  }

  private async _copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this._code!.code);
      this._copied = true;
      this._said = this._m!.copied;
    } catch {
      // No clipboard permission: the code stays selectable (user-select: all).
      getSelection()?.selectAllChildren(this.renderRoot.querySelector('code')!);
    }
  }

  /** "120 points" */
  private _pts(m: M, x: number): string {
    return `${m.n(x)} ${m.p(x, m.points)}`;
  }

  // Templates are written tight: Lit ships their whitespace as is.
  override render() {
    const m = this._m;
    const s = this._s;
    return this._frame(
      html`<h2 part="heading" id="h" tabindex="-1" aria-level=${this.headingLevel}>${m?.heading ?? '\u00a0'}</h2>`,
      m && (s ? this._customer(m, s) : this._program && this._anonymous(m, this._program)),
      html`<p class="visually-hidden">${m?.loading}</p><div part="skeleton" aria-hidden="true"></div>`,
      0,
    );
  }

  private _anonymous(m: M, program: Program) {
    return html`<ul part="earn">${program.earn.map(
        (r) =>
          html`<li>${m.earn(
            this._pts(m, r.points),
            r.per === 'total' ? m.money(1, this.currency) : r.per || m.unit(r.event, 1),
          )}</li>`,
      )}</ul>${this._list(m, 0, false)}<p part="invitation">${m.invite}</p>`;
  }

  private _customer(m: M, s: PointsState) {
    const t = s.tierProgress;
    const code = this._code;
    const note = [
      s.pendingPoints && m.pending(this._pts(m, s.pendingPoints)),
      s.pointsExpireAt && m.expires(m.date(s.pointsExpireAt)),
    ].filter(Boolean);
    return html`<p part="balance"><b part="balance-value">${m.n(s.points)}</b> ${m.p(s.points, m.points)}</p>${note.length
        ? html`<small part="balance-note">${note.join(' · ')}</small>`
        : nothing}${t?.current
        ? html`<div part="tier"><strong part="tier-name" id="tn">${m.tier(t.current.name)}</strong>${t.next
            ? html`<progress part="tier-progress" max=${t.next.min - t.current.min} value=${t.value - t.current.min} aria-labelledby="tn" aria-describedby="ts"></progress
                ><small part="tier-status" id="ts">${m.toNext(
                  t.basis === 'spend' ? m.money(t.next.remaining, this.currency) : this._pts(m, t.next.remaining),
                  t.next.name,
                )}</small>`
            : html`<small part="tier-status">${m.top}</small>`}</div>`
        : nothing}${code
        ? html`<div part="code"><p>${m.code(code.name)}</p><code part="code-value">${code.code}</code
            ><button part="copy-button" type="button" @click=${this._copy}>${this._copied ? m.copied : m.copy}</button></div>`
        : nothing}${this._notice ? html`<p part="notice" tabindex="-1">${this._notice}</p>` : nothing}${s.gifts?.map(
        (g) => html`<p part="gift">${m.gift(g.name)}${g.code ? html`<code>${g.code}</code>` : nothing}</p>`,
      )}${this._list(
        m,
        s.points,
        true,
      )}<h3 part="subheading">${m.activity}</h3>${s.activity.length
        ? html`<ul part="activity">${s.activity.slice(0, 5).map(
            (a) =>
              html`<li part="activity-item"><strong part="activity-kind">${m.kinds[a.kind] ?? a.kind}${a.rewardId
                  ? ` · ${this._rewards?.find((r) => r.id === a.rewardId)?.name ?? a.rewardId}`
                  : ''}</strong>
                <span part="activity-points">${(a.points > 0 ? '+' : '') + m.n(a.points)}</span>
                <time part="activity-date" datetime=${a.at}>${a.availableAt
                  ? m.until(m.date(a.availableAt))
                  : m.date(a.at)}</time></li>`,
          )}</ul>`
        : html`<p part="empty">${m.noActivity}</p>`}`;
  }

  /** The rewards catalog; with `redeemable`, a native button on each one the balance affords. */
  private _list(m: M, balance: number, redeemable: boolean) {
    const rewards = this._rewards!;
    return rewards.length
      ? html`<h3 part="subheading">${m.rewards}</h3><ul part="rewards">${rewards.map((r) => {
          const ok = redeemable && balance >= r.cost;
          return html`<li part="reward ${ok ? 'reward-available' : 'reward-locked'}"><strong part="reward-name">${r.name}</strong>
            <small part="reward-cost">${this._pts(m, r.cost)}</small> ${ok
              ? html`<button part="redeem-button" type="button" ?disabled=${!!this._pending} @click=${() => this._redeem(r)}>${m.redeem}<span
                    class="visually-hidden"
                  > ${r.name}</span
                  ></button>`
              : redeemable
                ? html`<small part="reward-status">${m.missing(this._pts(m, r.cost - balance))}</small>`
                : nothing}</li>`;
        })}</ul>`
      : nothing;
  }
}

KudosPoints.define('kudos-points');

declare global {
  interface HTMLElementTagNameMap {
    'kudos-points': KudosPoints;
  }
  interface HTMLElementEventMap {
    'kudos-reward-redeemed': CustomEvent<Redemption>;
  }
}
