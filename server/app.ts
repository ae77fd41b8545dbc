// The Express application: routing and middleware order only. Routes
// authenticate, validate and call the engine and the store.
import express, { type Express, type RequestHandler } from 'express';
import { authenticate } from './http/auth.js';
import { corsForShop, corsHeaders } from './http/cors.js';
import { notFoundHandler, problemHandler, problems } from './http/problem.js';
import { requestId } from './http/request-id.js';
import { openApiDocument } from './openapi.js';
import { adminRouter } from './routes/admin.js';
import { assetsRouter } from './routes/assets.js';
import { badgesRouter } from './routes/badges.js';
import { customersRouter } from './routes/customers.js';
import { demoRouter } from './routes/demo.js';
import { eventsRouter } from './routes/events.js';
import { programRouter } from './routes/program.js';
import { claimsRouter } from './routes/claims.js';
import { publicTrophyRouter, trophiesRouter } from './trophies/routes.js';
import { shareSaveRouter, type ShareSaveOptions } from './share-save/routes.js';
import { surveysRouter } from './surveys/routes.js';
import { ordersInRouter, webhooksRouter, type WebhooksOptions } from './webhooks/routes.js';
import type { Store } from './store/store.js';

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
  /** Share-to-save velocity limits and code randomness (tests inject them). */
  shareSave?: ShareSaveOptions;
  webhooks?: WebhooksOptions;
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

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/openapi.json', (_req, res) => {
    res.set('Access-Control-Allow-Origin', '*').json(openApiDocument());
  });
  app.use(assetsRouter(options.publicDir));
  app.use(demoRouter({ store, examplesDir: options.examplesDir, selfUrl: options.selfUrl }));
  if (options.adminToken) app.use(adminRouter(store, options.adminToken, now));
  app.use(publicTrophyRouter(store));

  const v1 = express.Router();
  v1.use(corsHeaders(store), authenticate(store), corsForShop, requireJsonBody);
  v1.use(express.json({ limit: BODY_LIMIT }));
  v1.use(eventsRouter(store, now), customersRouter(store, now), badgesRouter(store, now), programRouter(store, now), claimsRouter(store, now));
  v1.use(trophiesRouter(store, now));
  v1.use(shareSaveRouter(store, now, options.shareSave));
  v1.use(surveysRouter(store, now));
  v1.use(webhooksRouter(store, now, options.webhooks));
  // Signed with the shop's secret key over the raw body: before the /v1 auth and JSON parser.
  app.use(ordersInRouter(store, now, BODY_LIMIT));
  app.use('/v1', v1);

  app.use(notFoundHandler);
  app.use(problemHandler(options.log ?? ((message, error) => console.error(message, error))));
  return app;
}
