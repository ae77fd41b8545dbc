// Per-event ingest cost as the store grows: 10 k, 100 k and 1 M stored events, on
// lowdb and on PostgreSQL, with a real server process for each size, and the time
// GET /v1/metrics takes over all of those purchases. Prints figures, asserts
// nothing (issue 15: per-event cost flat within 1.5× from 10 k to 1 M).
//   npm run build:server
//   KUDOS_TEST_DATABASE_URL=postgres://… node bench/pg-ingest.mjs [--sizes 10000,100000,1000000] [--seconds 5] [--connections 8] [--stores lowdb,pg] [--instances 1,2] [--skip-metrics]
//     [--only single|batch] [--cpu-prof DIR] [--main FILE] [--count-statements]
// --only single|batch: only single events, or only batches of 50.
// --cpu-prof DIR: the servers run under `node --cpu-prof` (a sample every 250 µs) and leave their profiles in DIR when they
// stop (`node bench/top-frames.mjs FILE --last SECONDS`: the measured load comes last).
// --main FILE: another build of the server (a copy of dist/ from before a change, kept inside the
// repository so that node_modules resolves), for figures alternated with the current one.
// --count-statements: the servers run with bench/count-queries.mjs, and each figure also gives the
// queries (client.query calls: round trips) the servers' pg clients sent per event, all pools together
// (KUDOS_BENCH_COUNT_SQL=1: and each statement's count).
// After the table, a line per figure: the system (kernel) part of the servers' CPU per event, and
// the CPU per event of every PostgreSQL process on the machine (backends, WAL writer…).
//
// PostgreSQL is measured with 1 and 2 API processes on one database (--instances),
// the connections split evenly between them (a proxy's round robin); single-event
// ingest is also given as a ratio to an Express JSON echo measured in the same run
// with the same connections and duration (bench/echo-server.mjs).
//
// Filling a store through HTTP would take hours at 1 M, so each size is written
// straight into the store the way the server keeps it: seen event ids (within the
// de-duplication window) and customers whose records hold those purchases, 20 per
// customer (so a customer's history stays the same size and only the store grows).
// The records come from the engine itself (one customer's 20 purchases, applied
// with applyEvent, then copied per customer). Then a server starts on the filled
// store and autocannon posts new purchases of existing customers: single events,
// and batches of 50.
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { benchSchema } from './pg-schema.mjs';
import { cpuMs, startEcho, startKudos, startProcess } from './start-server.mjs';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000,1000000' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '8' },
    stores: { type: 'string', default: 'lowdb,pg' },
    // API processes on one PostgreSQL database, the load split evenly between them (lowdb: always 1).
    instances: { type: 'string', default: '1,2' },
    'skip-metrics': { type: 'boolean', default: false },
    // Only GET /v1/metrics (and /healthz meanwhile), no ingest load: the KPI figures alone.
    'metrics-only': { type: 'boolean', default: false },
    only: { type: 'string' },
    'cpu-prof': { type: 'string' },
    main: { type: 'string' },
    'count-statements': { type: 'boolean', default: false },
  },
});
const sizes = values.sizes.split(',').map(Number);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const stores = values.stores.split(',');
const instanceCounts = values.instances.split(',').map(Number);
const ORDERS_PER_CUSTOMER = 20;
const BATCH = 50;
const root = join(import.meta.dirname, '..');
const databaseUrl = process.env.KUDOS_TEST_DATABASE_URL || process.env.KUDOS_DATABASE_URL;
if (stores.includes('pg') && !databaseUrl) {
  console.error('pg-ingest: set KUDOS_TEST_DATABASE_URL to a database this bench may create schemas in (or pass --stores lowdb).');
  process.exit(2);
}

const { applyEventToRecord } = await import(join(root, 'dist', 'server', 'loyalty', 'engine', 'apply.js'));
const { DEFAULT_PROGRAM } = await import(join(root, 'dist', 'server', 'loyalty', 'schemas.js'));

/** One customer's record after ORDERS_PER_CUSTOMER purchases over the last few days, as JSON with a placeholder id. */
function templateRecord(now) {
  let record;
  for (let i = 0; i < ORDERS_PER_CUSTOMER; i++) {
    const at = new Date(now - (ORDERS_PER_CUSTOMER - i) * 3_600_000).toISOString();
    const event = { id: `fill-${i}`, type: 'purchase', customerId: '@ID@', occurredAt: at, properties: { orderId: `fill-o${i}`, total: 12.5, currency: 'EUR' } };
    record = applyEventToRecord(record, '@ID@', event, { badges: [], program: DEFAULT_PROGRAM }, at).customer;
  }
  return JSON.stringify(record);
}
const customerJson = (template, id) => template.replaceAll('"@ID@"', JSON.stringify(id));

/** lowdb: the CLI creates the shop, then the snapshot is rewritten with the filled shop (streamed: 1 M ids do not fit one string comfortably). */
async function fillLowdb(size, now) {
  const dir = mkdtempSync(join(tmpdir(), 'kudos-pg-ingest-'));
  const env = { ...process.env, KUDOS_DATA: join(dir, 'kudos.json'), KUDOS_DEMO: 'off', PORT: '0', HOST: '127.0.0.1' };
  delete env.KUDOS_DATABASE_URL;
  const shop = JSON.parse(execFileSync(process.execPath, [join(root, 'bin', 'kudos.js'), 'shop', 'create', '--name', 'Bench'], { env }).toString());
  const data = JSON.parse(readFileSync(env.KUDOS_DATA, 'utf8'));
  const template = templateRecord(now);
  const customers = size / ORDERS_PER_CUSTOMER;
  const fd = openSync(env.KUDOS_DATA, 'w');
  const { customers: _c, processedEvents: _p, ...rest } = data;
  writeSync(fd, JSON.stringify(rest).slice(0, -1));
  writeSync(fd, `,"customers":{${JSON.stringify(shop.shopId)}:{`);
  for (let c = 0; c < customers; c++) writeSync(fd, `${c ? ',' : ''}"c${c}":${customerJson(template, `c${c}`)}`);
  writeSync(fd, `}},"processedEvents":{${JSON.stringify(shop.shopId)}:{`);
  let chunk = '';
  for (let i = 0; i < size; i++) {
    chunk += `${i ? ',' : ''}"fill-${i}":{"customerId":"c${i % customers}","at":${now - 3_600_000},"awards":[]}`;
    if (chunk.length > 1 << 20) (writeSync(fd, chunk), (chunk = ''));
  }
  writeSync(fd, `${chunk}}}}`);
  closeSync(fd);
  return { env, shop, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** PostgreSQL: a schema of its own; the CLI migrates and creates the shop, then SQL fills it in batches. */
async function fillPg(size, now) {
  const { url, drop } = await benchSchema(databaseUrl, `kudos_bench_${size}`);
  const dir = mkdtempSync(join(tmpdir(), 'kudos-pg-ingest-'));
  // The sealing key file lives beside the (unused) data file.
  const env = { ...process.env, KUDOS_DATABASE_URL: url.toString(), KUDOS_DATA: join(dir, 'kudos.json'), KUDOS_DEMO: 'off', PORT: '0', HOST: '127.0.0.1' };
  const shop = JSON.parse(execFileSync(process.execPath, [join(root, 'bin', 'kudos.js'), 'shop', 'create', '--name', 'Bench'], { env }).toString());
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  const template = templateRecord(now);
  const customers = size / ORDERS_PER_CUSTOMER;
  for (let c = 0; c < customers; c += 500) {
    const ids = Array.from({ length: Math.min(500, customers - c) }, (_, i) => `c${c + i}`);
    await db.query('INSERT INTO customers (shop_id, customer_id, data) SELECT $1, id, replace($2, \'"@ID@"\', to_json(id)::text)::json FROM unnest($3::text[]) AS id', [
      shop.shopId,
      template,
      ids,
    ]);
  }
  await db.query(
    `INSERT INTO processed_events (shop_id, event_id, customer_id, at_ms, outcome)
     SELECT $1, 'fill-' || g, 'c' || (g % $2), $3, '{"awards":[]}' FROM generate_series(0, $4 - 1) AS g`,
    [shop.shopId, customers, now - 3_600_000, size],
  );
  // A running server folds the KPI deltas the customers trigger leaves (every 15 s): so does the fill.
  while ((await db.query('SELECT kpi_fold(100000) AS moved')).rows[0].moved >= 100000);
  // As a server's fold does after moving this many (server/store/pg/kpis.ts VACUUM_AFTER): the
  // deltas a fold deletes stay in the index every metrics request reads until a vacuum.
  await db.query('VACUUM kpi_deltas, kpi_days');
  await db.query('ANALYZE');
  await db.end();
  return {
    env,
    shop,
    cleanup: async () => {
      await drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const serversCpuMs = (pids) => pids.reduce((n, pid) => n + cpuMs(pid), 0);
/** The system part of cpuMs (stime: the kernel's time for the process's system calls, here mostly socket reads and writes). */
const systemMs = (pid) => {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[12]) * 10;
  } catch {
    return NaN;
  }
};
const serversSystemMs = (pids) => pids.reduce((n, pid) => n + systemMs(pid), 0);
/**
 * CPU of every PostgreSQL process on this machine (the backends, the WAL writer…), ms: where
 * the rest of a single event's time goes. Other databases' work on the same server counts too.
 */
const postgresMs = () => {
  let ms = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') ms += cpuMs(pid);
    } catch {
      // gone meanwhile
    }
  }
  return ms;
};

/** --count-statements: each server's file for bench/count-queries.mjs (by pid) and the queries it has sent. */
const countDir = values['count-statements'] ? mkdtempSync(join(tmpdir(), 'kudos-pg-count-')) : undefined;
async function queryCount(pid) {
  const file = join(countDir, `${pid}`);
  const read = () => {
    try {
      const [n, count] = readFileSync(file, 'utf8').split(' ').map(Number);
      return { n, count };
    } catch {
      return { n: 0, count: 0 };
    }
  };
  const before = read().n;
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 300; i++) {
    const now = read();
    if (now.n > before) return now.count;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no query count from server ${pid}`);
}
const serversQueries = async (pids) => (countDir ? (await Promise.all(pids.map(queryCount))).reduce((a, b) => a + b, 0) : NaN);

/**
 * Posts for `seconds` over `connections`, split evenly between `urls` (one autocannon per URL, at once);
 * with `pids`, also the servers' CPU per event (µs): on a shared machine events/s follows the
 * scheduler, while CPU per event says what the server spends on one.
 */
async function measure(urls, auth, customers, batch, path = '/v1/events', pids = []) {
  const queriesBefore = await serversQueries(pids);
  const cpuBefore = serversCpuMs(pids);
  const systemBefore = serversSystemMs(pids);
  const postgresBefore = postgresMs();
  let seq = 0;
  const event = () => {
    const n = seq++;
    return { id: `m-${batch}-${n}`, type: 'purchase', customerId: `c${(n * 7919) % customers}`, properties: { orderId: `m-${batch}-o${n}`, total: 12.5, currency: 'EUR' } };
  };
  const results = await Promise.all(
    urls.map((url, i) =>
      autocannon({
        url: `${url}${path}`,
        method: 'POST',
        headers: auth,
        connections: Math.floor(connections / urls.length) + (i < connections % urls.length ? 1 : 0),
        duration: seconds,
        timeout: 30,
        requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(batch === 1 ? event() : { events: Array.from({ length: batch }, event) }) }) }],
      }),
    ),
  );
  const sum = (key) => results.reduce((n, r) => n + r[key], 0);
  const eventsPerSecond = (sum('2xx') * batch) / seconds;
  // Latency: the slower instance's.
  const worst = (key) => Math.max(...results.map((r) => r.latency[key]));
  const cpuPerEvent = ((serversCpuMs(pids) - cpuBefore) * 1000) / Math.max(1, sum('2xx') * batch);
  const systemPerEvent = ((serversSystemMs(pids) - systemBefore) * 1000) / Math.max(1, sum('2xx') * batch);
  const postgresPerEvent = ((postgresMs() - postgresBefore) * 1000) / Math.max(1, sum('2xx') * batch);
  const queriesPerEvent = ((await serversQueries(pids)) - queriesBefore) / Math.max(1, sum('2xx') * batch);
  return { cpuPerEvent, systemPerEvent, postgresPerEvent, queriesPerEvent, eventsPerSecond, msPerEvent: eventsPerSecond ? 1000 / eventsPerSecond : Infinity, p50: worst('p50'), p99: worst('p99'), non2xx: sum('non2xx'), errors: sum('errors') };
}

/**
 * GET /v1/metrics over the default period (every stored purchase is in it): the first
 * request after start-up and the median of three, in ms, with the longest /healthz
 * answer while they ran (polled every 10 ms: a blocked event loop shows here).
 */
async function metricsLatency(url, auth) {
  const times = [];
  let health = 0;
  let done = false;
  const poller = (async () => {
    while (!done) {
      const started = performance.now();
      await fetch(`${url}/healthz`).then((r) => r.arrayBuffer()).catch(() => {});
      health = Math.max(health, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  for (let i = 0; i < 4; i++) {
    const started = performance.now();
    const res = await fetch(`${url}/v1/metrics`, { headers: auth });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`GET /v1/metrics answered ${res.status}`);
    times.push(performance.now() - started);
  }
  done = true;
  await poller;
  const [first, ...rest] = times;
  return { first, median: rest.sort((a, b) => a - b)[1], health };
}

const line = (cells) => `| ${cells.join(' | ')} |`;
const loadBefore = loadavg().map((l) => l.toFixed(1)).join(', ');
// The yardstick, in this run: an Express app that parses the same JSON and answers, nothing else.
const echo = await startEcho('express');
const echoSingle = await measure([echo.url], { 'content-type': 'application/json' }, 1, 1);
await echo.stop();
console.log(`Kudos per-event ingest cost by store size: ${connections} connections, ${seconds} s per figure, ${ORDERS_PER_CUSTOMER} orders per customer; load average before ${loadBefore}`);
console.log(`Express JSON echo (same connections and duration): ${echoSingle.eventsPerSecond.toFixed(0)} requests/s, p50 / p99 ${echoSingle.p50} / ${echoSingle.p99} ms`);
console.log(
  line(['store', 'stored events', 'customers', 'instances', 'single: events/s', '× echo', 'ms per event', 'server CPU µs per event', 'p50 / p99 ms', `batches of ${BATCH}: events/s`, 'ms per event', 'server CPU µs per event', 'non-2xx', 'GET /v1/metrics ms: first / median', 'longest /healthz meanwhile ms']),
);
console.log(line(Array(15).fill('---')));
const details = [];
for (const kind of stores) {
  for (const size of sizes) {
    for (const instances of kind === 'pg' ? instanceCounts : [1]) {
      const now = Date.now();
      const filled = kind === 'pg' ? await fillPg(size, now) : await fillLowdb(size, now);
      // Every instance starts at once on the same database (as behind a proxy); lowdb is one process.
      const nodeArgs = [
        ...(values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-interval', '250', '--cpu-prof-dir', values['cpu-prof']] : []),
        ...(countDir ? ['--import', join(root, 'bench', 'count-queries.mjs')] : []),
      ];
      const env = countDir ? { ...filled.env, KUDOS_BENCH_COUNT_DIR: countDir } : filled.env;
      const start = () => (values.main ? startProcess([...nodeArgs, values.main], { env }) : startKudos(env, nodeArgs));
      const servers = await Promise.all(Array.from({ length: instances }, start));
      try {
        const auth = { authorization: `Bearer ${filled.shop.secretKey}`, 'content-type': 'application/json' };
        const customers = size / ORDERS_PER_CUSTOMER;
        const urls = servers.map((s) => s.url);
        const metrics = values['skip-metrics'] || instances > 1 ? undefined : await metricsLatency(urls[0], auth);
        const pids = servers.map((s) => s.child.pid);
        const none = { cpuPerEvent: NaN, systemPerEvent: NaN, postgresPerEvent: NaN, queriesPerEvent: NaN, eventsPerSecond: NaN, msPerEvent: NaN, p50: '-', p99: '-', non2xx: 0, errors: 0 };
        const single = values['metrics-only'] || values.only === 'batch' ? none : await measure(urls, auth, customers, 1, undefined, pids);
        const batched = values['metrics-only'] || values.only === 'single' ? none : await measure(urls, auth, customers, BATCH, undefined, pids);
        if (countDir && process.env.KUDOS_BENCH_COUNT_SQL) {
          for (const pid of pids) details.push(`statements server ${pid} sent since it started:\n${readFileSync(join(countDir, `${pid}.sql`), 'utf8')}`);
        }
        details.push(
          `${kind}, ${size.toLocaleString('en')} stored, ${instances} instance(s): server CPU µs per event of which system (kernel) single ${single.systemPerEvent.toFixed(0)} of ${single.cpuPerEvent.toFixed(0)}, batches ${batched.systemPerEvent.toFixed(0)} of ${batched.cpuPerEvent.toFixed(0)}; PostgreSQL's processes' CPU µs per event: single ${single.postgresPerEvent.toFixed(0)}, batches ${batched.postgresPerEvent.toFixed(0)}` +
            (countDir ? `; queries per event: single ${single.queriesPerEvent.toFixed(2)}, batches of ${BATCH} ${batched.queriesPerEvent.toFixed(3)}` : ''),
        );
        console.log(
          line([
            kind === 'pg' ? 'PostgreSQL' : 'lowdb',
            size.toLocaleString('en'),
            customers.toLocaleString('en'),
            String(instances),
            single.eventsPerSecond.toFixed(0),
            (single.eventsPerSecond / echoSingle.eventsPerSecond).toFixed(2),
            single.msPerEvent.toFixed(2),
            single.cpuPerEvent.toFixed(0),
            `${single.p50} / ${single.p99}`,
            batched.eventsPerSecond.toFixed(0),
            batched.msPerEvent.toFixed(2),
            batched.cpuPerEvent.toFixed(0),
            String(single.non2xx + batched.non2xx + single.errors + batched.errors),
            metrics ? `${metrics.first.toFixed(0)} / ${metrics.median.toFixed(0)}` : '-',
            metrics ? metrics.health.toFixed(0) : '-',
          ]),
        );
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
        await filled.cleanup();
      }
    }
  }
}
if (countDir) rmSync(countDir, { recursive: true, force: true });
for (const detail of details) console.log(detail);
console.log(`load average after: ${loadavg().map((l) => l.toFixed(1)).join(', ')}`);
