// What a person sees when they open the server's address: `/` says what is running and
// links to everything a newcomer looks for (console, demo pages, docs, API reference);
// `/docs/…` serves the guides as plain text; `/favicon.ico` stops the browser's 404.
// No script, no key, nothing a shop typed but the demo shop's name.
import { Router, type Request, type Response } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoCheckinUrl } from '../checkins/demo.js';
import type { Shop, Store } from '../store/store.js';
import { publicBaseUrl } from '../trophies/routes.js';
import { faviconIco } from './favicon.js';

export interface HomeOptions {
  store: Store;
  now: () => Date;
  packageRoot: string;
  publicUrl?: string;
  /** The demo shop when `npm start` seeded one (KUDOS_DEMO), for the demo links. */
  demoShop?: () => Shop | undefined;
}

const HOME_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const STYLE = `body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f3ee}
main{max-width:46rem;margin:0 auto;padding:2rem 1rem 3rem}h1{font-size:1.75rem;margin:0 0 .25rem}
.lead{margin:0 0 1.5rem;color:#57606a}section{background:#fff;border:1px solid #d0d7de;border-radius:.75rem;padding:1rem 1.25rem;margin:0 0 1rem}
h2{font-size:1.125rem;margin:0 0 .5rem}ul{margin:0;padding:0;list-style:none}li{padding:.375rem 0;border-top:1px solid #eaeef2}li:first-child{border-top:0}
a{color:#1d4ed8;font-weight:600}span{color:#57606a}code{font:.875rem/1.4 ui-monospace,Menlo,Consolas,monospace;background:#f6f8fa;padding:.125rem .25rem;border-radius:.25rem;word-break:break-all}`;

const item = (href: string, label: string, note: string) => `<li><a href="${esc(href)}">${esc(label)}</a> <span>— ${esc(note)}</span></li>`;

export function homePage(input: { version: string; base: string; demo?: { shopName: string; checkinUrl?: string } }): string {
  const { base, demo } = input;
  const demoSection = demo
    ? `<section><h2>Try the demo</h2><ul>
${item('/examples/storefront.html', 'Demo storefront', `${demo.shopName}: points, badges, trophies, share-to-save and an NPS survey in a shop page`)}
${item('/examples/directory.html', 'Directory with a drop', 'buy buttons from two shops, one a limited run with a countdown')}
${demo.checkinUrl ? item(demo.checkinUrl, "Today's market check-in", 'the page a passer-by opens from the QR code; best on a phone') : ''}
${demo.checkinUrl ? item(`${demo.checkinUrl}/qr`, "Today's check-in QR code", 'the code a stall prints') : ''}
</ul></section>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Kudos is running</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Kudos is running</h1>
<p class="lead">Kudos ${esc(input.version)}: loyalty widgets for small shops and the API behind them, at <code>${esc(base)}</code>.</p>
<section><h2>Shop owners</h2><ul>
${item('/console', 'Shop console', "sign in with your shop's secret key to set up programs, install the widgets and read the KPIs")}
</ul></section>
${demoSection}
<section><h2>Developers</h2><ul>
${item('/docs/getting-started.md', 'Getting started', 'create a shop, put the script tag on your site, sign shopper identities')}
${item('/docs/', 'All guides', 'one per feature, operations, HTTP API, architecture')}
${item('/openapi.json', 'API reference', 'OpenAPI 3.1 document of every route')}
${item('/healthz', 'Health check', 'answers {"ok":true} while the server runs')}
</ul>
<p>The script tag: <code>&lt;script async blocking="render" src="${esc(base)}/kudos.js" data-key="pk_…"&gt;&lt;/script&gt;</code></p>
</section>
</main>
</body>
</html>`;
}

export function homeRouter(options: HomeOptions): Router {
  const router = Router();
  const docsDir = join(options.packageRoot, 'docs');
  const version = (JSON.parse(readFileSync(join(options.packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const base = (req: Request) => publicBaseUrl(req, options.publicUrl);

  router.get('/', async (req, res) => {
    const shop = options.demoShop?.();
    const checkinUrl = shop && (await demoCheckinUrl(options.store, shop, base(req), options.now()));
    const demo = shop && { shopName: shop.name, ...(checkinUrl && { checkinUrl }) };
    res.set('Content-Security-Policy', HOME_CSP).set('Cache-Control', 'no-cache');
    res.type('html').send(homePage({ version, base: base(req), ...(demo && { demo }) }));
  });

  router.get('/favicon.ico', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=86400').type('image/x-icon').send(faviconIco());
  });

  // The guides, as the plain text they are written in (links stay relative to the repository).
  const sendGuide = (file: string, res: Response) =>
    res.type('text/plain; charset=utf-8').set('Cache-Control', 'no-cache').send(readFileSync(join(docsDir, file), 'utf8'));
  router.get(['/docs', '/docs/'], (_req, res, next) => (existsSync(join(docsDir, 'README.md')) ? sendGuide('README.md', res) : next()));
  router.get('/docs/:file', (req, res, next) => {
    const file = req.params.file;
    const named = file === 'README.md' || /^[a-z0-9-]+\.md$/.test(file);
    return named && existsSync(join(docsDir, file)) ? sendGuide(file, res) : next();
  });

  return router;
}
