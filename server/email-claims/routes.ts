// Verified email claims over HTTP: authenticate (publishable key is enough: a claim
// grants nothing until its code comes back), validate, rate-limit, call the service.
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { callerOf } from '../http/auth.js';
import { parseOr400 } from '../http/problem.js';
import { SlidingWindow, clientOf, hitOrRefuse, type Limit } from '../http/velocity.js';
import type { Store } from '../store/store.js';
import { EmailClaimConfirmInput, EmailClaimId, EmailClaimInput } from './schemas.js';
import { confirmEmailClaim, emailCustomerId, requestEmailClaim, secureCode, type EmailClaimDeps } from './service.js';
import { routeScope, type RouteScope } from '../access/route-scopes.js';
import { deprecatedAlias } from '../http/deprecation.js';

export interface EmailClaimLimits {
  requestsPerIp: Limit;
  /** Stops one address being flooded with codes. */
  requestsPerEmail: Limit;
  confirmsPerIp: Limit;
}

const TEN_MINUTES = 10 * 60_000;
export const DEFAULT_EMAIL_CLAIM_LIMITS: EmailClaimLimits = {
  requestsPerIp: { limit: 10, windowMs: TEN_MINUTES },
  requestsPerEmail: { limit: 3, windowMs: TEN_MINUTES },
  confirmsPerIp: { limit: 30, windowMs: TEN_MINUTES },
};

export interface EmailClaimOptions {
  limits?: Partial<EmailClaimLimits>;
  newCode?: () => string;
}

/**
 * Proving an email address lives under /email-verifications: /email-claims read
 * too much like /claims (guest-order claim links, now /order-claims), a different
 * feature. The old path answers for one version, deprecated (issue 14).
 */
const PATH = '/email-verifications';
const OLD_PATH = '/email-claims';

/** What a key needs for each route of emailClaimsRouter: its feature's registry entry lists them (server/features.ts). */
export const emailClaimScopes: readonly RouteScope[] = [PATH, OLD_PATH].flatMap((path) => [
  routeScope('POST', path, 'admin', 'pk'),
  routeScope('POST', `${path}/:id/confirm`, 'admin', 'pk'),
]);

export function emailClaimsRouter(store: Store, now: () => Date, options: EmailClaimOptions = {}): Router {
  const router = Router();
  const deps: EmailClaimDeps = { store, now, newCode: options.newCode ?? secureCode };
  const limits = { ...DEFAULT_EMAIL_CLAIM_LIMITS, ...options.limits };
  const window = new SlidingWindow(() => now().getTime(), store.limits);
  const limit = (res: Response, key: string, l: Limit) => hitOrRefuse(window, res, key, l, 'code requests');

  const request: RequestHandler = async (req: Request, res) => {
    const shop = callerOf(res).shop;
    await limit(res, `request:ip:${shop.id}:${clientOf(req)}`, limits.requestsPerIp);
    const { email } = parseOr400(EmailClaimInput, req.body);
    // Per inbox, not per spelling: ann+1@ and a.nn@ flood the same Gmail inbox. Keyed by a digest
    // (emailCustomerId): the limits table would otherwise hold the address in plain text.
    await limit(res, `request:email:${shop.id}:${emailCustomerId(shop, email)}`, limits.requestsPerEmail);
    res.status(201).json(await requestEmailClaim(deps, shop, email));
  };

  const confirm: RequestHandler = async (req, res) => {
    const shop = callerOf(res).shop;
    await limit(res, `confirm:ip:${shop.id}:${clientOf(req)}`, limits.confirmsPerIp);
    const id = parseOr400(EmailClaimId, req.params.id, ['id']);
    const { code } = parseOr400(EmailClaimConfirmInput, req.body);
    res.json(await confirmEmailClaim(deps, shop, id, code));
  };

  router.post(PATH, request);
  router.post(`${PATH}/:id/confirm`, confirm);
  const deprecated = deprecatedAlias(OLD_PATH, PATH);
  router.post(OLD_PATH, deprecated, request);
  router.post(`${OLD_PATH}/:id/confirm`, deprecated, confirm);
  return router;
}
