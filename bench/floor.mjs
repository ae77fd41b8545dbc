// The floor under the single-event ratios of issues 15 and 20 on this machine: how fast can ANY
// Express server acknowledge a POST only once it is durably stored? Measured beside the Express
// JSON echo those figures are a ratio to, with the same connections and duration:
//   - echo: bench/echo-server.mjs (no storage);
//   - --store pg (issue 15): Express, express.json, a pg Pool of 8, and one autocommit INSERT of
//     the body per request (synchronous_commit on, as Kudos runs);
//   - --store file (issue 20, the lowdb store's log): Express, express.json, and the body
//     appended as a line to a file, group committed (one write and one fdatasync for every
//     request waiting, as server/store/write-ahead-log.ts does), answered after its fdatasync.
// No auth, no validation, no engine, no reads, no KPIs: whatever Kudos does per event comes on top.
// Both servers are separate processes; autocannon runs in this one, as in bench/ingest.mjs.
//   [KUDOS_TEST_DATABASE_URL=postgres://…] node bench/floor.mjs [--store pg|file] [--seconds 5] [--connections 8]
// (--serve: internal, runs the floor server itself.)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import express from 'express';
import pg from 'pg';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '8' },
    serve: { type: 'boolean', default: false },
    store: { type: 'string', default: 'pg' },
  },
});
const url = process.env.KUDOS_TEST_DATABASE_URL;
if (values.store == 'pg' && !url) {
  console.error('Set KUDOS_TEST_DATABASE_URL=postgres://… (a database this bench may create a table in), or use --store file.');
  process.exit(2);
}

if (values.serve && values.store == 'file') {
  const dir = mkdtempSync(join(tmpdir(), 'kudos-floor-'));
  const file = await open(join(dir, 'events.log'), 'a');
  /** Lines waiting for the next write, and who waits for them. */
  let waiting = [];
  let writing = false;
  const commit = async () => {
    if (writing || waiting.length === 0) return;
    writing = true;
    const group = waiting;
    waiting = [];
    try {
      await file.write(group.map((w) => w.line).join(''));
      await file.datasync();
      for (const w of group) w.resolve();
    } catch (error) {
      for (const w of group) w.reject(error);
    } finally {
      writing = false;
      void commit();
    }
  };
  const app = express();
  app.use(express.json({ limit: '256kb' }));
  app.post('/v1/events', async (req, res, next) => {
    try {
      await new Promise((resolve, reject) => {
        waiting.push({ line: `${JSON.stringify(req.body)}\n`, resolve, reject });
        void commit();
      });
      res.json({ results: [{ id: req.body?.id ?? null, status: 'accepted', awards: [] }] });
    } catch (error) {
      next(error);
    }
  });
  const server = app.listen(0, '127.0.0.1', () => console.log(`listening at http://127.0.0.1:${server.address().port}`));
  process.on('SIGTERM', () => server.close(() => file.close().then(() => rmSync(dir, { recursive: true, force: true }), process.exit(0))));
} else if (values.serve) {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  await pool.query('CREATE TABLE IF NOT EXISTS bench_floor_events (id bigserial PRIMARY KEY, body jsonb NOT NULL)');
  const app = express();
  app.use(express.json({ limit: '256kb' }));
  app.post('/v1/events', async (req, res, next) => {
    try {
      await pool.query('INSERT INTO bench_floor_events (body) VALUES ($1)', [req.body]);
      res.json({ results: [{ id: req.body?.id ?? null, status: 'accepted', awards: [] }] });
    } catch (error) {
      next(error);
    }
  });
  const server = app.listen(0, '127.0.0.1', () => console.log(`listening at http://127.0.0.1:${server.address().port}`));
  process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
} else {
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  /** CPU ms of every PostgreSQL process (backends, WAL writer…), from /proc. */
  const postgresMs = () => {
    let ticks = 0;
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        if (!readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres')) continue;
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {}
    }
    return ticks * 10;
  };
  const start = (args) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
      child.stdout.on('data', (chunk) => {
        const match = /listening at (\S+)/.exec(String(chunk));
        if (match) resolve({ child, base: match[1] });
      });
      child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
    });
  const body = () => JSON.stringify({ id: `e-${Math.random()}`, type: 'purchase', customerId: 'c1', properties: { orderId: `o-${Math.random()}`, total: 12.5, currency: 'EUR' } });
  const run = async (base) => {
    const before = postgresMs();
    const result = await autocannon({
      url: `${base}/v1/events`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      connections,
      duration: seconds,
      requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }],
    });
    return { rps: result['2xx'] / seconds, p99: result.latency.p99, non2xx: result.non2xx + result.errors, pgMsPerRequest: (postgresMs() - before) / Math.max(1, result['2xx']) };
  };
  const here = import.meta.dirname;
  const echo = await start([join(here, 'echo-server.mjs'), 'express']);
  const echoed = await run(echo.base);
  echo.child.kill('SIGTERM');
  const floor = await start([join(here, 'floor.mjs'), '--serve', '--store', values.store]);
  const floored = await run(floor.base);
  floor.child.kill('SIGTERM');
  console.log(`${connections} connections, ${seconds} s each; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  console.log(`express JSON echo                       ${echoed.rps.toFixed(0).padStart(6)} req/s  p99 ${echoed.p99} ms  non-2xx ${echoed.non2xx}`);
  const what = values.store == 'pg' ? 'express + one durable INSERT (floor)  ' : 'express + a group-committed append     ';
  const pgCpu = values.store == 'pg' ? `  PostgreSQL CPU ${(floored.pgMsPerRequest * 1000).toFixed(0)} µs/request` : '';
  console.log(`${what}  ${floored.rps.toFixed(0).padStart(6)} req/s  p99 ${floored.p99} ms  non-2xx ${floored.non2xx}${pgCpu}`);
  const target = values.store == 'pg' ? "issue 15's target for Kudos' single events on PostgreSQL: ≥ 0.4" : "issue 20's target for Kudos' single events: ≥ 0.6";
  console.log(`floor / echo: ${(floored.rps / echoed.rps).toFixed(2)} (${target}; Kudos does far more per event)`);
}
