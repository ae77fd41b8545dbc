// Does a request cost the same whatever the size of the store? Issue 20's store-size figures,
// against a real server process (lowdb on a temp file, fsync'd group commit, demo off, access
// log off) with this process as the load:
//   npm run build && node bench/scale.mjs [--customers 100000] [--orders 10000] [--shops 50000] [--seconds 5]
//     [--only history] [--cpu-prof DIR]
// Prints, each on a line of its own:
//   - log bytes written per purchase, and purchase latency, for a customer with 1 k and --orders
//     prior orders, beside a fresh customer's;
//   - batched ingest (100 events a request) of new customers, then of returning customers;
//   - GET /v1/metrics at --customers customers (first, then median of 3), and the longest /healthz wait meanwhile;
//   - the longest /healthz wait while batches of returning customers stream in (snapshots
//     taken on the request path show here);
//   - idle server memory (RSS) at --customers customers after that load;
//   - requests with an Origin header and unknown /t/:award lookups, with 1 shop and with --shops
//     shops (requests/s, p99, share answered 429).
// Figures, not assertions: docs/performance.md keeps them with the date and machine.
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startKudos } from './start-server.mjs';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    orders: { type: 'string', default: '10000' },
    shops: { type: 'string', default: '50000' },
    seconds: { type: 'string', default: '5' },
    // history: only the purchase figures (a customer with many prior orders against a fresh one).
    only: { type: 'string' },
    // Write the server's CPU profile into this directory (node --cpu-prof) when it stops.
    'cpu-prof': { type: 'string' },
  },
});
const customers = Number(values.customers);
const orders = Number(values.orders);
const shops = Number(values.shops);
const seconds = Number(values.seconds);
const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'kudos-scale-'));
const dataFile = join(dir, 'kudos.json');
const env = { ...process.env, KUDOS_DATA: dataFile, KUDOS_DEMO: 'off', KUDOS_ACCESS_LOG: 'off', PORT: '0', HOST: '127.0.0.1' };

const shop = JSON.parse(execFileSync(process.execPath, [join(root, 'bin', 'kudos.js'), 'shop', 'create', '--name', 'Scale', '--origin', 'https://shop.example'], { env }).toString());
const server = await startKudos(env, values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] : []);
const { child, url } = server;
const secret = { authorization: `Bearer ${shop.secretKey}`, 'content-type': 'application/json' };
const api = (path, init = {}) => fetch(`${url}${path}`, { ...init, headers: { ...secret, ...init.headers } });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;
const line = (label, text) => console.log(`${label.padEnd(58)} ${text}`);
const storeBytes = () => readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);

let seq = 0;
const purchase = (customerId) => ({ id: `p-${seq++}`, type: 'purchase', customerId, properties: { orderId: `o-${seq}`, total: 12.5, currency: 'EUR' } });
async function send(events, tries = 3) {
  let response;
  try {
    response = await api('/v1/events', { method: 'POST', body: JSON.stringify(events.length == 1 ? events[0] : { events }) });
  } catch (error) {
    // A keep-alive connection the server closed as this request went out (ECONNRESET): send
    // again; events keep their ids, so one that did arrive counts once.
    if (--tries == 0) throw error;
    return send(events, tries);
  }
  if (!response.ok) throw new Error(`POST /v1/events: ${response.status} ${await response.text()}`);
}
/** Batches of 100, `parallel` requests at a time; resolves events/s. */
async function ingest(ids, make, parallel = 8) {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < ids.length) {
        const batch = ids.slice(next, (next += 100));
        await send(batch.map(make));
      }
    }),
  );
  return ids.length / ((performance.now() - started) / 1000);
}
/** One purchase at a time for `customerId(i)`: median latency and median store bytes written per purchase. */
async function purchases(customerId, count = 15) {
  const times = [];
  const bytes = [];
  for (let i = 0; i < count; i++) {
    const before = storeBytes();
    const started = performance.now();
    await send([purchase(customerId(i))]);
    times.push(performance.now() - started);
    const grown = storeBytes() - before;
    if (grown > 0) bytes.push(grown); // a fold into the snapshot shrinks the log: not a purchase's cost
  }
  return { latency: median(times), bytes: bytes.length ? median(bytes) : 0 };
}
/** Polls /healthz every 10 ms while `work` runs; resolves the longest wait. */
async function longestHealthWait(work) {
  let longest = 0;
  let done = false;
  const poller = (async () => {
    while (!done) {
      const started = performance.now();
      // A server that blocked its event loop may drop the idle keep-alive connection the next
      // check goes out on (ECONNRESET): that wait counts too.
      await fetch(`${url}/healthz`).catch(() => {});
      longest = Math.max(longest, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const result = await work();
  done = true;
  await poller;
  return { longest, result };
}
async function load(path, headers) {
  const result = await autocannon({ url: `${url}${path}`, headers, connections: 8, duration: seconds });
  const total = result['2xx'] + result.non2xx;
  const limited = result.statusCodeStats?.['429']?.count ?? 0;
  return `${(total / seconds).toFixed(0).padStart(6)} req/s  p99 ${result.latency.p99} ms  429: ${((100 * limited) / Math.max(1, total)).toFixed(0)}%`;
}

console.log(`Kudos at size: ${customers} customers, ${orders} prior orders, ${shops} shops (${seconds} s per load)`);

// History: a purchase for a customer with many prior orders against a fresh customer's.
// The first requests after start compile the path: not a fresh customer's cost.
await purchases((i) => `warm-${i}`);
const fresh = await purchases((i) => `fresh-${i}`);
line('purchase, fresh customer', `${ms(fresh.latency)}, ${fresh.bytes} B written`);
let prior = 0;
for (const checkpoint of [1000, orders]) {
  const ids = Array.from({ length: checkpoint - prior }, () => 'heavy');
  await ingest(ids, purchase, 1); // one customer's orders: one request at a time, in order
  prior = checkpoint;
  // Heavy and fresh purchases taken in turn, so the ratio compares the same minutes of a shared machine.
  const heavy = { times: [], bytes: [] };
  const beside = { times: [], bytes: [] };
  for (let i = 0; i < 15; i++) {
    for (const [into, customerId] of [[heavy, 'heavy'], [beside, `fresh-${checkpoint}-${i}`]]) {
      const one = await purchases(() => customerId, 1);
      into.times.push(one.latency);
      into.bytes.push(one.bytes);
    }
  }
  const [h, f] = [median(heavy.times), median(beside.times)];
  line(`purchase, customer with ${checkpoint} prior orders`, `${ms(h)} (${(h / f).toFixed(1)}× a fresh one's ${ms(f)} in turn with it), ${median(heavy.bytes)} B written`);
}

if (values.only === 'history') {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

// Many customers.
const ids = Array.from({ length: customers }, (_, i) => `c${i}`);
const pageView = (customerId) => ({ id: `v-${seq++}`, type: 'page_view', customerId });
line(`batched ingest, ${customers} new customers`, `${(await ingest(ids, pageView)).toFixed(0)} events/s`);
line('batched ingest, returning customers', `${(await ingest(ids, purchase)).toFixed(0)} events/s`);

const metricsTimes = [];
let metricsWait = 0;
// The first request right after the ingest above (the roll-ups may still be applying it), then three more.
for (let i = 0; i < 4; i++) {
  const { longest } = await longestHealthWait(async () => {
    const started = performance.now();
    const response = await api('/v1/metrics');
    if (!response.ok) throw new Error(`GET /v1/metrics: ${response.status}`);
    await response.json();
    metricsTimes.push(performance.now() - started);
  });
  metricsWait = Math.max(metricsWait, longest);
}
line(`GET /v1/metrics at ${customers} customers (first / median of 3)`, `${ms(metricsTimes[0])} / ${ms(median(metricsTimes.slice(1)))}; longest /healthz wait meanwhile ${ms(metricsWait)}`);

const under = await longestHealthWait(() => ingest(ids.slice(0, Math.min(customers, 50_000)), purchase));
line('longest /healthz wait under batched ingest (snapshots)', `${ms(under.longest)} (${under.result.toFixed(0)} events/s)`);

await new Promise((resolve) => setTimeout(resolve, 2000));
const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
line(`idle memory at ${customers} customers, after the load`, `${rss.toFixed(0)} MB RSS`);

// Shops: per-request lookups by Origin and by award id, with 1 shop and with many.
const originHeaders = { authorization: `Bearer ${shop.publishableKey}`, origin: 'https://shop.example' };
const measureShops = async (count) => {
  line(`requests with an Origin header, ${count} shop(s)`, await load('/v1/program', originHeaders));
  line(`unknown /t/:award lookups, ${count} shop(s)`, await load('/t/no-such-award-0000', {}));
};
await measureShops(1);
if (shops > 1) {
  const { adminToken } = JSON.parse(readFileSync(`${dataFile}.lock`, 'utf8'));
  let made = 1;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (made < shops) {
        const n = made++;
        const response = await fetch(`${url}/internal/shops`, {
          method: 'POST',
          headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `Shop ${n}`, origins: [`https://shop-${n}.example`] }),
        });
        if (!response.ok) throw new Error(`POST /internal/shops: ${response.status} ${await response.text()}`);
      }
    }),
  );
  line(`(created ${shops - 1} more shops)`, `${((shops - 1) / ((performance.now() - started) / 1000)).toFixed(0)} shops/s`);
  await measureShops(shops);
}

await server.stop();
rmSync(dir, { recursive: true, force: true });
