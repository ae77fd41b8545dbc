// Ingest throughput with durable writes: a real server process (built, lowdb on a
// temp file, fsync'd group commit) and autocannon in this process as the load, with
// an Express JSON echo and a node:http echo measured in the same run as yardsticks.
//   npm run build && node bench/ingest.mjs [--seconds 10] [--connections 16] [--cpu-prof DIR] [--only single]
// --cpu-prof DIR: the server runs under `node --cpu-prof` and leaves its profile in DIR when
// it stops (open it in Chrome DevTools, or `node bench/top-frames.mjs DIR/*.cpuprofile`).
// --only single|batch: only the echoes and single events, or only batches of 100 (a profile of one path).
// Prints requests/s and events/s for single events and batches of 100, the ratio of
// single-event ingest to each echo, and latency at half of the measured peak.
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEcho, startKudos } from './start-server.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    'cpu-prof': { type: 'string' },
    only: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'kudos-bench-'));
const env = { ...process.env, KUDOS_DATA: join(dir, 'kudos.json'), KUDOS_DEMO: 'off', PORT: '0', HOST: '127.0.0.1' };

const shop = JSON.parse(execFileSync(process.execPath, [join(root, 'bin', 'kudos.js'), 'shop', 'create', '--name', 'Bench'], { env }).toString());
const profileDir = values['cpu-prof'];
const kudos = await startKudos(env, profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []);
const auth = { authorization: `Bearer ${shop.secretKey}`, 'content-type': 'application/json' };
for (const [id, count] of [['first', 1], ['regular', 3], ['fifty', 50]]) {
  await fetch(`${kudos.url}/v1/badges/${id}`, { method: 'PUT', headers: auth, body: JSON.stringify({ name: id, criteria: { event: 'purchase', count } }) });
}

let seq = 0;
const event = () => {
  const n = seq++;
  return { id: `b-${n}`, type: 'purchase', customerId: `c${n % 5000}`, properties: { orderId: `o${n}`, total: 12.5, currency: 'EUR' } };
};

/** CPU time (user + system, ms) the process has used: /proc/PID/stat, in clock ticks of 10 ms. */
const cpuMs = (pid) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN; // not Linux
  }
};

/**
 * Requests/s, latency, and the server's CPU per request (`pid`): on a machine shared with
 * other work, requests/s follows the scheduler, while CPU per request says what the server spends.
 */
async function measure(label, url, batch, rate, pid) {
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
const echoes = {};
for (const kind of values.only === 'batch' ? [] : ['express', 'http']) {
  const echo = await startEcho(kind);
  echoes[kind] = await measure(`${kind} JSON echo (yardstick)`, echo.url, 1, undefined, echo.child.pid);
  await echo.stop();
}
const single = values.only === 'batch' ? 0 : await measure('kudos: single event', kudos.url, 1, undefined, kudos.child.pid);
if (values.only !== 'single') await measure('kudos: batches of 100 events', kudos.url, 100, undefined, kudos.child.pid);
if (values.only === undefined) await measure('kudos: single event at half of peak', kudos.url, 1, Math.max(1, Math.round(single / 2)), kudos.child.pid);
if (single) {
  console.log(`single-event ratio: ${(single / echoes.express).toFixed(2)} of the Express echo, ${(single / echoes.http).toFixed(2)} of the node:http echo`);
  // The same ratio in CPU (echo's CPU per request / ours): what the figure would be if the server, not the scheduler, were the limit.
  const cpuRatio = cpuOf['express JSON echo (yardstick)'] / cpuOf['kudos: single event'];
  if (Number.isFinite(cpuRatio)) console.log(`single-event CPU ratio: ${cpuRatio.toFixed(2)} (Express echo's server CPU per request / Kudos' per event)`);
}
const state = await (await fetch(`${kudos.url}/v1/customers/c1`, { headers: auth })).json();
console.log(`events generated: ${seq} (customer c1 has ${state.badges.length} badges)`);
await kudos.stop();
if (profileDir) console.log(`server CPU profile written to ${profileDir}`);
rmSync(dir, { recursive: true, force: true });
