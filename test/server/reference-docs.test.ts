// Generated reference pages match their source of truth; a stale page fails here.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DomainError, problemTypes } from '../../server/errors.js';
import { referenceDocs } from '../../server/reference-docs.js';

const docs = resolve(import.meta.dirname, '..', '..', 'docs');

describe('generated reference docs', () => {
  for (const [path, expected] of Object.entries(referenceDocs())) {
    it(`docs/${path} is up to date (run "npm run docs" after changing its source)`, () => {
      expect(readFileSync(join(docs, path), 'utf8')).toBe(expected);
    });
  }

  it('documents every problem type under an anchor named after its slug', () => {
    const page = readFileSync(join(docs, 'reference/problems.md'), 'utf8');
    for (const slug of Object.keys(problemTypes)) expect(page).toContain(`<a id="${slug}"></a>`);
  });

  it('a domain error takes its status and title from the registry', () => {
    const error = new DomainError('sold-out', 'Every unit is held.');
    expect([error.status, error.title, error.detail]).toEqual([409, 'Sold out', 'Every unit is held.']);
  });
});
