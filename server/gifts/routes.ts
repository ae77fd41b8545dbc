// Micro-gift rules (sk only: a gift is value). Granting happens after purchases
// are recorded (server/events/record-events.ts runs the hooks of server/features.ts), never from a route.
import { Router } from 'express';
import { callerOf, requireSecretKey } from '../http/auth.js';
import { parseOr400 } from '../http/problem.js';
import { createdKey, page, PageQuery } from '../paging.js';
import { Slug } from '../schemas.js';
import type { Store } from '../store/store.js';
import { GiftInput, type Gift } from './schemas.js';
import { COLLECTIONS, getGift, giftUsage, putGift } from './service.js';
import { routeScope, type RouteScope } from '../access/route-scopes.js';

/** What a key needs for each route of giftsRouter: its feature's registry entry lists them (server/features.ts). */
export const giftScopes: readonly RouteScope[] = [
  routeScope('GET', '/gifts', 'admin'),
  routeScope('PUT', '/gifts/:id', 'admin'),
  routeScope('GET', '/gifts/:id', 'admin'),
];

export function giftsRouter(store: Store, now: () => Date): Router {
  const router = Router();
  router.use('/gifts', requireSecretKey);

  router.get('/gifts', async (req, res) => {
    const shopId = callerOf(res).shop.id;
    const query = parseOr400(PageQuery, { ...req.query });
    const gifts = page(await store.listDocuments<Gift>(shopId, COLLECTIONS.gifts), createdKey, query);
    res.json({ ...gifts, data: await Promise.all(gifts.data.map(async (g) => ({ ...g, usage: await giftUsage(store, now, shopId, g) }))) });
  });

  router.put('/gifts/:id', async (req, res) => {
    const shopId = callerOf(res).shop.id;
    const id = parseOr400(Slug, req.params.id, ['id']);
    const input = parseOr400(GiftInput, req.body);
    const { gift, created } = await putGift(store, now, shopId, id, input);
    res.status(created ? 201 : 200).json({ ...gift, usage: await giftUsage(store, now, shopId, gift) });
  });

  router.get('/gifts/:id', async (req, res) => {
    const shopId = callerOf(res).shop.id;
    const id = parseOr400(Slug, req.params.id, ['id']);
    const gift = await getGift(store, shopId, id);
    res.json({ ...gift, usage: await giftUsage(store, now, shopId, gift) });
  });

  return router;
}
