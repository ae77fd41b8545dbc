// The shop console: its page and bundle (/console, built into dist/public/console by
// rollup), what its Install tab needs (GET /v1/console/install, sk), and the cheap
// "last seen" beacon: which origin last sent events with this shop's key, and when.
import express, { Router, type RequestHandler } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CheckinInput } from '../checkins/schemas.js';
import { GiftInput } from '../gifts/schemas.js';
import { identitySnippets } from './snippets.js';
import type { SetupWatch } from './setup-watch.js';
import { callerOf, requireSecretKey } from '../http/auth.js';
import { fieldErrorsOf, parseOr400, problems } from '../http/problem.js';
import { ProductInput } from '../products/schemas.js';
import { listProducts } from '../products/ports.js';
import { BadgeInput, ProgramInput, RewardInput } from '../loyalty/schemas.js';
import { Slug } from '../schemas.js';
import { listCampaigns } from '../share-save/ports.js';
import { listSurveys } from '../surveys/ports.js';
import { CampaignInput } from '../share-save/schemas.js';
import { SurveyInput } from '../surveys/schemas.js';
import { TrophyInput } from '../trophies/schemas.js';
import { WebhookEndpointInput } from '../webhooks/schemas.js';
import { precompressed } from '../http/precompressed.js';
import type { Store } from '../store/store.js';
import { routeScope, type RouteScope } from '../access/route-scopes.js';

export const CONSOLE = 'console';
const SEEN_REF = { collection: CONSOLE, id: 'install-seen' };
/** One write per shop and origin per minute at most: the beacon must not cost the ingest path a flush per event. */
const SEEN_EVERY_MS = 60_000;

export interface InstallSeen {
  origin: string;
  at: string;
}

/**
 * After a successful POST /v1/events from a browser, remember its Origin. Runs
 * after the response is sent and never fails the request.
 */
export function installBeacon(store: Store, now: () => Date): RequestHandler {
  const lastWrite = new Map<string, number>();
  return (req, res, next) => {
    const origin = req.get('origin');
    if (req.method !== 'POST' || req.path !== '/events' || !origin || !/^https?:\/\/[^\s/]{1,253}$/.test(origin)) return next();
    res.once('finish', () => {
      if (res.statusCode >= 300) return;
      const shopId = callerOf(res)?.shop.id;
      if (!shopId) return;
      const t = now().getTime();
      const key = `${shopId} ${origin}`;
      if (t - (lastWrite.get(key) ?? -Infinity) < SEEN_EVERY_MS) return;
      lastWrite.set(key, t);
      if (lastWrite.size > 10_000) lastWrite.clear();
      const seen: InstallSeen = { origin, at: new Date(t).toISOString() };
      store.updateDocuments(shopId, [SEEN_REF], () => ({ values: [seen], result: null })).catch(() => lastWrite.delete(key));
    });
    next();
  };
}

/** The id of the oldest of a shop's definitions (campaigns, surveys, products: each through its feature's ports.ts). */
const firstId = async (list: Promise<readonly { id?: string; createdAt?: string }[]>) =>
  (await list)
    .filter((d) => typeof d.id === 'string')
    .sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''))[0]?.id;

/**
 * What each console form saves with (the PUT route's body schema), so the console can ask
 * the server, as the owner types, what a save would say: the same words at the same
 * pointers, without the console bundling the server's schemas.
 */
const CHECKED_KINDS: Record<string, z.ZodType> = {
  badges: BadgeInput,
  trophies: TrophyInput,
  program: ProgramInput,
  rewards: RewardInput,
  campaigns: CampaignInput,
  surveys: SurveyInput,
  products: ProductInput,
  checkins: CheckinInput,
  gifts: GiftInput,
  webhooks: WebhookEndpointInput,
};
const CheckInput = z.strictObject({ id: z.string().max(200).optional(), body: z.unknown() });

/** What a key needs for each route of consoleApiRouter: its feature's registry entry lists them (server/features.ts). */
export const consoleScopes: readonly RouteScope[] = [
  routeScope('GET', '/console/install', 'admin'),
  routeScope('GET', '/console/campaigns', 'admin'),
  routeScope('GET', '/console/products', 'admin'),
  // Checks a console form against the API's schema without saving anything.
  routeScope('POST', '/console/check/:kind', 'admin'),
];

/** GET /v1/console/install: the exact tags for this shop. */
export function consoleApiRouter(store: Store, setupWatch?: SetupWatch): Router {
  const router = Router();
  router.get('/console/install', requireSecretKey, async (req, res) => {
    const { shop } = callerOf(res);
    const [seen, campaign, survey, product] = await Promise.all([
      store.getDocument<InstallSeen>(shop.id, SEEN_REF),
      firstId(listCampaigns(store, shop.id)),
      firstId(listSurveys(store, shop.id)),
      firstId(listProducts(store, shop.id)),
    ]);
    const apiOrigin = `${req.protocol}://${req.get('host')}`;
    const elements = [
      '<kudos-badges></kudos-badges>',
      '<kudos-points></kudos-points>',
      '<kudos-trophy-case></kudos-trophy-case>',
      `<kudos-share-save campaign="${campaign ?? 'CAMPAIGN_ID'}"></kudos-share-save>`,
      `<kudos-nps survey="${survey ?? 'SURVEY_ID'}"></kudos-nps>`,
      `<kudos-buy-button product="${product ?? 'PRODUCT_ID'}"></kudos-buy-button>`,
    ];
    res.set('Cache-Control', 'no-store');
    res.json({
      shop: { id: shop.id, name: shop.name, origins: shop.origins },
      publishableKey: shop.publishableKey,
      scriptTag: `<script async blocking="render" src="${apiOrigin}/kudos.js" data-key="${shop.publishableKey}"></script>`,
      // For signed-in shoppers: their id and its signature (see identitySnippets), or widgets ask them to sign in.
      identityAttributes: 'data-customer-id="CUSTOMER_ID" data-customer-hash="HEX_HMAC_SHA256_OF_CUSTOMER_ID_WITH_SECRET_KEY"',
      identitySnippets: identitySnippets(apiOrigin, shop.publishableKey),
      elements,
      lastSeen: seen ?? null,
      // The live setup check: what this server instance saw lately with this shop's keys.
      setup: { ownOrigin: apiOrigin, ...(setupWatch?.snapshot(shop.id) ?? { origins: [], identity: null, events: [] }) },
    });
  });
  // POST /v1/console/check/:kind {id?, body}: what a save of this body would refuse, all at once; saves nothing.
  router.post('/console/check/:kind', requireSecretKey, (req, res) => {
    const schema = Object.hasOwn(CHECKED_KINDS, req.params.kind as string) ? CHECKED_KINDS[req.params.kind as string] : undefined;
    if (!schema) throw problems.notFound(`No form "${req.params.kind}" to check; one of: ${Object.keys(CHECKED_KINDS).join(', ')}.`);
    const { id, body } = parseOr400(CheckInput, req.body);
    const result = schema.safeParse(body);
    const errors = result.success ? [] : fieldErrorsOf(result.error);
    if (id !== undefined) {
      const idResult = Slug.safeParse(id);
      if (!idResult.success) errors.push(...fieldErrorsOf(idResult.error, ['id']));
    }
    res.set('Cache-Control', 'no-store');
    res.json({ errors });
  });
  // Share-to-save has no list route of its own: the console's Programs tab needs one.
  router.get('/console/campaigns', requireSecretKey, async (_req, res) => {
    const campaigns = await listCampaigns(store, callerOf(res).shop.id);
    res.json({ campaigns: campaigns.sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '')) });
  });
  // Products have no list route either (buy buttons read one at a time).
  router.get('/console/products', requireSecretKey, async (_req, res) => {
    const products = await listProducts(store, callerOf(res).shop.id);
    res.json({ products: products.sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '')) });
  });
  return router;
}

// The console talks only to this server and is never framed: the secret key is typed into it.
const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https: blob:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** GET /console and its bundle. */
export function consolePageRouter(publicDir: string): Router {
  const router = Router();
  const dir = join(publicDir, 'console');
  router.use('/console', (_req, res, next) => {
    if (!existsSync(join(dir, 'index.html'))) {
      res.status(503).type('text/plain').send('The console is not built yet: run "npm run build".');
      return;
    }
    res.set('Content-Security-Policy', CONSOLE_CSP);
    res.set('X-Frame-Options', 'DENY');
    res.set('Referrer-Policy', 'no-referrer');
    res.set('X-Content-Type-Options', 'nosniff');
    next();
  });
  router.get(['/console', '/console/'], (_req, res) => {
    res.set('Cache-Control', 'no-cache');
    res.sendFile(join(dir, 'index.html'));
  });
  router.use('/console', precompressed(dir), express.static(dir, { maxAge: '5m', index: false }));
  return router;
}
