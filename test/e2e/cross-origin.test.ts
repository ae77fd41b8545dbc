// The script tag on a shop's own site: another origin, a strict CSP, a popular
// CSS framework and hostile body styles. The widget must load, talk to the API,
// look like itself, and leave nothing behind but `window.Kudos`.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityHeaders, purchase, startTestServer, type TestServer } from '../helpers/server.js';
import { collectPageErrors, launchBrowser, screenshot } from './browser.js';

const bootstrapCss = readFileSync(createRequire(import.meta.url).resolve('bootstrap/dist/css/bootstrap.min.css'), 'utf8');
// What a theme might do to everything on the page.
const hostileCss = `
  body { font-family: "Comic Sans MS", cursive; font-size: 22px; letter-spacing: 4px; text-transform: uppercase;
         text-align: right; line-height: 3; color: rgb(255, 0, 0); word-spacing: 10px; font-style: italic; }
  ul, li, h2, p, progress { margin: 40px !important; padding: 40px; list-style: square; }
`;

let kudos: TestServer;
let shop: Server;
let shopOrigin: string;
let browser: Browser;
let customer: Record<string, string>;

function page(kudosUrl: string, publishableKey: string, identity: Record<string, string>): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Mia's Ceramics</title>
<link rel="stylesheet" href="/bootstrap.css"><link rel="stylesheet" href="/theme.css">
<script async src="${kudosUrl}/kudos.js" data-key="${publishableKey}"
  data-customer-id="${identity['x-kudos-customer']}" data-customer-hash="${identity['x-kudos-customer-hash']}"></script>
</head><body><main class="container"><h1>Mia's Ceramics</h1><kudos-badges></kudos-badges></main></body></html>`;
}

beforeAll(async () => {
  kudos = await startTestServer();
  shop = createServer((req, res) => {
    const csp = [
      "default-src 'none'",
      `script-src ${kudos.url}`,
      `connect-src ${kudos.url}`,
      "style-src 'self'",
      "img-src 'self' data: https:",
    ].join('; ');
    if (req.url === '/bootstrap.css') return res.writeHead(200, { 'content-type': 'text/css' }).end(bootstrapCss);
    if (req.url === '/theme.css') return res.writeHead(200, { 'content-type': 'text/css' }).end(hostileCss);
    let body = page(kudos.url, registered.publishableKey, customer);
    if (req.url === '/no-widgets') body = body.replace('<kudos-badges></kudos-badges>', '');
    res.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': csp }).end(body);
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  // "localhost" and "127.0.0.1" are different origins: the API is on one, the shop on the other.
  shopOrigin = `http://localhost:${(shop.address() as AddressInfo).port}`;
  registered = await kudos.server.createShop({ name: "Mia's Ceramics", origins: [shopOrigin] });
  for (const [id, count] of [['first-order', 1], ['regular', 3]] as const) {
    await kudos.call(`/v1/badges/${id}`, {
      method: 'PUT',
      key: registered.secretKey,
      body: { name: id === 'regular' ? 'Regular' : 'First order', criteria: { event: 'purchase', count } },
    });
  }
  customer = identityHeaders(registered, 'c_mia_1');
  browser = await launchBrowser();
});
let registered: { shopId: string; publishableKey: string; secretKey: string };

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => shop?.close(resolve));
  await kudos?.dispose();
});

async function open(url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await page.goto(url);
  return { page, errors };
}

describe('script tag on a shop site with a strict CSP and Bootstrap', () => {
  it('loads, shows the badge the shop backend granted, with no CSP violation', async () => {
    await kudos.call('/v1/events', { key: registered.secretKey, body: purchase('mia-1', 'c_mia_1') });
    const { page, errors } = await open(shopOrigin);
    const earned = page.locator('kudos-badges [part~="badge-earned"] [part~="name"]');
    await expect.poll(() => earned.allTextContents()).toEqual(['First order']);
    await screenshot(page, 'cross-origin-bootstrap-csp');
    expect(errors).toEqual([]);
    await page.close();
  });

  // Globals the page has that a fresh same-origin frame does not.
  const addedGlobals = (page: Page) =>
    page.evaluate(() => {
      const frame = document.createElement('iframe');
      document.body.append(frame);
      const pristine = new Set(Object.getOwnPropertyNames(frame.contentWindow!));
      frame.remove();
      return Object.getOwnPropertyNames(window).filter((name) => !pristine.has(name));
    });

  it('the loader adds no global but Kudos, and neither do the widgets', async () => {
    const { page: plain } = await open(`${shopOrigin}/no-widgets`);
    await plain.waitForFunction(() => 'Kudos' in window && 'version' in (window as unknown as { Kudos: object }).Kudos);
    expect(await addedGlobals(plain)).toEqual(['Kudos']);
    await plain.close();

    const { page } = await open(shopOrigin);
    await page.locator('kudos-badges [part~="badge"]').first().waitFor();
    // Lit as published records its versions and decorators' metadata on globalThis; the CDN build
    // leaves those out (rollup.config.mjs trimLit), so a shop's own Lit app sees only its own.
    expect(await addedGlobals(page)).toEqual(['Kudos']);
    await page.close();
  });

  it("keeps the theme's body styles out of the widget", async () => {
    const { page } = await open(shopOrigin);
    const name = page.locator('kudos-badges [part~="name"]').first();
    await name.waitFor();
    const style = await name.evaluate((el) => {
      const s = getComputedStyle(el);
      return {
        fontFamily: s.fontFamily,
        letterSpacing: s.letterSpacing,
        textTransform: s.textTransform,
        textAlign: s.textAlign,
        fontStyle: s.fontStyle,
        wordSpacing: s.wordSpacing,
        color: s.color,
      };
    });
    expect(style.fontFamily).not.toMatch(/Comic Sans/);
    expect(style).toMatchObject({ letterSpacing: 'normal', textTransform: 'none', fontStyle: 'normal', wordSpacing: '0px' });
    expect(style.textAlign).not.toBe('right');
    expect(style.color).not.toBe('rgb(255, 0, 0)');
    await page.close();
  });

  it('updates when the shop backend records a purchase and the page asks for a refresh', async () => {
    const { page } = await open(shopOrigin);
    const earned = page.locator('kudos-badges [part~="badge-earned"] [part~="name"]');
    await expect.poll(() => earned.allTextContents()).toEqual(['First order']);
    await kudos.call('/v1/events', { key: registered.secretKey, body: { events: [purchase('mia-2', 'c_mia_1'), purchase('mia-3', 'c_mia_1')] } });
    await page.evaluate(() => (window as unknown as { Kudos: (c: string) => void }).Kudos('refresh'));
    await expect.poll(() => earned.allTextContents()).toEqual(['First order', 'Regular']);
    await page.close();
  });

  it('refuses a page on an origin the shop did not register (the widget shows its error state)', async () => {
    const unregistered = shopOrigin.replace('localhost', '127.0.0.1');
    const { page } = await open(unregistered);
    await expect.poll(() => page.locator('kudos-badges [part~="error"]').count()).toBe(1);
    await expect.poll(() => page.locator('kudos-badges [part~="badge"]').count()).toBe(0);
    await page.close();
  });
});
