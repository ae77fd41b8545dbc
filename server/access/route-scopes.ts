// What a key needs to call each /v1 route. Each feature declares its routes' scopes
// next to the routes (e.g. trophyScopes in server/trophies/routes.ts) and lists them in
// its registry entry (`scopes`); server/features.ts gathers them into ROUTE_SCOPES, which
// the auth middleware and the audit trail read (through routeScopeTable), and which
// docs/access.md and the HTTP API reference describe. test/server/features.test.ts fails
// when a feature serves a route it declares no scope for; test/server/auth-matrix.test.ts
// calls every route with every kind of key.
//
// `scope`: what a secret key needs (admin holds every scope); 'any' lets every
// key of the shop in. `publishable`: the publishable key may call it too (the
// route itself then decides what a shopper may see or do).
import type { Request, RequestHandler } from 'express';
import { callerOf } from '../http/auth.js';
import { DomainError, problems } from '../http/problem.js';
import { grants, type Scope } from './scopes.js';

export interface RouteScope {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Express-style, under /v1: '/trophies/:id/awards'. */
  path: string;
  scope: Scope | 'any';
  publishable?: true;
  /**
   * What a secret key's successful call leaves in the audit log (server/access/audit-trail.ts):
   * 'config' the body as the change, 'customer' a digest of the customer and no body.
   * Access routes (keys, origins…) write their own entries.
   */
  audit?: 'config' | 'customer';
}

/** A route's scope; 'pk' opens it to the publishable key. A PUT or DELETE leaves its body in the audit log as the change. */
export const routeScope = (method: RouteScope['method'], path: string, scope: RouteScope['scope'], publishable?: 'pk'): RouteScope => ({
  method,
  path,
  scope,
  ...(publishable && { publishable: true as const }),
  ...(method === 'PUT' || method === 'DELETE' ? { audit: 'config' as const } : {}),
});
/** Audited as a call about a customer: a digest of the customer, no body. */
export const customerAudit = (route: RouteScope): RouteScope => ({ ...route, audit: 'customer' });
/** Audited with its body as the change (a POST that changes configuration). */
export const configAudit = (route: RouteScope): RouteScope => ({ ...route, audit: 'config' });

const patternOf = (path: string) => new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}/?$`);

/** The routes' scopes, matched against requests: what authorize and the audit trail read. */
export interface RouteScopeTable {
  readonly routes: readonly RouteScope[];
  /** The entry for a request under /v1 (HEAD is a GET). Literal segments win over parameters. */
  of(method: string, path: string): RouteScope | undefined;
}

/** A path's first segment: 'customers' of '/customers/c1'. */
export const firstSegment = (path: string) => path.split('/', 2)[1] ?? '';

export function routeScopeTable(routes: readonly RouteScope[]): RouteScopeTable {
  // By method and first segment, each list in the order of preference: the fewest parameters
  // (the most specific), then the first declared. A request tests a few patterns, and the first
  // that matches is its route. Scanning all hundred on every request, twice, cost ~10 µs (issue 20).
  type Entry = { route: RouteScope; pattern: RegExp; rank: [number, number] };
  const keyOf = (method: string, first: string) => `${method} ${first.startsWith(':') ? ':' : first}`;
  const before = (a: Entry, b: Entry) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1];
  const index = new Map<string, Entry[]>();
  routes.forEach((route, i) => {
    const key = keyOf(route.method, firstSegment(route.path));
    const entry = { route, pattern: patternOf(route.path), rank: [route.path.match(/:/g)?.length ?? 0, i] as [number, number] };
    index.set(key, [...(index.get(key) ?? []), entry].sort(before));
  });
  const first = (key: string, path: string) => index.get(key)?.find((c) => c.pattern.test(path));
  return {
    routes,
    of(method, path) {
      const m = method === 'HEAD' ? 'GET' : method;
      const literal = first(keyOf(m, firstSegment(path)), path);
      // Routes whose path starts with a parameter (none today) match under any first segment.
      const open = first(`${m} :`, path);
      return (literal && open ? (before(open, literal) < 0 ? open : literal) : (literal ?? open))?.route;
    },
  };
}

export const missingScope = (scope: Scope, keyName: string) =>
  new DomainError(
    'missing-scope',
    `This route needs the "${scope}" scope; the key "${keyName}" does not have it. An admin key can create one that does (kudos keys create, or the console's Keys section).`,
    { extensions: { scope } },
  );

/**
 * After authentication: the key must hold the route's scope. A route missing from
 * the table needs admin (and is not there for publishable keys), so a route
 * added without a declaration is closed rather than open.
 */
export const authorize = (table: RouteScopeTable): RequestHandler => (req: Request, res, next) => {
  const caller = callerOf(res);
  const route = table.of(req.method, req.path);
  if (req.method === 'OPTIONS') return next();
  if (caller.role === 'publishable') {
    if (!route) throw problems.notFound(`No route ${req.method} ${req.baseUrl}${req.path} for a publishable key.`);
    if (!route.publishable) {
      throw new DomainError(
        'missing-scope',
        `This needs a secret key with the "${route.scope === 'any' ? 'admin' : route.scope}" scope (sk_…), used from the shop backend only.`,
        { extensions: { scope: route.scope === 'any' ? 'admin' : route.scope } },
      );
    }
    return next();
  }
  const needed = route?.scope ?? 'admin';
  if (needed !== 'any' && !grants(caller.key.scopes, needed)) throw missingScope(needed, caller.key.name);
  next();
};
