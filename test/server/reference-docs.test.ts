// Generated reference pages match their source of truth; a stale page fails here.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DomainError, problemTypes } from '../../server/errors.js';
import { openApiDocument } from '../../server/openapi.js';
import type { Manifest } from '../../server/reference/elements-page.js';
import { referenceDocs } from '../../server/reference-docs.js';
import { WIDGET_TAGS } from '../../sdk/widget-tags.js';
import { analyzeCustomElements } from '../helpers/custom-elements.js';

const docs = resolve(import.meta.dirname, '..', '..', 'docs');
const page = (path: string) => readFileSync(join(docs, path), 'utf8');
let pages: Record<string, string> = {};

// The manifest is analysed from the sources, as `npm run build:package` does, so a stale dist/ cannot hide a stale page.
beforeAll(async () => {
  pages = referenceDocs((await analyzeCustomElements()) as Manifest);
}, 60_000);

describe('generated reference docs', () => {
  for (const path of ['reference/problems.md', 'reference/http-api.md', 'reference/elements.md']) {
    it(`docs/${path} is up to date (run "npm run docs" after changing its source)`, () => {
      expect(Object.keys(pages)).toContain(path);
      expect(page(path)).toBe(pages[path]);
    });
  }

  it('documents every problem type under an anchor named after its slug', () => {
    for (const slug of Object.keys(problemTypes)) expect(page('reference/problems.md')).toContain(`<a id="${slug}"></a>`);
  });

  it('documents every operation of /openapi.json under an anchor named after its operationId', () => {
    const text = page('reference/http-api.md');
    const operations = Object.entries((openApiDocument() as { paths: Record<string, Record<string, { operationId: string }>> }).paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ id: op.operationId, heading: `\`${method.toUpperCase()} ${path}\`` })),
    );
    expect(operations.length).toBeGreaterThan(50);
    for (const op of operations) expect(text).toContain(`<a id="${op.id}"></a>${op.heading}`);
  });

  it('documents every element the loader knows, with its parts and tokens', () => {
    const text = page('reference/elements.md');
    for (const tag of Object.keys(WIDGET_TAGS)) expect(text).toContain(`<a id="${tag}"></a>`);
    expect(text).toContain('`--kudos-color-accent`');
    expect(text).toContain('`kudos-badge-earned`');
  });

  it('a domain error takes its status and title from the registry', () => {
    const error = new DomainError('sold-out', 'Every unit is held.');
    expect([error.status, error.title, error.detail]).toEqual([409, 'Sold out', 'Every unit is held.']);
  });
});
