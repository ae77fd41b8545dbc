import { Router } from 'express';
import { callerOf, requireSecretKey } from '../http/auth.js';
import { parseOr400, problems } from '../http/problem.js';
import { createdKey, page, PageQuery } from '../paging.js';
import { BadgeInput } from './schemas.js';
import { Slug } from '../schemas.js';
import type { Store } from '../store/store.js';
import { routeScope, type RouteScope } from '../access/route-scopes.js';

/** What a key needs for each route of badgesRouter: its feature's registry entry lists them (server/features.ts). */
export const badgesScopes: readonly RouteScope[] = [
  routeScope('GET', '/badges', 'staff', 'pk'),
  routeScope('GET', '/badges/:id', 'staff', 'pk'),
  routeScope('PUT', '/badges/:id', 'admin'),
];

export function badgesRouter(store: Store, now: () => Date): Router {
  const router = Router();

  router.get('/badges', async (req, res) => {
    const caller = callerOf(res);
    const query = parseOr400(PageQuery, { ...req.query });
    const badges = await store.listBadges(caller.shop.id);
    // Shoppers see what they can still earn; the shop sees its retired badges too.
    res.json(page(caller.role === 'secret' ? badges : badges.filter((b) => b.active !== false), createdKey, query));
  });

  router.get('/badges/:id', async (req, res) => {
    const id = parseOr400(Slug, req.params.id, ['id']);
    const badge = await store.getBadge(callerOf(res).shop.id, id);
    if (!badge) throw problems.notFound(`No badge "${id}" in this shop.`);
    res.json(badge);
  });

  router.put('/badges/:id', requireSecretKey, async (req, res) => {
    const shopId = callerOf(res).shop.id;
    const id = parseOr400(Slug, req.params.id, ['id']);
    const input = parseOr400(BadgeInput, req.body);
    const existing = await store.getBadge(shopId, id);
    const at = now().toISOString();
    const badge = { id, ...input, createdAt: existing?.createdAt ?? at, updatedAt: at };
    const { created } = await store.putBadge(shopId, badge);
    res.status(created ? 201 : 200).json(badge);
  });

  return router;
}
