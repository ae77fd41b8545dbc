// Look at the buy button and the NPS survey at phone and desktop widths (issue 18):
// `node test/web/screenshot-shopper.mjs [out.png]`. Needs `npm run build` (server and bundles).
// Starts the real server, serves one page of iframes (each a storefront with the real script
// tag in one state and at one width), takes a Chromium screenshot with playwright-core and
// prints what the eye checks: rows of the NPS scale, blank space in the cards.
// Output: screenshots/shopper.png (git-ignored).
import { createHmac } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../../dist/server/server.js';

const out = path.resolve(process.argv[2] ?? 'screenshots/shopper.png');
const tmp = await mkdtemp(path.join(os.tmpdir(), 'kudos-shot-'));
const page = http.createServer();
await new Promise((r) => page.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${page.address().port}`;
const kudos = await startServer({ port: 0, host: '127.0.0.1', dataFile: path.join(tmp, 'kudos.json'), seedDemo: false });

async function sk(secretKey, method, p, body) {
  const res = await fetch(kudos.url + p, {
    method,
    headers: { Authorization: `Bearer ${secretKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  return res.json();
}
const hash = (s, c) => createHmac('sha256', s.secretKey).update(c).digest('hex');
const shop = await kudos.createShop({ name: 'shot', origins: [origin] });
const image = `${kudos.url}/examples/directory/mug.svg`;
const at = (ms) => new Date(Date.now() + ms).toISOString();
const HOUR = 3_600_000;
const product = { price: 28, currency: 'EUR', imageUrl: image, checkoutUrl: 'https://mia.example/cart?add=mug' };
await sk(shop.secretKey, 'PUT', '/v1/products/drop', { ...product, name: 'Moon glaze mug — drop #3', stock: 50, perCustomerLimit: 1, availableUntil: at(47 * HOUR + 48 * 60_000) });
await sk(shop.secretKey, 'PUT', '/v1/products/soon', { ...product, name: 'Speckled bowl', availableFrom: at(HOUR), availableUntil: at(9 * HOUR) });
await sk(shop.secretKey, 'PUT', '/v1/surveys/checkout', {
  question: { en: 'How likely are you to recommend us to a friend?' },
  placement: 'cart',
  samplePercent: 100,
  recontactDays: 7,
  maxDisplays: 99,
});
// c_limit bought their one drop: hold, then the purchase carrying the reservation.
const limited = 'c_limit';
const hold = await (
  await fetch(`${kudos.url}/v1/products/drop/reservations`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${shop.publishableKey}`, 'X-Kudos-Customer': limited, 'X-Kudos-Customer-Hash': hash(shop, limited), 'Content-Type': 'application/json' },
    body: JSON.stringify({ ref: origin }),
  })
).json();
await sk(shop.secretKey, 'POST', '/v1/events', {
  id: 'p1',
  type: 'purchase',
  customerId: limited,
  properties: { orderId: 'o1', total: 28, currency: 'EUR', kudos_reservation: hold.token },
});

const frame = (label, width, element, { cid, locale, height = 480, follow = false } = {}) => ({ label, width, height, element, cid, locale, follow });
const frames = [
  frame('buy: phone 390, ends in 2 days', 390, '<kudos-buy-button product="drop"></kudos-buy-button>'),
  frame('buy: phone 390, at the per-customer limit', 390, '<kudos-buy-button product="drop"></kudos-buy-button>', { cid: limited }),
  frame('buy: phone 390, opens in (clock), de', 390, '<kudos-buy-button product="soon"></kudos-buy-button>', { locale: 'de' }),
  frame('buy: listing column 230', 262, '<kudos-buy-button product="drop"></kudos-buy-button>'),
  frame('nps: phone 390', 390, '<kudos-nps survey="checkout" placement="cart"></kudos-nps>', { cid: 'c_a', height: 330 }),
  frame('nps: phone 360, fr', 360, '<kudos-nps survey="checkout" placement="cart"></kudos-nps>', { cid: 'c_b', locale: 'fr', height: 330 }),
  frame('nps: desktop 760', 760, '<kudos-nps survey="checkout" placement="cart"></kudos-nps>', { cid: 'c_c', height: 300 }),
  frame('nps: phone 360, fr, follow-up step', 360, '<kudos-nps survey="checkout" placement="cart"></kudos-nps>', { cid: 'c_d', locale: 'fr', height: 330, follow: true }),
  frame('nps: desktop 760, follow-up step', 760, '<kudos-nps survey="checkout" placement="cart"></kudos-nps>', { cid: 'c_e', height: 300, follow: true }),
];

const stateHtml = (q) => {
  const p = new URLSearchParams(q);
  const cid = p.get('cid');
  return `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
  <style>body { margin: 0; padding: 16px; background: #f3f4f6; font-family: system-ui; }</style>
  ${decodeURIComponent(p.get('el'))}
  <script async src="${kudos.url}/kudos.js" data-key="${shop.publishableKey}"
    ${cid ? `data-customer-id="${cid}" data-customer-hash="${hash(shop, cid)}"` : ''}
    ${p.get('locale') ? `data-locale="${p.get('locale')}"` : ''}></script>`;
};

page.on('request', (req, res) => {
  const url = new URL(req.url, origin);
  if (url.pathname === '/state.html') {
    res.writeHead(200, { 'content-type': 'text/html' }).end(stateHtml(url.search));
  } else {
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><meta charset="utf-8"><style>
      body { margin: 0; padding: 16px; font: 13px system-ui; background: #e5e7eb; display: flex; flex-wrap: wrap; align-items: start; gap: 16px; max-width: 1600px; }
      figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: 4px; }
      iframe { border: 1px dashed #9ca3af; background: white; display: block; }
      </style>${frames
        .map((f, i) => {
          const q = new URLSearchParams({ el: encodeURIComponent(f.element), ...(f.cid && { cid: f.cid }), ...(f.locale && { locale: f.locale }) });
          return `<figure><figcaption>${f.label}</figcaption><iframe id="f${i}" style="width:${f.width}px;height:${f.height}px" src="/state.html?${q}"></iframe></figure>`;
        })
        .join('')}`);
  }
});

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const tab = await browser.newPage({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });
  tab.on('console', (m) => m.type() === 'error' && console.error('page:', m.text()));
  await tab.goto(origin + '/');
  await tab.waitForTimeout(3000);
  // The follow-up frames: a score, then Next (playwright's locators reach into shadow roots).
  for (const [i, f] of frames.entries()) {
    if (!f.follow) continue;
    const nps = tab.frames()[i + 1].locator('kudos-nps');
    await nps.locator('input[type=radio]').nth(3).check({ force: true });
    await nps.locator('[part~=next-button]').click();
  }
  await tab.waitForTimeout(500);
  await mkdir(path.dirname(out), { recursive: true });
  await tab.screenshot({ path: out, fullPage: true });
  for (const [i, f] of frames.entries()) {
    const facts = await tab.frames()[i + 1].evaluate(() => {
      const host = document.body.firstElementChild;
      const root = host.shadowRoot;
      const box = (sel) => root.querySelector(sel)?.getBoundingClientRect();
      if (host.localName == 'kudos-nps') {
        const tops = new Set([...root.querySelectorAll('[part~=option]')].map((o) => Math.round(o.getBoundingClientRect().top)));
        const ends = box('[part~=ends]');
        const actions = box('form [part~=actions]');
        return { scaleRows: tops.size, blankAboveActions: ends && actions ? Math.round(actions.top - ends.bottom) : null, height: host.getBoundingClientRect().height };
      }
      const button = box('[part~=buy-button]');
      const above = [...root.querySelectorAll('[part~=base] > :not(button):not([part~=status])')].reduce((m, e) => Math.max(m, e.getBoundingClientRect().bottom), 0);
      return {
        blankAboveButton: Math.round(button.top - above),
        disabled: root.querySelector('button').disabled,
        text: root.querySelector('[part~=base]').innerText.replace(/\s+/g, ' '),
        height: host.getBoundingClientRect().height,
      };
    });
    console.log(`${f.label}: ${JSON.stringify(facts)}`);
  }
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  page.close();
  await kudos.close();
  await rm(tmp, { recursive: true, force: true });
}
