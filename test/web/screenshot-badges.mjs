// Look at <kudos-badges> in every state: `node test/web/screenshot-badges.mjs [out.png]`.
// Needs `npm run build` (server and bundles). Starts the real server, serves one page of
// iframes — each a storefront with the real script tag (/kudos.js, which lazy-loads the
// built widget chunk) in one state — and takes a Chromium screenshot with playwright-core.
// Output: screenshots/kudos-badges.png (git-ignored).
import { createHmac } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../../dist/server/server.js';

const out = path.resolve(process.argv[2] ?? 'screenshots/kudos-badges.png');
const dark = process.argv.includes('--dark');
const tmp = await mkdtemp(path.join(os.tmpdir(), 'kudos-shot-'));
const page = http.createServer();
await new Promise((r) => page.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${page.address().port}`;

const kudos = await startServer({ port: 0, host: '127.0.0.1', dataFile: path.join(tmp, 'kudos.json'), seedDemo: false });
const hang = net.createServer(() => {});
await new Promise((r) => hang.listen(0, '127.0.0.1', r));
const hanging = `http://127.0.0.1:${hang.address().port}`;
const closed = net.createServer();
await new Promise((r) => closed.listen(0, '127.0.0.1', r));
const dead = `http://127.0.0.1:${closed.address().port}`;
await new Promise((r) => closed.close(r));

async function sk(secretKey, method, p, body) {
  const res = await fetch(kudos.url + p, {
    method,
    headers: { Authorization: `Bearer ${secretKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  return res.json();
}
const badges = [
  { id: 'first-order', name: 'First order', description: 'Your very first order', icon: '🛍️', criteria: { event: 'purchase', count: 1 } },
  { id: 'regular', name: 'Regular', description: 'Three orders and counting', icon: '⭐', criteria: { event: 'purchase', count: 3 } },
  { id: 'big-spender', name: 'Big spender', icon: '💎', criteria: { event: 'purchase', sumOf: 'total', atLeast: 100 } },
  { id: 'reviewer', name: 'Critic with a very long badge name that wraps', icon: '📝', criteria: { event: 'review', count: 2 } },
];
async function shop(defs) {
  const s = await kudos.createShop({ name: 'shot', origins: [origin] });
  for (const { id, ...b } of defs) await sk(s.secretKey, 'PUT', `/v1/badges/${id}`, b);
  return s;
}
const full = await shop(badges);
const customer = 'c_shot';
const hash = (s, c) => createHmac('sha256', s.secretKey).update(c).digest('hex');
let n = 0;
const buy = (s, c, total) =>
  sk(s.secretKey, 'POST', '/v1/events', { id: `e${++n}`, type: 'purchase', customerId: c, properties: { orderId: `o${n}`, total, currency: 'EUR' } });
await buy(full, customer, 30);
await buy(full, customer, 30);
const empty = await shop([]);

const frame = (label, params, attrs = '') => ({ label, params: new URLSearchParams(params).toString(), attrs });
const ident = { api: kudos.url, key: full.publishableKey, cid: customer, hash: hash(full, customer) };
const frames = [
  frame('loading', { api: hanging, key: full.publishableKey }),
  frame('earned + locked (en)', ident),
  frame('newly earned (after kudos-refresh)', { ...ident, cid: 'c_new', hash: hash(full, 'c_new'), fresh: '1' }),
  frame('anonymous', { api: kudos.url, key: full.publishableKey }),
  frame('empty', { api: kudos.url, key: empty.publishableKey, cid: customer, hash: hash(empty, customer) }),
  frame('error (network) + keyboard focus', { api: dead, key: full.publishableKey, focus: '1' }),
  frame('fr, compact', { ...ident, locale: 'fr' }, 'compact'),
  frame('themed via tokens + ::part', { ...ident, theme: '1' }, 'heading="Rewards club"'),
];

const stateHtml = (q) => {
  const p = new URLSearchParams(q);
  const attrs = p.get('attrs') ?? '';
  return `<!doctype html><html lang="en"><meta charset="utf-8"><style>
  body { margin: 0; padding: 12px; font-family: Georgia, serif; letter-spacing: 2px; text-transform: uppercase; background: ${dark ? '#111' : '#f3f4f6'}; }
  .theme { --kudos-color-accent: #7c2d12; --kudos-color-surface: #fffbeb; --kudos-color-border: #fcd34d; --kudos-radius: 2px; --kudos-font-family: ui-monospace, monospace; }
  .theme kudos-badges::part(heading) { color: #7c2d12; }
  </style><div class="${p.get('theme') ? 'theme' : ''}"><kudos-badges ${attrs}></kudos-badges></div>
  <script async src="${kudos.url}/kudos.js" data-api="${p.get('api')}" data-key="${p.get('key')}"
    ${p.get('cid') ? `data-customer-id="${p.get('cid')}" data-customer-hash="${p.get('hash')}"` : ''}
    ${p.get('locale') ? `data-locale="${p.get('locale')}"` : ''}></script>`;
};

page.on('request', (req, res) => {
  const url = new URL(req.url, origin);
  if (url.pathname === '/state.html') {
    res.writeHead(200, { 'content-type': 'text/html' }).end(stateHtml(url.search));
  } else {
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><meta charset="utf-8"><style>
      body { margin: 0; padding: 16px; font: 13px system-ui; background: ${dark ? '#000' : '#e5e7eb'}; display: grid; grid-template-columns: repeat(2, 560px); gap: 16px; }
      figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: 4px; color: ${dark ? '#fff' : '#000'} }
      iframe { width: 560px; height: 330px; border: 1px dashed #9ca3af; background: white; }
      </style>${frames
        .map(
          (f, i) =>
            `<figure><figcaption>${f.label}</figcaption><iframe id="f${i}" src="/state.html?${f.params}&attrs=${encodeURIComponent(f.attrs)}"></iframe></figure>`,
        )
        .join('')}`);
  }
});

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const tab = await browser.newPage({ viewport: { width: 1170, height: 1480 }, deviceScaleFactor: 1 });
  tab.on('console', (m) => m.type() === 'error' && console.error('page:', m.text()));
  await tab.goto(origin + '/');
  await tab.waitForTimeout(1500);
  // Newly earned: buy, then tell that frame's runtime to refresh.
  await buy(full, 'c_new', 25);
  const fresh = tab.frames().find((f) => f.url().includes('fresh=1'));
  await fresh.evaluate(() => window.Kudos('refresh'));
  // Keyboard focus on the retry button of the error frame.
  const errFrame = tab.frames().find((f) => f.url().includes('focus=1'));
  await errFrame.focus('body').catch(() => {});
  await tab.locator('iframe').nth(5).focus();
  await errFrame.evaluate(() => document.body.focus());
  await tab.keyboard.press('Tab');
  await tab.waitForTimeout(1200);
  await mkdir(path.dirname(out), { recursive: true });
  await tab.screenshot({ path: out, fullPage: true });
  for (const [i, f] of frames.entries()) {
    const h = await tab.frames()[i + 1].evaluate(() => document.querySelector('kudos-badges').getBoundingClientRect().height);
    console.log(`${f.label}: host height ${h}px`);
  }
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  hang.close();
  page.close();
  await kudos.close();
  await rm(tmp, { recursive: true, force: true });
}
