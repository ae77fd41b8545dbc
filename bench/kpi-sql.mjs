// Where GET /v1/metrics spends its time on PostgreSQL, without HTTP: fills a schema of
// its own as bench/pg-ingest.mjs does (customers of 20 purchases each, the trigger's
// deltas folded), then prints EXPLAIN (ANALYZE, BUFFERS) of the day-aggregate read
// (server/store/pg/kpis.ts KPI_DAYS) and the time of the customer figures alone
// (store.kpis.customerPoints) and of the whole metrics service, each the median of 5.
//   npm run build:server
//   KUDOS_TEST_DATABASE_URL=postgres://… node bench/kpi-sql.mjs [--events 1000000]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { benchSchema } from './pg-schema.mjs';

const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' } } });
const events = Number(values.events);
const root = join(import.meta.dirname, '..');
const databaseUrl = process.env.KUDOS_TEST_DATABASE_URL;
if (!databaseUrl) throw new Error('set KUDOS_TEST_DATABASE_URL');
const { applyEventToRecord } = await import(join(root, 'dist', 'server', 'loyalty', 'engine', 'apply.js'));
const { DEFAULT_PROGRAM } = await import(join(root, 'dist', 'server', 'loyalty', 'schemas.js'));
const { PgStore } = await import(join(root, 'dist', 'server', 'store', 'pg', 'pg-store.js'));
const { KPI_DAYS } = await import(join(root, 'dist', 'server', 'store', 'pg', 'kpis.js'));
const { metricWindows } = await import(join(root, 'dist', 'server', 'metrics', 'engine.js'));
const { boundariesOf, dayOf, DAY_MS } = await import(join(root, 'dist', 'server', 'metrics', 'daily.js'));
const { shopMetrics } = await import(join(root, 'dist', 'server', 'metrics', 'service.js'));
const { featureDocuments } = await import(join(root, 'dist', 'server', 'features.js'));

const now = Date.now();
let record;
for (let i = 0; i < 20; i++) {
  const at = new Date(now - (20 - i) * 3_600_000).toISOString();
  record = applyEventToRecord(record, '@ID@', { id: `fill-${i}`, type: 'purchase', customerId: '@ID@', occurredAt: at, properties: { orderId: `fill-o${i}`, total: 12.5, currency: 'EUR' } }, { badges: [], program: DEFAULT_PROGRAM }, at).customer;
}
const template = JSON.stringify(record);

const { url, drop } = await benchSchema(databaseUrl, 'kudos_kpisql');
const dir = mkdtempSync(join(tmpdir(), 'kudos-kpi-sql-'));
try {
  const env = { ...process.env, KUDOS_DATABASE_URL: url.toString(), KUDOS_DATA: join(dir, 'kudos.json'), KUDOS_DEMO: 'off' };
  const shop = JSON.parse(execFileSync(process.execPath, [join(root, 'bin', 'kudos.js'), 'shop', 'create', '--name', 'Bench'], { env }).toString());
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  const started = performance.now();
  for (let c = 0; c < events / 20; c += 500) {
    const ids = Array.from({ length: Math.min(500, events / 20 - c) }, (_, i) => `c${c + i}`);
    await db.query(`INSERT INTO customers (shop_id, customer_id, data) SELECT $1, id, replace($2, '"@ID@"', to_json(id)::text)::json FROM unnest($3::text[]) AS id`, [shop.shopId, template, ids]);
  }
  const filled = performance.now() - started;
  while ((await db.query('SELECT kpi_fold(100000) AS moved')).rows[0].moved >= 100000);
  await db.query('ANALYZE');
  const cells = (await db.query('SELECT count(*) AS n FROM kpi_days')).rows[0].n;
  console.log(`${events} events (${events / 20} customers) filled in ${(filled / 1000).toFixed(1)} s through the trigger; kpi_days rows: ${cells}; load ${loadavg().map((l) => l.toFixed(1)).join(', ')}`);

  const to = new Date(now);
  const from = new Date(now - 84 * DAY_MS);
  const windows = metricWindows(from, to);
  const boundaries = boundariesOf(windows, now);
  const params = [shop.shopId, dayOf(from.getTime()), dayOf(to.getTime()), boundaries, boundaries.map((t) => dayOf(t) * DAY_MS), [], from.getTime(), to.getTime(), [0, 1, 2, 3, 4, 10, 11, 12, 13]];
  const plan = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${KPI_DAYS}`, params);
  console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));

  // What the customers trigger costs a write: a purchase appended to a 20-order record, with the trigger and without.
  const append = async (n) => {
    const t = performance.now();
    for (let i = 0; i < 200; i++) {
      await db.query(
        `UPDATE customers SET data = jsonb_set(data::jsonb, ARRAY['orders', $2::text], jsonb_build_object('at', now()::text, 'total', 12.5, 'refunded', 0))::json WHERE shop_id = $1 AND customer_id = $3`,
        [shop.shopId, `extra-${n}-${i}`, `c${(i * 7919) % (events / 20)}`],
      );
    }
    return ((performance.now() - t) / 200).toFixed(2);
  };
  const withTrigger = await append('on');
  await db.query('ALTER TABLE customers DISABLE TRIGGER customers_kpis');
  const withoutTrigger = await append('off');
  await db.query('ALTER TABLE customers ENABLE TRIGGER customers_kpis');
  console.log(`a purchase appended to a customer record: ${withTrigger} ms with the KPI trigger, ${withoutTrigger} ms without (mean of 200 autocommit UPDATEs)`);
  await db.end();

  const store = await PgStore.open(url.toString(), { ...featureDocuments() });
  const median = async (run) => {
    const times = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await run();
      times.push(performance.now() - t);
    }
    return times.sort((a, b) => a - b)[2].toFixed(1);
  };
  // The purchases appended above lie after `now` on the same day: today is a day the period's end cuts.
  console.log(`store.kpis.customerPoints, today cut by the period's end (every customer active today read): ${await median(() => store.kpis.customerPoints(shop.shopId, windows, now, { groupOrders: [] }))} ms (median of 5)`);
  const later = Date.now() + 1000;
  const uncut = { from: new Date(later - 84 * DAY_MS), to: new Date(later), now: new Date(later) };
  const uncutWindows = metricWindows(uncut.from, uncut.to);
  console.log(`store.kpis.customerPoints, nothing cut (to = now): ${await median(() => store.kpis.customerPoints(shop.shopId, uncutWindows, later, { groupOrders: [] }))} ms (median of 5)`);
  console.log(`shopMetrics (every KPI but forecast), nothing cut: ${await median(() => shopMetrics(store, shop.shopId, uncut))} ms (median of 5)`);
  await store.close();
} finally {
  await drop();
  rmSync(dir, { recursive: true, force: true });
}
