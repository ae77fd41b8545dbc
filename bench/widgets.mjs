// What a shopper's browser spends to show each widget: cumulative layout shift with
// the README's script tag in normal page flow, main-thread task time and the longest
// task from navigation to data shown, the time until data shows, and the request chain
// before it (how many requests wait on one another: page → loader → … → first API call),
// on a phone-sized and a desktop-sized viewport.
//   npm run build && node bench/widgets.mjs [--runs 3] [--latency 0] [--only kudos-badges] [--viewport 390] [--css '…']
// --latency MS adds that much round-trip time to every request (Chromium's network
// emulation), as a real network does: on loopback a chain of requests costs almost nothing.
// --css puts a shop's own stylesheet in the page's
// <head> (e.g. the space a shop reserves for a widget, docs/getting-started.md).
// A real server process (the demo shop, fresh data file) and Debian's Chromium; each
// widget alone on a page served from the API's origin (playwright routes the page), with
// README.md's script tag as it is written there (test/readme-snippet.mjs).
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROME_ARGS, chromePath } from '../test/chromium.mjs';
import { readmeScriptTag } from '../test/readme-snippet.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    latency: { type: 'string', default: '0' },
    only: { type: 'string' },
    css: { type: 'string', default: '' },
    viewport: { type: 'string' },
  },
});
const runs = Number(values.runs);
const latency = Number(values.latency);
const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'kudos-bench-'));
const server = spawn(process.execPath, [join(root, 'dist', 'server', 'main.js')], {
  env: { ...process.env, PORT: '0', HOST: '127.0.0.1', KUDOS_DATA: join(dir, 'kudos.json'), KUDOS_ACCESS_LOG: 'off' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const output = await new Promise((resolve, reject) => {
  let out = '';
  const onData = (chunk) => {
    out += chunk;
    if (!/secret key\s+sk_\w+/.test(out)) return;
    server.stdout.off('data', onData);
    server.stdout.resume();
    resolve(out);
  };
  server.stdout.on('data', onData);
  server.once('exit', () => reject(new Error(`server exited: ${out}`)));
});
const api = /Kudos is running at (http:\/\/\S+)/.exec(output)[1].replace(/\/+$/, '');
const pk = /publishable key\s+(pk_\w+)/.exec(output)[1];
const signing = /identity secret\s+(\S+)/.exec(output)?.[1] ?? /secret key\s+(sk_\w+)/.exec(output)[1];
const customerId = 'bench_shopper';
const hash = createHmac('sha256', signing).update(customerId).digest('hex');

const WIDGETS = {
  'kudos-badges': '',
  'kudos-points': '',
  'kudos-trophy-case': '',
  'kudos-share-save': 'campaign="duo"',
  'kudos-nps': 'survey="checkout" placement="cart" compact',
};
const page = (tag, attrs) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${tag}</title>${values.css ? `<style>${values.css}</style>` : ''}
${readmeScriptTag({ src: '/kudos.js', key: pk, customerId, customerHash: hash })}
</head><body style="font-family: sans-serif; margin: 16px"><h1>Product</h1><p>Above the widget.</p>
<${tag} ${attrs}></${tag}><p>Below the widget: this line moves if the widget's space was not reserved.</p></body></html>`;

const browser = await chromium.launch({ executablePath: chromePath(), args: CHROME_ARGS, headless: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `Widgets on a page of their own, median of ${runs} cold loads (script tag → data shown)` +
    `${latency ? `, ${latency} ms added round trip` : ''}`,
);
console.log('widget                viewport    CLS      main-thread task ms   longest task ms   data shown ms   chain');
for (const [tag, attrs] of Object.entries(WIDGETS).filter(([t]) => !values.only || t == values.only)) {
  for (const [label, viewport] of [['390×844', { width: 390, height: 844 }], ['1280×800', { width: 1280, height: 800 }]].filter(([, v]) => !values.viewport || String(v.width) == values.viewport)) {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport });
      const tab = await context.newPage();
      await tab.route(`${api}/bench/page.html`, (route) => route.fulfill({ contentType: 'text/html', body: page(tag, attrs) }));
      await tab.addInitScript(() => {
        window.__shifts = 0;
        window.__longest = 0;
        new PerformanceObserver((list) => list.getEntries().forEach((e) => (window.__shifts += e.hadRecentInput ? 0 : e.value))).observe({ type: 'layout-shift', buffered: true });
        new PerformanceObserver((list) => list.getEntries().forEach((e) => (window.__longest = Math.max(window.__longest, e.duration)))).observe({ type: 'longtask', buffered: true });
      });
      const cdp = await context.newCDPSession(tab);
      await cdp.send('Performance.enable');
      // Who asked for what: a request's depth is one more than the deepest script on the stack
      // that asked for it (a fetch from a widget goes through the loader's Kudos.request too);
      // the page is 0. The chain is the first API request's depth.
      const depth = new Map();
      let chain = 0;
      const urlsOf = (stack) => (stack ? [...stack.callFrames.map((frame) => frame.url), ...urlsOf(stack.parent)] : []);
      cdp.on('Network.requestWillBeSent', ({ request, initiator }) => {
        const by = [initiator.url, ...urlsOf(initiator.stack)].filter(Boolean);
        const d = request.url.endsWith('/bench/page.html') ? 0 : Math.max(0, ...by.map((url) => depth.get(url) ?? 0)) + 1;
        if (!depth.has(request.url)) depth.set(request.url, d);
        if (!chain && new URL(request.url).pathname.startsWith('/v1/')) chain = d;
      });
      await cdp.send('Network.enable');
      if (latency) await cdp.send('Network.emulateNetworkConditions', { offline: false, latency, downloadThroughput: -1, uploadThroughput: -1 });
      await tab.goto(`${api}/bench/page.html`);
      // Data shown: the element rendered its shadow content and nothing in it is busy.
      await tab.waitForFunction((t) => {
        const root = document.querySelector(t)?.shadowRoot;
        return !!root && root.querySelector('[part]') !== null && root.querySelector('[aria-busy="true"]') === null;
      }, tag);
      const shown = await tab.evaluate(() => performance.now());
      const { metrics } = await cdp.send('Performance.getMetrics');
      await tab.waitForTimeout(300); // late shifts count too
      const cls = await tab.evaluate(() => window.__shifts);
      const longest = await tab.evaluate(() => window.__longest);
      samples.push({ cls, task: metrics.find((m) => m.name === 'TaskDuration').value * 1000, longest, shown, chain });
      await context.close();
    }
    console.log(
      `${tag.padEnd(22)}${label.padEnd(12)}${median(samples.map((s) => s.cls)).toFixed(3).padEnd(9)}` +
        `${median(samples.map((s) => s.task)).toFixed(0).padStart(8)}${median(samples.map((s) => s.longest)).toFixed(0).padStart(22)}` +
        `${median(samples.map((s) => s.shown)).toFixed(0).padStart(16)}${String(median(samples.map((s) => s.chain))).padStart(8)}`,
    );
  }
}
await browser.close();
server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));
rmSync(dir, { recursive: true, force: true });
