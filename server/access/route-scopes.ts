// Every /v1 route and what a key needs to call it, in one table: the auth
// middleware reads it, the OpenAPI document and docs/access.md describe it, and
// test/server/auth-matrix.test.ts calls every route with every kind of key (and
// fails when a route registered in the app is missing here).
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

const r = (method: RouteScope['method'], path: string, scope: RouteScope['scope'], publishable?: 'pk'): RouteScope => ({
  method,
  path,
  scope,
  ...(publishable && { publishable: true as const }),
  ...(method === 'PUT' || method === 'DELETE' ? { audit: 'config' as const } : {}),
});
const customerAudit = (route: RouteScope): RouteScope => ({ ...route, audit: 'customer' });
const configAudit = (route: RouteScope): RouteScope => ({ ...route, audit: 'config' });

export const ROUTE_SCOPES: readonly RouteScope[] = [
  // Who am I: the console asks it after sign-in to show only what the key may use.
  r('GET', '/key', 'any', 'pk'),
  // Keys, secrets, origins, audit: the shop's own access.
  r('GET', '/keys', 'admin'),
  r('POST', '/keys', 'admin'),
  r('GET', '/keys/:id', 'admin'),
  { method: 'DELETE', path: '/keys/:id', scope: 'admin' },
  r('POST', '/keys/:id/roll', 'admin'),
  r('GET', '/identity-secrets', 'admin'),
  r('POST', '/identity-secrets/roll', 'admin'),
  r('GET', '/shop/origins', 'admin'),
  r('POST', '/shop/origins', 'admin'),
  { method: 'DELETE', path: '/shop/origins/:origin', scope: 'admin' },
  r('GET', '/audit', 'admin'),
  r('GET', '/audit/export', 'admin'),
  { method: 'PUT', path: '/audit/settings', scope: 'admin' },

  // Events in: the browser sends low-value types, a backend purchases and refunds.
  r('POST', '/events', 'events', 'pk'),
  r('POST', '/claims', 'events'),
  // Past orders, dated (kudos import): purchases and refunds, as a backend sends them.
  r('POST', '/history/orders', 'events'),
  // Stock levels per SKU, as the shop's backend or inventory sync counts them.
  r('POST', '/stock', 'events'),
  // A signed post-delivery survey link for the shop's fulfilment email.
  r('POST', '/surveys/:id/links', 'events'),
  r('GET', '/claims/:token', 'events', 'pk'),
  r('POST', '/claims/:token/accept', 'events', 'pk'),
  r('POST', '/checkins/links', 'events'),
  r('GET', '/products/:id/reservations/:token', 'events'),
  customerAudit(r('PUT', '/groups/:code/members/:customerId/discount-code', 'events')),

  // At the counter: look a customer up, redeem for them, award and revoke trophies.
  r('GET', '/customers', 'staff'),
  r('GET', '/customers/:customerId', 'staff', 'pk'),
  customerAudit(r('POST', '/customers/:customerId/redemptions', 'staff', 'pk')),
  r('GET', '/badges', 'staff', 'pk'),
  r('GET', '/badges/:id', 'staff', 'pk'),
  r('GET', '/program', 'staff', 'pk'),
  r('GET', '/rewards', 'staff', 'pk'),
  r('GET', '/rewards/:id', 'staff', 'pk'),
  r('GET', '/trophies', 'staff', 'pk'),
  r('GET', '/trophies/:id', 'staff', 'pk'),
  customerAudit(r('POST', '/trophies/:id/awards', 'staff')),
  r('GET', '/trophies/:id/awards/:awardId', 'staff'),
  customerAudit(r('DELETE', '/trophies/:id/awards/:awardId', 'staff')),
  customerAudit(r('POST', '/trophies/:id/awards/:awardId/revocation', 'staff')),

  // Numbers without people in them.
  r('GET', '/metrics', 'analytics'),
  r('GET', '/surveys/:id/summary', 'analytics'),
  r('GET', '/forecast', 'analytics'),
  r('GET', '/segments', 'analytics'),

  // The market helper prints today's check-in QR codes.
  r('GET', '/checkins', 'market'),
  r('GET', '/checkins/:id', 'market'),
  r('GET', '/checkins/:id/qr', 'market'),

  // Configuration, personal data and everything else: admin.
  r('PUT', '/checkins/:id', 'admin'),
  customerAudit(r('GET', '/customers/:customerId/export', 'admin')),
  customerAudit(r('DELETE', '/customers/:customerId', 'admin')),
  r('PUT', '/badges/:id', 'admin'),
  r('PUT', '/program', 'admin'),
  r('PUT', '/rewards/:id', 'admin'),
  r('PUT', '/trophies/:id', 'admin'),
  r('PUT', '/campaigns/:id', 'admin'),
  r('GET', '/campaigns/:id', 'admin', 'pk'),
  r('POST', '/groups', 'admin', 'pk'),
  r('POST', '/groups/:code/join', 'admin', 'pk'),
  r('GET', '/groups/:code', 'admin', 'pk'),
  r('GET', '/groups/:code/members', 'admin'),
  r('POST', '/email-claims', 'admin', 'pk'),
  r('POST', '/email-claims/:id/confirm', 'admin', 'pk'),
  r('GET', '/surveys', 'admin'),
  r('PUT', '/surveys/:id', 'admin'),
  r('GET', '/surveys/:id', 'admin', 'pk'),
  r('GET', '/surveys/:id/eligibility', 'admin', 'pk'),
  r('POST', '/surveys/:id/displays', 'admin', 'pk'),
  r('POST', '/surveys/:id/responses', 'admin', 'pk'),
  r('PUT', '/products/:id', 'admin'),
  r('GET', '/products/:id', 'admin', 'pk'),
  r('POST', '/products/:id/reservations', 'admin', 'pk'),
  r('POST', '/products/:id/interactions', 'admin', 'pk'),
  r('GET', '/webhooks', 'admin'),
  r('GET', '/webhooks/:id', 'admin'),
  r('PUT', '/webhooks/:id', 'admin'),
  r('DELETE', '/webhooks/:id', 'admin'),
  configAudit(r('POST', '/webhooks/:id/rotate', 'admin')),
  r('GET', '/webhooks/:id/deliveries', 'admin'),
  r('POST', '/webhooks/:id/deliveries/:deliveryId/redeliver', 'admin'),
  // Shopify / WooCommerce connections hold the platform's signing secret.
  r('GET', '/connections', 'admin'),
  r('GET', '/connections/:id', 'admin'),
  r('PUT', '/connections/:id', 'admin'),
  r('DELETE', '/connections/:id', 'admin'),
  // Market check-in sign-ups: emails, personal data.
  // Reading it is an export of personal data: audited like a customer export.
  customerAudit(r('GET', '/market-list', 'admin')),
  customerAudit(r('GET', '/market-list.csv', 'admin')),
  // The shop's quotas for publishable-key traffic.
  r('GET', '/limits', 'admin'),
  r('PUT', '/limits', 'admin'),
  r('GET', '/forecast/settings', 'admin'),
  r('PUT', '/forecast/settings', 'admin'),
  r('GET', '/gifts', 'admin'),
  r('PUT', '/gifts/:id', 'admin'),
  r('GET', '/gifts/:id', 'admin'),
  r('GET', '/console/install', 'admin'),
  r('GET', '/console/campaigns', 'admin'),
  r('GET', '/console/products', 'admin'),
  // Checks a console form against the API's schema without saving anything.
  r('POST', '/console/check/:kind', 'admin'),
];

const patternOf = (path: string) => new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}/?$`);

const compiled = ROUTE_SCOPES.map((route) => ({ route, pattern: patternOf(route.path) }));

/** The entry for a request under /v1 (HEAD is a GET). Literal segments win over parameters. */
export function routeScopeOf(method: string, path: string): RouteScope | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  const matches = compiled.filter((c) => c.route.method === m && c.pattern.test(path));
  // '/checkins/links' over '/checkins/:id': the fewest parameters is the most specific.
  return matches.sort((a, b) => (a.route.path.match(/:/g)?.length ?? 0) - (b.route.path.match(/:/g)?.length ?? 0))[0]?.route;
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
export const authorize: RequestHandler = (req: Request, res, next) => {
  const caller = callerOf(res);
  const route = routeScopeOf(req.method, req.path);
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
