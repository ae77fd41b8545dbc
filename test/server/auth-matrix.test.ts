// Every /v1 route × every kind of key. The routes come from the app itself (its
// /v1 router's stack), so a route added without a declared scope (its feature's
// `scopes`, gathered in ROUTE_SCOPES by server/features.ts) fails the first test, and
// every declared route is called with every scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Router } from 'express';
import { routeScopeTable, type RouteScope } from '../../server/access/route-scopes.js';
import { ROUTE_SCOPES } from '../../server/features.js';
import { SCOPES, type Scope } from '../../server/access/scopes.js';
import { appHarness, type AppHarness } from '../helpers/app-harness.js';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every method + path the /v1 router answers, read from Express's own stack. */
function registeredRoutes(router: Router): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) for (const method of Object.keys(layer.route.methods)) out.push({ method: method.toUpperCase(), path });
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((router as unknown as { stack: Layer[] }).stack);
  return out;
}

const concrete = (path: string) => path.replace(/:(\w+)/g, (_, name: string) => (name === 'origin' ? encodeURIComponent('https://x.example') : 'x1'));

let h: AppHarness;
const keys: Partial<Record<Scope, string>> = {};
let apiRouter: Router;

beforeAll(async () => {
  h = await appHarness({ t0: T0, app: { rateLimit: false } });
  for (const scope of SCOPES) {
    const made = await h.call('/v1/keys', { key: h.shop.secretKey, body: { name: `${scope} key`, scopes: [scope] } });
    expect(made.status).toBe(201);
    keys[scope] = ((await made.json()) as { key: string }).key;
  }
  // The app is built again only to read its router: same code, no second listener.
  const { createApp } = await import('../../server/app.js');
  const { examplesDir, publicDir } = await import('../../server/paths.js');
  apiRouter = createApp({ store: h.store, publicDir, examplesDir, selfUrl: () => '' }).locals.apiRouter as Router;
});
afterAll(() => h.close());

describe('the scope table', () => {
  it('declares every /v1 route the app registers, and nothing it does not', () => {
    const registered = registeredRoutes(apiRouter);
    expect(registered.length).toBeGreaterThan(60);
    const table = routeScopeTable(ROUTE_SCOPES);
    const undeclared = registered.filter((r) => table.of(r.method, concrete(r.path))?.path !== r.path);
    expect(undeclared, "declare these routes' scopes next to them, in their feature's `scopes` (server/features.ts)").toEqual([]);
    const phantom = ROUTE_SCOPES.filter((s) => !registered.some((r) => r.method === s.method && r.path === s.path));
    expect(phantom).toEqual([]);
  });
});

type Who = Scope | 'publishable' | 'none';
const WHO: Who[] = ['none', 'publishable', ...SCOPES];

const allowed = (route: RouteScope, who: Who) => {
  if (who === 'none') return false;
  if (who === 'publishable') return route.publishable === true;
  return route.scope === 'any' || who === 'admin' || who === route.scope;
};

describe.each(ROUTE_SCOPES.map((route) => [`${route.method} /v1${route.path}`, route] as const))('%s', (_name, route) => {
  it.each(WHO)('with %s', async (who) => {
    const key = who === 'none' ? undefined : who === 'publishable' ? h.shop.publishableKey : keys[who];
    const response = await fetch(`${h.url}/v1${concrete(route.path)}`, {
      method: route.method,
      headers: key ? { authorization: `Bearer ${key}` } : {},
    });
    const body = /^application\/(problem\+)?json/.test(response.headers.get('content-type') ?? '') ? ((await response.json()) as Record<string, unknown>) : {};
    if (who === 'none') {
      expect(response.status).toBe(401);
    } else if (allowed(route, who)) {
      // Past authorization: whatever the route answers (404 for x1, 400 for no body…), it is not about the key.
      expect(response.status).not.toBe(401);
      expect(body.type).not.toBe('https://kudos.dev/problems/missing-scope');
    } else {
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(body.type).toBe('https://kudos.dev/problems/missing-scope');
      expect(body.scope).toBe(route.scope === 'any' ? 'admin' : route.scope);
      expect(String(body.detail)).toContain(`"${body.scope}"`);
    }
  });
});

describe('a route missing from the table', () => {
  it('is closed: only admin keys get past authorization', async () => {
    const asStaff = await fetch(`${h.url}/v1/not-a-declared-route`, { headers: { authorization: `Bearer ${keys.staff}` } });
    expect(asStaff.status).toBe(403);
    expect(((await asStaff.json()) as { scope: string }).scope).toBe('admin');
    const asAdmin = await fetch(`${h.url}/v1/not-a-declared-route`, { headers: { authorization: `Bearer ${keys.admin}` } });
    expect(asAdmin.status).toBe(404);
    const asPk = await fetch(`${h.url}/v1/not-a-declared-route`, { headers: { authorization: `Bearer ${h.shop.publishableKey}` } });
    expect(asPk.status).toBe(404);
  });
});
