// What a shopper's browser spends to show each widget: cumulative layout shift with
// the README's script tag in normal page flow, main-thread task time and the longest
// task from navigation to data shown, the time until data shows, and the request chain
// before it (how many requests wait on one another: page → loader → … → first API call),
// on a phone-sized and a desktop-sized viewport.
// Measured in the same run, first, the same way: a minimal Lit component (Lit as published, its
// production build, one file) that fetches one API answer and renders it: issue 20's baseline
// ("≤ Lit's own + 10 ms"). Each widget's row says how much main-thread time it took beyond that.
//   npm run build && node bench/widgets.mjs [--runs 3] [--latency 0] [--only kudos-badges] [--viewport 390] [--css '…'] [--profile DIR] [--trace DIR] [--cpu] [--returning] [--screenshots DIR]
// --profile DIR writes a V8 CPU profile of each cold load (DIR/<tag>-<width>.cpuprofile; its top
// frames: node bench/top-frames.mjs FILE); the profiler's own cost is in that run's figures.
// --trace DIR writes a Chromium performance trace of each cold load (DIR/<tag>-<width>.json): style,
// layout, paint and parsing, which a V8 profile shows only as "(program)"; its main-thread time by
// event: node bench/trace-summary.mjs FILE. The tracing's own cost is in that run's figures too.
// --cpu traces every load and adds the renderer main thread's CPU time over its tasks (the trace's
// thread time: waiting for a core, a disk or another process is not in it, so it moves far less
// with the machine's load than the task time does) and that beyond Lit's, measured the same way.
// --latency MS adds that much round-trip time to every request (Chromium's network
// emulation), as a real network does: on loopback a chain of requests costs almost nothing.
// --screenshots DIR saves each page as its last load left it (DIR/<tag>-<width>[-returning].png): look at them.
// --returning: the shopper has bought once before (a 60 € order recorded first), so the widgets show
// what a returning customer sees: an earned badge with its date, points activity with dates.
// --css puts a shop's own stylesheet in the page's
// <head> (e.g. the space a shop reserves for a widget, docs/getting-started.md).
// A real server process (the demo shop, fresh data file) and Debian's Chromium; each
// widget alone on a page served from the API's origin (playwright routes the page), with
// README.md's script tag as it is written there (test/readme-snippet.mjs).
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { chromium } from 'playwright-core';
import { rollup } from 'rollup';
import { CHROME_ARGS, chromePath } from '../test/chromium.mjs';
import { readmeScriptTag } from '../test/readme-snippet.mjs';
import { summarize } from './trace-summary.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    latency: { type: 'string', default: '0' },
    only: { type: 'string' },
    css: { type: 'string', default: '' },
    viewport: { type: 'string' },
    profile: { type: 'string' },
    trace: { type: 'string' },
    cpu: { type: 'boolean', default: false },
    returning: { type: 'boolean', default: false },
    screenshots: { type: 'string' },
  },
});
const runs = Number(values.runs);
const latency = Number(values.latency);
const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'kudos-bench-'));
// Before the server starts: without Chromium this throws, and would leave the server running.
const executablePath = chromePath();
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
if (values.returning) {
  const sk = /secret key\s+(sk_\w+)/.exec(output)[1];
  const answer = await fetch(`${api}/v1/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${sk}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ id: 'purchase-bench-1', type: 'purchase', customerId, properties: { orderId: 'bench-1', total: 60, currency: 'EUR' } }),
  });
  if (!answer.ok) throw new Error(`recording the returning shopper's order: ${answer.status} ${await answer.text()}`);
}

const WIDGETS = {
  'kudos-badges': '',
  'kudos-points': '',
  'kudos-trophy-case': '',
  'kudos-share-save': 'campaign="duo"',
  'kudos-nps': 'survey="checkout" placement="cart" compact',
};
// The demo survey asks everyone, so its page keeps the card's room as widgets/nps/README.md says such
// a shop does (by default nothing is kept: most shops ask few visitors, and those not asked see nothing move).
const NPS_ROOM = 'kudos-nps{--kudos-nps-min-height:clamp(11.75rem,(768px - 100vw)*1e4,14.5rem)}';
const page = (tag, attrs) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${tag}</title>${values.css || tag == 'kudos-nps' ? `<style>${values.css}${tag == 'kudos-nps' ? NPS_ROOM : ''}</style>` : ''}
${readmeScriptTag({ src: '/kudos.js', key: pk, customerId, customerHash: hash })}
</head><body style="font-family: sans-serif; margin: 16px"><h1>Product</h1><p>Above the widget.</p>
<${tag} ${attrs}></${tag}><p>Below the widget: this line moves if the widget's space was not reserved.</p></body></html>`;

// The baseline: Lit's own cost for a component that shows one API answer, bundled and minified
// like the widgets (node-resolve's browser build of Lit is its production one), without our
// trims (rollup.config.mjs trimLit): Lit as anyone ships it.
const LIT_MINIMAL = `import { LitElement, css, html } from 'lit';
class LitMinimal extends LitElement {
  static styles = css\`:host{display:block}ul{margin:0}\`;
  static properties = { items: { state: true } };
  connectedCallback() {
    super.connectedCallback();
    fetch(${JSON.stringify(`${api}/v1/badges`)}, { headers: { Authorization: ${JSON.stringify(`Bearer ${pk}`)}, 'X-Kudos-Anonymous-Id': 'bench-lit-minimal' } })
      .then((r) => r.json()).then((d) => (this.items = d.data));
  }
  render() {
    return this.items ? html\`<ul part="list">\${this.items.map((b) => html\`<li>\${b.name}</li>\`)}</ul>\` : html\`<p part="loading" aria-busy="true">…</p>\`;
  }
}
customElements.define('lit-minimal', LitMinimal);`;
const litBundle = await rollup({
  input: 'lit-minimal',
  plugins: [
    { name: 'lit-minimal', resolveId: (id) => (id == 'lit-minimal' ? id : null), load: (id) => (id == 'lit-minimal' ? LIT_MINIMAL : null) },
    nodeResolve({ browser: true, rootDir: root }),
    terser({ ecma: 2020, module: true, compress: { passes: 2 } }),
  ],
});
const litCode = (await litBundle.generate({ format: 'es' })).output[0].code;
await litBundle.close();
const litPage = () => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>lit-minimal</title>${values.css ? `<style>${values.css}</style>` : ''}
<script async type="module" src="/bench/lit-minimal.js"></script>
</head><body style="font-family: sans-serif; margin: 16px"><h1>Product</h1><p>Above the widget.</p>
<lit-minimal></lit-minimal><p>Below the widget: this line moves if the widget's space was not reserved.</p></body></html>`;

// The survey asks a person at most 3 times (the demo shop's survey): a new shopper for each of its loads.
let shopper = 0;
const pageFor = (tag, attrs) => {
  if (tag == 'lit-minimal') return litPage();
  if (tag != 'kudos-nps') return page(tag, attrs);
  const id = `bench_nps_${process.pid}_${shopper++}`;
  return page(tag, attrs).replace(`data-customer-id="${customerId}" data-customer-hash="${hash}"`, `data-customer-id="${id}" data-customer-hash="${createHmac('sha256', signing).update(id).digest('hex')}"`);
};

if (values.profile) mkdirSync(values.profile, { recursive: true });
if (values.trace) mkdirSync(values.trace, { recursive: true });
if (values.screenshots) mkdirSync(values.screenshots, { recursive: true });
const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink', 'blink.user_timing', 'loading', 'toplevel'];
const browser = await chromium.launch({ executablePath, args: CHROME_ARGS, headless: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `Widgets on a page of their own, median of ${runs} cold loads (script tag → data shown)` +
    `${latency ? `, ${latency} ms added round trip` : ''}`,
);
console.log(`widget                viewport    CLS      main-thread task ms   beyond Lit ms   longest task ms   data shown ms   chain${values.cpu ? '   main-thread CPU ms   beyond Lit' : ''}`);
const VIEWPORTS = [['390×844', { width: 390, height: 844 }], ['1280×800', { width: 1280, height: 800 }]].filter(([, v]) => !values.viewport || String(v.width) == values.viewport);
const tags = [['lit-minimal', ''], ...Object.entries(WIDGETS).filter(([t]) => !values.only || t == values.only)];
const baseline = {};
const baselineCpu = {};
const plus = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(0)}`;
for (const [tag, attrs] of tags) {
  for (const [label, viewport] of VIEWPORTS) {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport });
      const tab = await context.newPage();
      const body = pageFor(tag, attrs);
      await tab.route(`${api}/bench/page.html`, (route) => route.fulfill({ contentType: 'text/html', body }));
      await tab.route(`${api}/bench/blank.html`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html>' }));
      await tab.route(`${api}/bench/lit-minimal.js`, (route) => route.fulfill({ contentType: 'text/javascript', body: litCode }));
      await tab.addInitScript(() => {
        window.__shifts = 0;
        window.__longest = 0;
        new PerformanceObserver((list) => list.getEntries().forEach((e) => (window.__shifts += e.hadRecentInput ? 0 : e.value))).observe({ type: 'layout-shift', buffered: true });
        new PerformanceObserver((list) => list.getEntries().forEach((e) => (window.__longest = Math.max(window.__longest, e.duration)))).observe({ type: 'longtask', buffered: true });
      });
      // A page of the same origin first, so the profiler (started there) stays with the renderer the page runs in.
      if (values.profile) await tab.goto(`${api}/bench/blank.html`);
      const cdp = await context.newCDPSession(tab);
      await cdp.send('Performance.enable');
      if (values.profile) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
        await cdp.send('Profiler.start');
      }
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
      // Only the cold load counts: the blank page's task time is taken off.
      const before = values.profile ? (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value : 0;
      const traced = `${tag}-${viewport.width}${runs > 1 ? `-${i}` : ''}`;
      const tracing = values.trace || values.cpu;
      if (tracing) await browser.startTracing(tab, { path: values.trace && join(values.trace, `${traced}.json`), categories: TRACE_CATEGORIES });
      await tab.goto(`${api}/bench/page.html`);
      // Data shown: the element rendered its shadow content and nothing in it is busy (the survey: its card).
      await tab.waitForFunction((t) => {
        const root = document.querySelector(t)?.shadowRoot;
        return !!root && root.querySelector(t == 'kudos-nps' ? '[part~=base]' : '[part]') !== null && root.querySelector('[aria-busy="true"]') === null;
      }, tag);
      const shown = await tab.evaluate(() => performance.now());
      const { metrics } = await cdp.send('Performance.getMetrics');
      if (values.profile) {
        const { profile } = await cdp.send('Profiler.stop');
        writeFileSync(join(values.profile, `${traced}.cpuprofile`), JSON.stringify(profile));
      }
      const cpu = tracing ? summarize((await browser.stopTracing()).toString()).cpu : NaN;
      await tab.waitForTimeout(300); // late shifts count too
      if (values.screenshots && i == runs - 1) await tab.screenshot({ path: join(values.screenshots, `${tag}-${viewport.width}${values.returning ? '-returning' : ''}.png`), fullPage: true });
      const cls = await tab.evaluate(() => window.__shifts);
      const longest = await tab.evaluate(() => window.__longest);
      samples.push({ cls, task: (metrics.find((m) => m.name === 'TaskDuration').value - before) * 1000, longest, shown, chain, cpu });
      await context.close();
    }
    const task = median(samples.map((s) => s.task));
    const cpu = median(samples.map((s) => s.cpu));
    if (tag == 'lit-minimal') (baseline[label] = task), (baselineCpu[label] = cpu);
    const beyond = tag == 'lit-minimal' ? '—' : `${task - baseline[label] >= 0 ? '+' : ''}${(task - baseline[label]).toFixed(0)}`;
    console.log(
      `${tag.padEnd(22)}${label.padEnd(12)}${median(samples.map((s) => s.cls)).toFixed(3).padEnd(9)}` +
        `${task.toFixed(0).padStart(8)}${beyond.padStart(24)}${median(samples.map((s) => s.longest)).toFixed(0).padStart(18)}` +
        `${median(samples.map((s) => s.shown)).toFixed(0).padStart(16)}${String(median(samples.map((s) => s.chain))).padStart(8)}` +
        (values.cpu ? `${cpu.toFixed(0).padStart(21)}${(tag == 'lit-minimal' ? '—' : plus(cpu - baselineCpu[label])).padStart(13)}` : ''),
    );
  }
}
await browser.close();
server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));
rmSync(dir, { recursive: true, force: true });
