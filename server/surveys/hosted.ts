// The hosted post-delivery survey: POST /v1/surveys/:id/links (sk) makes the
// signed link a shop's email carries, /s/:shopId/:surveyId shows the question
// and takes the answer (no key: the signature is the credential, as a check-in
// link's is). Answers count as post-delivery NPS, apart from in-cart answers.
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { currentIdentitySecret, identitySecretsOf } from '../access/secrets.js';
import { PAGE_CSP } from '../checkins/page.js';
import { callerOf, requireSecretKey } from '../http/auth.js';
import { parseOr400 } from '../http/problem.js';
import { SlidingWindow, clientOf, tooManyRequests, type Limit } from '../http/velocity.js';
import { CustomerId, Slug } from '../schemas.js';
import type { Shop, Store } from '../store/store.js';
import { publicBaseUrl } from '../trophies/routes.js';
import { linkAnswered } from './engine.js';
import { contactOf, findSurvey, recordLinkedAnswer, surveyRef } from './service.js';
import { LINK_ORDER_ID, linkIds, linkVerifies, surveyLink } from './link.js';
import { localeOf, questionIn, type Locale, SURVEY_STYLESHEET, SURVEY_STYLESHEET_PATH, surveyClosedPage, surveyDonePage, surveyFormPage, type SurveyPageContext } from './page.js';
import { MAX_COMMENT_LENGTH, type SurveyDefinition } from './schemas.js';
import { routeScope, type RouteScope } from '../access/route-scopes.js';

export const SurveyLinkInput = z.strictObject({
  customerId: CustomerId,
  /** The order delivered (letters, digits, . _ -): one link per order reads best in the shop's answers. */
  orderId: z.string().regex(LINK_ORDER_ID, '0–100 letters, digits, . _ -').optional(),
});
export const SurveyLinkResult = z.object({ url: z.string() });


/** What a key needs for each route of surveyLinksRouter: its feature's registry entry lists them (server/features.ts). */
export const surveyLinkScopes: readonly RouteScope[] = [
  // A signed post-delivery survey link for the shop's fulfilment email.
  routeScope('POST', '/surveys/:id/links', 'events'),
];

export function surveyLinksRouter(store: Store, options: { publicUrl?: string } = {}): Router {
  const router = Router();
  router.post('/surveys/:id/links', requireSecretKey, async (req, res) => {
    const id = parseOr400(Slug, req.params.id, ['id']);
    const input = parseOr400(SurveyLinkInput, req.body);
    const shop = callerOf(res).shop;
    await findSurvey(store, shop.id, id);
    res.json({ url: surveyLink(publicBaseUrl(req, options.publicUrl), shop.id, id, input.customerId, input.orderId ?? '', currentIdentitySecret(shop)) });
  });
  return router;
}

interface Resolved {
  locale: Locale;
  closed?: { status: number; html: string };
  shop?: Shop;
  survey?: SurveyDefinition;
  customerId?: string;
  orderId?: string;
  ctx?: SurveyPageContext;
}

const DEFAULT_PER_IP: Limit = { limit: 20, windowMs: 10 * 60_000 };

export function surveyPageRouter(store: Store, now: () => Date, options: { perIp?: Limit } = {}): Router {
  const router = Router();
  const perIp = new SlidingWindow(() => now().getTime(), store.limits);

  router.get(SURVEY_STYLESHEET_PATH, (_req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=3600').send(SURVEY_STYLESHEET);
  });

  router.use('/s/:shopId/:surveyId', (_req, res, next) => {
    // The signature is in the URL: it must not leak through a Referer.
    res.set({ 'Content-Security-Policy': PAGE_CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
    next();
  });

  /** The survey and person behind a link, or the page to show instead. */
  const resolve = async (req: Request): Promise<Resolved> => {
    const locale = localeOf(req.get('accept-language'));
    const q = req.query;
    const [customerId, orderId, hash] = [q.c, q.o ?? '', q.h].map((v) => (typeof v === 'string' ? v : undefined));
    const shopId = String(req.params.shopId);
    const surveyId = String(req.params.surveyId);
    const invalid = { locale, closed: { status: 404, html: surveyClosedPage(locale, 'invalid') } };
    if (customerId === undefined || orderId === undefined || hash === undefined || !CustomerId.safeParse(customerId).success || !Slug.safeParse(surveyId).success) return invalid;
    const shop = /^shop_[A-Za-z0-9_-]{1,64}$/.test(shopId) ? await store.getShop(shopId) : undefined;
    if (!shop || !linkVerifies(identitySecretsOf(shop, now()), surveyId, orderId, customerId, hash)) return invalid;
    const survey = await store.getDocument<SurveyDefinition>(shop.id, surveyRef(surveyId));
    if (!survey) return invalid;
    const t = now().getTime();
    if ((survey.startsAt && t < Date.parse(survey.startsAt)) || (survey.endsAt && t >= Date.parse(survey.endsAt))) {
      return { locale, closed: { status: 410, html: surveyClosedPage(locale, 'closed') } };
    }
    const ctx: SurveyPageContext = { locale, shopName: shop.name, question: questionIn(survey.question, locale) };
    return { locale, shop, survey, customerId, orderId, ctx };
  };

  router.get('/s/:shopId/:surveyId', async (req, res) => {
    const r = await resolve(req);
    if (r.closed) return void res.status(r.closed.status).type('html').send(r.closed.html);
    const contact = await contactOf(store, r.shop!.id, r.customerId!);
    if (linkAnswered(contact, r.survey!.id, r.orderId!, linkIds(r.survey!.id, r.orderId!, r.customerId!).displayId)) return void res.type('html').send(surveyDonePage(r.ctx!, true));
    res.type('html').send(surveyFormPage(r.ctx!));
  });

  router.post('/s/:shopId/:surveyId', express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 5 }), async (req, res) => {
    const r = await resolve(req);
    if (r.closed) return void res.status(r.closed.status).type('html').send(r.closed.html);
    const wait = await perIp.hit(clientOf(req), options.perIp ?? DEFAULT_PER_IP);
    if (wait > 0) {
      res.set('Retry-After', String(tooManyRequests(wait, 'survey answers').retryAfter));
      return void res.status(429).type('html').send(surveyClosedPage(r.locale, 'tooMany'));
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const rawScore = typeof body.score === 'string' ? body.score : '';
    const score = /^(10|[0-9])$/.test(rawScore) ? Number(rawScore) : undefined;
    const comment = typeof body.comment === 'string' ? body.comment : '';
    if (score === undefined) return void res.status(400).type('html').send(surveyFormPage(r.ctx!, { comment, error: 'needScore' }));
    if (comment.length > MAX_COMMENT_LENGTH) return void res.status(400).type('html').send(surveyFormPage(r.ctx!, { score, comment, error: 'tooLong' }));
    const shopId = r.shop!.id;
    const survey = r.survey!;
    const personKey = r.customerId!;
    const { displayId, responseId } = linkIds(survey.id, r.orderId!, personKey);
    const outcome = await recordLinkedAnswer({ store, now }, shopId, survey, personKey, { displayId, responseId, score, comment, ...(r.orderId && { orderId: r.orderId }) });
    res.type('html').send(surveyDonePage(r.ctx!, outcome === undefined));
  });
  return router;
}
