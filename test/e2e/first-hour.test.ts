// The first minutes of a new user, with the built server as `npm start` runs it: every URL
// it prints is absolute and opens in a browser (no 401, no 404), and `/` is a landing page
// that links to the console, the demo pages, the docs and the API reference.
import { describe, expect, it } from 'vitest';
import { collectPageErrors, screenshot } from './browser.js';
import { useDemoShop } from './demo-shop.js';

const demo = useDemoShop();

describe('what npm start prints', () => {
  it('has only absolute URLs, and each one opens in a browser', async () => {
    const printedLines = demo.output.split('\n').filter((l) => !l.startsWith('{'));
    // No path without its origin anywhere (the "today's QR" hint used to be one).
    for (const line of printedLines) expect(line).not.toMatch(/(^|[\s(:])\/(v1|c|t|examples|console|docs)\b/);
    const urls = [...new Set(printedLines.join('\n').match(/https?:\/\/[^\s)]+/g) ?? [])];
    expect(urls.length).toBeGreaterThanOrEqual(7);
    expect(urls).toContainEqual(expect.stringMatching(/\/c\/[^/]+\/qr$/));
    const page = await demo.browser.newPage();
    try {
      for (const url of urls) {
        const response = await page.goto(url);
        expect({ url, status: response?.status() }).toEqual({ url, status: 200 });
      }
    } finally {
      await page.close();
    }
  });

  it('/ says what is running and links to the console, the demo pages, the docs and the API reference', async () => {
    const page = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    const home = await page.goto(`${demo.apiUrl}/`);
    expect(home?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Kudos is running');
    const links = await page.locator('a').evaluateAll((as) => as.map((a) => [a.textContent, (a as HTMLAnchorElement).href]));
    const hrefs = links.map(([, href]) => href!);
    expect(hrefs).toEqual(
      expect.arrayContaining([
        `${demo.apiUrl}/console`,
        `${demo.apiUrl}/examples/storefront.html`,
        `${demo.apiUrl}/examples/directory.html`,
        `${demo.apiUrl}/docs/getting-started.md`,
        `${demo.apiUrl}/openapi.json`,
      ]),
    );
    // Every link on it answers 200 too.
    for (const href of hrefs) expect({ href, status: (await fetch(href)).status }).toEqual({ href, status: 200 });
    const favicon = await fetch(`${demo.apiUrl}/favicon.ico`);
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get('content-type')).toBe('image/x-icon');
    await screenshot(page, 'landing-page');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the demo storefront is set in a sans-serif font, not the browser default serif', async () => {
    const page = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(demo.storefrontUrl);
    const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    expect(font).toMatch(/sans-serif$/);
    expect(font).not.toMatch(/Georgia|Times/);
    await page.locator('kudos-badges [part~="badge"]').first().waitFor();
    await screenshot(page, 'storefront-sans-serif');
    await page.close();
  });
});
