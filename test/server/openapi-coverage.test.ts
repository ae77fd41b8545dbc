// Every /v1 route the server authorizes (the features' scopes, ROUTE_SCOPES in
// server/features.ts, which features.test.ts keeps complete) is an operation of /openapi.json, unless it
// is console-only (issue 14: the console's helpers stay out of the public spec).
// The access routes were served for months without being documented; this notices
// the next route added to the table and not to the document.
import { describe, expect, it } from 'vitest';
import { ROUTE_SCOPES } from '../../server/features.js';
import { openApiDocument } from '../../server/openapi.js';

/** The console's own routes: not public API (they change with the console). */
const consoleOnly = (path: string) => path.startsWith('/console/');

describe('/openapi.json covers the routes', () => {
  it('documents every /v1 route of the scope table but the console-only ones', () => {
    const paths = (openApiDocument() as { paths: Record<string, Record<string, unknown>> }).paths;
    const missing = ROUTE_SCOPES.filter((r) => !consoleOnly(r.path))
      .map((r) => ({ method: r.method.toLowerCase(), path: `/v1${r.path.replace(/:(\w+)/g, '{$1}')}` }))
      .filter(({ method, path }) => !paths[path]?.[method])
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(missing).toEqual([]);
  });

  it('leaves the console-only routes out', () => {
    const paths = (openApiDocument() as { paths: Record<string, unknown> }).paths;
    expect(Object.keys(paths).filter((p) => p.startsWith('/v1/console/'))).toEqual([]);
    expect(ROUTE_SCOPES.filter((r) => consoleOnly(r.path)).length).toBeGreaterThan(1);
  });
});
