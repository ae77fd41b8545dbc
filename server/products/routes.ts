// Buy-button products over HTTP: authenticate, validate, call the service.
// The public view is cacheable (ETag, 304, short Cache-Control) so a directory
// page full of buy buttons costs the API little.
import { derivationSecretOf } from '../access/secrets.js';
import { createHash, createHmac } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { anonymousCustomerKey, callerOf, requireSecretKey, shopperOf } from '../http/auth.js';
import { ipKey } from '../http/ip-key.js';
import { parseOr400, problems } from '../http/problem.js';
import { Slug } from '../schemas.js';
import { quotaProblem } from '../limits/quota-problem.js';
import { browserLimitsOf } from '../limits/ports.js';
import { QuotaExceeded, type Shop, type Store } from '../store/store.js';
import { InteractionInput, ProductInput, ReservationInput, ReservationToken } from './schemas.js';
import { getProduct, ownerView, putProduct, recordInteraction, reservationOf, reserveFor, secureToken, viewProduct, type ProductsDeps, type TokenSource } from './service.js';
import { routeScope, type RouteScope } from '../access/route-scopes.js';

export interface ProductsOptions {
  token?: TokenSource;
}

/** Seconds a browser or CDN may reuse a public view: short, because `remaining` moves. */
export const PUBLIC_MAX_AGE = 5;

/** Answer `body` with a strong ETag, or 304 when the client already has it. */
function sendCacheable(req: Request, res: Response, body: unknown, cacheControl: string): void {
  const text = JSON.stringify(body);
  const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
  // The same URL answers differently per key (another shop's product is a 404), and per
  // signed-in customer (limitReached; those answers are private, so shared caches keep
  // only the anonymous one, which has no X-Kudos-Customer).
  res.set({ ETag: etag, 'Cache-Control': cacheControl }).vary('Authorization').vary('X-Kudos-Customer');
  const match = req.get('if-none-match');
  if (match && (match.trim() === '*' || match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag))) {
    res.status(304).end();
    return;
  }
  res.type('application/json').send(text);
}

/**
 * The shopper as a buyer: a verified customer, or an anonymous visitor's key (which
 * proves nothing) and where it came from: a keyed digest of its per-IP key (IPv6 /64),
 * so per-address hold limits work without the store keeping an address.
 */
function buyerOf(req: Request, shop: Shop): { customer: string; verified: boolean; from?: string } | undefined {
  const shopper = shopperOf(req, shop);
  if (shopper.kind === 'customer') return { customer: shopper.customerId, verified: true };
  if (shopper.kind === 'anonymous') {
    const from = createHmac('sha256', derivationSecretOf(shop)).update(`hold-ip\n${ipKey(req.ip)}`).digest('base64url').slice(0, 16);
    return { customer: anonymousCustomerKey(shopper.anonymousId), verified: false, from };
  }
  return undefined;
}

/** What a key needs for each route of productsRouter: its feature's registry entry lists them (server/features.ts). */
export const productScopes: readonly RouteScope[] = [
  routeScope('PUT', '/products/:id', 'admin'),
  routeScope('GET', '/products/:id', 'admin', 'pk'),
  routeScope('POST', '/products/:id/reservations', 'admin', 'pk'),
  routeScope('POST', '/products/:id/interactions', 'admin', 'pk'),
  routeScope('GET', '/products/:id/reservations/:token', 'events'),
];

export function productsRouter(store: Store, now: () => Date, options: ProductsOptions = {}): Router {
  const router = Router();
  const deps: ProductsDeps = { store, now, token: options.token ?? secureToken };
  const idOf = (req: Request) => parseOr400(Slug, req.params.id, ['id']);

  router.put('/products/:id', requireSecretKey, async (req, res) => {
    const id = idOf(req);
    const input = parseOr400(ProductInput, req.body);
    const { product, created } = await putProduct(deps, callerOf(res).shop.id, id, input);
    res.status(created ? 201 : 200).json(product);
  });

  router.get('/products/:id', async (req, res) => {
    const caller = callerOf(res);
    const product = await getProduct(deps, caller.shop.id, idOf(req));
    if (caller.role === 'secret') {
      sendCacheable(req, res, await ownerView(deps, caller.shop.id, product), 'private, no-cache');
    } else {
      // A signed-in customer learns whether they reached the per-customer limit (a claimed
      // identity that does not verify is refused, as everywhere).
      const shopper = shopperOf(req, caller.shop);
      const customer = shopper.kind === 'customer' && product.perCustomerLimit !== undefined ? shopper.customerId : undefined;
      const view = await viewProduct(deps, caller.shop.id, product, customer);
      // Never cached past the drop's next opening or closing: the state changes then.
      const untilChange = view.changesAt === null ? Infinity : Math.floor((Date.parse(view.changesAt) - now().getTime()) / 1000);
      // A customer's own answer is revalidated every time (a 304 when nothing moved): right
      // after they buy, their next view must say they reached the limit.
      sendCacheable(req, res, view, customer === undefined ? `public, max-age=${Math.max(0, Math.min(PUBLIC_MAX_AGE, untilChange))}` : 'private, no-cache');
    }
  });

  router.post('/products/:id/reservations', async (req, res) => {
    const caller = callerOf(res);
    const id = idOf(req);
    const { ref } = parseOr400(ReservationInput, req.body ?? {});
    const product = await getProduct(deps, caller.shop.id, id);
    const buyer = buyerOf(req, caller.shop);
    const reservation = await reserveFor(deps, caller.shop.id, product, buyer, ref);
    res.status(reservation.token ? 201 : 200).set('Cache-Control', 'no-store').json(reservation);
  });

  router.post('/products/:id/interactions', async (req, res) => {
    const caller = callerOf(res);
    const input = parseOr400(InteractionInput, req.body);
    const product = await getProduct(deps, caller.shop.id, idOf(req));
    const customer = buyerOf(req, caller.shop)?.customer;
    if (!customer) throw problems.identity('Identify the shopper (X-Kudos-Customer + hash) or send X-Kudos-Anonymous-Id.');
    // Any directory page can send these with the public key: they count against the shop's browser quotas like /v1/events.
    const limits = caller.role === 'secret' ? undefined : await browserLimitsOf(store, caller.shop.id);
    try {
      await recordInteraction(deps, caller.shop.id, product, customer, input, limits);
    } catch (error) {
      if (error instanceof QuotaExceeded) throw quotaProblem(res, error);
      throw error;
    }
    res.status(204).end();
  });

  router.get('/products/:id/reservations/:token', requireSecretKey, async (req, res) => {
    const caller = callerOf(res);
    const product = await getProduct(deps, caller.shop.id, idOf(req));
    const token = parseOr400(ReservationToken, req.params.token, ['token']);
    res.set('Cache-Control', 'no-store').json(await reservationOf(deps, caller.shop.id, product, token));
  });

  return router;
}
