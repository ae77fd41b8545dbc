// What a feature declares to the app (server/features.ts lists them). A feature is a
// folder server/<name>/; the app mounts its routes, /openapi.json carries its paths,
// recording runs its after-record hooks, a customer's export and erase reach its data,
// and the stores index its collections' lookups: all from this declaration, none hard-wired.
// Types, the stage names and pure helpers only: any module may import it without pulling a feature in.
import type { RequestHandler } from 'express';
import type { RouteScope } from './access/route-scopes.js';
import type { CheckinOptions } from './checkins/routes.js';
import type { EmailClaimOptions } from './email-claims/routes.js';
import type { AccessLog } from './http/log.js';
import type { RateLimitOptions } from './http/rate-limit.js';
import type { ProductsOptions } from './products/routes.js';
import type { ShareSaveOptions } from './share-save/routes.js';
import type { WebhooksOptions } from './webhooks/routes.js';
import type { SetupWatch } from './console/setup-watch.js';
import type { AfterRecordHook } from './events/after-record.js';
import type { DocumentLookup, Shop, Store } from './store/store.js';

/** What createApp (server/app.ts) takes; features read their own options from it. */
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

/** What a feature's route factories get: the app's store, clock and options. */
export interface FeatureContext {
  store: Store;
  now: () => Date;
  options: AppOptions;
  /** The JSON body limit of /v1, for routes that read a raw body themselves. */
  bodyLimit: string;
  /** The console's record of what each shop's setup sends (console feature). */
  setupWatch: SetupWatch;
  /** Every registered feature: for the few that act across all (a customer's export and erase). */
  features: readonly Feature[];
}

export type CustomerExporter = (store: Store, shopId: string, customerId: string) => Promise<unknown[]>;
export type CustomerEraser = (store: Store, shopId: string, customerId: string) => Promise<void>;

/**
 * When a hook runs among the others (then in registry order): `facts` first (what the
 * batch makes true: trophies, units sold), `awards` next (they join an event's result),
 * `delivery` (webhooks carry the result, awards included), `followUp` last.
 */
export const HOOK_STAGES = ['facts', 'awards', 'delivery', 'followUp'] as const;
export type HookStage = (typeof HOOK_STAGES)[number];

export interface FeatureHook extends Omit<AfterRecordHook, 'feature'> {
  stage: HookStage;
}

export interface OpenApiFragment {
  paths: Record<string, Record<string, unknown>>;
  schemas: Record<string, unknown>;
}

export interface Feature {
  /** Its folder under server/ (test/server/features.test.ts checks both ways). */
  name: string;
  /** Routers under /v1, after authentication and the JSON parser, in registry order. */
  api?: (ctx: FeatureContext) => RequestHandler[];
  /**
   * What a key needs for each of its `api` routes, declared next to the routes. A route
   * without one is closed to all but admin keys, and fails test/server/features.test.ts.
   */
  scopes?: readonly RouteScope[];
  /**
   * Routes signed over the raw body, with their own limits: mounted before /v1, and entered
   * only by requests under `under` (their paths, whole), so no other request walks them.
   */
  raw?: { under: string; routers: (ctx: FeatureContext) => RequestHandler[] };
  /** Demo pages (this machine only), before the app's own demo storefront. */
  demo?: (ctx: FeatureContext) => RequestHandler[];
  /** Pages served after the API (hosted pages, the console's own page). */
  pages?: (ctx: FeatureContext) => RequestHandler[];
  /** Its part of /openapi.json. */
  openapi?: OpenApiFragment;
  /** What it does after events are recorded (server/events/after-record.ts). */
  afterRecord?: FeatureHook[];
  /** Its part of a customer's export, by the name that part takes (GET /v1/customers/:id/export). */
  exporters?: Record<string, CustomerExporter>;
  /** Erases what it keeps about a customer (DELETE /v1/customers/:id); idempotent. */
  erasers?: CustomerEraser[];
  /**
   * Every document collection it owns, each with the lookups it needs (those live in
   * server/<feature>/lookups.ts). The server opens its store with every feature's
   * (declaredDocuments below, handed to createStore): a store reads and writes only
   * these, and indexes exactly their lookups.
   */
  collections?: FeatureCollection[];
}

/** A collection of documents a feature keeps, and the lookups the stores index over it. */
export interface FeatureCollection {
  name: string;
  /** Each names this collection as its own; none when it is only read by id or whole. */
  lookups?: readonly DocumentLookup[];
  /**
   * Definitions read on every request (or every event) and written only when the shop
   * changes its set-up: a store shared by several processes may keep them in a
   * per-process read cache, which every write of the collection invalidates in all of
   * them (server/store/pg/read-cache.ts). Never for what a transaction decides on
   * (balances, budgets, counts, reservations) nor for what grows per customer.
   */
  cached?: true;
}

/** What a store is opened with: the collections it may hold and the lookups over them. */
export interface DeclaredDocuments {
  collections: string[];
  lookups: DocumentLookup[];
  /** The collections marked `cached`. */
  cached: string[];
}

/**
 * Every collection and lookup these features declare, for the store to be opened
 * with. Throws when two features declare one collection (each has one owner, which
 * the others ask through its ports.ts), when a lookup is filed under a collection it
 * does not index, or when two declare one lookup name (a store keeps an index per name).
 */
export function declaredDocuments(features: readonly Feature[]): DeclaredDocuments {
  const ownerOf = new Map<string, string>();
  const declaredBy = new Map<string, string>();
  const lookups: DocumentLookup[] = [];
  const cached: string[] = [];
  for (const feature of features) {
    for (const collection of feature.collections ?? []) {
      const owner = ownerOf.get(collection.name);
      if (owner) throw new Error(`collection "${collection.name}" is declared by both ${owner} and ${feature.name}: one feature owns it, the other asks through its ports.ts`);
      ownerOf.set(collection.name, feature.name);
      if (collection.cached) cached.push(collection.name);
      for (const lookup of collection.lookups ?? []) {
        if (lookup.collection !== collection.name) {
          throw new Error(`feature ${feature.name}: lookup "${lookup.name}" indexes collection "${lookup.collection}", yet is declared under "${collection.name}"`);
        }
        const other = declaredBy.get(lookup.name);
        if (other) throw new Error(`lookup "${lookup.name}" is declared by both ${other} and ${feature.name}`);
        declaredBy.set(lookup.name, feature.name);
        lookups.push(lookup);
      }
    }
  }
  return { collections: [...ownerOf.keys()], lookups, cached };
}
