// Reference pages generated from a source of truth in the code, so they cannot drift:
// `npm run docs` writes them, test/server/reference-docs.test.ts fails when one is stale.
import { problemTypes } from './errors.js';

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

/** Each generated page, by its path under docs/. */
export const referenceDocs = (): Record<string, string> => ({
  'reference/problems.md': problemsPage(),
});
