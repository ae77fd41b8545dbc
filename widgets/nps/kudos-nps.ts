import { html, nothing, type PropertyDeclarations } from 'lit';
import type { Award } from '../../sdk/types.js';
import { errorKind, seg } from '../internal/api.js';
import { KudosElement } from '../internal/base-element.js';
import { hostStyles } from '../internal/tokens.js';
import { loadNpsMessages, npsMessages, pickText } from './messages.js';
import { npsStyles } from './kudos-nps.styles.js';

type Band = 'detractor' | 'passive' | 'promoter';
type Texts = Record<string, string>;

interface PublicSurvey {
  id: string;
  question: Texts;
  followUps?: Partial<Record<Band, Texts>>;
}

/** Detail of `kudos-nps-response`. */
export interface NpsResponseDetail {
  surveyId: string;
  score: number;
  band: Band;
}

const bandOf = (score: number): Band => (score <= 6 ? 'detractor' : score <= 8 ? 'passive' : 'promoter');
const SCORES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
/** 24 hex characters for display and response ids (inline: sdk/random-id.js would be one more file to fetch). */
const randomId = () => Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => (b + 256).toString(16).slice(1)).join('');

/**
 * A one-question NPS survey. Asks the server whether this person should see it
 * (sampling, recontact window and cap are decided there) and renders nothing
 * when not. Otherwise: the question with a 0–10 radio group, then the band's
 * follow-up with an optional comment, then a thank-you. It appears without
 * taking focus and is announced politely; every step occupies the same space,
 * so nothing moves while it is answered.
 *
 * @tag kudos-nps
 * @attr survey - the survey id (required)
 * @attr placement - `cart` or `post-purchase`: where the page shows it; a survey set up for another placement stays hidden
 * @attr compact - a denser card for narrow places (cart drawers, sidebars)
 * @fires kudos-nps-response - the answer was recorded; detail `{surveyId, score, band}`. Bubbles, composed.
 * @fires kudos-award - an award the answer earned (detail: the award), for `<kudos-toast>` and the data widgets. Bubbles, composed.
 * @csspart base - the card around everything
 * @csspart question - the question (the fieldset legend)
 * @csspart scale - the row of eleven options
 * @csspart option - each option's label
 * @csspart option-checked - the chosen one
 * @csspart ends - the row of end labels
 * @csspart end-low - "Not likely"
 * @csspart end-high - "Very likely"
 * @csspart follow-up - the band's follow-up question (label of the comment)
 * @csspart comment - the comment textarea
 * @csspart hint - its "Optional" note
 * @csspart actions - button row
 * @csspart next-button - goes on to the comment
 * @csspart send-button - sends the answer
 * @csspart dismiss-button - closes the survey without answering
 * @csspart error - what went wrong (nothing chosen, answer not sent)
 * @csspart thanks - the thank-you message
 * @csspart announcement - polite live region (visually hidden)
 * @cssprop --kudos-nps-min-height - room kept until the server has said whether to ask, and the card's least height (default `0px`: most visitors are not asked; a shop that asks most of them sets the card's height, e.g. `clamp(11.75rem, (768px - 100vw) * 1e4, 14.5rem)` for the demo's question)
 */
export class KudosNps extends KudosElement {
  static override styles = [hostStyles, npsStyles];
  static override properties: PropertyDeclarations = {
    survey: {},
    placement: {},
    compact: { type: Boolean, reflect: true },
    _survey: { state: true },
    _step: { state: true },
    _score: { state: true },
    _error: { state: true },
    _busy: { state: true },
    _said: { state: true },
    _room: { state: true },
  };

  /** Survey id. */
  survey = '';
  /** `cart` | `post-purchase`. */
  declare placement?: string;
  compact = false;

  declare private _survey?: PublicSurvey;
  /** '' while not shown (loading, not eligible, failed), then the three steps, or 'closed' after a dismissal. */
  private _step: '' | 'ask' | 'follow' | 'thanks' | 'closed' = '';
  declare private _score?: number;
  private _error = '';
  private _busy = false;
  private _said = '';
  /**
   * Whether the card's room is kept (`.room`): from the start, as the loader kept it before the
   * element was defined, so nothing moves when the survey appears; given back once the server
   * says not to ask, or the shopper closes it.
   */
  private _room = true;
  private _displayId = '';
  private _responseId = '';
  private _seq = 0;

  override refresh(): void {
    // Once shown, the survey stays put: a refresh (an award, a sign-in) never pulls it from under the reader.
    if (!this._step) void this._load();
  }

  private async _load(): Promise<void> {
    const seq = ++this._seq;
    try {
      await null;
      const rt = this.requireRuntime();
      const path = `/v1/surveys/${seg(this.survey)}`;
      const [e] = await Promise.all([
        rt.request<{ show: boolean; survey?: PublicSurvey }>(
          `${path}/eligibility${this.placement ? `?placement=${seg(this.placement)}` : ''}`,
        ),
        loadNpsMessages(this.msg.locale),
      ]);
      if (seq !== this._seq) return;
      if (!e.show) return void (this._room = false);
      const displayId = randomId();
      // The server checks again while recording: a second tab gets a 409 and stays hidden.
      // Where it showed: an answer in the cart counts as in-cart NPS, apart from post-delivery answers.
      const placement = this.placement === 'cart' || this.placement === 'post-purchase' ? { placement: this.placement } : {};
      await rt.request(`${path}/displays`, { method: 'POST', body: { id: displayId, ...placement } });
      if (seq !== this._seq || this._step) return;
      this._displayId = displayId;
      this._responseId = randomId();
      this._survey = e.survey;
      this._step = 'ask';
      this._room = true;
      this._said = npsMessages(this.msg.locale).announce(this._text(e.survey!.question));
    } catch (error) {
      // A survey is optional: any failure leaves the page as if none was planned.
      // The person installing still hears why: a setup error, or the server's problem (e.g. an
      // unknown survey id). A 409 is another tab showing it first: nothing to fix.
      if ((error as { status?: number }).status != 409) errorKind(error, this);
      if (seq === this._seq && !this._step) this._room = false;
    }
  }

  private _text(texts: Texts | undefined): string {
    return pickText(texts, this.msg.locale) ?? '';
  }

  private _pick(e: Event): void {
    this._score = Number((e.target as HTMLInputElement).value);
    this._error = '';
  }

  private async _next(e: Event): Promise<void> {
    e.preventDefault();
    if (this._score === undefined) {
      this._error = npsMessages(this.msg.locale).pick;
      this.renderRoot.querySelector('input')!.focus();
      return;
    }
    this._error = '';
    this._step = 'follow';
    await this.updateComplete;
    this.renderRoot.querySelector('textarea')!.focus();
  }

  private async _send(e: Event): Promise<void> {
    e.preventDefault();
    if (this._busy) return;
    const m = npsMessages(this.msg.locale);
    const comment = this.renderRoot.querySelector('textarea')!.value.trim();
    const score = this._score!;
    this._busy = true;
    this._error = '';
    try {
      const answer = await this.requireRuntime().request<{ awards: Award[] }>(`/v1/surveys/${seg(this.survey)}/responses`, {
        method: 'POST',
        // Same response id on a retry: the server counts it once.
        body: { id: this._responseId, displayId: this._displayId, score, ...(comment ? { comment } : {}) },
      });
      this._step = 'thanks';
      this._said = m.thanks;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[part~="thanks"]')!.focus();
      this.emit<NpsResponseDetail>('kudos-nps-response', { surveyId: this.survey, score, band: bandOf(score) });
      for (const award of answer.awards) this.emit('kudos-award', award);
    } catch {
      this._error = m.failed;
    } finally {
      this._busy = false;
    }
  }

  private _dismiss(): void {
    const m = npsMessages(this.msg.locale);
    this._step = 'closed';
    this._room = false;
    this._said = m.closed;
    // The shopper asked for it to go: it goes, whether or not the server hears about it.
    this.requireRuntime()
      .request(`/v1/surveys/${seg(this.survey)}/displays`, { method: 'POST', body: { id: this._displayId, dismissed: true } })
      .catch(() => {});
  }

  override render() {
    // One template around the live region, so it stays the same node and its changes are announced.
    return html`<div class=${this._room ? 'room' : ''}>${this._card()}</div><p part="announcement" role="status" class="visually-hidden">${this._said}</p>`;
  }

  private _card() {
    const s = this._survey;
    const step = this._step;
    if (!s || !step || step === 'closed') return nothing;
    const m = npsMessages(this.msg.locale);
    const f = this.msg;
    const band = bandOf(this._score ?? 0);
    const error = this._error ? html`<p part="error" role="alert">${this._error}</p>` : nothing;
    return html`<section part="base" aria-labelledby="q">
        <form class="step" ?inert=${step !== 'ask'} @submit=${this._next} novalidate>
          <fieldset>
            <legend part="question" id="q">${this._text(s.question)}</legend>
            <div part="scale">
              ${SCORES.map(
                (i) =>
                  html`<label part="option${this._score === i ? ' option-checked' : ''}"
                    ><input
                      type="radio"
                      name="score"
                      required
                      .value=${String(i)}
                      aria-describedby=${i === 0 ? 'lo' : i === 10 ? 'hi' : nothing}
                      @change=${this._pick}
                    /><span>${f.n(i)}</span></label
                  >`,
              )}
            </div>
            <div part="ends"><span part="end-low" id="lo">${m.low}</span><span part="end-high" id="hi">${m.high}</span></div>
          </fieldset>
          ${step === 'ask' ? error : nothing}
          <div part="actions">
            <button part="next-button" type="submit">${m.next}</button>
            <button part="dismiss-button" class="quiet" type="button" @click=${this._dismiss}>${m.notNow}</button>
          </div>
        </form>
        <form class="step" ?inert=${step !== 'follow'} @submit=${this._send} novalidate>
          <div class="head"><label part="follow-up" for="c">${this._text(s.followUps?.[band]) || m[band]}</label><span part="hint" id="h">${m.optional}</span></div>
          <textarea part="comment" id="c" rows="2" maxlength="1000" aria-describedby="h"></textarea>
          ${step === 'follow' ? error : nothing}
          <div part="actions">
            <button part="send-button" type="submit" aria-disabled=${this._busy ? 'true' : 'false'}>${m.send}</button>
          </div>
        </form>
        <div class="step" ?inert=${step !== 'thanks'}>
          <p part="thanks" tabindex="-1">${m.thanks}</p>
        </div>
      </section>`;
  }
}

KudosNps.define('kudos-nps');

declare global {
  interface HTMLElementTagNameMap {
    'kudos-nps': KudosNps;
  }
  interface HTMLElementEventMap {
    'kudos-nps-response': CustomEvent<NpsResponseDetail>;
    'kudos-award': CustomEvent<Award>;
  }
}
