// The console's live setup check (Install page): which origins called with a shop's keys
// lately and whether they are allowed, whether signed shopper identities verify, and the
// last event requests received. Kept in memory only, in small fixed-size buffers per shop
// and a bounded number of shops: it never grows with traffic and never touches the store
// (the ingest path pays a few map operations after the response is sent). Each server
// instance sees its own traffic, which is what "is my page set up right?" needs.
import type { Request, RequestHandler } from 'express';
import { callerOf, shopperOf } from '../http/auth.js';

/** Distinct origins kept per shop (most recent first). */
export const MAX_ORIGINS = 8;
/** Event requests kept per shop. */
export const MAX_EVENTS = 15;
/** Shops watched at once; the least recently active is forgotten first. */
export const MAX_SHOPS = 2000;

export interface SeenOrigin {
  origin: string;
  /** The shop registered it (or it is this server's own origin), so browsers may call. */
  allowed: boolean;
  lastAt: string;
  requests: number;
}

export interface SeenEvent {
  at: string;
  /** Event types of the request, in order (at most 5 listed). */
  types: string[];
  count: number;
  status: number;
  origin: string | null;
  /** The key's role (publishable, secret…). */
  key: string;
  /** Who it was for: a verified customer, an anonymous visitor, or nobody. */
  shopper: 'customer' | 'anonymous' | 'none' | 'refused';
}

export interface IdentityCheck {
  verified: number;
  refused: number;
  lastVerifiedAt: string | null;
  lastRefusedAt: string | null;
}

export interface SetupSnapshot {
  origins: SeenOrigin[];
  identity: IdentityCheck;
  events: SeenEvent[];
}

interface ShopWatch extends SetupSnapshot {}

const emptyWatch = (): ShopWatch => ({ origins: [], identity: { verified: 0, refused: 0, lastVerifiedAt: null, lastRefusedAt: null }, events: [] });

const ORIGIN = /^https?:\/\/[^\s/]{1,253}$/;

export class SetupWatch {
  private shops = new Map<string, ShopWatch>();

  constructor(private readonly now: () => Date) {}

  private watch(shopId: string): ShopWatch {
    let w = this.shops.get(shopId);
    if (w) this.shops.delete(shopId); // re-inserted below: Map order is recency
    else w = emptyWatch();
    this.shops.set(shopId, w);
    if (this.shops.size > MAX_SHOPS) this.shops.delete(this.shops.keys().next().value!);
    return w;
  }

  /** One finished /v1 request of a shop. */
  record(shopId: string, seen: { origin?: string; allowed: boolean; identity?: boolean; event?: Omit<SeenEvent, 'at'> }): void {
    const at = this.now().toISOString();
    const w = this.watch(shopId);
    if (seen.origin !== undefined && ORIGIN.test(seen.origin)) {
      const i = w.origins.findIndex((o) => o.origin === seen.origin);
      const previous = i >= 0 ? w.origins.splice(i, 1)[0]! : undefined;
      w.origins.unshift({ origin: seen.origin, allowed: seen.allowed, lastAt: at, requests: (previous?.requests ?? 0) + 1 });
      w.origins.length = Math.min(w.origins.length, MAX_ORIGINS);
    }
    if (seen.identity === true) {
      w.identity.verified++;
      w.identity.lastVerifiedAt = at;
    } else if (seen.identity === false) {
      w.identity.refused++;
      w.identity.lastRefusedAt = at;
    }
    if (seen.event) {
      w.events.unshift({ at, ...seen.event });
      w.events.length = Math.min(w.events.length, MAX_EVENTS);
    }
  }

  snapshot(shopId: string): SetupSnapshot {
    const w = this.shops.get(shopId) ?? emptyWatch();
    return structuredClone(w);
  }

  /** Shops watched now (for tests of the bound). */
  get size(): number {
    return this.shops.size;
  }
}

const ownOrigin = (req: Request) => `${req.protocol}://${req.get('host')}`;

/** Event types of a POST /v1/events body (one event or a batch), as sent; never throws. */
function eventTypes(body: unknown): string[] {
  // Refused before the JSON parser ran (unknown origin, rate limit): the types are not known.
  if (body === undefined) return [];
  const list = body && typeof body === 'object' && Array.isArray((body as { events?: unknown }).events) ? (body as { events: unknown[] }).events : [body];
  return list.map((e) => (e && typeof e === 'object' && typeof (e as { type?: unknown }).type === 'string' ? (e as { type: string }).type.slice(0, 64) : '?'));
}

/**
 * Mounted first on /v1: after each response of an authenticated request, note its origin,
 * its shopper identity (verified or refused) and, for POST /events, the request itself.
 */
export function setupWatchMiddleware(watch: SetupWatch): RequestHandler {
  return (req, res, next) => {
    res.once('finish', () => {
      const caller = callerOf(res);
      if (!caller) return;
      const origin = req.get('origin');
      const allowed = origin !== undefined && (origin === ownOrigin(req) || caller.shop.origins.includes(origin));
      let identity: boolean | undefined;
      let shopper: SeenEvent['shopper'] = 'none';
      try {
        const s = shopperOf(req, caller.shop);
        shopper = s.kind;
        if (s.kind === 'customer') identity = true;
      } catch {
        // A claimed identity that does not verify (or a malformed anonymous id).
        shopper = 'refused';
        if (req.get('x-kudos-customer') !== undefined) identity = false;
      }
      const isEvents = req.method === 'POST' && /^\/v1\/events\/?(?:\?|$)/.test(req.originalUrl);
      const types = isEvents ? eventTypes(req.body) : [];
      watch.record(caller.shop.id, {
        origin,
        allowed,
        identity,
        event: isEvents
          ? { types: types.slice(0, 5), count: types.length, status: res.statusCode, origin: origin ?? null, key: caller.role, shopper }
          : undefined,
      });
    });
    next();
  };
}
