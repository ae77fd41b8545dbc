// sdk/api-types.ts is generated from /openapi.json: regenerating it from the document the
// server serves now must give the same text, so a changed zod schema without `npm run
// api-types` fails here instead of leaving the SDK's types behind.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module without declarations (bin/ is JavaScript).
import { API_TYPES_FILE, apiTypes } from '../../bin/api-types.mjs';
import { openApiDocument } from '../../server/openapi.js';

describe('sdk/api-types.ts', () => {
  it('is what bin/api-types.mjs generates from the current OpenAPI document (run `npm run api-types` after changing a schema)', { timeout: 60_000 }, async () => {
    const fresh: string = await apiTypes(openApiDocument());
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    expect(committed === fresh, 'sdk/api-types.ts is stale: run `npm run api-types`').toBe(true);
  });

  it('gives the SDK named response types, not hand copies', () => {
    const types = readFileSync(new URL('../../sdk/types.ts', import.meta.url), 'utf8');
    expect(types).toContain("from './api-types.js'");
    expect(types).not.toMatch(/export interface (CustomerState|BadgeDefinition|Award|EventResult|Problem)\b/);
  });
});
