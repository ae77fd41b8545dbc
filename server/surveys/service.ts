// Surveys and their answers in the store: the only survey code that talks to it. Routes
// (the API in routes.ts, the hosted post-delivery page in hosted.ts) authenticate,
// validate, limit by address and answer; the engine decides.
import { putDefinition } from '../store/put-definition.js';
import { problems, withDocs } from '../http/problem.js';
import type { BrowserLimits, DocumentRef, Store } from '../store/store.js';
import { QuotaExceeded } from '../store/store.js';
import { recordEvents } from '../events/record-events.js';
import { ANONYMOUS_COUNT_REF, contactRef, type AnonymousCount } from './anonymous-contacts.js';
import { emptyContact, emptyTally, linkAnswered, recordDisplay, recordResponse, responseEventId, type ContactRecord, type DisplayUpdate, type ResponseUpdate, type SurveyTally, weekStart } from './engine.js';
import type { ResponseInput, SurveyDefinition, SurveyInput } from './schemas.js';

export const SURVEYS = 'surveys';
export const surveyRef = (id: string): DocumentRef => ({ collection: SURVEYS, id });
export const tallyRef = (id: string): DocumentRef => ({ collection: 'survey-tallies', id });

export interface SurveyDeps {
  store: Store;
  now: () => Date;
}

type Response = ResponseUpdate['response'];

export async function findSurvey(store: Store, shopId: string, id: string): Promise<SurveyDefinition> {
  const survey = await store.getDocument<SurveyDefinition>(shopId, surveyRef(id));
  if (!survey) throw withDocs(problems.notFound(`No survey "${id}" in this shop.`), 'nps.md');
  return survey;
}

export const listSurveys = (store: Store, shopId: string) => store.listDocuments<SurveyDefinition>(shopId, SURVEYS);

export async function putSurvey({ store, now }: SurveyDeps, shopId: string, id: string, input: SurveyInput) {
  const { value: survey, created } = await putDefinition<SurveyInput>(store, now, shopId, surveyRef(id), input);
  return { survey: survey as SurveyDefinition, created };
}

export const contactOf = (store: Store, shopId: string, personKey: string) => store.getDocument<ContactRecord>(shopId, contactRef(personKey));
/** Every survey's tally (displays, answers by score, week, day and channel): the KPIs' NPS. */
export const listTallies = (store: Store, shopId: string) => store.listDocuments<SurveyTally>(shopId, 'survey-tallies');
export const tallyOf = (store: Store, shopId: string, surveyId: string) => store.getDocument<SurveyTally>(shopId, tallyRef(surveyId));

/**
 * A display, in one update with the person's contact history and the survey's tally. With
 * `limits` (an anonymous visitor), a visitor's first record counts against anonymousVisitors:
 * QuotaExceeded past it, and nothing is stored.
 */
export async function recordSurveyDisplay(
  store: Store,
  shopId: string,
  survey: SurveyDefinition,
  personKey: string,
  input: Parameters<typeof recordDisplay>[2],
  context: Parameters<typeof recordDisplay>[3],
  limits?: { anonymousVisitors: number },
): Promise<DisplayUpdate['display']> {
  const refs = [contactRef(personKey), tallyRef(survey.id), ...(limits ? [ANONYMOUS_COUNT_REF] : [])];
  return store.updateDocuments(shopId, refs, ([contact, tally, counter]) => {
    const next = recordDisplay(survey, { contact: contact as ContactRecord, tally: tally as SurveyTally }, input, context);
    const unchanged = next.contact === contact;
    if (unchanged) return { values: limits ? [contact, tally, counter] : [contact, tally], result: next.display };
    if (!limits) return { values: [next.contact, next.tally], result: next.display };
    if (contact !== undefined) return { values: [next.contact, next.tally, counter], result: next.display };
    const count = (counter as AnonymousCount | undefined)?.count ?? 0;
    if (count >= limits.anonymousVisitors) throw new QuotaExceeded('anonymousVisitors', limits.anonymousVisitors);
    return { values: [{ ...next.contact, person: personKey }, next.tally, { count: count + 1 }], result: next.display };
  });
}

/**
 * The `survey_response` event of an answer, when the survey records one; also on a replay:
 * if the process stopped between the answer and its event, the event goes in now; if it
 * went in before, it is a duplicate with its first awards. Returns the awards.
 */
async function recordResponseEvent(
  { store, now }: SurveyDeps,
  shopId: string,
  survey: SurveyDefinition,
  personKey: string,
  response: Response,
  extra: { channel?: 'post-delivery'; limits?: BrowserLimits } = {},
): Promise<unknown[]> {
  if (!survey.recordEvent) return [];
  const event = {
    id: responseEventId(survey.id, personKey, response.id),
    type: 'survey_response',
    customerId: personKey,
    occurredAt: response.respondedAt,
    properties: { surveyId: survey.id, score: response.score, band: response.band, ...(extra.channel && { channel: extra.channel }) },
  };
  const [outcome] = await recordEvents(store, now, shopId, [event], extra.limits ? { limits: extra.limits } : {});
  return outcome?.awards ?? [];
}

/**
 * An answer from the API. With `limits` (an anonymous visitor whose answer records an
 * event), the visitor record it makes is checked against anonymousVisitors before the
 * answer is stored (QuotaExceeded).
 */
export async function recordSurveyResponse(
  deps: SurveyDeps,
  shopId: string,
  survey: SurveyDefinition,
  personKey: string,
  input: ResponseInput,
  who: { anonymous: boolean; limits?: BrowserLimits },
): Promise<{ response: Response; awards: unknown[] }> {
  const at = deps.now();
  if (who.limits) {
    await deps.store.checkLimits(shopId, [{ id: 'survey_response:quota', type: 'survey_response', customerId: personKey, occurredAt: at.toISOString(), properties: {} }], who.limits);
  }
  const response = await deps.store.updateDocuments(shopId, [contactRef(personKey), tallyRef(survey.id)], ([contact, tally]) => {
    const next = recordResponse(survey, { contact: contact as ContactRecord, tally: tally as SurveyTally }, input, at, { anonymous: who.anonymous });
    const values = next.response.status === 'duplicate' ? [contact, tally] : [next.contact, next.tally];
    return { values, result: next.response };
  });
  // Only when visitors filled the quota since the check above does this throw QuotaExceeded: the answer is kept, its event goes in on a retry.
  const awards = await recordResponseEvent(deps, shopId, survey, personKey, response, who.limits ? { limits: who.limits } : {});
  return { response, awards };
}

/**
 * An answer from a signed post-delivery link: shown and answered in one update. One
 * answer per order the link names (per person and survey for a link without an order):
 * undefined when it was answered already.
 */
export async function recordLinkedAnswer(
  deps: SurveyDeps,
  shopId: string,
  survey: SurveyDefinition,
  personKey: string,
  answer: { displayId: string; responseId: string; score: number; comment: string; orderId?: string },
): Promise<Response | undefined> {
  const at = deps.now();
  const { displayId, responseId, score, comment, orderId } = answer;
  const outcome = await deps.store.updateDocuments(shopId, [contactRef(personKey), tallyRef(survey.id)], ([contact, tally]) => {
    const current = { contact: contact as ContactRecord | undefined, tally: tally as SurveyTally | undefined };
    if (linkAnswered(current.contact, survey.id, orderId ?? '', displayId)) return { values: [contact, tally], result: undefined };
    const shown = recordDisplay(survey, current, { id: displayId, placement: 'post-delivery', ...(orderId ? { orderId } : {}) }, { shopId, personKey, now: at }, true);
    const answered = recordResponse(
      survey,
      { contact: shown.contact, tally: shown.tally },
      { id: responseId, displayId, score, ...(comment.trim() ? { comment } : {}), ...(orderId ? { orderId } : {}) },
      at,
    );
    return { values: [answered.contact, answered.tally], result: answered.response };
  });
  if (outcome) await recordResponseEvent(deps, shopId, survey, personKey, outcome, { channel: 'post-delivery' });
  return outcome;
}

/**
 * Answers given elsewhere (the demo history, server/metrics/seed.ts), tallied and kept per
 * person as the routes would have: the survey is stored unless one has its id, each answer
 * counts one display and one score in its week, and joins the person's recent answers.
 */
export async function putAnsweredSurvey(store: Store, shopId: string, survey: SurveyDefinition, answers: readonly { customerId: string; score: number; at: string }[]): Promise<void> {
  await store.updateDocuments(shopId, [surveyRef(survey.id)], ([existing]) => ({ values: [existing ?? survey], result: null }));
  const contactRefs = answers.map((a) => contactRef(a.customerId));
  await store.updateDocuments(shopId, [tallyRef(survey.id), ...contactRefs], ([tallyValue, ...contacts]) => {
    const tally: SurveyTally = structuredClone((tallyValue as SurveyTally | undefined) ?? emptyTally());
    const values = answers.map((a, i) => {
      const contact: ContactRecord = (contacts[i] as ContactRecord | undefined) ?? emptyContact();
      const week = weekStart(new Date(a.at));
      const counts = (tally.weeks[week] ??= Array(11).fill(0));
      counts[a.score]++;
      tally.counts[a.score]++;
      tally.displays++;
      const id = `demo-${i}`;
      return {
        lastShownAt: a.at,
        displays: { ...contact.displays, [survey.id]: (contact.displays[survey.id] ?? 0) + 1 },
        recent: [{ id, surveyId: survey.id, shownAt: a.at, response: { id, score: a.score, at: a.at } }, ...contact.recent],
      };
    });
    return { values: [tally, ...values], result: null };
  });
}
