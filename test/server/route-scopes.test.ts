// The route-scope table (server/access/route-scopes.ts) finds a request's route through an
// index; here it must answer what scanning every route answers, for every route's path.
import { describe, expect, it } from 'vitest';
import { routeScopeTable, type RouteScope } from '../../server/access/route-scopes.js';
import { ROUTE_SCOPES } from '../../server/features.js';

/** The table as it was: every route tested, the fewest parameters winning, then the first declared. */
function scan(routes: readonly RouteScope[], method: string, path: string): RouteScope | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  const pattern = (p: string) => new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}/?$`);
  const params = (r: RouteScope) => r.path.match(/:/g)?.length ?? 0;
  return routes.filter((r) => r.method === m && pattern(r.path).test(path)).sort((a, b) => params(a) - params(b))[0];
}

describe('route scope table', () => {
  it("finds every route's scope as a scan of all routes does, literal segments first", () => {
    const table = routeScopeTable(ROUTE_SCOPES);
    const paths = ROUTE_SCOPES.flatMap((r) => [r.path.replace(/:\w+/g, 'x1'), r.path.replace(/:\w+/g, 'links'), `${r.path.replace(/:\w+/g, 'x1')}/`]);
    paths.push('/', '/nope', '/events/extra', '/EVENTS', '');
    let compared = 0;
    for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS']) {
      for (const path of paths) {
        expect(table.of(method, path), `${method} ${path}`).toBe(scan(ROUTE_SCOPES, method, path));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('a route whose first segment is a parameter is found beside literal ones, the fewest parameters first', () => {
    const routes: RouteScope[] = [
      { method: 'GET', path: '/:shop/a/c', scope: 'any' },
      { method: 'GET', path: '/x/a/:b', scope: 'any' },
      { method: 'GET', path: '/:shop/a/:b', scope: 'any' },
      { method: 'GET', path: '/x/:a/c', scope: 'any' },
    ];
    // Declared in this order and the reverse: among equally specific routes the first declared wins.
    for (const declared of [routes, [...routes].reverse()]) {
      const table = routeScopeTable(declared);
      for (const path of ['/x/a/c', '/x/a/d', '/y/a/c', '/y/a/d', '/x/b/c']) expect(table.of('GET', path), path).toBe(scan(declared, 'GET', path));
    }
  });
});
