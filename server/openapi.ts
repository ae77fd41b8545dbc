// /openapi.json, generated from the same zod schemas the routes validate with: each
// feature declares its fragment (paths and component schemas) in server/features.ts.
import { responseSchema } from './openapi-kit.js';
import { FEATURES } from './features.js';
import { Problem } from './schemas.js';

/** `get /v1/customers/{customerId}` → `getV1CustomersCustomerId`: one per operation, derived so none is forgotten. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1));
  return method + words.join('');
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
function withOperationIds(paths: Record<string, Record<string, object>>) {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => [
      path,
      Object.fromEntries(
        Object.entries(item).map(([method, op]) => [method, METHODS.includes(method) ? { operationId: operationIdOf(method, path), ...op } : op]),
      ),
    ]),
  );
}

/**
 * The features' paths, sorted so that adding a feature or reordering the registry never
 * reshuffles the document; two features may share a path (GET and DELETE of a customer).
 */
function featurePaths(): Record<string, Record<string, object>> {
  const paths: Record<string, Record<string, object>> = {};
  for (const feature of FEATURES) {
    for (const [path, item] of Object.entries(feature.openapi?.paths ?? {})) {
      const methods = item as Record<string, object>;
      const clash = Object.keys(methods).find((method) => paths[path]?.[method]);
      if (clash) throw new Error(`${feature.name} documents ${clash.toUpperCase()} ${path} a second time`);
      paths[path] = { ...paths[path], ...methods };
    }
  }
  return Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const sorted = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export function openApiDocument(): object {
  const document = {
    openapi: '3.1.0',
    info: {
      title: 'Kudos API',
      version: '1',
      description: 'Loyalty, badges and trophies for small shops.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    // Relative: the API is on the origin that serves this document.
    servers: [{ url: '/', description: 'This Kudos server' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'pk_… (browser) or sk_… (shop backend)' } },
      schemas: {
        Problem: responseSchema(Problem),
        ...sorted(Object.assign({}, ...FEATURES.map((f) => f.openapi?.schemas ?? {}))),
      },
    },
    security: [{ bearer: [] }],
    paths: featurePaths(),
  };
  return { ...document, paths: withOperationIds(document.paths) };
}
