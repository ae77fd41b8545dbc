// The Express application: routing and middleware order only. Routes
// authenticate, validate and call the engine and the store.
import './features.js';
import express, { type Express, type RequestHandler } from 'express';
import { authenticate } from './http/auth.js';
import { authorize } from './access/route-scopes.js';
import { accessRouter } from './access/routes.js';
import { auditTrail } from './access/audit-trail.js';
import { corsForShop, corsHeaders } from './http/cors.js';
import { notFoundHandler, problemHandler, problems } from './http/problem.js';
import { loopbackOnly } from './http/loopback-only.js';
import { requestId } from './http/request-id.js';
import { accessLog, jsonErrorLog, type AccessLog } from './http/log.js';
import { pageRateLimits, rateLimits, type RateLimitOptions } from './http/rate-limit.js';
import { securityHeaders } from './http/security.js';
import { openApiDocument } from './openapi.js';
import { adminRouter } from './http/admin.js';
import { assetsRouter } from './http/assets.js';
import { badgesRouter } from './loyalty/routes-badges.js';
import { customersRouter } from './loyalty/routes-customers.js';
import { demoRouter } from './http/demo.js';
import { eventsRouter } from './events/routes.js';
import { programRouter } from './loyalty/routes-program.js';
import { claimsRouter } from './loyalty/routes-claims.js';
import { publicTrophyRouter, trophiesRouter } from './trophies/routes.js';
import { shareSaveRouter, type ShareSaveOptions } from './share-save/routes.js';
import { emailClaimsRouter, type EmailClaimOptions } from './email-claims/routes.js';
import { surveysRouter } from './surveys/routes.js';
import { productsRouter, type ProductsOptions } from './products/routes.js';
import { productsDemoRouter } from './products/demo.js';
import { ordersInRouter, webhooksRouter, type WebhooksOptions } from './webhooks/routes.js';
import { StoreClosed, type Shop, type Store } from './store/store.js';
import { homeRouter } from './http/home.js';
import { packageRoot } from './paths.js';
import { consoleApiRouter, consolePageRouter, installBeacon } from './console/routes.js';
import { SetupWatch, setupWatchMiddleware } from './console/setup-watch.js';
import { customerDataRouter } from './customers/routes.js';
import { metricsRouter } from './metrics/routes.js';
import { checkinPageRouter, checkinsRouter, type CheckinOptions } from './checkins/routes.js';
import { giftsRouter } from './gifts/routes.js';
import { limitsRouter } from './limits/routes.js';
import { historyRouter } from './history/routes.js';
import { connectionsRouter, connectRouter } from './connectors/routes.js';
import { forecastRouter } from './forecast/routes.js';
import { segmentsRouter } from './segments/routes.js';
import { surveyLinksRouter, surveyPageRouter } from './surveys/hosted.js';
import { withdrawRouter } from './checkins/withdraw.js';

export const BODY_LIMIT = '256kb';

export interface AppOptions {
  store: Store;
  now?: () => Date;
  publicDir: string;
  examplesDir: string;
  /** Enables /internal/shops for the local CLI. */
  adminToken?: string;
  /** This server's own base URL, for the demo backend route. */
  selfUrl: () => string;
  log?: (message: string, error: unknown) => void;
  /** One JSON line per request (server/http/log.ts); off when absent. */
  accessLog?: AccessLog | false;
  /** /v1 rate limits per key + IP (server/http/rate-limit.ts); false turns them off. */
  rateLimit?: RateLimitOptions | false;
  /** Express `trust proxy` (config: KUDOS_TRUST_PROXY); default off. */
  trustProxy?: boolean | number | string;
  /** Public base URL of award and check-in links (config: KUDOS_PUBLIC_URL); default: the request's own origin. */
  publicUrl?: string;
  /** Share-to-save velocity limits and code randomness (tests inject them). */
  shareSave?: ShareSaveOptions;
  /** Verified email claims: velocity limits and code randomness (tests inject them). */
  emailClaims?: EmailClaimOptions;
  webhooks?: WebhooksOptions;
  /** Buy-button products: reservation token randomness (tests inject it). */
  products?: ProductsOptions;
  /** Check-in page velocity limit and public URL (tests inject them). */
  checkins?: CheckinOptions;
  /** The demo shop, when seeded: the landing page links its demo pages. */
  demoShop?: () => Shop | undefined;
  /** True once the server is shutting down: a request arriving then is refused with 503 and Retry-After (server.ts). */
  draining?: () => boolean;
}

// Body-less requests (GET) pass; a body must be JSON so the parser sees it.
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody = req.get('content-length') !== undefined ? req.get('content-length') !== '0' : req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is('application/json')) throw problems.unsupportedMediaType();
  next();
};

export function createApp(options: AppOptions): Express {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const app = express();
  app.disable('x-powered-by');
  app.set('json spaces', 0);
  app.use(requestId);
  app.set('trust proxy', options.trustProxy ?? false);
  app.use(securityHeaders);
  if (options.accessLog) app.use(accessLog(options.accessLog));
  const draining = options.draining;
  if (draining) {
    // A request that arrives (on a kept-alive connection) while the server drains is not started: 503 shutting-down.
    app.use((_req, _res, next) => next(draining() ? new StoreClosed() : undefined));
  }

  const v1 = express.Router();
  // First, so it sees requests the auth and origin checks refuse too (after they are answered).
  const setupWatch = new SetupWatch(now);
  v1.use(setupWatchMiddleware(setupWatch));
  v1.use(corsHeaders(store), rateLimits(options.rateLimit, store.limits, 'v1'), authenticate(store, now), corsForShop, authorize, requireJsonBody);
  v1.use(express.json({ limit: BODY_LIMIT }));
  v1.use(auditTrail(store, now, options.log ?? jsonErrorLog));
  v1.use(installBeacon(store, now));
  // The busiest route first: an event need not be matched against every other route's pattern.
  v1.use(eventsRouter(store, now));
  v1.use(accessRouter(store, now));
  v1.use(customerDataRouter(store, now), metricsRouter(store, now), consoleApiRouter(store, setupWatch));
  v1.use(customersRouter(store, now, { publicUrl: options.publicUrl }), badgesRouter(store, now), programRouter(store, now), claimsRouter(store, now));
  v1.use(trophiesRouter(store, now, { publicUrl: options.publicUrl }));
  v1.use(shareSaveRouter(store, now, options.shareSave));
  v1.use(emailClaimsRouter(store, now, options.emailClaims));
  v1.use(surveysRouter(store, now), surveyLinksRouter(store, { publicUrl: options.publicUrl }));
  v1.use(productsRouter(store, now, options.products));
  v1.use(webhooksRouter(store, now, options.webhooks));
  v1.use(checkinsRouter(store, now, { publicUrl: options.publicUrl, ...options.checkins }), giftsRouter(store, now));
  v1.use(limitsRouter(store));
  v1.use(historyRouter(store, now), connectionsRouter(store, now, { publicUrl: options.publicUrl }));
  v1.use(forecastRouter(store, now), segmentsRouter(store, now));
  // Signed with the shop's secret key over the raw body: before the /v1 auth and JSON parser.
  app.use('/v1/webhooks/orders', rateLimits(options.rateLimit, store.limits, 'orders'));
  app.use(ordersInRouter(store, now, BODY_LIMIT, { publicUrl: options.publicUrl }));
  // Shopify and WooCommerce deliveries: signed by the platform over the raw body (and a body limit of their own: orders are big).
  app.use('/v1/connect', rateLimits(options.rateLimit));
  app.use(connectRouter(store, now, '1mb', { publicUrl: options.publicUrl }));
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
  app.use(productsDemoRouter({ store, examplesDir: options.examplesDir, selfUrl: options.selfUrl }));
  app.use(demoRouter({ store, examplesDir: options.examplesDir, selfUrl: options.selfUrl }));
  if (options.adminToken) app.use(adminRouter(store, options.adminToken, now));
  app.use('/t', pageRateLimits(options.rateLimit, store.limits));
  app.use(publicTrophyRouter(store, { publicUrl: options.publicUrl, now }));
  app.use(checkinPageRouter(store, now, { publicUrl: options.publicUrl, ...options.checkins }));
  app.use(surveyPageRouter(store, now), withdrawRouter(store, now));
  app.use(consolePageRouter(options.publicDir));

  app.use(notFoundHandler);
  app.use(problemHandler(options.log ?? jsonErrorLog));
  return app;
}
