// A scripted attacker with nothing but a shop's publishable key, against a real
// server process on loopback (lowdb on a temp file, fsync'd group commit, the
// shop's default quotas, rate limits off so the quotas are what stops it):
// batches of 100 page views with 128-character ids, a new anonymous visitor per
// batch, until one million events are sent or the time is up. Meanwhile another
// shop's backend sends purchases. Afterwards the server is killed (SIGKILL) and
// restarted on what the attack left.
//   npm run build && node bench/abuse.mjs [--events 1000000] [--seconds 600] [--connections 8]
// Prints: data-file growth (snapshot + log, peak and after restart; target < 10 MB),
// server RSS peak (target < 300 MB), the attacker's answers by status, the other
// shop's purchase success rate, and whether the restart works.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startProcess } from './start-server.mjs';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '600' },
    connections: { type: 'string', default: '8' },
  },
});
const target = Number(values.events);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'kudos-abuse-'));
const dataFile = join(dir, 'kudos.json');

// The server: its own process, started through the built startServer so rate
// limits can be off and the shops' keys come back on stdout.
const launcher = `
  import { startServer } from ${JSON.stringify(join(root, 'dist', 'server', 'server.js'))};
  const server = await startServer({ dataFile: ${JSON.stringify(dataFile)}, port: 0, rateLimit: false, accessLog: false, log: () => {} });
  const shops = process.env.KUDOS_BENCH_SHOPS ? JSON.parse(process.env.KUDOS_BENCH_SHOPS)
    : [await server.createShop({ name: 'Victim' }), await server.createShop({ name: 'Bystander' })];
  console.log(JSON.stringify({ url: server.url, shops }));
  process.on('SIGTERM', async () => { await server.close(); process.exit(0); });
`;

async function startServer(shops) {
  const env = { ...process.env, ...(shops && { KUDOS_BENCH_SHOPS: JSON.stringify(shops) }) };
  const { child, match } = await startProcess(['--input-type=module', '-e', launcher], { env, pattern: /^(\{.*\})\n/m });
  return { child, ...JSON.parse(match[1]) };
}

const size = (file) => (existsSync(file) ? statSync(file).size : 0);
const dataBytes = () => size(dataFile) + size(`${dataFile}.wal`);
const rssOf = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
  } catch {
    return 0;
  }
};
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const server = await startServer();
const [victim, bystander] = server.shops;
const before = dataBytes();
let peakBytes = before;
let peakRss = rssOf(server.child.pid);
const sampler = setInterval(() => {
  peakBytes = Math.max(peakBytes, dataBytes());
  peakRss = Math.max(peakRss, rssOf(server.child.pid));
}, 250);

let base = server.url;
const post = (key, body, headers = {}) =>
  fetch(`${base}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const longId = () => randomBytes(96).toString('base64url').slice(0, 128);
const deadline = Date.now() + seconds * 1000;
let sent = 0;
const statuses = new Map();
const started = Date.now();

async function attacker() {
  while (sent < target && Date.now() < deadline) {
    const n = Math.min(100, target - sent);
    sent += n;
    const events = Array.from({ length: n }, () => ({ id: longId(), type: 'page_view', properties: { path: `/${longId()}` } }));
    const visitor = randomBytes(24).toString('base64url');
    try {
      const response = await post(victim.publishableKey, { events }, { 'x-kudos-anonymous-id': visitor });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + n);
    } catch {
      statuses.set('network error', (statuses.get('network error') ?? 0) + n);
    }
  }
}

// The other shop's backend: one purchase at a time, all along.
const purchases = { ok: 0, failed: 0 };
let attackOver = false;
async function bystanderPurchases() {
  for (let i = 0; !attackOver; i++) {
    try {
      const response = await post(bystander.secretKey, {
        id: `order-${i}`,
        type: 'purchase',
        customerId: `c${i % 50}`,
        properties: { orderId: `o-${i}`, total: 20, currency: 'EUR' },
      });
      await response.arrayBuffer();
      if (response.status >= 200 && response.status < 300) purchases.ok++;
      else purchases.failed++;
    } catch {
      purchases.failed++;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

const bystanding = bystanderPurchases();
await Promise.all(Array.from({ length: connections }, attacker));
const attackSeconds = (Date.now() - started) / 1000;
attackOver = true;
await bystanding;
clearInterval(sampler);
peakBytes = Math.max(peakBytes, dataBytes());
const afterAttack = dataBytes();

// kill -9, then restart on what is left.
server.child.kill('SIGKILL');
await new Promise((r) => server.child.once('exit', r));
const restartStarted = Date.now();
let restart = 'failed';
let afterRestart = 0;
try {
  const again = await startServer(server.shops);
  base = again.url;
  const check = await post(bystander.secretKey, { id: 'after-restart', type: 'purchase', customerId: 'c1', properties: { orderId: 'o-r', total: 5, currency: 'EUR' } });
  restart = `ok in ${Date.now() - restartStarted} ms, a purchase answered ${check.status}`;
  await new Promise((r) => (again.child.once('exit', r), again.child.kill('SIGTERM')));
  afterRestart = dataBytes();
} catch (error) {
  restart = `FAILED: ${error.message}`;
}

const total = purchases.ok + purchases.failed;
console.log(`publishable-key events sent: ${sent.toLocaleString('en')} in ${attackSeconds.toFixed(0)} s (${Math.round(sent / attackSeconds).toLocaleString('en')} events/s, ${connections} connections, 100 per request, a new anonymous visitor per request)`);
console.log(`attacker's answers (events): ${[...statuses].map(([s, n]) => `${s}: ${n.toLocaleString('en')}`).join(', ')}`);
console.log(`data file (snapshot + log): ${mb(before)} before, peak ${mb(peakBytes)} (growth ${mb(peakBytes - before)}), ${mb(afterAttack)} at the end, ${mb(afterRestart)} after restart and clean stop (growth ${mb(afterRestart - before)}; target < 10 MB)`);
console.log(`server RSS peak: ${mb(peakRss)} (target < 300 MB)`);
console.log(`other shop's purchases during the attack: ${purchases.ok}/${total} answered 2xx (${total ? ((100 * purchases.ok) / total).toFixed(1) : '-'} %)`);
console.log(`restart after kill -9: ${restart}`);
rmSync(dir, { recursive: true, force: true });
