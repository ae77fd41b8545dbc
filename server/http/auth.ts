// Who is calling: the shop and the key (its kind, name and scopes, see
// each feature's `scopes` for what each route needs) and, for publishable
// keys, which shopper (HMAC-verified identity) or anonymous visitor.
import type { Request, RequestHandler, Response } from 'express';
import type { ApiKeyRecord, Shop, Store } from '../store/store.js';
import { AnonymousId, CustomerId } from '../schemas.js';
import { verifyCustomerHash } from '../identity.js';
import { isActive, keyDigest } from '../access/keys.js';
import { identitySecretsOf } from '../access/secrets.js';
import type { Scope } from '../access/scopes.js';
import { problems } from './problem.js';

export type KeyRole = 'publishable' | 'secret';

export interface Caller {
  shop: Shop;
  role: KeyRole;
  key: { id: string; name: string; scopes: Scope[] };
}

export type Shopper = { kind: 'customer'; customerId: string } | { kind: 'anonymous'; anonymousId: string } | { kind: 'none' };

export { anonymousCustomerKey } from '../loyalty/engine/customer.js';

export function authenticate(store: Store, now: () => Date = () => new Date()): RequestHandler {
  return async (req, res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    if (!match) throw problems.unauthenticated('Send "Authorization: Bearer <key>" with a pk_ or sk_ key.');
    const digest = keyDigest(match[1]!);
    const shop = await store.findShopByKeyDigest(digest);
    const record: ApiKeyRecord | undefined = shop?.keys.find((k) => k.digest === digest);
    if (!shop || !record) throw problems.unauthenticated('This API key is not known.');
    const at = now();
    if (!isActive(record, at)) {
      throw problems.unauthenticated(`This API key stopped working at ${record.expiresAt} (revoked, or rolled and its overlap is over).`);
    }
    // The instant identity secrets are checked against (an overlap ends on the injected clock too).
    res.locals.authenticatedAt = at;
    res.locals.caller = {
      shop,
      role: record.kind,
      key: { id: record.id, name: record.name, scopes: record.scopes as Scope[] },
    } satisfies Caller;
    next();
  };
}

export const callerOf = (res: Response): Caller => res.locals.caller as Caller;

/** Kept for routes' own readability: the route's declared scope (authorize, server/access/route-scopes.ts) already refused publishable keys. */
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
    const now: Date = req.res?.locals.authenticatedAt ?? new Date();
    const hash = req.get('x-kudos-customer-hash') ?? '';
    if (!CustomerId.safeParse(customerId).success || !identitySecretsOf(shop, now).some((secret) => verifyCustomerHash(secret, customerId, hash))) {
      throw problems.identity(
        "X-Kudos-Customer-Hash must be the hex HMAC-SHA256 of X-Kudos-Customer computed with the shop's identity secret (the secret key for shops without one).",
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
