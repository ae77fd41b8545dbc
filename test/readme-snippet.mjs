// The script tag exactly as README.md "On your site" shows it, filled in for a test or a bench page,
// so what is measured (CLS, request chains) is what a shop pastes: change the README's tag and
// test/e2e/loading.test.ts and bench/widgets.mjs follow.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
const tag = /```html\n(<script [^]*?<\/script>)/.exec(readme.slice(readme.indexOf('## On your site')))?.[1];
if (!tag) throw new Error('README.md "On your site" has no <script> tag in its html block.');

/**
 * README's tag with `src` (the README's https://kudos.example/kudos.js), the key and, when given, the
 * signed customer; without a customer its two data-customer-* attributes are left out, as the README says.
 * @param {{ src: string, key: string, customerId?: string, customerHash?: string }} values
 */
export function readmeScriptTag({ src, key, customerId, customerHash }) {
  let html = tag.replace('https://kudos.example/kudos.js', src).replace('pk_…', key);
  if (customerId) html = html.replace('"c_42"', JSON.stringify(customerId)).replace('data-customer-hash="…"', `data-customer-hash="${customerHash}"`);
  else html = html.replace(/\s*data-customer-id="c_42"\s*data-customer-hash="…"/, '');
  if (/…|kudos\.example|c_42/.test(html)) throw new Error(`README.md's tag has a placeholder this helper does not fill: ${html}`);
  return html;
}
