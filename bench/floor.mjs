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
//   - --store none --pipeline (issue 20): the other side. Kudos' own server (dist/, as
//     dist/server/main.js starts it, access log on) with everything a request passes before the
//     events route: request id, client address, security headers, access log, the raw-body
//     routers, setup watch, CORS, rate limits, key lookup, scopes, JSON body, audit trail. The
//     route itself answers at once, recording nothing: what the pipeline alone costs.
// Both servers are separate processes; autocannon runs in this one, as in bench/ingest.mjs.
//   [KUDOS_TEST_DATABASE_URL=postgres://…] node bench/floor.mjs [--store pg|file | --pipeline] [--seconds 5] [--connections 8] [--cpu-prof DIR]
// --cpu-prof DIR: the measured server (not the echo) leaves a V8 CPU profile in DIR when it stops.
// (--serve: internal, runs the floor server itself.)
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import express from 'express';
import pg from 'pg';
import { cpuMs, SERVED, serveKudos, startEcho, startProcess } from './start-server.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '8' },
    serve: { type: 'boolean', default: false },
    store: { type: 'string', default: 'pg' },
    pipeline: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
  },
});
if (values.pipeline) values.store = 'none';
const url = process.env.KUDOS_TEST_DATABASE_URL;
if (values.store == 'pg' && !url) {
  console.error('Set KUDOS_TEST_DATABASE_URL=postgres://… (a database this bench may create a table in), or use --store file.');
  process.exit(2);
}

if (values.serve && values.pipeline) {
  // The events route's handler swapped for an answer, before the app is built: eventsRouter
  // registers it with Router#post (express 5's router package, the one instance express uses).
  const Router = createRequire(import.meta.url)('router');
  const post = Router.prototype.post;
  Router.prototype.post = function (path, ...handlers) {
    if (path !== '/events') return post.call(this, path, ...handlers);
    return post.call(this, path, (req, res) => res.json({ results: [{ id: req.body?.id ?? null, status: 'accepted', awards: [] }] }));
  };
  await serveKudos({}, { name: 'Pipeline' });
} else if (values.serve && values.store == 'file') {
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
  const body = () => JSON.stringify({ id: `e-${Math.random()}`, type: 'purchase', customerId: 'c1', properties: { orderId: `o-${Math.random()}`, total: 12.5, currency: 'EUR' } });
  const run = async ({ url: base, child }, key) => {
    const before = postgresMs();
    const cpuBefore = cpuMs(child.pid);
    const result = await autocannon({
      url: `${base}/v1/events`,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key && { authorization: `Bearer ${key}` }) },
      connections,
      duration: seconds,
      requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }],
    });
    const per = (ms) => (ms * 1000) / Math.max(1, result['2xx']);
    return { rps: result['2xx'] / seconds, p99: result.latency.p99, non2xx: result.non2xx + result.errors, pgMsPerRequest: (postgresMs() - before) / Math.max(1, result['2xx']), cpuUs: per(cpuMs(child.pid) - cpuBefore) };
  };
  const echo = await startEcho('express');
  const echoed = await run(echo);
  await echo.stop();
  const profile = values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] : [];
  const args = [...profile, import.meta.filename, '--serve', '--store', values.store, ...(values.pipeline ? ['--pipeline'] : [])];
  const floor = await startProcess(args, { pattern: values.pipeline ? SERVED : /listening at (\S+)/ });
  const floored = await run(floor, values.pipeline ? JSON.parse(floor.match[2]).secretKey : undefined);
  // Waited for: a profile (--cpu-prof) is written as it exits.
  await floor.stop();
  console.log(`${connections} connections, ${seconds} s each; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  const cpu = (r) => `  server CPU ${r.cpuUs.toFixed(0)} µs/request`;
  console.log(`express JSON echo                       ${echoed.rps.toFixed(0).padStart(6)} req/s  p99 ${echoed.p99} ms  non-2xx ${echoed.non2xx}${cpu(echoed)}`);
  const what = values.pipeline
    ? "Kudos' pipeline, nothing recorded      "
    : values.store == 'pg'
      ? 'express + one durable INSERT (floor)  '
      : 'express + a group-committed append     ';
  const pgCpu = values.store == 'pg' ? `  PostgreSQL CPU ${(floored.pgMsPerRequest * 1000).toFixed(0)} µs/request` : '';
  console.log(`${what}  ${floored.rps.toFixed(0).padStart(6)} req/s  p99 ${floored.p99} ms  non-2xx ${floored.non2xx}${cpu(floored)}${pgCpu}`);
  const target = values.store == 'pg' ? "issue 15's target for Kudos' single events on PostgreSQL: ≥ 0.4" : "issue 20's target for Kudos' single events: ≥ 0.6";
  if (values.pipeline) {
    console.log(`pipeline / echo: ${(floored.rps / echoed.rps).toFixed(2)}, in server CPU ${(echoed.cpuUs / floored.cpuUs).toFixed(2)} (${target}; recording the event comes on top)`);
  }
  else console.log(`floor / echo: ${(floored.rps / echoed.rps).toFixed(2)} (${target}; Kudos does far more per event)`);
}
