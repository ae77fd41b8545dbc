// Preloaded into a server by bench/pg-ingest.mjs --count-statements (node --import):
// counts the queries (round trips) the server's pg clients send, and on SIGUSR2 writes
// "<answer number> <count>" to KUDOS_BENCH_COUNT_DIR/<pid>, so the bench can read the count
// before and after a figure without stopping the server.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const file = join(process.env.KUDOS_BENCH_COUNT_DIR, String(process.pid));
let queries = 0;
let answers = 0;
/** KUDOS_BENCH_COUNT_SQL=1: also the count of each statement (its first 70 characters), written to <pid>.sql. */
const bySql = process.env.KUDOS_BENCH_COUNT_SQL ? new Map() : undefined;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (...args) {
  queries++;
  if (bySql) {
    const sql = String(typeof args[0] === 'string' ? args[0] : args[0]?.text).replace(/\s+/g, ' ').slice(0, 70);
    bySql.set(sql, (bySql.get(sql) ?? 0) + 1);
  }
  return query.apply(this, args);
};
process.on('SIGUSR2', () => {
  if (bySql) writeFileSync(`${file}.sql`, [...bySql].sort((a, b) => b[1] - a[1]).map(([sql, n]) => `${n}\t${sql}`).join('\n') + '\n');
  writeFileSync(file, `${++answers} ${queries}`);
});

