// Stopping an instance under load on PostgreSQL: a real server process, a real
// database. Requests still waiting for a database connection when the grace
// period ends are answered 503 shutting-down with Retry-After (never the 500 of
// pg's "Cannot use a pool after calling end on the pool"), what was answered 2xx
// is stored, and a retry of the rest records them.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_DATABASE, dropSchemas, freshSchema } from '../helpers/pg.js';

const root = join(import.meta.dirname, '..', '..');
const main = join(root, 'dist', 'server', 'main.js');

interface Instance {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  output: () => string;
}

async function startInstance(env: NodeJS.ProcessEnv): Promise<Instance> {
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const match = /running at (http:\/\/[^\s/]+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    void exited.then(() => reject(new Error(`instance exited before listening:\n${out}`)));
  });
  return { child, url, exited, output: () => out };
}

const purchase = (id: string) => ({ id, type: 'purchase', customerId: 'c1', properties: { orderId: `o-${id}`, total: 10, currency: 'EUR' } });

describe.skipIf(NO_DATABASE)('stopping a PostgreSQL instance under load', { timeout: 120_000 }, () => {
  afterAll(dropSchemas);

  it('answers what it cannot serve 503 with Retry-After, never 500, and loses nothing it acknowledged', async () => {
    if (!existsSync(main)) throw new Error('dist/server/main.js is missing: run "npm run build:server" first (npm test does).');
    const { url } = await freshSchema('shutdown');
    const env = { ...process.env, KUDOS_DATABASE_URL: url, KUDOS_DEMO: 'off', KUDOS_ACCESS_LOG: 'off', KUDOS_SHUTDOWN_GRACE_MS: '1500', PORT: '0', HOST: '127.0.0.1' };
    let instance = await startInstance(env);
    const db = new pg.Pool({ connectionString: url, max: 2 });
    const locker = await db.connect();
    try {
      const shop = JSON.parse(execFileSync(process.execPath, [join(root, 'bin', 'kudos.js'), 'shop', 'create', '--name', 'Stopping'], { env }).toString());
      const post = (base: string, events: unknown[]) =>
        fetch(`${base}/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${shop.secretKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ events }),
        });
      expect((await post(instance.url, [purchase('first')])).status).toBe(200);
      // Hold the customer's row: every event for it waits, the first in its transaction (holding a
      // connection), those arriving meanwhile queued behind it for the next group commit.
      await locker.query('BEGIN');
      await locker.query("SELECT 1 FROM customers WHERE customer_id = 'c1' FOR UPDATE");
      const ids = Array.from({ length: 30 }, (_, i) => `e${i}`);
      const answers = ids.map((id) =>
        post(instance.url, [purchase(id)]).then(
          async (res) => ({ id, status: res.status, type: res.headers.get('content-type'), retryAfter: res.headers.get('retry-after'), body: await res.text() }),
          (error: Error) => ({ id, status: 0, type: null, retryAfter: null, body: String(error.cause ?? error) }),
        ),
      );
      // Until a transaction waits on the lock and every request is inside the server (each has
      // counted its rate-limit hit, the first one's included).
      for (let i = 0; ; i++) {
        const { rows } = await db.query(
          `SELECT (SELECT count(*)::int FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()) AS n,
                  (SELECT COALESCE(sum(count), 0)::int FROM rate_windows) AS hits`,
        );
        if (rows[0].n >= 1 && rows[0].hits >= ids.length + 1) break;
        if (i > 300) throw new Error('the pool never filled');
        await new Promise((r) => setTimeout(r, 50));
      }
      instance.child.kill('SIGTERM');
      // Past the grace period the waiting requests are turned away; then the lock goes and the running transactions commit.
      const firstAnswer = await Promise.race(answers);
      await locker.query('COMMIT');
      const settled = await Promise.all(answers);
      expect(await instance.exited).toBe(0);
      expect(firstAnswer.status, JSON.stringify(settled.map((a) => [a.status, a.body.slice(0, 80)]))).toBe(503);
      const refused = settled.filter((a) => a.status === 503);
      expect(refused.length).toBeGreaterThan(0);
      for (const a of refused) {
        expect(a.type).toMatch(/^application\/problem\+json/);
        expect(JSON.parse(a.body).type).toMatch(/\/shutting-down$/);
        expect(Number(a.retryAfter)).toBeGreaterThan(0);
      }
      // Every answer is a 2xx or a 503: no 500, no dropped connection.
      expect(settled.filter((a) => a.status !== 503 && (a.status < 200 || a.status >= 300))).toEqual([]);
      expect(instance.output()).not.toMatch(/Cannot use a pool/);
      // What was acknowledged is stored.
      const { rows } = await db.query('SELECT event_id FROM processed_events');
      const stored = new Set(rows.map((r) => r.event_id));
      for (const a of settled.filter((a) => a.status === 200)) expect(stored.has(a.id)).toBe(true);
      // The client retries the rest (here on the restarted instance): all of it is recorded, once.
      instance = await startInstance(env);
      const retry = await post(instance.url, ids.map(purchase));
      expect(retry.status).toBe(200);
      const { rows: customer } = await db.query("SELECT data FROM customers WHERE customer_id = 'c1'");
      expect(customer[0].data.stats.purchase.count).toBe(31);
    } finally {
      await locker.query('ROLLBACK').catch(() => {});
      locker.release();
      instance.child.kill('SIGTERM');
      await instance.exited;
      await db.end();
    }
  });
});
