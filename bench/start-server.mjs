// Starting a server process for a bench and reading where it listens from what it
// prints: the one copy of what scale, ingest, pg-ingest and abuse each carried.
// Its output is read only until the pattern shows, then passed through (stderr) or
// discarded (stdout): keeping every access-log line in a growing string made the
// load generator itself slower the longer a run went.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
/** The built server (`npm run build:server`). */
export const KUDOS_MAIN = join(root, 'dist', 'server', 'main.js');
/** What dist/server/main.js prints once it listens. */
export const KUDOS_BANNER = /running at (http:\/\/[^\s/]+)/;

/**
 * Spawns `node ...args` and resolves once its stdout matches `pattern`:
 * { child, url: the first group, match, stop() } (stop sends SIGTERM and waits for the exit).
 */
export function startProcess(args, { env = process.env, pattern = KUDOS_BANNER } = {}) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let head = '';
    let ready = false;
    const onData = (chunk) => {
      head += chunk;
      const match = pattern.exec(head);
      if (!match) return;
      ready = true;
      child.stdout.off('data', onData);
      child.stdout.resume();
      resolve({ child, url: match[1], match, stop: () => stop(child) });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (ready ? process.stderr.write(chunk) : (head += chunk)));
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before it listened: ${head}`)));
  });
}

function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => (child.once('exit', done), child.kill('SIGTERM')));
}

/**
 * `node dist/server/main.js` with this environment (KUDOS_DATA or KUDOS_DATABASE_URL, PORT=0…);
 * `nodeArgs` go before the script (e.g. ['--cpu-prof', '--cpu-prof-dir', dir]: the profile is
 * written when stop() ends the server).
 */
export const startKudos = (env, nodeArgs = []) => startProcess([...nodeArgs, KUDOS_MAIN], { env });

/** The yardstick: bench/echo-server.mjs (`express` or `http`). */
export const startEcho = (kind = 'express') => startProcess([join(root, 'bench', 'echo-server.mjs'), kind], { pattern: /listening at (http:\/\/\S+)/ });

/**
 * CPU time (user + system, ms) a process has used: /proc/PID/stat, in clock ticks of 10 ms
 * (NaN off Linux). On a machine shared with other work, requests/s follows the scheduler,
 * while CPU per request says what the server spends.
 */
export const cpuMs = (pid) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN; // not Linux
  }
};

/** What serveKudos prints once it listens: its URL and the shop it made (startProcess's `pattern`). */
export const SERVED = /listening at (\S+) (\{.*\})/;

/**
 * For a bench's `--serve` child that needs Kudos' server in its own process with options
 * main.js has no variable for (rate limits off, a route swapped): the server from dist/ with a
 * buffered access log on stdout, as dist/server/main.js runs it, on a temp data file, with
 * startServer's `options` and one shop made with createShop's `shop`. Prints SERVED, closes on
 * SIGTERM. The parent: startProcess([file, '--serve'], { pattern: SERVED }).
 */
export async function serveKudos(options, shop) {
  const dist = join(root, 'dist', 'server');
  const { startServer } = await import(join(dist, 'server.js'));
  const { bufferedAccessLog } = await import(join(dist, 'http', 'log.js'));
  const accessLog = bufferedAccessLog();
  const dir = mkdtempSync(join(tmpdir(), 'kudos-bench-'));
  const server = await startServer({ port: 0, host: '127.0.0.1', dataFile: join(dir, 'kudos.json'), seedDemo: false, accessLog, ...options });
  console.log(`listening at ${server.url} ${JSON.stringify(await server.createShop(shop))}`);
  process.on('SIGTERM', () => server.close().then(() => (accessLog.flush(), rmSync(dir, { recursive: true, force: true }), process.exit(0))));
}
