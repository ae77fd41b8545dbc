// /v1/surveys: NPS surveys. Authenticate, validate, call the pure engine and the
// store; every rule lives in ./engine.ts.
import { Router, type Request, type Response } from 'express';
import { anonymousCustomerKey, callerOf, requireSecretKey, shopperOf } from '../http/auth.js';
import { parseOr400, problems } from '../http/problem.js';
import { createdKey, page, PageQuery } from '../paging.js';
import { SlidingWindow, clientOf, hitOrRefuse } from '../http/velocity.js';
import { quotaProblem } from '../limits/quota-problem.js';
import { limitsOf, visitorLimitsOf } from '../limits/ports.js';
import { QuotaExceeded } from '../store/store.js';
import { AnonymousContacts } from './anonymous-contacts.js';
import type { Store } from '../store/store.js';
import { eligibility, summarize } from './engine.js';
import { contactOf, findSurvey, listSurveys, putSurvey, recordSurveyDisplay, recordSurveyResponse, tallyOf } from './service.js';
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
import { routeScope, type RouteScope } from '../access/route-scopes.js';

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

/** What a key needs for each route of surveysRouter: its feature's registry entry lists them (server/features.ts). */
export const surveyScopes: readonly RouteScope[] = [
  routeScope('GET', '/surveys', 'admin'),
  routeScope('PUT', '/surveys/:id', 'admin'),
  routeScope('GET', '/surveys/:id', 'admin', 'pk'),
  routeScope('GET', '/surveys/:id/eligibility', 'admin', 'pk'),
  routeScope('POST', '/surveys/:id/displays', 'admin', 'pk'),
  routeScope('POST', '/surveys/:id/responses', 'admin', 'pk'),
  routeScope('GET', '/surveys/:id/summary', 'analytics'),
];

export function surveysRouter(store: Store, now: () => Date): Router {
  const router = Router();
  const window = new SlidingWindow(() => now().getTime(), store.limits);
  const anonymousContacts = new AnonymousContacts(store, now);

  const deps = { store, now };

  async function surveyOf(res: Response, rawId: unknown): Promise<SurveyDefinition> {
    return findSurvey(store, callerOf(res).shop.id, parseOr400(SurveyId, rawId, ['id']));
  }

  /** A quota reached for this shop is its 429; anything else goes on. */
  async function withinQuota<T>(res: Response, work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (error instanceof QuotaExceeded) throw quotaProblem(res, error);
      throw error;
    }
  }

  router.get('/surveys', requireSecretKey, async (req, res) => {
    const query = parseOr400(PageQuery, { ...req.query });
    res.json(page(await listSurveys(store, callerOf(res).shop.id), createdKey, query));
  });

  router.put('/surveys/:id', requireSecretKey, async (req, res) => {
    const id = parseOr400(SurveyId, req.params.id, ['id']);
    const input = parseOr400(SurveyInput, req.body);
    const { survey, created } = await putSurvey(deps, callerOf(res).shop.id, id, input);
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
    const decision = eligibility(survey, await contactOf(store, shopId, personKey), { shopId, personKey, placement, now: now() });
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
    const display = await withinQuota(res, recordSurveyDisplay(store, shopId, survey, personKey, input, context, limits));
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
    // The survey_response event makes the visitor a customer record: within anonymousVisitors, checked before the answer is stored.
    const limits = anonymous && survey.recordEvent ? await visitorLimitsOf(store, shopId) : undefined;
    const { response, awards } = await withinQuota(res, recordSurveyResponse(deps, shopId, survey, personKey, input, { anonymous, ...(limits && { limits }) }));
    res.status(response.status === 'accepted' ? 201 : 200).json({ ...response, surveyId: survey.id, awards });
  });

  router.get('/surveys/:id/summary', requireSecretKey, async (req, res) => {
    const survey = await surveyOf(res, req.params.id);
    const { weeks } = parseOr400(SummaryQuery, { ...req.query });
    res.json(summarize(survey.id, await tallyOf(store, callerOf(res).shop.id, survey.id), now(), weeks));
  });

  return router;
}
