// NPS surveys: pure rules over a person's contact history and a survey's tallies.
// No I/O and no clock: callers pass `now`. Sampling is a hash, not a dice roll, so
// a person sampled out stays out on every page.
import { createHash } from 'node:crypto';
import { DomainError, problems } from '../errors.js';
import type { IneligibleReason, ResponseInput, SurveyDefinition, SurveySummary } from './schemas.js';

export type Band = 'detractor' | 'passive' | 'promoter';

export const bandOf = (score: number): Band => (score <= 6 ? 'detractor' : score <= 8 ? 'passive' : 'promoter');

const DAY_MS = 86_400_000;
/** A person's latest displays that can still be answered or dismissed. */
export const MAX_RECENT_DISPLAYS = 20;
/** Comments kept per survey (newest first); older ones drop off. Scores are kept forever as counts. */
export const MAX_COMMENTS = 200;
/** Weekly buckets kept per survey (two years). */
export const MAX_WEEKS = 104;
/** Daily buckets kept per survey (two years and a day, the longest KPI period). */
export const MAX_DAYS = 731;
/** Orders remembered as answered per person and survey; older ones fall off (a link that old is long unopened). */
export const MAX_ANSWERED_ORDERS = 500;

/**
 * Where an answer was given, reported apart in the KPIs: the in-cart widget, or
 * the hosted post-delivery page the shop's emails link to (surveys/hosted.ts).
 */
export type SurveyChannel = 'cart' | 'post-delivery';
export type DisplayPlacement = 'cart' | 'post-purchase' | 'post-delivery';

export interface DisplayRecord {
  id: string;
  surveyId: string;
  shownAt: string;
  /** Where the page showed it (absent: not said, or recorded before it was kept). */
  placement?: DisplayPlacement;
  dismissedAt?: string;
  response?: { id: string; score: number; comment?: string; at: string };
  /** The order a signed post-delivery link named: that display's answer is the order's, not the person's. */
  orderId?: string;
}

/** Per person (customer id or anonymous key), across every survey of the shop. */
export interface ContactRecord {
  /** The latest display of any survey of the shop: the recontact window runs from here. */
  lastShownAt?: string;
  /** Displays per survey, dismissed ones included (for the cap). */
  displays: Record<string, number>;
  recent: DisplayRecord[];
  /** Survey id → the person's response id: one response per person and survey, kept past `recent`. */
  responded?: Record<string, string>;
  /**
   * Survey id → orders whose post-delivery link this person answered, newest first (at most
   * MAX_ANSWERED_ORDERS): after a delivery the shop asks about the order, so each order has
   * its one answer and the person's next order is asked afresh.
   */
  answeredOrders?: Record<string, string[]>;
  /** An anonymous visitor's key, so the idle sweep (./anonymous-contacts.ts) can find and delete the record. */
  person?: string;
}

export interface CommentRecord {
  responseId: string;
  score: number;
  comment: string;
  at: string;
  orderId?: string;
}

/** Per survey: counts only, so the summary is cheap and the document does not grow with traffic. */
export interface SurveyTally {
  displays: number;
  dismissals: number;
  /** Responses per score 0–10. */
  counts: number[];
  /** Monday (UTC) of the week → responses per score. */
  weeks: Record<string, number[]>;
  /**
   * UTC day (YYYY-MM-DD) → responses per score, days with answers only, the last
   * MAX_DAYS: the KPIs count the answers of exactly the days asked. Absent on
   * tallies from before it existed.
   */
  days?: Record<string, number[]>;
  comments: CommentRecord[];
  /** Of `counts`, the responses of anonymous visitors (absent in tallies from before it was kept). */
  anonymousCounts?: number[];
  /** Of `days`, per channel: UTC day → responses per score (the last MAX_DAYS). Answers without a channel are in neither. */
  channelDays?: Partial<Record<SurveyChannel, Record<string, number[]>>>;
}

/** The channel of an answer: a cart survey, a display the cart showed, or the hosted post-delivery page. */
export function channelOf(survey: Pick<SurveyDefinition, 'placement'>, display: Pick<DisplayRecord, 'placement'>): SurveyChannel | undefined {
  if (display.placement === 'post-delivery') return 'post-delivery';
  if (display.placement === 'cart' || survey.placement === 'cart') return 'cart';
  return undefined;
}

/**
 * Whether a signed link's answer is in already: per order when the link names one, else
 * per person. `displayId` (derived from the link) also catches answers kept before orders
 * were remembered apart.
 */
export function linkAnswered(contact: ContactRecord | undefined, surveyId: string, orderId: string, displayId: string): boolean {
  if (!contact) return false;
  if (contact.recent.some((d) => d.id === displayId && d.surveyId === surveyId && d.response)) return true;
  return orderId ? (contact.answeredOrders?.[surveyId]?.includes(orderId) ?? false) : contact.responded?.[surveyId] !== undefined;
}

export const emptyContact = (): ContactRecord => ({ displays: {}, recent: [] });
export const emptyTally = (): SurveyTally => ({ displays: 0, dismissals: 0, counts: Array(11).fill(0), weeks: {}, comments: [] });

/** Where a person falls in [0, 100): the same every time for this shop, survey and person. */
export function sampleBucket(shopId: string, surveyId: string, personKey: string): number {
  const digest = createHash('sha256').update(`${shopId}\u0000${surveyId}\u0000${personKey}`).digest();
  return (digest.readUInt32BE(0) / 2 ** 32) * 100;
}

export interface EligibilityInput {
  shopId: string;
  personKey: string;
  placement?: 'cart' | 'post-purchase';
  now: Date;
}

export type EligibilityDecision = { show: true } | { show: false; reason: IneligibleReason };

export function eligibility(
  survey: SurveyDefinition,
  contact: ContactRecord | undefined,
  { shopId, personKey, placement, now }: EligibilityInput,
): EligibilityDecision {
  const t = now.getTime();
  if ((survey.startsAt && t < Date.parse(survey.startsAt)) || (survey.endsAt && t >= Date.parse(survey.endsAt))) {
    return { show: false, reason: 'inactive' };
  }
  if (placement && survey.placement !== 'any' && survey.placement !== placement) return { show: false, reason: 'placement' };
  if (sampleBucket(shopId, survey.id, personKey) >= survey.samplePercent) return { show: false, reason: 'not-sampled' };
  if ((contact?.displays[survey.id] ?? 0) >= survey.maxDisplays) return { show: false, reason: 'cap' };
  if (contact?.lastShownAt && t - Date.parse(contact.lastShownAt) < survey.recontactDays * DAY_MS) {
    return { show: false, reason: 'recontact' };
  }
  return { show: true };
}

/** A survey the shop sends itself is still bound by its own dates. */
function askedEligibility(survey: SurveyDefinition, now: Date): EligibilityDecision {
  const t = now.getTime();
  if ((survey.startsAt && t < Date.parse(survey.startsAt)) || (survey.endsAt && t >= Date.parse(survey.endsAt))) return { show: false, reason: 'inactive' };
  return { show: true };
}

const conflict = problems.conflict;

export const notEligible = (reason: IneligibleReason) =>
  new DomainError('survey-not-eligible', `Not eligible now (${reason}); ask /eligibility first.`);

export interface DisplayUpdate {
  contact: ContactRecord;
  tally: SurveyTally;
  display: DisplayRecord;
}

/**
 * Record a display (eligibility is checked again here, atomically, so two tabs
 * cannot both pass the cap) or the dismissal of one. Repeats change nothing.
 */
export function recordDisplay(
  survey: SurveyDefinition,
  current: { contact?: ContactRecord; tally?: SurveyTally },
  input: { id: string; dismissed?: true; placement?: DisplayPlacement; orderId?: string },
  context: EligibilityInput,
  /** The shop asked this person itself (a signed post-delivery link): no sampling, cap or recontact wait. */
  asked = false,
): DisplayUpdate {
  const contact = current.contact ?? emptyContact();
  const tally = current.tally ?? emptyTally();
  const at = context.now.toISOString();
  const existing = contact.recent.find((d) => d.id === input.id);
  if (existing) {
    if (existing.surveyId !== survey.id) throw problems.notFound(`No display "${input.id}" of this survey for this person.`);
    if (!input.dismissed || existing.dismissedAt) return { contact, tally, display: existing };
    if (existing.response) throw conflict('This display was already answered; it cannot be dismissed.');
    const display = { ...existing, dismissedAt: at };
    return {
      contact: { ...contact, recent: contact.recent.map((d) => (d.id === input.id ? display : d)) },
      tally: { ...tally, dismissals: tally.dismissals + 1 },
      display,
    };
  }
  const decision = asked ? askedEligibility(survey, context.now) : eligibility(survey, contact, context);
  if (!decision.show) throw notEligible(decision.reason);
  const placement = input.placement ?? context.placement;
  const display: DisplayRecord = {
    id: input.id,
    surveyId: survey.id,
    shownAt: at,
    ...(placement ? { placement } : {}),
    ...(input.orderId ? { orderId: input.orderId } : {}),
    ...(input.dismissed ? { dismissedAt: at } : {}),
  };
  return {
    contact: {
      // `responded` stays: it is what still says "already answered" once the answered display has left `recent`.
      ...contact,
      lastShownAt: at,
      displays: { ...contact.displays, [survey.id]: (contact.displays[survey.id] ?? 0) + 1 },
      recent: [display, ...contact.recent].slice(0, MAX_RECENT_DISPLAYS),
    },
    tally: { ...tally, displays: tally.displays + 1, dismissals: tally.dismissals + (input.dismissed ? 1 : 0) },
    display,
  };
}

/**
 * The `survey_response` event of a response: derived, so a replay is the same
 * event, and hashed with the person, so one person's response id can never
 * collide with another's in the shop-wide event ids.
 */
export const responseEventId = (surveyId: string, personKey: string, responseId: string) =>
  `survey_response:${createHash('sha256').update(`${surveyId}\u0000${personKey}\u0000${responseId}`).digest('hex').slice(0, 40)}`;

/** Monday 00:00 UTC of the week `date` falls in, as YYYY-MM-DD. */
export function weekStart(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

export interface ResponseUpdate {
  contact: ContactRecord;
  tally: SurveyTally;
  response: { id: string; displayId: string; score: number; band: Band; respondedAt: string; status: 'accepted' | 'duplicate' };
}

/** One response per display; the same response again is a `duplicate`, anything else a conflict. */
export function recordResponse(
  survey: SurveyDefinition,
  current: { contact?: ContactRecord; tally?: SurveyTally },
  input: ResponseInput,
  now: Date,
  who: { anonymous: boolean } = { anonymous: false },
): ResponseUpdate {
  const contact = current.contact ?? emptyContact();
  const tally = current.tally ?? emptyTally();
  const display = contact.recent.find((d) => d.id === input.displayId && d.surveyId === survey.id);
  if (!display) throw problems.notFound(`No display "${input.displayId}" of this survey for this person.`);
  const comment = input.comment?.trim() || undefined;
  if (display.response) {
    const r = display.response;
    if (r.id !== input.id) throw conflict('This display was already answered (one response per display).');
    if (r.score !== input.score || r.comment !== comment) throw conflict(`Response "${input.id}" was recorded with another answer.`);
    return {
      contact,
      tally,
      response: { id: r.id, displayId: display.id, score: r.score, band: bandOf(r.score), respondedAt: r.at, status: 'duplicate' },
    };
  }
  if (display.dismissedAt) throw conflict('This display was dismissed; show the survey again to answer it.');
  // One response per person and survey: another display answered is a second vote. A post-delivery
  // link's display is about its order instead: one response per order, whoever else they answered.
  const order = display.orderId;
  if (order !== undefined) {
    if (contact.answeredOrders?.[survey.id]?.includes(order)) throw conflict('This order was already answered (one response per order).');
  } else {
    const earlier = contact.responded?.[survey.id] ?? contact.recent.find((d) => d.surveyId === survey.id && d.response && d.orderId === undefined)?.response?.id;
    if (earlier !== undefined) throw conflict('This person already answered this survey (one response per person).');
  }
  const at = now.toISOString();
  const answered: DisplayRecord = { ...display, response: { id: input.id, score: input.score, ...(comment ? { comment } : {}), at } };
  const week = weekStart(now);
  const weekCounts = [...(tally.weeks[week] ?? Array(11).fill(0))];
  weekCounts[input.score]++;
  const weeks = Object.fromEntries(
    Object.entries({ ...tally.weeks, [week]: weekCounts })
      .sort(([a], [b]) => (a < b ? 1 : -1))
      .slice(0, MAX_WEEKS),
  );
  const day = at.slice(0, 10);
  const dayCounts = [...(tally.days?.[day] ?? Array(11).fill(0))];
  dayCounts[input.score]++;
  const days = Object.fromEntries(
    Object.entries({ ...tally.days, [day]: dayCounts })
      .sort(([a], [b]) => (a < b ? 1 : -1))
      .slice(0, MAX_DAYS),
  );
  const counts = [...tally.counts];
  counts[input.score]++;
  const comments = comment
    ? [{ responseId: input.id, score: input.score, comment, at, ...(input.orderId ? { orderId: input.orderId } : {}) }, ...tally.comments].slice(
        0,
        MAX_COMMENTS,
      )
    : tally.comments;
  const anonymousCounts = [...(tally.anonymousCounts ?? Array(11).fill(0))];
  if (who.anonymous) anonymousCounts[input.score]++;
  const channel = channelOf(survey, display);
  let channelDays = tally.channelDays;
  if (channel) {
    const byDay = channelDays?.[channel] ?? {};
    const dayCounts = [...(byDay[day] ?? Array(11).fill(0))];
    dayCounts[input.score]++;
    const kept = Object.fromEntries(
      Object.entries({ ...byDay, [day]: dayCounts })
        .sort(([a], [b]) => (a < b ? 1 : -1))
        .slice(0, MAX_DAYS),
    );
    channelDays = { ...channelDays, [channel]: kept };
  }
  return {
    contact: {
      ...contact,
      recent: contact.recent.map((d) => (d === display ? answered : d)),
      ...(order !== undefined
        ? { answeredOrders: { ...contact.answeredOrders, [survey.id]: [order, ...(contact.answeredOrders?.[survey.id] ?? [])].slice(0, MAX_ANSWERED_ORDERS) } }
        : { responded: { ...contact.responded, [survey.id]: input.id } }),
    },
    tally: { ...tally, counts, weeks, days, comments, anonymousCounts, ...(channelDays ? { channelDays } : {}) },
    response: { id: input.id, displayId: display.id, score: input.score, band: bandOf(input.score), respondedAt: at, status: 'accepted' },
  };
}

/** round(x / n) with halves away from zero, in integers (no 0.1 + 0.2 drift at the boundary). */
function roundRatio(x: number, n: number): number {
  return Math.sign(x) * Math.floor((Math.abs(x) * 2 + n) / (2 * n)) || 0;
}

/** NPS = %promoters − %detractors, rounded to an integer, halves away from zero; null without responses. */
export function npsOf(counts: readonly number[]): { responses: number; promoters: number; passives: number; detractors: number; nps: number | null } {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  counts.forEach((c, score) => {
    if (bandOf(score) === 'promoter') promoters += c;
    else if (bandOf(score) === 'passive') passives += c;
    else detractors += c;
  });
  const responses = promoters + passives + detractors;
  return { responses, promoters, passives, detractors, nps: responses ? roundRatio((promoters - detractors) * 100, responses) : null };
}

/** Percent to one decimal. */
const percent = (count: number, total: number) => (total ? roundRatio(count * 1000, total) / 10 : 0);

const sumDays = (days: Record<string, number[]> | undefined): number[] => {
  const counts: number[] = Array(11).fill(0);
  for (const bucket of Object.values(days ?? {})) bucket.forEach((c, score) => (counts[score] += c));
  return counts;
};

const pick = ({ responses, nps }: { responses: number; nps: number | null }) => ({ responses, nps });

export function summarize(surveyId: string, tally: SurveyTally | undefined, now: Date, weeks = 12, comments = 20): SurveySummary {
  const t = tally ?? emptyTally();
  const all = npsOf(t.counts);
  const trend: SurveySummary['trend'] = [];
  const monday = new Date(`${weekStart(now)}T00:00:00Z`);
  for (let i = weeks - 1; i >= 0; i--) {
    const start = new Date(monday.getTime() - i * 7 * DAY_MS).toISOString().slice(0, 10);
    const { responses, promoters, passives, detractors, nps } = npsOf(t.weeks[start] ?? []);
    trend.push({ weekStart: start, responses, promoters, passives, detractors, nps });
  }
  return {
    surveyId,
    responses: all.responses,
    displays: t.displays,
    dismissals: t.dismissals,
    promoters: { count: all.promoters, percent: percent(all.promoters, all.responses) },
    passives: { count: all.passives, percent: percent(all.passives, all.responses) },
    detractors: { count: all.detractors, percent: percent(all.detractors, all.responses) },
    nps: all.nps,
    // Anonymous ids cost nothing to mint: the owner sees signed-in customers' answers apart.
    verified: pick(npsOf(t.counts.map((c, i) => c - (t.anonymousCounts?.[i] ?? 0)))),
    anonymous: pick(npsOf(t.anonymousCounts ?? Array(11).fill(0))),
    // In-cart and post-delivery answers reported apart (answers from elsewhere are in neither).
    channels: { cart: pick(npsOf(sumDays(t.channelDays?.cart))), postDelivery: pick(npsOf(sumDays(t.channelDays?.['post-delivery']))) },
    distribution: [...t.counts],
    trend,
    comments: t.comments.slice(0, comments).map(({ score, comment, at, orderId }) => ({ score, comment, at, ...(orderId ? { orderId } : {}) })),
  };
}
