// CORS for the API: a browser may call with a shop's keys only from an origin the
// shop registered (or from this server's own origin, e.g. the demo pages).
import type { Request, RequestHandler, Response } from 'express';
import type { Store } from '../store/store.js';
import { callerOf } from './auth.js';
import { problems } from './problem.js';

const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Kudos-Customer, X-Kudos-Customer-Hash, X-Kudos-Anonymous-Id';

const ownOrigin = (req: Request) => `${req.protocol}://${req.get('host')}`;

/**
 * Buy buttons are embedded by directories the shop may never have heard of: the
 * public product view, reservations and views/clicks answer any origin for a
 * publishable key. CORS guards nothing here that a script outside a browser could
 * not do anyway; the routes' own rules (stock, limits, identity) do the guarding.
 */
const EMBEDDABLE = /^\/v1\/products\/[^/]+(?:\/reservations|\/interactions)?\/?$/;
const embeddable = (req: Request) => (req.method === 'GET' || req.method === 'POST' || req.method === 'OPTIONS') && EMBEDDABLE.test(req.baseUrl + req.path);

function allow(res: Response, origin: string): void {
  res.set('Access-Control-Allow-Origin', origin);
  // Retry-After: the browser queue (sdk/queue.ts) waits as long as a 429 or 503 says.
  res.set('Access-Control-Expose-Headers', 'X-Request-Id, Retry-After');
  res.vary('Origin');
}

/**
 * Before authentication (preflights carry no key): answer CORS for any origin some
 * shop registered, so even a 401 is readable by the page. `corsForShop` then
 * narrows it to the key's own shop.
 */
export function corsHeaders(store: Store): RequestHandler {
  return async (req, res, next) => {
    const origin = req.get('origin');
    if (origin === undefined) return next();
    // An index lookup: this runs on every request with an Origin header, whatever the number of shops.
    const known = origin === ownOrigin(req) || embeddable(req) || (await store.shopIdsWithOrigin(origin)).length > 0;
    if (req.method !== 'OPTIONS') {
      if (known) allow(res, origin);
      return next();
    }
    // Every preflight is answered: the request itself is refused below, before any route runs,
    // with a problem the page can read (which origin, where to register it) instead of a bare
    // network error. A preflight grants nothing; `corsForShop` still decides.
    allow(res, origin);
    res.set('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE');
    res.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.set('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}

/** After authentication: the origin must belong to the key's shop. Server-to-server calls send no Origin. */
export const corsForShop: RequestHandler = (req, res, next) => {
  const origin = req.get('origin');
  if (origin === undefined) return next();
  const caller = callerOf(res);
  const open = embeddable(req) && caller.role === 'publishable';
  if (origin !== ownOrigin(req) && !open && !caller.shop.origins.includes(origin)) {
    // Readable by the page (this answer only; it carries no shop data), so the widget can say why.
    allow(res, origin);
    throw problems.originNotRegistered(origin, caller.shop.id);
  }
  allow(res, origin);
  next();
};
