// What a widget's reads cost the server: the requests a storefront page makes when a widget
// mounts, each with the publishable key and the page's Origin, against a real server process
// from dist/ (access log on, lowdb on a temp file). Autocannon runs in this process.
//   - GET /v1/customers/c1 with a signed shopper identity (X-Kudos-Customer + its HMAC): what
//     <kudos-points> and the launcher read for a signed-in shopper with five orders;
//   - GET /v1/badges: what <kudos-badges> reads for the shop's definitions.
// The server runs without its per-address rate limits: a real storefront's visitors each have a
// bucket of their own, while this load comes from one address and would meet the publishable
// key's limit (6 000 a minute per address) within seconds. Prints requests/s, p99 and the
// server's CPU per request (docs/production.md "How big a machine").
//   npm run build && node bench/reads.mjs [--seconds 5] [--connections 16]
// KUDOS_BENCH_PROF=DIR: the server leaves a V8 CPU profile in DIR when it stops.
// (--serve: internal, runs the server itself.)
import autocannon from 'autocannon';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { cpuMs, SERVED, serveKudos, startProcess } from './start-server.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '16' },
    serve: { type: 'boolean', default: false },
  },
});
const ORIGIN = 'https://shop.example';

if (values.serve) {
  await serveKudos({ rateLimit: false }, { name: 'Reads', origins: [ORIGIN], identitySecret: true });
} else {
  const profile = process.env.KUDOS_BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.KUDOS_BENCH_PROF] : [];
  const server = await startProcess([...profile, import.meta.filename, '--serve'], { pattern: SERVED });
  const { child } = server;
  const shop = { url: server.url, ...JSON.parse(server.match[2]) };
  const secret = { authorization: `Bearer ${shop.secretKey}`, 'content-type': 'application/json' };
  for (let i = 0; i < 5; i++) {
    const body = JSON.stringify({ id: `e${i}`, type: 'purchase', customerId: 'c1', properties: { orderId: `o${i}`, total: 25, currency: 'EUR' } });
    const recorded = await fetch(`${shop.url}/v1/events`, { method: 'POST', headers: secret, body });
    if (!recorded.ok) throw new Error(`recording failed: ${recorded.status} ${await recorded.text()}`);
  }
  const page = { origin: ORIGIN, authorization: `Bearer ${shop.publishableKey}` };
  const shopper = { ...page, 'x-kudos-customer': 'c1', 'x-kudos-customer-hash': createHmac('sha256', shop.identitySecret).update('c1').digest('hex') };
  const seconds = Number(values.seconds);
  console.log(`${values.connections} connections, ${seconds} s each; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  for (const [label, path, headers] of [
    ["GET /v1/customers/c1 (a signed-in shopper's points)", '/v1/customers/c1', shopper],
    ["GET /v1/badges (the shop's badges)", '/v1/badges', page],
  ]) {
    const before = cpuMs(child.pid);
    const result = await autocannon({ url: shop.url + path, headers, connections: Number(values.connections), duration: seconds });
    const cpu = ((cpuMs(child.pid) - before) * 1000) / Math.max(1, result['2xx']);
    console.log(
      `${label.padEnd(52)} ${(result['2xx'] / seconds).toFixed(0).padStart(6)} req/s  p99 ${result.latency.p99} ms  non-2xx ${result.non2xx + result.errors}  server CPU ${cpu.toFixed(0)} µs/request`,
    );
  }
  await server.stop();
}
