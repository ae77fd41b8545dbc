// Check-in points: the shop's config routes (sk) under /v1, and the hosted page
// /c/:token the QR code opens (no key: the signed daily token is the credential).
import { derivationSecretOf } from '../access/secrets.js';
import express, { Router, type Request, type Response } from 'express';
import { nanoid } from 'nanoid';
import QRCode from 'qrcode';
import { callerOf, requireSecretKey } from '../http/auth.js';
import { parseOr400, problems } from '../http/problem.js';
import { createdKey, page, PageQuery } from '../paging.js';
import { AnonymousId, Slug } from '../schemas.js';
import { SlidingWindow, clientOf, tooManyRequests, type Limit } from '../http/velocity.js';
import { visitorLimitsOf } from '../limits/ports.js';
import { QuotaExceeded, type Shop, type Store } from '../store/store.js';
import { enqueueWebhookFacts } from '../webhooks/ports.js';
import { checkinCreatedFact, withdrawUrl } from './withdraw.js';
import { publicBaseUrl } from '../trophies/routes.js';
import { daysOf, parseToken, printDay, tokenFor, tokenState, tokenVerifies } from './engine.js';
import { closedPage, donePage, formPage, localeOf, PAGE_CSP, STYLESHEET, STYLESHEET_PATH, type PageContext } from './page.js';
import { CheckinInput, CheckinLinkInput, MarketListQuery, QrQuery, type CheckinPoint, type Visit } from './schemas.js';
import { marketList, marketListCsv, pageOf } from './market-list.js';
import { addEmail, checkInPerson, COLLECTIONS, getCheckin, linkByEmail, openedVisit, putCheckin, visitOf } from './service.js';
import { customerAudit, routeScope, type RouteScope } from '../access/route-scopes.js';

export interface CheckinOptions {
  /** Check-in attempts per IP (default 20 per 10 minutes: a family at a stall, not a script). */
  perIp?: Limit;
  publicUrl?: string;
}

const DEFAULT_PER_IP: Limit = { limit: 20, windowMs: 10 * 60_000 };
const ANON_COOKIE = 'kudos_anon';

export function checkinUrl(base: string, secretKey: string, shopId: string, checkinId: string, day: string): string {
  return `${base}/c/${tokenFor(secretKey, shopId, checkinId, day)}`;
}

/** What a key needs for each route of checkinsRouter: its feature's registry entry lists them (server/features.ts). */
export const checkinScopes: readonly RouteScope[] = [
  // The market helper prints today's check-in QR codes.
  routeScope('GET', '/checkins', 'market'),
  routeScope('GET', '/checkins/:id', 'market'),
  routeScope('GET', '/checkins/:id/qr', 'market'),
  routeScope('PUT', '/checkins/:id', 'admin'),
  routeScope('POST', '/checkins/links', 'events'),
  // Market check-in sign-ups: emails, personal data. Reading it is an export of personal data: audited like a customer export.
  customerAudit(routeScope('GET', '/market-list', 'admin')),
  customerAudit(routeScope('GET', '/market-list.csv', 'admin')),
];

export function checkinsRouter(store: Store, now: () => Date, options: CheckinOptions = {}): Router {
  const router = Router();
  const base = (req: Request) => publicBaseUrl(req, options.publicUrl);
  const view = (req: Request, res: Response, point: CheckinPoint) => {
    const shop = callerOf(res).shop;
    const day = printDay(point, now());
    return { ...point, day, url: checkinUrl(base(req), derivationSecretOf(shop), shop.id, point.id, day) };
  };

  // The market list (sk): sign-ups with an email and consent, `{data,nextCursor}` or CSV.
  router.get(['/market-list', '/market-list.csv'], requireSecretKey, async (req, res) => {
    const query = parseOr400(MarketListQuery, { ...req.query });
    const visits = (await store.listDocuments<Visit>(callerOf(res).shop.id, COLLECTIONS.visits)).map(openedVisit);
    const shop = callerOf(res).shop;
    const rows = marketList(visits, query.q).map((row) => ({ ...row, withdrawUrl: withdrawUrl(base(req), shop.id, derivationSecretOf(shop), row.visitId) }));
    res.set('Cache-Control', 'no-store');
    if (req.path.endsWith('.csv')) {
      res.type('text/csv; charset=utf-8').attachment('market-list.csv').send(marketListCsv(rows));
      return;
    }
    res.json(pageOf(rows, query));
  });

  router.get('/checkins', requireSecretKey, async (req, res) => {
    const query = parseOr400(PageQuery, { ...req.query });
    const points = page(await store.listDocuments<CheckinPoint>(callerOf(res).shop.id, COLLECTIONS.points), createdKey, query);
    res.json({ ...points, data: points.data.map((p) => view(req, res, p)) });
  });

  router.put('/checkins/:id', requireSecretKey, async (req, res) => {
    const id = parseOr400(Slug, req.params.id, ['id']);
    const input = parseOr400(CheckinInput, req.body);
    const { point, created } = await putCheckin(store, now, callerOf(res).shop.id, id, input);
    res.status(created ? 201 : 200).json(view(req, res, point));
  });

  router.get('/checkins/:id', requireSecretKey, async (req, res) => {
    const id = parseOr400(Slug, req.params.id, ['id']);
    res.json(view(req, res, await getCheckin(store, callerOf(res).shop.id, id)));
  });

  // The printable QR. The URL it encodes travels alongside (header, or format=json), so nobody has to decode an image.
  router.get('/checkins/:id/qr', requireSecretKey, async (req, res) => {
    const id = parseOr400(Slug, req.params.id, ['id']);
    const query = parseOr400(QrQuery, req.query);
    const shop = callerOf(res).shop;
    const point = await getCheckin(store, shop.id, id);
    const day = query.day ?? printDay(point, now());
    if (!daysOf(point).includes(day)) {
      throw problems.validation([{ pointer: '/day', detail: `not an event day of this check-in point (${daysOf(point).join(', ')})` }]);
    }
    const url = checkinUrl(base(req), derivationSecretOf(shop), shop.id, point.id, day);
    res.set('Kudos-Checkin-Url', url).set('Link', `<${url}>; rel="related"`).set('Cache-Control', 'no-store');
    if (query.format === 'json') return void res.json({ url, day, checkinId: point.id });
    if (query.format === 'png') {
      res.type('image/png').send(await QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 4, width: 768 }));
      return;
    }
    res.type('image/svg+xml').send(await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 }));
  });

  router.post('/checkins/links', requireSecretKey, async (req, res) => {
    const input = parseOr400(CheckinLinkInput, req.body);
    res.json(await linkByEmail(store, now, callerOf(res).shop.id, input.customerId, input.email));
  });

  return router;
}

function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** The visitor's anonymous id on this origin: a first-party cookie (a year), made on first sight. */
function anonymousIdOf(req: Request, res: Response): string {
  const existing = cookieOf(req, ANON_COOKIE);
  if (existing && AnonymousId.safeParse(existing).success) return existing;
  const id = nanoid();
  res.append('Set-Cookie', `${ANON_COOKIE}=${id}; Path=/c; Max-Age=31536000; HttpOnly; SameSite=Lax${req.secure ? '; Secure' : ''}`);
  return id;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,188}\.[^\s@]{2,}$/;

export function checkinPageRouter(store: Store, now: () => Date, options: CheckinOptions = {}): Router {
  const router = Router();
  const perIp = new SlidingWindow(() => now().getTime(), store.limits);
  const limit = options.perIp ?? DEFAULT_PER_IP;

  /** `checkin.created` to the shop's webhooks, with the withdrawal link when an email came with consent. */
  const toldCheckin = async (req: Request, shop: Shop, visit: Visit, sourceEventId?: string) => {
    const withdraw = visit.email ? withdrawUrl(publicBaseUrl(req, options.publicUrl), shop.id, derivationSecretOf(shop), visit.visitId) : undefined;
    await enqueueWebhookFacts(store, now, shop.id, [checkinCreatedFact(visit, withdraw, sourceEventId)]);
  };

  router.get(STYLESHEET_PATH, (_req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=3600').send(STYLESHEET);
  });

  router.use('/c/:token', (_req, res, next) => {
    // The token is in the URL: it must not leak to the shop link's site.
    res.set({ 'Content-Security-Policy': PAGE_CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
    next();
  });

  /** The point behind a token, or the page to show instead. */
  const resolve = async (req: Request) => {
    const locale = localeOf(req.get('accept-language'));
    const token = parseToken(String(req.params.token));
    const shop = token && (await store.getShop(token.shopId));
    if (!token || !shop || !tokenVerifies(derivationSecretOf(shop), token)) return { locale, closed: { status: 404, html: closedPage(locale, 'invalid') } };
    const point = await store.getDocument<CheckinPoint>(shop.id, { collection: COLLECTIONS.points, id: token.checkinId });
    if (!point) return { locale, closed: { status: 404, html: closedPage(locale, 'invalid') } };
    const state = tokenState(point, token.day, now());
    if (state !== 'open') {
      const status = state === 'old-token' || state === 'over' ? 410 : 403;
      return { locale, closed: { status, html: closedPage(locale, state, { at: point.from, timeZone: point.timeZone }) } };
    }
    const badge = point.badgeId ? await store.getBadge(shop.id, point.badgeId) : undefined;
    const ctx: PageContext = {
      locale,
      shopName: shop.name,
      point,
      ...(badge && { badge: { name: badge.name, icon: badge.icon } }),
      ...(point.points && { points: point.points }),
    };
    return { locale, shop, point, day: token.day, ctx };
  };

  // Today's QR as an image anyone holding the link may open (the link is the credential; the
  // code only encodes it), so the URL `npm start` prints opens in a browser without a key.
  router.get('/c/:token/qr', async (req, res) => {
    const token = parseToken(String(req.params.token));
    const shop = token && (await store.getShop(token.shopId));
    if (!token || !shop || !tokenVerifies(derivationSecretOf(shop), token)) {
      return void res.status(404).type('html').send(closedPage(localeOf(req.get('accept-language')), 'invalid'));
    }
    const url = `${publicBaseUrl(req, options.publicUrl)}/c/${String(req.params.token)}`;
    res.type('image/svg+xml').send(await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 }));
  });

  router.get('/c/:token', async (req, res) => {
    const r = await resolve(req);
    if (r.closed) return void res.status(r.closed.status).type('html').send(r.closed.html);
    // This phone checked in here before: say so at once instead of offering the check-in again.
    const visit = await visitOf(store, r.shop!.id, r.point!.id, anonymousIdOf(req, res));
    if (visit) return void res.type('html').send(donePage(r.ctx!, { status: 'already', awards: [], points: 0, at: visit.at, emailSaved: Boolean(visit.email) }));
    res.type('html').send(formPage(r.ctx!));
  });

  router.post('/c/:token', express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 }), async (req, res) => {
    const r = await resolve(req);
    if (r.closed) return void res.status(r.closed.status).type('html').send(r.closed.html);
    const wait = await perIp.hit(clientOf(req), limit);
    if (wait > 0) {
      const problem = tooManyRequests(wait, 'check-ins');
      res.set('Retry-After', String(problem.retryAfter));
      return void res.status(429).type('html').send(closedPage(r.locale, 'tooMany'));
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    const agreed = body.consent === 'yes';
    const consentText = r.point!.consentText;
    if (email && consentText) {
      if (!EMAIL.test(email) || email.length > 254) return void res.status(400).type('html').send(formPage(r.ctx!, { email, error: 'badEmail' }));
      if (!agreed) return void res.status(400).type('html').send(formPage(r.ctx!, { email, error: 'needConsent' }));
    }
    const withEmail = Boolean(email && consentText && agreed);
    const at = now().toISOString();
    if (body.then === 'email') {
      // The done page's "keep what you earned" form: the email joins this phone's visit.
      if (!withEmail) return void res.status(400).type('html').send(formPage(r.ctx!, { email, error: email ? 'needConsent' : 'badEmail' }));
      const added = await addEmail(store, r.shop!.id, r.point!, { anonymousId: anonymousIdOf(req, res), email, consent: { text: consentText!, at, locale: r.locale } });
      // The email came after the check-in: the shop hears of it as the same check-in, now with the email.
      if (added.status === 'email-added') await toldCheckin(req, r.shop!, added.visit!, `checkin-created:${added.visit!.visitId}:email`);
      if (added.status !== 'no-visit') {
        return void res.type('html').send(
          donePage(r.ctx!, { status: added.status === 'email-added' ? 'already' : 'already-email', awards: [], points: 0, at: added.visit!.at, emailSaved: added.status === 'email-added' }),
        );
      }
    }
    let result;
    try {
      // The QR hangs at a stall and a cookie costs nothing: each phone's visit counts against the shop's anonymousVisitors.
      result = await checkInPerson(store, now, r.shop!.id, r.point!, {
        day: r.day!,
        anonymousId: anonymousIdOf(req, res),
        ...(withEmail && { email, consent: { text: consentText!, at, locale: r.locale } }),
      }, await visitorLimitsOf(store, r.shop!.id));
    } catch (error) {
      if (!(error instanceof QuotaExceeded)) throw error;
      // A person reads this page, not a client: the quota's 429 as HTML, with the quota's Retry-After.
      return void res.status(429).set('Retry-After', '86400').type('html').send(closedPage(r.locale, 'full'));
    }
    if (result.status === 'checked-in') await toldCheckin(req, r.shop!, result.visit);
    res.type('html').send(
      donePage(r.ctx!, {
        status: result.status,
        awards: result.awards,
        points: result.points,
        at: result.visit.at,
        emailSaved: withEmail && result.status === 'checked-in',
      }),
    );
  });

  return router;
}
