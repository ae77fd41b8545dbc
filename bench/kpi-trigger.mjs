// What the customers KPI trigger costs one purchase, and whether that grows with the
// customer's history (issue 20: a purchase costs the same for a customer with one order
// or ten thousand). A schema of its own; a customer with --history prior purchases (and
// their ledger entries) and fresh customers; then purchases written as pg-store writes
// them (the whole record and, as its group commit does, what changed in customers.kpi_change;
// one autocommit UPDATE each), timed with the trigger and without it, and as any other writer
// does (the record alone: the trigger compares the old and new records).
//   npm run build:server
//   KUDOS_TEST_DATABASE_URL=postgres://… node bench/kpi-trigger.mjs [--history 1000] [--writes 100] [--rounds 3]
//   [--root /work/main: another checkout's dist/ and bin/, e.g. the code before migration 10, for a before/after in one sitting]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { benchSchema } from './pg-schema.mjs';

const { values } = parseArgs({ options: { history: { type: 'string', default: '1000' }, writes: { type: 'string', default: '100' }, rounds: { type: 'string', default: '3' }, root: { type: 'string' } } });
const history = Number(values.history);
const writes = Number(values.writes);
const rounds = Number(values.rounds);
const root = values.root ?? join(import.meta.dirname, '..');
const databaseUrl = process.env.KUDOS_TEST_DATABASE_URL;
if (!databaseUrl) throw new Error('set KUDOS_TEST_DATABASE_URL');
const { applyEvent, applyEventToRecord } = await import(join(root, 'dist', 'server', 'loyalty', 'engine', 'apply.js'));
const { DEFAULT_PROGRAM } = await import(join(root, 'dist', 'server', 'loyalty', 'schemas.js'));
const { withUpdate } = await import(join(root, 'dist', 'server', 'loyalty', 'engine', 'customer.js'));
// Absent before migration 10: every write then goes without kpi_change.
const { noteKpiChange = () => {}, kpiChangeJson = () => null } = await import(join(root, 'dist', 'server', 'store', 'pg', 'kpis.js'));

const rules = { badges: [], program: DEFAULT_PROGRAM };
const start = Date.now() - (history + 10) * 3_600_000;
/** A customer's records after each purchase, [after 0 purchases (undefined), after 1, …], and each write's kpi_change. */
function records(customerId, count) {
  const out = [undefined];
  const changes = [null];
  for (let i = 0; i < count; i++) {
    const at = new Date(start + i * 3_600_000).toISOString();
    const event = { id: `${customerId}-e${i}`, type: 'purchase', customerId, occurredAt: at, properties: { orderId: `${customerId}-o${i}`, total: 12.5, currency: 'EUR' } };
    const { update } = applyEvent(out[i], customerId, event, rules, at);
    const noted = new Map();
    noteKpiChange(noted, customerId, out[i], update);
    out.push(withUpdate(out[i], update));
    changes.push(kpiChangeJson(noted.get(customerId), out[i + 1]));
  }
  out.changes = changes;
  return out;
}

const { schema, url, drop } = await benchSchema(databaseUrl, 'kudos_kpitrigger');
const dir = mkdtempSync(join(tmpdir(), 'kudos-kpi-trigger-'));
try {
  const env = { ...process.env, KUDOS_DATABASE_URL: url.toString(), KUDOS_DATA: join(dir, 'kudos.json'), KUDOS_DEMO: 'off' };
  const shop = JSON.parse(execFileSync(process.execPath, [join(root, 'bin', 'kudos.js'), 'shop', 'create', '--name', 'Bench'], { env }).toString());
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  // One long-history customer per round and setting, its history written once (through the trigger).
  const total = history + writes;
  const long = records('long', total);
  const fresh = records('fresh', writes);
  const write = (customerId, record, change) =>
    change === undefined
      ? db.query('UPDATE customers SET data = $3::json WHERE shop_id = $1 AND customer_id = $2', [shop.shopId, customerId, JSON.stringify(record)])
      : db.query('UPDATE customers SET data = $3::json, kpi_change = $4::jsonb WHERE shop_id = $1 AND customer_id = $2', [shop.shopId, customerId, JSON.stringify(record), change]);
  const said = (await db.query(`SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'customers' AND column_name = 'kpi_change'`, [schema])).rowCount > 0;
  /** Mean ms per purchase: `writes` purchases appended to a customer with `prior` orders (`tell`: with kpi_change, where the schema has it). */
  const run = async (customerId, chain, prior, tell = said) => {
    await db.query('DELETE FROM customers WHERE shop_id = $1 AND customer_id = $2', [shop.shopId, customerId]);
    await db.query('INSERT INTO customers (shop_id, customer_id, data) VALUES ($1, $2, $3::json)', [shop.shopId, customerId, prior > 0 ? JSON.stringify(chain[prior]) : null]);
    const t = performance.now();
    for (let i = prior + 1; i <= prior + writes; i++) await write(customerId, chain[i], tell ? chain.changes[i] : undefined);
    return (performance.now() - t) / writes;
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const figures = { longOn: [], freshOn: [], longOff: [], freshOff: [], longUntold: [], freshUntold: [] };
  for (let r = 0; r < rounds; r++) {
    figures.freshOn.push(await run('fresh', fresh, 0));
    figures.longOn.push(await run('long', long, history));
    if (said) figures.freshUntold.push(await run('fresh', fresh, 0, false));
    if (said) figures.longUntold.push(await run('long', long, history, false));
    await db.query('ALTER TABLE customers DISABLE TRIGGER customers_kpis');
    figures.freshOff.push(await run('fresh', fresh, 0));
    figures.longOff.push(await run('long', long, history));
    await db.query('ALTER TABLE customers ENABLE TRIGGER customers_kpis');
  }
  const f = (xs) => `${median(xs).toFixed(2)} ms [${xs.map((x) => x.toFixed(2)).join(', ')}]`;
  console.log(`${said ? 'with' : 'without'} customers.kpi_change (migration 10); per purchase write (mean of ${writes} autocommit UPDATEs of the whole record, median of ${rounds} rounds), load ${loadavg().map((l) => l.toFixed(2)).join(' ')}:`);
  console.log(`  fresh customer:                 ${f(figures.freshOn)} with the KPI trigger, ${f(figures.freshOff)} without`);
  console.log(`  customer with ${history} prior orders: ${f(figures.longOn)} with the KPI trigger, ${f(figures.longOff)} without`);
  if (said) console.log(`  written without kpi_change (the trigger compares the records): fresh ${f(figures.freshUntold)}, ${history} prior ${f(figures.longUntold)}`);
  console.log(`  trigger's share: fresh ${(median(figures.freshOn) - median(figures.freshOff)).toFixed(2)} ms, ${history} prior ${(median(figures.longOn) - median(figures.longOff)).toFixed(2)} ms`);
  // The trigger's own time as PostgreSQL measures it (EXPLAIN ANALYZE of the next purchase's
  // UPDATE, rolled back), apart from the network and the record's own write: median of 15.
  const explain = async (customerId, chain, prior, tell) => {
    await db.query('DELETE FROM customers WHERE shop_id = $1 AND customer_id = $2', [shop.shopId, customerId]);
    await db.query('INSERT INTO customers (shop_id, customer_id, data) VALUES ($1, $2, $3::json)', [shop.shopId, customerId, prior > 0 ? JSON.stringify(chain[prior]) : null]);
    const trigger = [];
    const statement = [];
    for (let i = 0; i < 15; i++) {
      await db.query('BEGIN');
      const sql = tell
        ? ['EXPLAIN (ANALYZE, FORMAT JSON) UPDATE customers SET data = $3::json, kpi_change = $4::jsonb WHERE shop_id = $1 AND customer_id = $2', [shop.shopId, customerId, JSON.stringify(chain[prior + 1]), chain.changes[prior + 1]]]
        : ['EXPLAIN (ANALYZE, FORMAT JSON) UPDATE customers SET data = $3::json WHERE shop_id = $1 AND customer_id = $2', [shop.shopId, customerId, JSON.stringify(chain[prior + 1])]];
      const plan = (await db.query(...sql)).rows[0]['QUERY PLAN'][0];
      await db.query('ROLLBACK');
      trigger.push((plan.Triggers ?? []).reduce((t, x) => t + x.Time, 0));
      statement.push(plan['Execution Time']);
    }
    return `trigger ${median(trigger).toFixed(2)} ms of ${median(statement).toFixed(2)} ms`;
  };
  console.log(`inside PostgreSQL (EXPLAIN ANALYZE, median of 15), the next purchase${said ? ' with kpi_change' : ''}: fresh ${await explain('fresh', fresh, 0, said)}; ${history} prior ${await explain('long', long, history, said)}`);
  if (said) console.log(`  without kpi_change: fresh ${await explain('fresh', fresh, 0, false)}; ${history} prior ${await explain('long', long, history, false)}`);
  console.log(`load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  await db.end();
} finally {
  await drop();
  rmSync(dir, { recursive: true, force: true });
}
