// Who is calling: the shop (by API key and its role) and, for publishable keys,
// which shopper (HMAC-verified identity) or anonymous visitor.
import type { Request, RequestHandler, Response } from 'express';
import type { Shop, Store } from '../store/store.js';
import { AnonymousId, CustomerId } from '../schemas.js';
import { verifyCustomerHash } from '../identity.js';
import { problems } from './problem.js';
import { ANONYMOUS_CUSTOMER_PREFIX } from '../engine/customer.js';

export type KeyRole = 'publishable' | 'secret';

export interface Caller {
  shop: Shop;
  role: KeyRole;
}

export type Shopper = { kind: 'customer'; customerId: string } | { kind: 'anonymous'; anonymousId: string } | { kind: 'none' };

/** Anonymous visitors are kept apart from shop customer ids (which cannot contain "~"). */
export const anonymousCustomerKey = (anonymousId: string) => `${ANONYMOUS_CUSTOMER_PREFIX}${anonymousId}`;

export function authenticate(store: Store): RequestHandler {
  return async (req, res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    if (!match) throw problems.unauthenticated('Send "Authorization: Bearer <key>" with a pk_ or sk_ key.');
    const key = match[1]!;
    const shop = await store.findShopByKey(key);
    if (!shop) throw problems.unauthenticated('This API key is not known.');
    res.locals.caller = { shop, role: key === shop.secretKey ? 'secret' : 'publishable' } satisfies Caller;
    next();
  };
}

export const callerOf = (res: Response): Caller => res.locals.caller as Caller;

export const requireSecretKey: RequestHandler = (_req, res, next) => {
  if (callerOf(res).role !== 'secret') {
    throw problems.forbidden('This needs the secret key (sk_…), used from the shop backend only.');
  }
  next();
};

/** The shopper a request speaks for. A claimed identity that does not verify is refused, never ignored. */
export function shopperOf(req: Request, shop: Shop): Shopper {
  const customerId = req.get('x-kudos-customer');
  if (customerId !== undefined) {
    const hash = req.get('x-kudos-customer-hash') ?? '';
    if (!CustomerId.safeParse(customerId).success || !verifyCustomerHash(shop.secretKey, customerId, hash)) {
      throw problems.identity(
        'X-Kudos-Customer-Hash must be the hex HMAC-SHA256 of X-Kudos-Customer computed with the shop secret key.',
      );
    }
    return { kind: 'customer', customerId };
  }
  const anonymousId = req.get('x-kudos-anonymous-id');
  if (anonymousId !== undefined) {
    if (!AnonymousId.safeParse(anonymousId).success) {
      throw problems.validation([{ pointer: '', detail: 'X-Kudos-Anonymous-Id: 8–64 characters of letters, digits, _ and -' }]);
    }
    return { kind: 'anonymous', anonymousId };
  }
  return { kind: 'none' };
}
