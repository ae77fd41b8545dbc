// Ingest throughput with durable writes: a real server process (built, lowdb on a
// temp file, fsync'd group commit) and autocannon in this process as the load, with
// an Express JSON echo and a node:http echo measured in the same run as yardsticks.
//   npm run build && node bench/ingest.mjs [--seconds 10] [--connections 16] [--cpu-prof DIR] [--only single|batch|half] [--rate N] [--stalls]
// --cpu-prof DIR: the server runs under `node --cpu-prof` and leaves its profile in DIR when
// it stops (open it in Chrome DevTools, or `node bench/top-frames.mjs DIR/*.cpuprofile`).
// --only single|batch|half: only the echoes and single events, only batches of 100 (a profile of one
// path), or only single events at peak then at half of it (--rate N: at N requests/s, no peak run).
// --stalls: the server runs with bench/stall-watch.mjs, which prints on exit what overlapped its slow
// requests (fsyncs, event loop blocked, GC) and the server-side latency distribution.
// --node-arg ARG (repeatable): a flag for the server's node, e.g. --node-arg=--max-semi-space-size=32.
// --main FILE: another build of the server (a copy of dist/ from before a change, for back-to-back figures).
// --strace FILE: `strace -T` of the server's fsyncs into FILE (each syscall's own duration, which
// a timer in the event loop cannot tell from the loop being busy); prints their distribution.
// Prints requests/s and events/s for single events and batches of 100, the ratio of
// single-event ingest to each echo, and latency at half of the measured peak.
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuMs, startEcho, startKudos, startProcess } from './start-server.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    'cpu-prof': { type: 'string' },
    only: { type: 'string' },
    rate: { type: 'string' },
    stalls: { type: 'boolean', default: false },
    strace: { type: 'string' },
    main: { type: 'string' },
    'node-arg': { type: 'string', multiple: true, default: [] },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'kudos-bench-'));
const env = { ...process.env, KUDOS_DATA: join(dir, 'kudos.json'), KUDOS_DEMO: 'off', PORT: '0', HOST: '127.0.0.1' };

const shop = JSON.parse(execFileSync(process.execPath, [join(root, 'bin', 'kudos.js'), 'shop', 'create', '--name', 'Bench'], { env }).toString());
const profileDir = values['cpu-prof'];
const kudos = await (values.main ? (args) => startProcess([...args, values.main], { env }) : (args) => startKudos(env, args))([
  ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
  ...(values.stalls ? ['--import', join(root, 'bench', 'stall-watch.mjs')] : []),
  ...values['node-arg'],
]);
const tracer = values.strace
  ? spawn('strace', ['-f', '-T', '-e', 'trace=fdatasync,fsync', '-o', values.strace, '-p', String(kudos.child.pid)], { stdio: 'ignore' })
  : undefined;
if (tracer) await new Promise((resolve) => setTimeout(resolve, 500));
const auth = { authorization: `Bearer ${shop.secretKey}`, 'content-type': 'application/json' };
for (const [id, count] of [['first', 1], ['regular', 3], ['fifty', 50]]) {
  await fetch(`${kudos.url}/v1/badges/${id}`, { method: 'PUT', headers: auth, body: JSON.stringify({ name: id, criteria: { event: 'purchase', count } }) });
}

let seq = 0;
const event = () => {
  const n = seq++;
  return { id: `b-${n}`, type: 'purchase', customerId: `c${n % 5000}`, properties: { orderId: `o${n}`, total: 12.5, currency: 'EUR' } };
};


/**
 * Requests/s, latency, and the server's CPU per request (`pid`): on a machine shared with
 * other work, requests/s follows the scheduler, while CPU per request says what the server spends.
 */
async function measure(label, url, batch, rate, pid) {
  if (values.stalls) await fetch(`${url}/healthz?stall-watch=${encodeURIComponent(label)}`).catch(() => {});
  const cpuBefore = cpuMs(pid);
  const result = await autocannon({
    url: `${url}/v1/events`,
    method: 'POST',
    headers: auth,
    connections,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(batch === 1 ? event() : { events: Array.from({ length: batch }, event) }) }) }],
  });
  const requestsPerSecond = result['2xx'] / seconds;
  const cpuPerRequest = ((cpuMs(pid) - cpuBefore) * 1000) / Math.max(1, result['2xx']);
  console.log(
    `${label.padEnd(34)} ${requestsPerSecond.toFixed(0).padStart(7)} req/s ${(requestsPerSecond * batch).toFixed(0).padStart(8)} events/s` +
      `   p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  non-2xx ${result.non2xx}  errors ${result.errors}` +
      (Number.isFinite(cpuPerRequest) ? `  server CPU ${cpuPerRequest.toFixed(0)} µs/request` : ''),
  );
  cpuOf[label] = cpuPerRequest;
  return requestsPerSecond;
}
const cpuOf = {};

console.log(`Kudos ingest, ${connections} connections, ${seconds} s each, durable (fsync'd group commit) lowdb writes`);
console.log(`load average before: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
const only = values.only;
const echoes = {};
for (const kind of only === undefined || only === 'single' ? ['express', 'http'] : []) {
  const echo = await startEcho(kind);
  echoes[kind] = await measure(`${kind} JSON echo (yardstick)`, echo.url, 1, undefined, echo.child.pid);
  await echo.stop();
}
const single = only === 'batch' || values.rate ? 0 : await measure('kudos: single event', kudos.url, 1, undefined, kudos.child.pid);
if (only === undefined || only === 'batch') await measure('kudos: batches of 100 events', kudos.url, 100, undefined, kudos.child.pid);
if (only === undefined || only === 'half') {
  const rate = values.rate ? Number(values.rate) : Math.max(1, Math.round(single / 2));
  await measure(values.rate ? `kudos: single event at ${rate}/s` : 'kudos: single event at half of peak', kudos.url, 1, rate, kudos.child.pid);
}
console.log(`load average after: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
if (single && echoes.express) {
  console.log(`single-event ratio: ${(single / echoes.express).toFixed(2)} of the Express echo, ${(single / echoes.http).toFixed(2)} of the node:http echo`);
  // The same ratio in CPU (echo's CPU per request / ours): what the figure would be if the server, not the scheduler, were the limit.
  const cpuRatio = cpuOf['express JSON echo (yardstick)'] / cpuOf['kudos: single event'];
  if (Number.isFinite(cpuRatio)) console.log(`single-event CPU ratio: ${cpuRatio.toFixed(2)} (Express echo's server CPU per request / Kudos' per event)`);
}
const state = await (await fetch(`${kudos.url}/v1/customers/c1`, { headers: auth })).json();
console.log(`events generated: ${seq} (customer c1 has ${state.badges.length} badges)`);
await kudos.stop();
if (tracer) {
  await new Promise((resolve) => (tracer.exitCode !== null ? resolve() : tracer.once('exit', resolve)));
  const took = [...readFileSync(values.strace, 'utf8').matchAll(/f(?:data)?sync\(.*<([\d.]+)>/g)].map((m) => Number(m[1]) * 1000).sort((a, b) => a - b);
  const at = (q) => (took[Math.min(took.length - 1, Math.floor(q * took.length))] ?? NaN).toFixed(1);
  console.log(`fsync syscalls (strace -T): n ${took.length}  p50 ${at(0.5)}  p90 ${at(0.9)}  p99 ${at(0.99)}  p99.9 ${at(0.999)}  max ${(took.at(-1) ?? NaN).toFixed(1)} ms`);
}
if (profileDir) console.log(`server CPU profile written to ${profileDir}`);
rmSync(dir, { recursive: true, force: true });
