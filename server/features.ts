// The feature registry: every feature of Kudos and the parts it declares, in the order the
// app mounts them (server/feature-kit.ts says what each part is). app.ts mounts the routes,
// openapi.ts assembles /openapi.json, recording runs the after-record hooks, a customer's
// export and erase reach every exporter and eraser, and the stores index the lookups of their collections: from
// this list alone. A feature folder under server/ that is not here fails
// test/server/features.test.ts. Imported once by every entry point (server/app.ts,
// server/cli.ts) before anything records.
import { Router, type RequestHandler } from 'express';
import { accessPaths, accessSchemas } from './access/openapi.js';
import type { RouteScope } from './access/route-scopes.js';
import { accessRouter, accessScopes } from './access/routes.js';
import { checkinPaths, checkinSchemas } from './checkins/openapi.js';
import { checkinPageRouter, checkinScopes, checkinsRouter } from './checkins/routes.js';
import { eraseCheckins, exportCheckins, noteVisits } from './checkins/service.js';
import { withdrawRouter } from './checkins/withdraw.js';
import { connectorPaths, connectorSchemas } from './connectors/openapi.js';
import { connectionScopes, connectionsRouter, connectRouter } from './connectors/routes.js';
import { consoleApiRouter, consolePageRouter, consoleScopes } from './console/routes.js';
import { customerDataPaths, customerDataSchemas } from './customers/openapi.js';
import { customerDataRouter, customerDataScopes } from './customers/routes.js';
import { emailClaimPaths, emailClaimSchemas } from './email-claims/openapi.js';
import { CLAIMS, CLAIMS_BY_EXPIRY } from './email-claims/lookups.js';
import { emailClaimScopes, emailClaimsRouter } from './email-claims/routes.js';
import { registerAfterRecord, type RecordedBatch } from './events/after-record.js';
import { eventsPaths, eventsSchemas } from './events/openapi.js';
import { FOLLOW_UPS } from './events/after-record.js';
import { FOLLOW_UPS_BY_EVENT, FOLLOW_UPS_PENDING } from './events/lookups.js';
import { eventsRouter, eventsScopes } from './events/routes.js';
import { declaredDocuments, HOOK_STAGES, type DeclaredDocuments, type Feature, type FeatureContext } from './feature-kit.js';
import { forecastPaths, forecastSchemas } from './forecast/openapi.js';
import { forecastRouter, forecastScopes } from './forecast/routes.js';
import { recordSkuSales } from './forecast/service.js';
import { giftPaths, giftSchemas } from './gifts/openapi.js';
import { giftScopes, giftsRouter } from './gifts/routes.js';
import { eraseGifts, exportGifts, grantGifts } from './gifts/service.js';
import { historyPaths, historySchemas } from './history/openapi.js';
import { historyRouter, historyScopes } from './history/routes.js';
import { pageRateLimits, rateLimits } from './http/rate-limit.js';
import { limitsPaths, limitsSchemas } from './limits/openapi.js';
import { limitsRouter, limitsScopes } from './limits/routes.js';
import { loyaltyPaths, loyaltySchemas } from './loyalty/openapi.js';
import { badgesRouter, badgesScopes } from './loyalty/routes-badges.js';
import { claimsRouter, claimsScopes } from './loyalty/routes-claims.js';
import { customersRouter, customersScopes } from './loyalty/routes-customers.js';
import { programRouter, programScopes } from './loyalty/routes-program.js';
import { metricsPaths, metricsSchemas } from './metrics/openapi.js';
import { metricsRouter, metricsScopes } from './metrics/routes.js';
import { productsDemoRouter } from './products/demo.js';
import { eraseProductBuyers, exportProductBuys } from './products/erase.js';
import { STOCK, STOCK_BY_CUSTOMER } from './products/lookups.js';
import { productPaths, productSchemas } from './products/openapi.js';
import { productScopes, productsRouter } from './products/routes.js';
import { confirmReservations } from './products/service.js';
import { segmentsPaths, segmentsSchemas } from './segments/openapi.js';
import { segmentsRouter, segmentsScopes } from './segments/routes.js';
import { eraseGroupMemberships } from './share-save/erase.js';
import { GROUPS_BY_MEMBER, MEMBERSHIPS_BY_CUSTOMER } from './share-save/lookups.js';
import { shareSavePaths, shareSaveSchemas } from './share-save/openapi.js';
import { shareSaveRouter, shareSaveScopes } from './share-save/routes.js';
import { attributeGroupPurchases, COLLECTIONS as SHARE_SAVE } from './share-save/service.js';
import { eraseSurveyAnswers } from './surveys/erase.js';
import { surveyLinkScopes, surveyLinksRouter, surveyPageRouter } from './surveys/hosted.js';
import { surveyPaths, surveySchemas } from './surveys/openapi.js';
import { surveyScopes, surveysRouter } from './surveys/routes.js';
import { AWARDS } from './trophies/engine.js';
import { eraseTrophyAwards } from './trophies/erase.js';
import { AWARDS_BY_CUSTOMER, AWARDS_BY_ID } from './trophies/lookups.js';
import { trophyPaths, trophySchemas } from './trophies/openapi.js';
import { publicTrophyRouter, trophiesRouter, trophyScopes } from './trophies/routes.js';
import { awardTrophiesByRules } from './trophies/service-rules.js';
import { DELIVERIES_DUE, DELIVERIES_FINISHED, DELIVERIES_PENDING_BY_ENDPOINT } from './webhooks/lookups.js';
import { DELIVERIES, enqueueWebhookDeliveries } from './webhooks/outbox.js';
import { webhookPaths, webhookSchemas } from './webhooks/openapi.js';
import { ordersInRouter, webhookScopes, webhooksRouter } from './webhooks/routes.js';
import { eraseTierStanding, tierChanges } from './webhooks/tier-changes.js';
import { AUDIT } from './access/audit.js';
import { SEALING } from './access/seal-at-rest.js';
import { CONSOLE } from './console/routes.js';
import { PROGRAM_REF, REWARD_CLAIMS, REWARDS } from './loyalty/service.js';
import { AWARD_REQUESTS, HOLDERS, TROPHIES } from './trophies/engine.js';
import { STATUS } from './trophies/status-list.js';
import { ISSUER_KEY_REF } from './trophies/issuer-key.js';
import { SURVEYS } from './surveys/service.js';
import { SURVEY_CONTACTS, SURVEY_TALLIES } from './surveys/erase.js';
import { ANONYMOUS_COUNT_REF } from './surveys/anonymous-contacts.js';
import { SURVEY_REQUESTS } from './surveys/fulfilment.js';
import { FUNNELS, PRODUCTS } from './products/service.js';
import { DEMO_PARTNERS } from './products/seed.js';
import { ENDPOINTS, LOGS } from './webhooks/outbox.js';
import { TIER_STANDINGS } from './webhooks/tier-changes.js';
import { COLLECTIONS as CHECKINS } from './checkins/service.js';
import { COLLECTIONS as GIFTS } from './gifts/service.js';
import { LIMITS_REF } from './limits/service.js';
import { CONNECTED_ORDERS, CONNECTIONS } from './connectors/service.js';
import { FORECAST_SETTINGS, SKU_STATS } from './forecast/service.js';

/** `handler` under `path` only (a rate limit of one route family). */
function at(path: string, handler: RequestHandler): Router {
  return Router().use(path, handler);
}

/** Trophies with rules are checked once the facts are stored; their awards join each customer's last new event. */
async function trophiesByRules({ store, now, shopId, events, outcomes, silent }: RecordedBatch): Promise<void> {
  const accepted = outcomes.map((outcome, i) => ({ outcome, customerId: events[i]!.customerId })).filter((x) => x.outcome.status === 'accepted');
  const trophies = await awardTrophiesByRules(store, shopId, accepted.map((x) => x.customerId), now);
  if (silent) return;
  for (const [customerId, awards] of trophies) {
    const last = accepted.filter((x) => x.customerId === customerId).pop()!;
    last.outcome.awards = [...last.outcome.awards, ...awards];
  }
}

const args = ({ store, now, shopId, events, outcomes }: RecordedBatch) => [store, now, shopId, events, outcomes] as const;
const publicUrl = (ctx: FeatureContext) => ({ publicUrl: ctx.options.publicUrl });

export const FEATURES: readonly Feature[] = [
  // The busiest route first: an event need not be matched against every other route's pattern.
  {
    name: 'events',
    api: ({ store, now }) => [eventsRouter(store, now)],
    scopes: eventsScopes,
    openapi: { paths: eventsPaths, schemas: eventsSchemas },
    // A batch's pending follow-ups (server/events/after-record.ts): by event for a replay, by age at start-up.
    collections: [{ name: FOLLOW_UPS, lookups: [FOLLOW_UPS_BY_EVENT, FOLLOW_UPS_PENDING] }],
  },
  {
    name: 'access',
    api: ({ store, now }) => [accessRouter(store, now)],
    scopes: accessScopes,
    openapi: { paths: accessPaths, schemas: accessSchemas },
    // The audit trail by day, and which shops the sealing pass at start-up has seen (access/seal-at-rest.ts).
    collections: [{ name: AUDIT }, { name: SEALING }],
  },
  {
    name: 'customers',
    api: ({ store, now, features }) => [customerDataRouter(store, now, features)],
    scopes: customerDataScopes,
    openapi: { paths: customerDataPaths, schemas: customerDataSchemas },
  },
  { name: 'metrics', api: ({ store, now }) => [metricsRouter(store, now)], scopes: metricsScopes, openapi: { paths: metricsPaths, schemas: metricsSchemas } },
  // The console's own routes: not public API, so no OpenAPI.
  {
    name: 'console',
    api: ({ store, setupWatch }) => [consoleApiRouter(store, setupWatch)],
    scopes: consoleScopes,
    pages: ({ options }) => [consolePageRouter(options.publicDir)],
    collections: [{ name: CONSOLE }],
  },
  {
    name: 'loyalty',
    api: (ctx) => [customersRouter(ctx.store, ctx.now, publicUrl(ctx)), badgesRouter(ctx.store, ctx.now), programRouter(ctx.store, ctx.now), claimsRouter(ctx.store, ctx.now)],
    scopes: [...customersScopes, ...badgesScopes, ...programScopes, ...claimsScopes],
    openapi: { paths: loyaltyPaths, schemas: loyaltySchemas },
    // The program is read by every event (points, tiers) and changed from the console.
    collections: [{ name: PROGRAM_REF.collection, cached: true }, { name: REWARDS }, { name: REWARD_CLAIMS }],
  },
  {
    name: 'trophies',
    api: (ctx) => [trophiesRouter(ctx.store, ctx.now, publicUrl(ctx))],
    scopes: trophyScopes,
    pages: (ctx) => [at('/t', pageRateLimits(ctx.options.rateLimit, ctx.store.limits)), publicTrophyRouter(ctx.store, { ...publicUrl(ctx), now: ctx.now })],
    openapi: { paths: trophyPaths, schemas: trophySchemas },
    afterRecord: [{ stage: 'facts', when: 'always', run: trophiesByRules }],
    erasers: [eraseTrophyAwards],
    collections: [
      // Trophy rules: every recorded event is matched against them.
      { name: TROPHIES, cached: true },
      { name: AWARDS, lookups: [AWARDS_BY_CUSTOMER, AWARDS_BY_ID] },
      { name: HOLDERS },
      { name: AWARD_REQUESTS },
      { name: STATUS },
      { name: ISSUER_KEY_REF.collection },
    ],
  },
  {
    name: 'share-save',
    api: ({ store, now, options }) => [shareSaveRouter(store, now, options.shareSave)],
    scopes: shareSaveScopes,
    openapi: { paths: shareSavePaths, schemas: shareSaveSchemas },
    // A purchase spending a share-to-save code, however it arrives (events, signed orders, claims).
    afterRecord: [{ stage: 'followUp', when: 'live', run: (b) => attributeGroupPurchases({ store: b.store, now: b.now }, b.shopId, b.events, b.outcomes) }],
    erasers: [eraseGroupMemberships],
    collections: [
      { name: SHARE_SAVE.groups, lookups: [GROUPS_BY_MEMBER] },
      { name: SHARE_SAVE.memberships, lookups: [MEMBERSHIPS_BY_CUSTOMER] },
      { name: SHARE_SAVE.campaigns },
      { name: SHARE_SAVE.suppliedCodes },
    ],
  },
  {
    name: 'email-claims',
    api: ({ store, now, options }) => [emailClaimsRouter(store, now, options.emailClaims)],
    scopes: emailClaimScopes,
    openapi: { paths: emailClaimPaths, schemas: emailClaimSchemas },
    collections: [{ name: CLAIMS, lookups: [CLAIMS_BY_EXPIRY] }],
  },
  {
    name: 'surveys',
    api: (ctx) => [surveysRouter(ctx.store, ctx.now), surveyLinksRouter(ctx.store, publicUrl(ctx))],
    scopes: [...surveyScopes, ...surveyLinkScopes],
    pages: ({ store, now }) => [surveyPageRouter(store, now)],
    openapi: { paths: surveyPaths, schemas: surveySchemas },
    erasers: [eraseSurveyAnswers],
    collections: [{ name: SURVEYS }, { name: SURVEY_TALLIES }, { name: SURVEY_CONTACTS }, { name: ANONYMOUS_COUNT_REF.collection }, { name: SURVEY_REQUESTS }],
  },
  {
    name: 'products',
    api: ({ store, now, options }) => [productsRouter(store, now, options.products)],
    scopes: productScopes,
    demo: ({ store, options }) => [productsDemoRouter({ store, examplesDir: options.examplesDir, selfUrl: options.selfUrl })],
    openapi: { paths: productPaths, schemas: productSchemas },
    // A purchase carrying `kudos_reservation` turns that drop hold into a sale.
    afterRecord: [{ stage: 'followUp', when: 'live', run: (b) => confirmReservations(...args(b), b.pending) }],
    exporters: { drops: exportProductBuys },
    erasers: [eraseProductBuyers],
    // demo-partners: which demo shop is the coffee shop's directory neighbour (products/seed.ts).
    collections: [{ name: PRODUCTS }, { name: STOCK, lookups: [STOCK_BY_CUSTOMER] }, { name: FUNNELS }, { name: DEMO_PARTNERS }],
  },
  {
    name: 'webhooks',
    api: ({ store, now, options }) => [webhooksRouter(store, now, options.webhooks)],
    scopes: webhookScopes,
    // Signed with the shop's secret key over the raw body: before the /v1 auth and JSON parser.
    raw: {
      under: '/v1/webhooks/orders',
      routers: (ctx) => [rateLimits(ctx.options.rateLimit, ctx.store.limits, 'orders'), ordersInRouter(ctx.store, ctx.now, ctx.bodyLimit, publicUrl(ctx))],
    },
    openapi: { paths: webhookPaths, schemas: webhookSchemas },
    afterRecord: [
      // History brings the last tier told up to date quietly, so the next live event does not announce it.
      { stage: 'delivery', when: 'history', run: (b) => tierChanges(...args(b)) },
      { stage: 'delivery', when: 'live', run: (b) => enqueueWebhookDeliveries(...args(b)) },
    ],
    erasers: [eraseTierStanding],
    collections: [
      // Endpoints: every live event asks which are subscribed.
      { name: ENDPOINTS, cached: true },
      { name: DELIVERIES, lookups: [DELIVERIES_DUE, DELIVERIES_FINISHED, DELIVERIES_PENDING_BY_ENDPOINT] },
      { name: LOGS },
      { name: TIER_STANDINGS },
    ],
  },
  {
    name: 'checkins',
    api: (ctx) => [checkinsRouter(ctx.store, ctx.now, { ...publicUrl(ctx), ...ctx.options.checkins })],
    scopes: checkinScopes,
    pages: (ctx) => [checkinPageRouter(ctx.store, ctx.now, { ...publicUrl(ctx), ...ctx.options.checkins }), withdrawRouter(ctx.store, ctx.now)],
    openapi: { paths: checkinPaths, schemas: checkinSchemas },
    // A market check-in joins the customer's visits, before gifts (next, same stage) read them for "check-in then order".
    afterRecord: [{ stage: 'awards', when: 'live', run: (b) => noteVisits(b.store, b.shopId, b.events, b.outcomes) }],
    exporters: { marketVisits: exportCheckins },
    erasers: [eraseCheckins],
    collections: Object.values(CHECKINS).map((name) => ({ name })),
  },
  {
    name: 'gifts',
    api: ({ store, now }) => [giftsRouter(store, now)],
    scopes: giftScopes,
    openapi: { paths: giftPaths, schemas: giftSchemas },
    // A purchase may win a micro-gift (its award joins the purchase's result, before webhooks).
    afterRecord: [{ stage: 'awards', when: 'live', run: (b) => grantGifts(...args(b)) }],
    exporters: { gifts: exportGifts },
    erasers: [eraseGifts],
    // Gift definitions are read by every purchase; grants, budgets and per-customer lists are not cached (budgets are decided under lock).
    collections: Object.values(GIFTS).map((name) => ({ name, ...(name === GIFTS.gifts && { cached: true as const }) })),
  },
  {
    name: 'limits',
    api: ({ store }) => [limitsRouter(store)],
    scopes: limitsScopes,
    openapi: { paths: limitsPaths, schemas: limitsSchemas },
    // A shop's browser limits: read by every browser event.
    collections: [{ name: LIMITS_REF.collection, cached: true }],
  },
  { name: 'history', api: ({ store, now }) => [historyRouter(store, now)], scopes: historyScopes, openapi: { paths: historyPaths, schemas: historySchemas } },
  {
    name: 'connectors',
    api: (ctx) => [connectionsRouter(ctx.store, ctx.now, publicUrl(ctx))],
    scopes: connectionScopes,
    // Shopify and WooCommerce deliveries: signed by the platform over the raw body (and a body limit of their own: orders are big).
    raw: { under: '/v1/connect', routers: (ctx) => [rateLimits(ctx.options.rateLimit), connectRouter(ctx.store, ctx.now, '1mb', publicUrl(ctx))] },
    openapi: { paths: connectorPaths, schemas: connectorSchemas },
    collections: [{ name: CONNECTIONS }, { name: CONNECTED_ORDERS }],
  },
  {
    name: 'forecast',
    api: ({ store, now }) => [forecastRouter(store, now)],
    scopes: forecastScopes,
    openapi: { paths: forecastPaths, schemas: forecastSchemas },
    // Units per SKU and day feed the demand forecast, history included (a KPI, not a celebration).
    afterRecord: [{ stage: 'facts', when: 'always', run: (b) => recordSkuSales(...args(b), b.pending) }],
    collections: [{ name: SKU_STATS }, { name: FORECAST_SETTINGS }],
  },
  { name: 'segments', api: ({ store, now }) => [segmentsRouter(store, now)], scopes: segmentsScopes, openapi: { paths: segmentsPaths, schemas: segmentsSchemas } },
];

/** Every /v1 route's scope, from the features that serve them: server/app.ts authorizes and audits with it, docs/reference/http-api.md shows it. */
export const ROUTE_SCOPES: readonly RouteScope[] = FEATURES.flatMap((f) => f.scopes ?? []);

/**
 * Every collection the features declare and the lookups over them: what the server
 * and the CLI open their store with (createStore's `collections` and `lookups`). The
 * store refuses any other collection, so the server suite, which exercises every
 * feature, fails on a collection a feature forgot to declare.
 */
export function featureDocuments(): DeclaredDocuments {
  return declaredDocuments(FEATURES);
}

// After-record hooks run by stage, then in registry order: trophy awards and micro-gifts
// join an event's result before webhooks carry it; a history import keeps facts
// (trophies, units sold) and skips reactions.
for (const stage of HOOK_STAGES) {
  for (const feature of FEATURES) {
    for (const hook of feature.afterRecord ?? []) if (hook.stage === stage) registerAfterRecord({ feature: feature.name, when: hook.when, run: hook.run });
  }
}
