// Ingest throughput with durable writes: a real server process (built, lowdb on a
// temp file, fsync'd group commit) and autocannon in this process as the load.
//   npm run build && node bench/ingest.mjs [--seconds 10] [--connections 16]
// Prints requests/s and events/s for single events and for batches of 100.
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '16' } } });
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'kudos-bench-'));
const env = { ...process.env, KUDOS_DATA: join(dir, 'kudos.json'), KUDOS_DEMO: 'off', PORT: '0', HOST: '127.0.0.1' };

const shop = JSON.parse(execFileSync(process.execPath, [join(root, 'bin', 'kudos.js'), 'shop', 'create', '--name', 'Bench'], { env }).toString());
const server = spawn(process.execPath, [join(root, 'dist', 'server', 'main.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (chunk) => {
    out += chunk;
    const match = /running at (http:\/\/\S+)/.exec(out);
    if (match) resolve(match[1]);
  });
  server.once('exit', () => reject(new Error(`server exited: ${out}`)));
});

const auth = { authorization: `Bearer ${shop.secretKey}`, 'content-type': 'application/json' };
for (const [id, count] of [['first', 1], ['regular', 3], ['fifty', 50]]) {
  await fetch(`${url}/v1/badges/${id}`, { method: 'PUT', headers: auth, body: JSON.stringify({ name: id, criteria: { event: 'purchase', count } }) });
}

let seq = 0;
const event = () => {
  const n = seq++;
  return { id: `b-${n}`, type: 'purchase', customerId: `c${n % 5000}`, properties: { orderId: `o${n}`, total: 12.5, currency: 'EUR' } };
};

async function measure(label, batch) {
  const result = await autocannon({
    url: `${url}/v1/events`,
    method: 'POST',
    headers: auth,
    connections,
    duration: seconds,
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(batch === 1 ? event() : { events: Array.from({ length: batch }, event) }) }) }],
  });
  const ok = result['2xx'];
  const requestsPerSecond = ok / seconds;
  console.log(
    `${label.padEnd(22)} ${requestsPerSecond.toFixed(0).padStart(7)} req/s ${(requestsPerSecond * batch).toFixed(0).padStart(8)} events/s` +
      `   p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  non-2xx ${result.non2xx}  errors ${result.errors}`,
  );
}

console.log(`Kudos ingest, ${connections} connections, ${seconds} s each, durable (fsync'd group commit) lowdb writes`);
await measure('single event', 1);
await measure('batches of 100 events', 100);
const state = await (await fetch(`${url}/v1/customers/c1`, { headers: auth })).json();
console.log(`events generated: ${seq} (customer c1 has ${state.badges.length} badges)`);
server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));
rmSync(dir, { recursive: true, force: true });
