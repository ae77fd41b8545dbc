// /v1/surveys: NPS surveys. Authenticate, validate, call the pure engine and the
// store; every rule lives in ./engine.ts.
import { Router, type Request, type Response } from 'express';
import { anonymousCustomerKey, callerOf, requireSecretKey, shopperOf } from '../http/auth.js';
import { parseOr400, problems, withDocs } from '../http/problem.js';
import { SlidingWindow, clientOf, hitOrRefuse } from '../http/velocity.js';
import { quotaProblem } from '../limits/quota-problem.js';
import { limitsOf, visitorLimitsOf } from '../limits/service.js';
import { QuotaExceeded } from '../store/store.js';
import { ANONYMOUS_COUNT_REF, AnonymousContacts, contactRef, type AnonymousCount } from './anonymous-contacts.js';
import { recordEvents } from '../services/record-events.js';
import type { DocumentRef, Store } from '../store/store.js';
import {
  eligibility,
  recordDisplay,
  recordResponse,
  responseEventId,
  summarize,
  type ContactRecord,
  type SurveyTally,
} from './engine.js';
import {
  DisplayInput,
  EligibilityQuery,
  ResponseInput,
  SummaryQuery,
  SurveyId,
  SurveyInput,
  type PublicSurvey,
  type SurveyDefinition,
} from './schemas.js';

const surveyRef = (id: string): DocumentRef => ({ collection: 'surveys', id });
const tallyRef = (id: string): DocumentRef => ({ collection: 'survey-tallies', id });
// One contact history per person and shop (contactRef), shared by every survey: the recontact window spans them all.

const publicParts = ({ id, question, followUps, placement }: SurveyDefinition): PublicSurvey => ({
  id,
  question,
  ...(followUps ? { followUps } : {}),
  placement,
});

/** The verified customer, or the anonymous visitor kept apart from customer ids. */
function personOf(req: Request, res: Response): string {
  const shopper = shopperOf(req, callerOf(res).shop);
  if (shopper.kind === 'customer') return shopper.customerId;
  if (shopper.kind === 'anonymous') return anonymousCustomerKey(shopper.anonymousId);
  throw problems.identity('Identify the shopper (X-Kudos-Customer + hash) or send X-Kudos-Anonymous-Id.');
}

/** The window of the shop's `anonymousSurveyResponsesPerIp` (server/limits): anonymous answers to one survey from one address (IPv6: one /64). */
const ANONYMOUS_RESPONSES_WINDOW_MS = 24 * 60 * 60_000;

export function surveysRouter(store: Store, now: () => Date): Router {
  const router = Router();
  const window = new SlidingWindow(() => now().getTime(), store.limits);
  const anonymousContacts = new AnonymousContacts(store, now);

  async function surveyOf(res: Response, rawId: unknown): Promise<SurveyDefinition> {
    const id = parseOr400(SurveyId, rawId, ['id']);
    const survey = await store.getDocument<SurveyDefinition>(callerOf(res).shop.id, surveyRef(id));
    if (!survey) throw withDocs(problems.notFound(`No survey "${id}" in this shop.`), 'nps.md');
    return survey;
  }

  router.get('/surveys', requireSecretKey, async (_req, res) => {
    res.json({ surveys: await store.listDocuments<SurveyDefinition>(callerOf(res).shop.id, 'surveys') });
  });

  router.put('/surveys/:id', requireSecretKey, async (req, res) => {
    const shopId = callerOf(res).shop.id;
    const id = parseOr400(SurveyId, req.params.id, ['id']);
    const input = parseOr400(SurveyInput, req.body);
    const at = now().toISOString();
    const { survey, created } = await store.updateDocuments(shopId, [surveyRef(id)], ([existing]) => {
      const previous = existing as SurveyDefinition | undefined;
      const survey: SurveyDefinition = { id, ...input, createdAt: previous?.createdAt ?? at, updatedAt: at };
      return { values: [survey], result: { survey, created: !previous } };
    });
    res.status(created ? 201 : 200).json(survey);
  });

  router.get('/surveys/:id', async (req, res) => {
    const survey = await surveyOf(res, req.params.id);
    res.json(callerOf(res).role === 'secret' ? survey : publicParts(survey));
  });

  router.get('/surveys/:id/eligibility', async (req, res) => {
    const survey = await surveyOf(res, req.params.id);
    const { placement } = parseOr400(EligibilityQuery, { ...req.query });
    const personKey = personOf(req, res);
    const shopId = callerOf(res).shop.id;
    const contact = await store.getDocument<ContactRecord>(shopId, contactRef(personKey));
    const decision = eligibility(survey, contact, { shopId, personKey, placement, now: now() });
    // Never cached: the answer changes with every display.
    res.set('Cache-Control', 'no-store');
    res.json(decision.show ? { show: true, survey: publicParts(survey) } : decision);
  });

  router.post('/surveys/:id/displays', async (req, res) => {
    const survey = await surveyOf(res, req.params.id);
    const input = parseOr400(DisplayInput, req.body);
    const personKey = personOf(req, res);
    const shopId = callerOf(res).shop.id;
    const context = { shopId, personKey, now: now(), ...(input.placement && { placement: input.placement }) };
    // An anonymous visitor's first display makes a record: within the shop's anonymousVisitors quota, deleted when idle.
    const limits = personKey.startsWith(anonymousCustomerKey('')) ? await limitsOf(store, shopId) : undefined;
    if (limits) await anonymousContacts.maybeSweep(shopId, limits);
    const refs = [contactRef(personKey), tallyRef(survey.id), ...(limits ? [ANONYMOUS_COUNT_REF] : [])];
    let display;
    try {
      display = await store.updateDocuments(shopId, refs, ([contact, tally, counter]) => {
        const next = recordDisplay(survey, { contact: contact as ContactRecord, tally: tally as SurveyTally }, input, context);
        const unchanged = next.contact === contact;
        if (unchanged) return { values: limits ? [contact, tally, counter] : [contact, tally], result: next.display };
        if (!limits) return { values: [next.contact, next.tally], result: next.display };
        if (contact !== undefined) return { values: [next.contact, next.tally, counter], result: next.display };
        const count = (counter as AnonymousCount | undefined)?.count ?? 0;
        if (count >= limits.anonymousVisitors) throw new QuotaExceeded('anonymousVisitors', limits.anonymousVisitors);
        return { values: [{ ...next.contact, person: personKey }, next.tally, { count: count + 1 }], result: next.display };
      });
    } catch (error) {
      if (error instanceof QuotaExceeded) throw quotaProblem(res, error);
      throw error;
    }
    const { id, shownAt, dismissedAt } = display;
    res.json({ id, surveyId: survey.id, shownAt, ...(dismissedAt ? { dismissedAt } : {}) });
  });

  router.post('/surveys/:id/responses', async (req, res) => {
    const survey = await surveyOf(res, req.params.id);
    const input = parseOr400(ResponseInput, req.body);
    const personKey = personOf(req, res);
    const shopId = callerOf(res).shop.id;
    const anonymous = personKey.startsWith(anonymousCustomerKey(''));
    // Anonymous ids cost nothing: their responses are also capped per address (IPv6 /64), counted after validation.
    if (anonymous) {
      const { anonymousSurveyResponsesPerIp: limit } = await limitsOf(store, shopId);
      await hitOrRefuse(window, res, `nps:${shopId}:${survey.id}:${clientOf(req)}`, { limit, windowMs: ANONYMOUS_RESPONSES_WINDOW_MS }, 'survey answers from this address');
    }
    const at = now();
    // The survey_response event makes the visitor a customer record: within anonymousVisitors, checked before the answer is stored.
    const limits = anonymous && survey.recordEvent ? await visitorLimitsOf(store, shopId) : undefined;
    try {
      if (limits) await store.checkLimits(shopId, [{ id: 'survey_response:quota', type: 'survey_response', customerId: personKey, occurredAt: at.toISOString(), properties: {} }], limits);
    } catch (error) {
      if (error instanceof QuotaExceeded) throw quotaProblem(res, error);
      throw error;
    }
    const refs = [contactRef(personKey), tallyRef(survey.id)];
    const response = await store.updateDocuments(shopId, refs, ([contact, tally]) => {
      const next = recordResponse(survey, { contact: contact as ContactRecord, tally: tally as SurveyTally }, input, at, { anonymous });
      const values = next.response.status === 'duplicate' ? [contact, tally] : [next.contact, next.tally];
      return { values, result: next.response };
    });
    let awards: unknown[] = [];
    if (survey.recordEvent) {
      // Also on a replay: if the process stopped between the two writes, the
      // event goes in now; if it went in before, it is a duplicate with its first awards.
      const event = {
        id: responseEventId(survey.id, personKey, response.id),
        type: 'survey_response',
        customerId: personKey,
        occurredAt: response.respondedAt,
        properties: { surveyId: survey.id, score: response.score, band: response.band },
      };
      let outcome;
      try {
        [outcome] = await recordEvents(store, now, shopId, [event], { limits });
      } catch (error) {
        // Only when visitors filled the quota since the check above: the answer is kept, its event goes in on a retry.
        if (error instanceof QuotaExceeded) throw quotaProblem(res, error);
        throw error;
      }
      awards = outcome?.awards ?? [];
    }
    res.status(response.status === 'accepted' ? 201 : 200).json({ ...response, surveyId: survey.id, awards });
  });

  router.get('/surveys/:id/summary', requireSecretKey, async (req, res) => {
    const survey = await surveyOf(res, req.params.id);
    const { weeks } = parseOr400(SummaryQuery, { ...req.query });
    const tally = await store.getDocument<SurveyTally>(callerOf(res).shop.id, tallyRef(survey.id));
    res.json(summarize(survey.id, tally, now(), weeks));
  });

  return router;
}
