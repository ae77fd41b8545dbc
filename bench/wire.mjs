// What the browser assets weigh on the wire: each file of dist/public (loader, widgets,
// chunks) fetched from a real server as a browser asks for it (Accept-Encoding: gzip,
// deflate, br), with the encoding and Vary the server answers.
//   npm run build && node bench/wire.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const publicDir = join(root, 'dist', 'public');
const dir = mkdtempSync(join(tmpdir(), 'kudos-wire-'));
const env = { ...process.env, KUDOS_DATA: join(dir, 'kudos.json'), KUDOS_DEMO: 'off', KUDOS_ACCESS_LOG: 'off', PORT: '0', HOST: '127.0.0.1' };
const child = spawn(process.execPath, [join(root, 'dist', 'server', 'main.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let head = '';
  child.stdout.on('data', (chunk) => {
    head += chunk;
    const match = /running at (http:\/\/[^\s/]+)/.exec(head);
    if (match) resolve(match[1]);
  });
  child.once('exit', () => reject(new Error(`server exited: ${head}`)));
});

// node:http, not fetch: fetch would decode the body, and the wire size is the point.
const get = (path) =>
  new Promise((resolve, reject) => {
    request(`${url}${path}`, { headers: { 'accept-encoding': 'gzip, deflate, br' } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk) => (bytes += chunk.length));
      res.on('end', () => resolve({ bytes, encoding: res.headers['content-encoding'] ?? 'identity', vary: res.headers.vary ?? '' }));
    })
      .on('error', reject)
      .end();
  });

const files = ['kudos.js', ...readdirSync(join(publicDir, 'widgets'), { recursive: true }).filter((f) => f.endsWith('.js')).map((f) => join('widgets', f))];
let raw = 0;
let wire = 0;
const encodings = {};
for (const file of files) {
  const answer = await get(`/${file.split('\\').join('/')}`);
  raw += statSync(join(publicDir, file)).size;
  wire += answer.bytes;
  const key = `${answer.encoding}, Vary: ${answer.vary}`;
  encodings[key] = (encodings[key] ?? 0) + 1;
  if (file == 'kudos.js') console.log(`${'loader kudos.js'.padEnd(40)} ${String(answer.bytes).padStart(7)} B on the wire (${answer.encoding}, Vary: ${answer.vary})`);
}
console.log(`${`all ${files.length} browser files`.padEnd(40)} ${String(wire).padStart(7)} B on the wire of ${raw} B (${(raw / wire).toFixed(1)}× smaller)`);
for (const [key, count] of Object.entries(encodings)) console.log(`  ${count} answered ${key}`);
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
rmSync(dir, { recursive: true, force: true });

