// Reference pages generated from a source of truth in the code, so they cannot drift:
// `npm run docs` writes them, test/server/reference-docs.test.ts fails when one is stale.
import { problemTypes } from './errors.js';
import { ROUTE_SCOPES } from './features.js';
import { openApiDocument } from './openapi.js';
import { elementsPage, type Manifest } from './reference/elements-page.js';
import { httpApiPage, type OpenApi } from './reference/http-api-page.js';

const header = (title: string, source: string) =>
  `# ${title}\n\n[README](../../README.md) · [All docs](../README.md)\n\n<!-- Generated from ${source} by \`npm run docs\`: edit the source, not this page. -->\n\n`;

function problemsPage(): string {
  const rows = Object.entries(problemTypes)
    .sort(([a, x], [b, y]) => x.status - y.status || a.localeCompare(b))
    .map(([slug, type]) => {
      const guide = 'guide' in type ? ` See [the guide](../${type.guide}).` : '';
      return `| <a id="${slug}"></a>\`${slug}\` | ${type.status} | ${type.title} | ${type.fix}${guide} |`;
    });
  return (
    header('Problem types', 'server/errors.ts') +
    'Every error answer is `application/problem+json` (RFC 9457): `type` is\n' +
    '`https://kudos.dev/problems/<slug>`, `title` is the same for every occurrence of the type,\n' +
    '`detail` says what happened this time, `errors` points at bad fields (JSON pointers),\n' +
    'and `requestId` matches the server log. These are all the types Kudos answers with.\n\n' +
    '| type | status | title | what to do |\n|---|---|---|---|\n' +
    rows.join('\n') +
    '\n'
  );
}

/**
 * Each generated page, by its path under docs/. `manifest` is custom-elements.json, which the
 * analyzer writes at build time (the server cannot compute it).
 */
export const referenceDocs = (manifest: Manifest): Record<string, string> => ({
  'reference/problems.md': problemsPage(),
  'reference/http-api.md': header('HTTP API reference', '/openapi.json (server/openapi.ts) and the features\' route scopes (server/features.ts)') + httpApiPage(openApiDocument() as OpenApi, ROUTE_SCOPES, problemTypes),
  'reference/elements.md': header('Elements reference', 'custom-elements.json (the JSDoc of widgets/*/kudos-*.ts)') + elementsPage(manifest),
});
