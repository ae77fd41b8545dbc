// CPU per event of the record path alone, in this process: lowdb on a temp file, the
// rules engine, the after-record follow-ups and the KPI roll-up, as the events route
// calls them, without HTTP. On a machine shared with other work, events/s of
// bench/ingest.mjs follows the scheduler; this measures what a batch of returning
// customers costs the server's thread (process CPU time, medians of rounds).
//   npm run build:server && node bench/record-cpu.mjs [--dist DIR] [--customers 5000] [--rounds 7] [--cpu-prof]
// --dist: another build (a copy of dist/ from before a change), for back-to-back figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    dist: { type: 'string', default: join(import.meta.dirname, '..', 'dist') },
    customers: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '7' },
  },
});
const dist = resolve(values.dist);
const customers = Number(values.customers);
const { LowdbStore } = await import(join(dist, 'server/store/lowdb-store.js'));
const { featureDocuments } = await import(join(dist, 'server/features.js'));
const { recordEvents } = await import(join(dist, 'server/events/record-events.js'));
const { warmRollups } = await import(join(dist, 'server/metrics/rollup.js'));

const dir = mkdtempSync(join(tmpdir(), 'kudos-record-cpu-'));
const store = await LowdbStore.open(join(dir, 'kudos.json'), { ...featureDocuments() });
const now = () => new Date();
const at = now().toISOString();
await store.createShop({ id: 'shop_1', name: 'Bench', publishableKey: 'pk_bench', keys: [], identitySecrets: [], origins: [], createdAt: at });
for (const [id, count] of [['first', 1], ['regular', 3], ['fifty', 50]]) {
  await store.putBadge('shop_1', { id, name: id, criteria: { event: 'purchase', count }, active: true, createdAt: at, updatedAt: at });
}
await warmRollups(store);

let seq = 0;
const event = () => {
  const n = seq++;
  return { id: `b-${n}`, type: 'purchase', customerId: `c${n % customers}`, occurredAt: new Date().toISOString(), properties: { orderId: `o${n}`, total: 12.5, currency: 'EUR' } };
};
/** Batches of 100, 8 at a time (as bench/ingest.mjs's connections overlap): CPU µs per event. */
async function round(events) {
  const cpu = process.cpuUsage();
  let left = events / 100;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (left-- > 0) await recordEvents(store, now, 'shop_1', Array.from({ length: 100 }, event));
    }),
  );
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / events;
}
// Every customer once (new), then returning customers.
await round(customers);
const figures = [];
for (let i = 0; i < Number(values.rounds); i++) figures.push(await round(10_000));
const sorted = [...figures].sort((a, b) => a - b);
console.log(`${dist}: returning customers, batches of 100: median ${sorted[sorted.length >> 1].toFixed(1)} µs CPU/event [${sorted.map((x) => x.toFixed(0)).join(' ')}]`);
await store.close();
rmSync(dir, { recursive: true, force: true });
