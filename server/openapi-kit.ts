// Building blocks for /openapi.json, shared by the core and the feature modules
// so every path documents errors and bodies the same way.
import { z } from 'zod';

/** A request body as clients may send it: defaulted fields optional. */
export const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
/**
 * A response body as the server sends it: defaults applied (so those fields are
 * required) and no undeclared field, so a generated client's type is exact and
 * the response test (test/server/openapi-responses.test.ts) notices any drift.
 */
export const responseSchema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'output', unrepresentable: 'any' });
export const text = (type: string, description: string) => ({ description, content: { [type]: { schema: { type: 'string' } } } });
export const html = (description: string) => text('text/html', description);
export const json = (ref: string, description = ref) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
});
export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
export const errors = {
  '400': problem('Malformed JSON or a field that does not validate; `errors[].pointer` says which'),
  '401': problem('Missing or unknown key'),
  '403': problem('Key role, origin or shopper identity does not allow this'),
  '404': problem("Not found in this shop (another shop's objects are never visible)"),
  '413': problem('Body over the size limit'),
  '415': problem('Body is not application/json'),
  '429': problem('Rate limit per key and client address (server/http/rate-limit.ts); Retry-After says when to try again'),
};
/** The common errors, with some statuses described the way a feature means them. */
export const errorsSaying = (descriptions: Record<string, string>) => ({
  ...errors,
  ...Object.fromEntries(Object.entries(descriptions).map(([status, text]) => [status, problem(text)])),
});
export const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
export const identityHeaders = [
  { name: 'X-Kudos-Customer', in: 'header', schema: { type: 'string' } },
  { name: 'X-Kudos-Customer-Hash', in: 'header', schema: { type: 'string' }, description: 'hex HMAC-SHA256(identitySecret, customerId): the shop’s identity secret, never an API key (docs/access.md)' },
  { name: 'X-Kudos-Anonymous-Id', in: 'header', schema: { type: 'string' } },
];

/**
 * The same operations under a path prefix they moved away from, marked deprecated
 * (served for one version by server/http/deprecation.ts): '/v1/claims' from '/v1/order-claims'.
 */
export function deprecatedPaths<P extends Record<string, Record<string, { summary?: string }>>>(paths: P, from: string, to: string): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(paths)
      .filter(([path]) => path.startsWith(to))
      .map(([path, item]) => [
        from + path.slice(to.length),
        Object.fromEntries(
          Object.entries(item).map(([method, op]) => [method, { ...op, summary: `Deprecated: use ${path}. ${op.summary ?? ''}`.trim(), deprecated: true }]),
        ),
      ]),
  );
}
