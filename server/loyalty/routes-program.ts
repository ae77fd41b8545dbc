// The loyalty program (earn rules, pending period, expiry, tiers) and the
// rewards catalog. Writes need the secret key; pages may read them to show
// "earn 1 point per €" and what points buy.
import { Router } from 'express';
import { callerOf, requireSecretKey } from '../http/auth.js';
import { parseOr400, problems } from '../http/problem.js';
import { createdKey, page, PageQuery } from '../paging.js';
import { ProgramInput, RewardInput, type Reward } from './schemas.js';
import { Slug } from '../schemas.js';
import { PROGRAM_REF, programOf, REWARDS } from './service.js';
import type { Store } from '../store/store.js';
import { routeScope, type RouteScope } from '../access/route-scopes.js';

const rewardRef = (id: string) => ({ collection: REWARDS, id });

/** What a key needs for each route of programRouter: its feature's registry entry lists them (server/features.ts). */
export const programScopes: readonly RouteScope[] = [
  routeScope('GET', '/program', 'staff', 'pk'),
  routeScope('PUT', '/program', 'admin'),
  routeScope('GET', '/rewards', 'staff', 'pk'),
  routeScope('GET', '/rewards/:id', 'staff', 'pk'),
  routeScope('PUT', '/rewards/:id', 'admin'),
];

export function programRouter(store: Store, now: () => Date): Router {
  const router = Router();

  router.get('/program', async (_req, res) => {
    res.json(await programOf(store, callerOf(res).shop.id));
  });

  router.put('/program', requireSecretKey, async (req, res) => {
    const program = parseOr400(ProgramInput, req.body);
    await store.updateDocuments(callerOf(res).shop.id, [PROGRAM_REF], () => ({ values: [program], result: null }));
    res.json(program);
  });

  router.get('/rewards', async (req, res) => {
    const caller = callerOf(res);
    const query = parseOr400(PageQuery, { ...req.query });
    const rewards = await store.listDocuments<Reward>(caller.shop.id, REWARDS);
    // Shoppers see what they can get; the shop also sees what it switched off.
    res.json(page(caller.role === 'secret' ? rewards : rewards.filter((r) => r.active), createdKey, query));
  });

  router.get('/rewards/:id', async (req, res) => {
    const id = parseOr400(Slug, req.params.id, ['id']);
    const caller = callerOf(res);
    const reward = await store.getDocument<Reward>(caller.shop.id, rewardRef(id));
    // An inactive reward is the shop's draft or a retired offer: to a page it does not exist (as in the list).
    if (!reward || (caller.role !== 'secret' && !reward.active)) throw problems.notFound(`No reward "${id}" in this shop.`);
    res.json(reward);
  });

  router.put('/rewards/:id', requireSecretKey, async (req, res) => {
    const id = parseOr400(Slug, req.params.id, ['id']);
    const input = parseOr400(RewardInput, req.body);
    const reward: Reward = { id, ...input, updatedAt: now().toISOString() };
    const created = await store.updateDocuments(callerOf(res).shop.id, [rewardRef(id)], ([existing]) => ({
      values: [reward],
      result: existing === undefined,
    }));
    res.status(created ? 201 : 200).json(reward);
  });

  return router;
}
