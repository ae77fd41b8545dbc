// The feature registry (server/features.ts) is the one list of what Kudos is made of:
// every feature folder is in it, the app mounts exactly the routes it declares (each with
// the scope a key needs, declared by the feature serving it), the
// OpenAPI document is its fragments, the server's store indexes its collections' lookups, and recording runs
// its hooks in the order the events' results depend on.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { SetupWatch } from '../../server/console/setup-watch.js';
import { afterRecordHooks } from '../../server/events/after-record.js';
import { declaredDocuments, type Feature, type FeatureContext } from '../../server/feature-kit.js';
import { FEATURES, featureDocuments, ROUTE_SCOPES } from '../../server/features.js';
import { openApiDocument } from '../../server/openapi.js';
import { examplesDir, publicDir } from '../../server/paths.js';
import { appHarness, type AppHarness } from '../helpers/app-harness.js';
import { startTestServer } from '../helpers/server.js';

const server = resolve(import.meta.dirname, '..', '..', 'server');
/** Folders under server/ that are shared parts, not features (docs/architecture.md "A feature's anatomy"). */
const SHARED = ['http', 'reference', 'store', 'types'];

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** `METHOD /path` of every route in these routers, read from Express's own stacks. */
function routesOf(routers: readonly unknown[]): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) for (const method of Object.keys(layer.route.methods)) out.push(`${method.toUpperCase()} ${path}`);
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  for (const router of routers) walk((router as { stack?: Layer[] }).stack ?? []);
  return out;
}

let h: AppHarness;
let ctx: FeatureContext;
beforeAll(async () => {
  h = await appHarness({ t0: Date.parse('2026-12-01T10:00:00.000Z'), app: { rateLimit: false } });
  const options = { store: h.store, publicDir, examplesDir, selfUrl: () => '' };
  ctx = { store: h.store, now: () => new Date(), options, bodyLimit: '256kb', setupWatch: new SetupWatch(() => new Date()), features: FEATURES };
});
afterAll(() => h.close());

describe('the feature registry', () => {
  it('lists every feature folder under server/, and only those', () => {
    const folders = readdirSync(server, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !SHARED.includes(d.name))
      .map((d) => d.name)
      .sort();
    const names = FEATURES.map((f) => f.name);
    expect(new Set(names).size, 'a feature is registered once').toBe(names.length);
    expect([...names].sort(), 'add the feature to server/features.ts (or, for a shared part, to SHARED here and in docs/architecture.md)').toEqual(folders);
  });

  it('is what the app mounts under /v1: the routes of every feature, each served by one feature', () => {
    const mounted = routesOf([createApp(ctx.options).locals.apiRouter as Router]);
    const declared = FEATURES.flatMap((f) => routesOf(f.api?.(ctx) ?? []));
    expect(mounted.length).toBeGreaterThan(60);
    expect(mounted).toEqual(declared);
    expect(new Set(declared).size, 'two features serve the same method and path').toBe(declared.length);
  });

  it('declares next to each feature what a key needs for every route it serves, and for none it does not', () => {
    const unscoped: string[] = [];
    const phantom: string[] = [];
    for (const feature of FEATURES) {
      const served = routesOf(feature.api?.(ctx) ?? []);
      const declared = (feature.scopes ?? []).map((s) => `${s.method} ${s.path}`);
      unscoped.push(...served.filter((r) => !declared.includes(r)).map((r) => `${feature.name}: ${r}`));
      phantom.push(...declared.filter((r) => !served.includes(r)).map((r) => `${feature.name}: ${r}`));
    }
    expect(unscoped, "declare these routes' scopes next to them, in the feature's `scopes` (server/features.ts)").toEqual([]);
    expect(phantom, 'scopes declared for routes the feature does not serve').toEqual([]);
    const all = ROUTE_SCOPES.map((s) => `${s.method} ${s.path}`);
    expect(new Set(all).size, 'a route has one scope').toBe(all.length);
  });

  it('documents in /openapi.json only operations its features serve', () => {
    // Parameter names may differ between a route and its documentation (`:award`, `{awardId}`).
    const braces = (route: string) => route.replace(/:(\w+)|\{(\w+)\}/g, '{}');
    const served = new Set(
      FEATURES.flatMap((f) => [
        ...routesOf(f.api?.(ctx) ?? []).map((r) => r.replace(' ', ' /v1')),
        ...routesOf(f.raw?.routers(ctx) ?? []),
        ...routesOf(f.pages?.(ctx) ?? []),
      ]).map(braces),
    );
    const paths = (openApiDocument() as { paths: Record<string, Record<string, unknown>> }).paths;
    const documented = Object.entries(paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${braces(path)}`));
    // A route parameter may carry a suffix the documentation spells out (`/t/{awardId}.json` is `/t/:award`).
    const servedBy = (op: string) => [...served].some((route) => new RegExp(`^${route.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replaceAll('{}', '[^/]+')}$`).test(op.replaceAll('{}', 'x')));
    expect(documented.filter((op) => !served.has(op) && !servedBy(op))).toEqual([]);
  });

  it('declares each collection once, in the feature that owns it', () => {
    const collections = FEATURES.flatMap((f) => (f.collections ?? []).map((c) => c.name));
    expect(featureDocuments().collections).toEqual(collections);
    const trophies = FEATURES.find((f) => f.name === 'trophies')!;
    const poacher: Feature = { name: 'poacher', collections: [{ name: 'trophy-awards' }] };
    expect(() => declaredDocuments([trophies, poacher])).toThrow(/collection "trophy-awards" is declared by both trophies and poacher: one feature owns it, the other asks through its ports\.ts/);
  });

  it('is what the server opens its store with: every lookup its features declare answers', async () => {
    const declared = FEATURES.flatMap((f) => (f.collections ?? []).flatMap((c) => c.lookups ?? []));
    expect(featureDocuments().lookups).toEqual(declared);
    const t = await startTestServer();
    try {
      for (const lookup of declared) await expect(t.server.store.findDocuments(lookup, { equals: 'none' }), lookup.name).resolves.toEqual([]);
    } finally {
      await t.stop();
    }
  });

  it('runs after-record hooks by stage: awards join a result before webhooks carry it', () => {
    expect(afterRecordHooks().map((hook) => `${hook.feature}:${hook.when}`)).toEqual([
      'trophies:always',
      'forecast:always',
      'checkins:live',
      'gifts:live',
      'webhooks:history',
      'webhooks:live',
      'share-save:live',
      'products:live',
    ]);
  });

  it('reaches every feature that keeps data about a customer, for the export and the erase', () => {
    expect(FEATURES.filter((f) => f.erasers?.length).map((f) => f.name)).toEqual(['trophies', 'share-save', 'surveys', 'products', 'webhooks', 'checkins', 'gifts']);
    expect(Object.keys(Object.assign({}, ...FEATURES.map((f) => f.exporters ?? {})))).toEqual(['drops', 'marketVisits', 'gifts']);
  });
});
