// The Express application: middleware order, and where each part of the features
// (server/features.ts) is mounted. Routes authenticate, validate and call a service.
import express, { type Express, type RequestHandler } from 'express';
import { authorize, firstSegment, routeScopeTable, type RouteScope } from './access/route-scopes.js';
import { auditTrail } from './access/audit-trail.js';
import { installBeacon } from './console/routes.js';
import { SetupWatch, setupWatchMiddleware } from './console/setup-watch.js';
import type { AppOptions, FeatureContext } from './feature-kit.js';
import { FEATURES, ROUTE_SCOPES } from './features.js';
import { adminRouter } from './http/admin.js';
import { assetsRouter } from './http/assets.js';
import { authenticate } from './http/auth.js';
import { chain } from './http/chain.js';
import { corsForShop, corsHeaders } from './http/cors.js';
import { demoRouter } from './http/demo.js';
import { homeRouter } from './http/home.js';
import { accessLog, jsonErrorLog } from './http/log.js';
import { loopbackOnly } from './http/loopback-only.js';
import { notFoundHandler, problemHandler, problems } from './http/problem.js';
import { rateLimits } from './http/rate-limit.js';
import { rememberIp } from './http/ip-key.js';
import { requestId } from './http/request-id.js';
import { securityHeaders } from './http/security.js';
import { openApiDocument } from './openapi.js';
import { packageRoot } from './paths.js';
import { StoreClosed } from './store/store.js';

export const BODY_LIMIT = '256kb';

export type { AppOptions } from './feature-kit.js';

// Body-less requests (GET) pass; a body must be JSON so the parser sees it.
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody = req.get('content-length') !== undefined ? req.get('content-length') !== '0' : req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is('application/json')) throw problems.unsupportedMediaType();
  next();
};

/**
 * `router` for the requests `enters` says it may serve (by their path, compared without case as
 * Express matches); any other passes by without entering it. Every API request walked each
 * feature's routers, and the raw-body ones before /v1, matching none of their routes (issue 20:
 * 8-20 µs of a request's CPU for the raw-body ones, `node bench/floor.mjs --pipeline`; ~10 µs
 * more for a widget's read, `node bench/reads.mjs`). The
 * router's routes stay visible through the gate, to what walks the app for them (the auth matrix test).
 */
function gate(router: RequestHandler, enters: (path: string) => boolean): RequestHandler {
  const gated: RequestHandler = (req, res, next) => (enters(req.path.toLowerCase()) ? router(req, res, next) : next());
  return Object.assign(gated, { stack: (router as { stack?: unknown }).stack });
}

/** Routes signed over the raw body, entered only at `path` or below it. */
const under = (path: string, handlers: RequestHandler[]) => {
  const prefix = path.toLowerCase();
  return gate(express.Router().use(handlers), (at) => at === prefix || at.startsWith(prefix + '/'));
};

/**
 * A feature's /v1 router, entered only by requests whose first segment one of its routes starts
 * with: a feature declares every route it serves (`scopes`; test/server/features.test.ts fails on
 * one missing there), so no other request can match in it. A route starting with a parameter
 * (none today) opens the router to every request.
 */
function forFirstSegments(scopes: readonly RouteScope[] | undefined, router: RequestHandler): RequestHandler {
  const segments = new Set((scopes ?? []).map((scope) => firstSegment(scope.path).toLowerCase()));
  if ([...segments].some((segment) => segment.startsWith(':'))) return router;
  return gate(router, (path) => segments.has(firstSegment(path)));
}

export function createApp(options: AppOptions): Express {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const app = express();
  app.disable('x-powered-by');
  app.set('json spaces', 0);
  app.set('trust proxy', options.trustProxy ?? false);
  const draining = options.draining;
  app.use(
    chain(
      requestId,
      rememberIp,
      securityHeaders,
      ...(options.accessLog ? [accessLog(options.accessLog)] : []),
      // A request that arrives (on a kept-alive connection) while the server drains is not started: 503 shutting-down.
      ...(draining ? [((_req, _res, next) => next(draining() ? new StoreClosed() : undefined)) satisfies RequestHandler] : []),
    ),
  );

  const v1 = express.Router();
  // What a key needs for each route, as the features serving them declare it (server/features.ts).
  const scopes = routeScopeTable(ROUTE_SCOPES);
  const setupWatch = new SetupWatch(now);
  v1.use(
    chain(
      // First, so it sees requests the auth and origin checks refuse too (after they are answered).
      setupWatchMiddleware(setupWatch),
      corsHeaders(store),
      rateLimits(options.rateLimit, store.limits, 'v1'),
      authenticate(store, now),
      corsForShop,
      authorize(scopes),
      requireJsonBody,
      express.json({ limit: BODY_LIMIT }),
      auditTrail(store, now, options.log ?? jsonErrorLog, scopes),
      installBeacon(store, now),
    ),
  );
  const features: FeatureContext = { store, now, options, bodyLimit: BODY_LIMIT, setupWatch, features: FEATURES };
  // Each feature's /v1 routes, in registry order (server/features.ts), entered only by the requests they can serve.
  for (const feature of FEATURES) for (const router of feature.api?.(features) ?? []) v1.use(forFirstSegments(feature.scopes, router));
  // Routes signed over the raw body: before the /v1 auth and JSON parser.
  for (const feature of FEATURES) if (feature.raw) app.use(under(feature.raw.under, feature.raw.routers(features)));
  app.use('/v1', v1);
  // The auth-matrix test walks it to find every /v1 route.
  app.locals.apiRouter = v1;

  // Pages and assets after the API: none of their paths is under /v1, and API requests (the
  // hot path: events from every storefront) no longer walk their routes first.
  app.use(homeRouter({ store, now, packageRoot, publicUrl: options.publicUrl, demoShop: options.demoShop }));
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/openapi.json', (_req, res) => {
    res.set('Access-Control-Allow-Origin', '*').json(openApiDocument());
  });
  app.use(assetsRouter(options.publicDir));
  // Before demoRouter: its /examples static handler would serve the directory template raw.
  // Demo routes sign identities and play a shop backend: this machine only.
  app.use(['/demo', '/examples/storefront.html'], loopbackOnly);
  for (const feature of FEATURES) for (const router of feature.demo?.(features) ?? []) app.use(router);
  app.use(demoRouter({ store, examplesDir: options.examplesDir, selfUrl: options.selfUrl }));
  if (options.adminToken) app.use(adminRouter(store, options.adminToken, now));
  // Hosted pages (trophies' /t/…, check-in /c/…, surveys /s/…, withdrawals /w/…) and the console's page.
  for (const feature of FEATURES) for (const router of feature.pages?.(features) ?? []) app.use(router);

  app.use(notFoundHandler);
  app.use(problemHandler(options.log ?? jsonErrorLog));
  return app;
}
