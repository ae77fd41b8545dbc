// How a widget arrives with the README's script tag, in real Chromium: which requests wait on
// which before its data shows, and whether the page moves. The loader asks for the widget's
// file, preloads the chunks that file imports and starts the widget's first API request all at
// once (page → loader → those: a chain of 2), and the widget reads that answer instead of asking
// again. The room the loader reserves is the room the widget's skeleton and content take.
import { createHmac } from 'node:crypto';
import type { CDPSession } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readmeScriptTag } from '../readme-snippet.mjs';
import { collectPageErrors, screenshot } from './browser.js';
import { useDemoShop } from './demo-shop.js';

const demo = useDemoShop();

/** The widgets whose first GETs the loader starts (sdk/widget-tags.ts), each alone on a page. */
const WIDGETS: Record<string, { attrs: string; data: (customer: string) => string[]; css?: string }> = {
  'kudos-badges': { attrs: '', data: (c) => [`/v1/customers/${c}`] },
  'kudos-points': { attrs: '', data: (c) => [`/v1/customers/${c}`, '/v1/rewards'] },
  'kudos-trophy-case': { attrs: '', data: (c) => [`/v1/customers/${c}`] },
  'kudos-share-save': { attrs: 'campaign="duo"', data: () => ['/v1/campaigns/duo'] },
  // The demo shop asks everyone (100 % sampling, at most 3 times: each run is a new customer), so
  // it keeps the card's room as its README says such a shop does (by default nothing is kept).
  'kudos-nps': {
    attrs: 'survey="checkout" placement="cart" compact',
    data: () => ['/v1/surveys/checkout/eligibility'],
    css: 'kudos-nps{--kudos-nps-min-height:clamp(11.75rem,(768px - 100vw)*1e4,14.5rem)}',
  },
};

/** The widget's data is on screen: a part (for the survey its card: its live region is there from the first render), nothing busy. */
const dataShown = (t: string) => {
  const root = document.querySelector(t)?.shadowRoot;
  const shown = t == 'kudos-nps' ? '[part~=base]' : '[part]';
  return !!root && root.querySelector(shown) !== null && root.querySelector('[aria-busy="true"]') === null;
};

const signing = () => /identity secret\s+(\S+)/.exec(demo.output)?.[1] ?? demo.secretKey;

/** A page like a shop's: README.md's script tag as written there in <head>, the widget in normal flow between two paragraphs. */
const pageHtml = (tag: string, attrs: string, customer: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${tag}</title>${WIDGETS[tag]!.css ? `<style>${WIDGETS[tag]!.css}</style>` : ''}
${readmeScriptTag({ src: '/kudos.js', key: demo.publishableKey, customerId: customer, customerHash: createHmac('sha256', signing()).update(customer).digest('hex') })}
</head><body style="font-family: sans-serif; margin: 16px"><h1>Product</h1><p>Above the widget.</p>
<${tag} ${attrs}></${tag}><p>Below the widget.</p></body></html>`;

type Logged = { kind: 'sent'; id: string; url: URL; method: string } | { kind: 'done'; id: string };

/** The widget on a page of its own, cold, every request 100 ms away; the network log until its data shows. */
async function load(tag: string) {
  const customer = `c_loading_${tag}_${Date.now()}`;
  const context = await demo.browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.route(`${demo.apiUrl}/e2e/loading.html`, (route) =>
    route.fulfill({ contentType: 'text/html', body: pageHtml(tag, WIDGETS[tag]!.attrs, customer) }),
  );
  const cdp: CDPSession = await context.newCDPSession(page);
  const log: Logged[] = [];
  cdp.on('Network.requestWillBeSent', (e) => log.push({ kind: 'sent', id: e.requestId, url: new URL(e.request.url), method: e.request.method }));
  cdp.on('Network.loadingFinished', (e) => log.push({ kind: 'done', id: e.requestId }));
  await cdp.send('Network.enable');
  // Loopback answers in well under a millisecond, so an order of events would prove nothing;
  // 100 ms per request is a real network's, and far longer than the loader's one task.
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 100, downloadThroughput: -1, uploadThroughput: -1 });
  await page.goto(`${demo.apiUrl}/e2e/loading.html`);
  await page.waitForFunction(dataShown, tag);
  await context.close();
  return { log, customer, errors };
}

describe('a widget from the script tag', () => {
  it.each(Object.keys(WIDGETS))('<%s>: its files and its first API requests are all asked before any file has arrived', async (tag) => {
    const { log, customer, errors } = await load(tag);
    const sent = log.filter((e) => e.kind == 'sent');
    // The widget's file and what it imports (not its translations, not the runtime chunk: an English page that tracks nothing).
    const files = sent.filter((e) => e.url.pathname.startsWith('/widgets/') && !/\/chunks\/(runtime|[a-z]{2})-/.test(e.url.pathname));
    const api = sent.filter((e) => e.url.pathname.startsWith('/v1/'));
    const firstFileDone = log.findIndex((e) => e.kind == 'done' && files.some((f) => f.id == e.id));
    expect(files.map((f) => f.url.pathname.replace(/(\/chunks\/\w+)-[\w-]{6}\.js$/, '$1')).sort()).toEqual(
      expect.arrayContaining([`/widgets/${tag}.js`, '/widgets/chunks/base']),
    );
    expect(firstFileDone).toBeGreaterThan(-1);
    // Before any of the widget's files has arrived, every one of them and its first API requests are on their way:
    // page → kudos.js → (files, API). Without preloading, the chunks wait for the widget's file (3 steps); without
    // the loader's early requests, the API call waits for all of them (4).
    for (const request of [...files, ...api.filter((a) => WIDGETS[tag]!.data(customer).includes(a.url.pathname))]) {
      expect(log.indexOf(request), `${request.url.pathname} was asked after a widget file had arrived`).toBeLessThan(firstFileDone);
    }
    // Each of those answers was read by the widget, not asked for again.
    for (const path of WIDGETS[tag]!.data(customer)) {
      expect(api.filter((a) => a.method == 'GET' && a.url.pathname == path).length, `GET ${path}`).toBe(1);
    }
    expect(errors).toEqual([]);
  });
});

const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } };

describe('a widget in normal page flow', () => {
  const cases = Object.keys(WIDGETS).flatMap((tag) => Object.keys(VIEWPORTS).map((viewport) => [tag, viewport] as const));
  // From the first paint, not from the loader's reservation: the page gets every chance to paint
  // before the loader arrives (held until the page has had its frames), which is when a bare
  // `async` tag let the reservation push the line below down once (0.034 at 390 px).
  it.each(cases)('<%s> on a %s: with the README\'s tag nothing moves from the first paint on (loader late → skeleton → data)', async (tag, viewport) => {
    await expectNoShift(tag, viewport, `c_shift_${tag}_${Date.now()}`);
  });

  // A shopper with history sees more than a fresh one: a balance, a tier, a gift, five activity
  // lines. The card keeps the room the loader reserved (before, a returning shopper's points
  // grew past it: CLS 0.007 on a phone, 0.002 on a desktop, bench/widgets.mjs --returning) and
  // what does not fit scrolls inside it, by keyboard too.
  it.each(Object.keys(VIEWPORTS) as (keyof typeof VIEWPORTS)[])('<kudos-points> on a %s for a shopper with five orders: nothing moves, the card scrolls', async (viewport) => {
    const customer = `c_shift_returning_${viewport}_${Date.now()}`;
    const events = Array.from({ length: 5 }, (_, i) => ({
      id: `purchase-${customer}-${i}`,
      type: 'purchase',
      customerId: customer,
      properties: { orderId: `${customer}-${i}`, total: 60, currency: 'EUR' },
    }));
    const recorded = await fetch(`${demo.apiUrl}/v1/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${demo.secretKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(recorded.status, await recorded.text()).toBeLessThan(300);
    const card = await expectNoShift('kudos-points', viewport, customer, '-returning');
    expect(card.activity).toBe(5);
    expect(card.scrollHeight).toBeGreaterThan(card.clientHeight);
    expect(card.tabIndex).toBe(0);
  });
});

/**
 * `tag` on a page like a shop's for `customer`, each stage held until the one before has been
 * measured; asserts the element's height never changes and no layout shift is reported, and
 * answers what its card (part=base) looks like with the data shown.
 */
async function expectNoShift(tag: string, viewport: keyof typeof VIEWPORTS, customer: string, label = '') {
  const context = await demo.browser.newContext({ viewport: VIEWPORTS[viewport] });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.route(`${demo.apiUrl}/e2e/shift.html`, (route) =>
    route.fulfill({ contentType: 'text/html', body: pageHtml(tag, WIDGETS[tag]!.attrs, customer) }),
  );
  // Each stage held until the previous one has been measured: the widget's file, then the API.
  const gate = () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { open, hold: async (route: { continue: () => Promise<void> }) => (await opened, route.continue()) };
  };
  const loader = gate();
  const file = gate();
  const api = gate();
  await page.route(`${demo.apiUrl}/kudos.js`, loader.hold);
  await page.route(`${demo.apiUrl}/widgets/${tag}.js`, file.hold);
  await page.route(`${demo.apiUrl}/v1/**`, api.hold);
  await page.addInitScript(() => {
    const w = window as unknown as { __shifts: { t: number; v: number }[] };
    w.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as { startTime: number; value: number; hadRecentInput: boolean }[]) {
        if (!e.hadRecentInput) w.__shifts.push({ t: e.startTime, v: e.value });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const frames = () => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const height = () => page.evaluate((t) => document.querySelector(t)!.getBoundingClientRect().height, tag);
  // The page is parsed (an async script holds no parsing) while the loader is on its way.
  await page.goto(`${demo.apiUrl}/e2e/shift.html`, { waitUntil: 'domcontentloaded' });
  // Two frames if the page may render without the loader, a while if it may not (frames wait then).
  await page.evaluate(() => Promise.race([new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))), new Promise((resolve) => setTimeout(resolve, 500))]));
  loader.open();

  // 1. The loader has run: the element is not defined yet and has its reserved room.
  await page.waitForFunction((t) => getComputedStyle(document.querySelector(t)!).display == 'block', tag);
  await frames();
  const reserved = await height();
  expect(reserved).toBeGreaterThan(100);
  await screenshot(page, `loading-${tag}-${viewport}${label}-1-reserved`);

  // 2. Defined, waiting for data: the skeleton.
  file.open();
  await page.waitForFunction((t) => !!document.querySelector(t)!.shadowRoot?.querySelector('[part]'), tag);
  await frames();
  expect(await height()).toBe(reserved);
  await screenshot(page, `loading-${tag}-${viewport}${label}-2-skeleton`);

  // 3. Data shown.
  api.open();
  await page.waitForFunction(dataShown, tag);
  await frames();
  expect(await height()).toBe(reserved);
  await screenshot(page, `loading-${tag}-${viewport}${label}-3-data`);
  const shifts = await page.evaluate(() => (window as unknown as { __shifts: { t: number; v: number }[] }).__shifts);
  expect(shifts).toEqual([]);
  expect(errors).toEqual([]);
  const card = await page.evaluate((t) => {
    const base = document.querySelector(t)!.shadowRoot!.querySelector<HTMLElement>('[part~=base]')!;
    const { scrollHeight, clientHeight, tabIndex } = base;
    return { scrollHeight, clientHeight, tabIndex, activity: base.querySelectorAll('[part~=activity-item]').length };
  }, tag);
  await context.close();
  return card;
}
