// Share-to-save HTTP: authenticate, validate, apply velocity limits, then call
// the service (pure engine inside atomic store updates). No rules here.
import { Router, type Request, type Response } from 'express';
import { callerOf, requireSecretKey, shopperOf } from '../http/auth.js';
import { parseOr400, problems } from '../http/problem.js';
import { CustomerId, Slug } from '../schemas.js';
import { quotaProblem } from '../limits/quota-problem.js';
import { browserLimitsOf } from '../limits/ports.js';
import { QuotaExceeded, type Store } from '../store/store.js';
import { campaignActive } from './engine.js';
import { CampaignInput, GroupCode, GroupCreateInput, SuppliedCodeInput, type Campaign } from './schemas.js';
import { createGroup, getCampaign, joinGroupAs, listMembers, putCampaign, readGroup, secureRandom, supplyDiscountCode, type RandomString, type ShareSaveDeps } from './service.js';
import { DEFAULT_LIMITS, SlidingWindow, clientOf, hitOrRefuse, type VelocityLimits } from '../http/velocity.js';
import { customerAudit, routeScope, type RouteScope } from '../access/route-scopes.js';

export interface ShareSaveOptions {
  limits?: Partial<VelocityLimits>;
  random?: RandomString;
}

/** Starting or joining a group needs a verified shopper: anonymous ids are free to mint. */
function verifiedCustomer(req: Request, res: Response): string {
  const shopper = shopperOf(req, callerOf(res).shop);
  if (shopper.kind !== 'customer') {
    throw problems.identity('Sign in to start or join a group: send X-Kudos-Customer and its X-Kudos-Customer-Hash.');
  }
  return shopper.customerId;
}

function publicCampaign(c: Campaign, now: number) {
  const { id, name, scope, tiers, windowHours, maxMembers, newCustomersOnly, startsAt, endsAt } = c;
  return { id, name, scope, tiers, windowHours, maxMembers, newCustomersOnly, startsAt, endsAt, active: campaignActive(c, now) };
}

/** What a key needs for each route of shareSaveRouter: its feature's registry entry lists them (server/features.ts). */
export const shareSaveScopes: readonly RouteScope[] = [
  routeScope('PUT', '/campaigns/:id', 'admin'),
  routeScope('GET', '/campaigns/:id', 'admin', 'pk'),
  routeScope('POST', '/groups', 'admin', 'pk'),
  routeScope('POST', '/groups/:code/join', 'admin', 'pk'),
  routeScope('GET', '/groups/:code', 'admin', 'pk'),
  routeScope('GET', '/groups/:code/members', 'admin'),
  customerAudit(routeScope('PUT', '/groups/:code/members/:customerId/discount-code', 'events')),
];

export function shareSaveRouter(store: Store, now: () => Date, options: ShareSaveOptions = {}): Router {
  const router = Router();
  const deps: ShareSaveDeps = { store, now, random: options.random ?? secureRandom };
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const window = new SlidingWindow(() => now().getTime(), store.limits);

  // Per address, every attempt counts, refused ones too: guessing group codes is what this slows down.
  const limitIp = (req: Request, res: Response, kind: 'create' | 'join') =>
    hitOrRefuse(window, res, `${kind}:ip:${clientOf(req)}`, kind === 'create' ? limits.createPerIp : limits.joinPerIp, kind === 'create' ? 'new groups' : 'joins');
  // The shop-wide counter is charged only for valid requests from a verified shopper:
  // otherwise empty anonymous requests could spend it and lock the shop's real customers out.
  const limitShop = (res: Response, kind: 'create' | 'join') =>
    hitOrRefuse(window, res, `${kind}:shop:${callerOf(res).shop.id}`, kind === 'create' ? limits.createPerShop : limits.joinPerShop, kind === 'create' ? 'new groups' : 'joins');

  router.put('/campaigns/:id', requireSecretKey, async (req, res) => {
    const id = parseOr400(Slug, req.params.id, ['id']);
    const input = parseOr400(CampaignInput, req.body);
    const { campaign, created } = await putCampaign(deps, callerOf(res).shop.id, id, input);
    res.status(created ? 201 : 200).json(campaign);
  });

  router.get('/campaigns/:id', async (req, res) => {
    const caller = callerOf(res);
    const campaign = await getCampaign(deps, caller.shop.id, parseOr400(Slug, req.params.id, ['id']));
    res.json(caller.role === 'secret' ? campaign : publicCampaign(campaign, now().getTime()));
  });

  router.post('/groups', async (req, res) => {
    const caller = callerOf(res);
    await limitIp(req, res, 'create');
    const input = parseOr400(GroupCreateInput, req.body ?? {});
    const ownerId = verifiedCustomer(req, res);
    await limitShop(res, 'create');
    const campaign = await getCampaign(deps, caller.shop.id, input.campaign);
    const scoped = campaign.scope.kind === 'product' ? campaign.scope.productId : null;
    if (input.productId !== undefined && input.productId !== scoped) {
      throw problems.validation([
        { pointer: '/productId', detail: scoped ? `this campaign is for product "${scoped}"` : 'this campaign is cart-wide: leave productId out' },
      ]);
    }
    // A link into the shop's own site only: never a page on an origin the shop did not register.
    if (input.pageUrl && caller.shop.origins.length && !caller.shop.origins.includes(new URL(input.pageUrl).origin)) {
      throw problems.validation([{ pointer: '/pageUrl', detail: 'not on one of this shop’s registered origins' }]);
    }
    // Any storefront page can start groups with the public key: each one is stored, so they count against the shop's browser events.
    const limits = caller.role === 'secret' ? undefined : await browserLimitsOf(store, caller.shop.id);
    let view;
    try {
      view = await createGroup(deps, caller.shop.id, { campaign, ownerId, productId: scoped, shareBase: campaign.landingUrl ?? input.pageUrl ?? null }, limits);
    } catch (error) {
      if (error instanceof QuotaExceeded) throw quotaProblem(res, error);
      throw error;
    }
    res.status(201).json(view);
  });

  router.post('/groups/:code/join', async (req, res) => {
    const caller = callerOf(res);
    await limitIp(req, res, 'join');
    const code = parseOr400(GroupCode, req.params.code, ['code']);
    // The join carries no body; an empty JSON object is tolerated for clients that always send one.
    parseOr400(GroupCreateInput.pick({}), req.body ?? {});
    const customerId = verifiedCustomer(req, res);
    await limitShop(res, 'join');
    res.json(await joinGroupAs(deps, caller.shop.id, code, customerId));
  });

  router.get('/groups/:code/members', requireSecretKey, async (req, res) => {
    const code = parseOr400(GroupCode, req.params.code, ['code']);
    res.json(await listMembers(deps, callerOf(res).shop.id, code));
  });

  router.put('/groups/:code/members/:customerId/discount-code', requireSecretKey, async (req, res) => {
    const code = parseOr400(GroupCode, req.params.code, ['code']);
    const customerId = parseOr400(CustomerId, req.params.customerId, ['customerId']);
    const input = parseOr400(SuppliedCodeInput, req.body);
    res.json(await supplyDiscountCode(deps, callerOf(res).shop.id, code, customerId, input));
  });

  router.get('/groups/:code', async (req, res) => {
    const caller = callerOf(res);
    const code = parseOr400(GroupCode, req.params.code, ['code']);
    const shopper = shopperOf(req, caller.shop);
    res.json(await readGroup(deps, caller.shop.id, code, shopper.kind === 'customer' ? shopper.customerId : undefined));
  });

  return router;
}
