// Guest-first earning: the shop backend turns a guest order into a claim link;
// the guest, once signed in, accepts it and the order's points and badges move
// to their account — once.
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { customAlphabet } from 'nanoid';
import { callerOf, requireSecretKey, shopperOf } from '../http/auth.js';
import { DomainError, parseOr400, problems } from '../http/problem.js';
import { ClaimAcceptInput, ClaimInput } from './schemas.js';
import { REWARD_CLAIMS } from './service.js';
import { recordEvents } from '../events/record-events.js';
import type { Store } from '../store/store.js';
import { routeScope, type RouteScope } from '../access/route-scopes.js';
import { deprecatedAlias } from '../http/deprecation.js';

/** 24 characters of 62: guessing one is hopeless, and the token is the whole secret of the link. */
const claimToken = customAlphabet('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 24);
const TOKEN = /^[0-9A-Za-z]{24}$/;

interface Claim {
  token: string;
  event: ReturnType<typeof ClaimInput.parse>['event'];
  createdAt: string;
  expiresAt: string;
  claimedBy?: string;
  claimedAt?: string;
}

const claimRef = (token: string) => ({ collection: REWARD_CLAIMS, id: token });

function tokenOf(req: Request): string {
  const token = String(req.params.token);
  if (!TOKEN.test(token)) throw problems.notFound('No such claim.');
  return token;
}

function claimant(req: Request, res: Response): string {
  const caller = callerOf(res);
  const input = parseOr400(ClaimAcceptInput, req.body ?? {});
  if (caller.role === 'secret') {
    if (!input.customerId) throw problems.validation([{ pointer: '/customerId', detail: 'required with the secret key' }]);
    return input.customerId;
  }
  const shopper = shopperOf(req, caller.shop);
  if (shopper.kind !== 'customer') throw problems.identity('Sign in first: claiming needs a verified customer identity.');
  if (input.customerId !== undefined && input.customerId !== shopper.customerId) {
    throw problems.identity('customerId is not the verified shopper.');
  }
  return shopper.customerId;
}

const DAY_MS = 86_400_000;

/**
 * Guest-order claim links live under /order-claims: /claims read too much like
 * /email-claims (verifying an address), a different feature. The old path
 * answers for one version, deprecated (issue 14).
 */
const PATH = '/order-claims';
const OLD_PATH = '/claims';

/** What a key needs for each route of claimsRouter: its feature's registry entry lists them (server/features.ts). */
export const claimsScopes: readonly RouteScope[] = [PATH, OLD_PATH].flatMap((path) => [
  routeScope('POST', path, 'events'),
  routeScope('GET', `${path}/:token`, 'events', 'pk'),
  routeScope('POST', `${path}/:token/accept`, 'events', 'pk'),
]);

export function claimsRouter(store: Store, now: () => Date): Router {
  const router = Router();

  const create: RequestHandler = async (req, res) => {
    const input = parseOr400(ClaimInput, req.body);
    const at = now();
    const claim: Claim = {
      token: claimToken(),
      event: input.event,
      createdAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + input.expiresInDays * DAY_MS).toISOString(),
    };
    await store.updateDocuments(callerOf(res).shop.id, [claimRef(claim.token)], () => ({ values: [claim], result: null }));
    const url = input.returnUrl ? new URL(input.returnUrl) : undefined;
    url?.searchParams.set('kudos_claim', claim.token);
    res.status(201).json({ token: claim.token, expiresAt: claim.expiresAt, ...(url && { url: url.href }) });
  };

  const read: RequestHandler = async (req, res) => {
    const claim = await store.getDocument<Claim>(callerOf(res).shop.id, claimRef(tokenOf(req)));
    if (!claim) throw problems.notFound('No such claim.');
    const status = claim.claimedBy ? 'claimed' : claim.expiresAt <= now().toISOString() ? 'expired' : 'open';
    const { total, currency } = claim.event.properties;
    res.json({ status, expiresAt: claim.expiresAt, order: { total, currency } });
  };

  const accept: RequestHandler = async (req, res) => {
    const shopId = callerOf(res).shop.id;
    const token = tokenOf(req);
    const customerId = claimant(req, res);
    const at = now().toISOString();
    // Mark the claim first, atomically: of two racing accepts only one wins.
    const claim = await store.updateDocuments(shopId, [claimRef(token)], ([current]) => {
      const claim = current as Claim | undefined;
      if (!claim) throw problems.notFound('No such claim.');
      if (claim.claimedBy === customerId) return { values: [claim], result: claim };
      if (claim.claimedBy) throw new DomainError('claim-used', 'This order was already claimed.');
      if (claim.expiresAt <= at) throw new DomainError('claim-expired', `This link expired at ${claim.expiresAt}.`);
      const claimed: Claim = { ...claim, claimedBy: customerId, claimedAt: at };
      return { values: [claimed], result: claimed };
    });
    // Same event id as the claim holds: accepting again (same customer) never counts twice.
    const [outcome] = await recordEvents(store, now, shopId, [
      { ...claim.event, customerId, occurredAt: claim.event.occurredAt ?? claim.createdAt },
    ]);
    res.json({ customerId, event: outcome!.id, awards: outcome!.awards, status: 'claimed' });
  };

  router.post(PATH, requireSecretKey, create);
  router.get(`${PATH}/:token`, read);
  router.post(`${PATH}/:token/accept`, accept);
  const deprecated = deprecatedAlias(OLD_PATH, PATH);
  router.post(OLD_PATH, deprecated, requireSecretKey, create);
  router.get(`${OLD_PATH}/:token`, deprecated, read);
  router.post(`${OLD_PATH}/:token/accept`, deprecated, accept);
  return router;
}
