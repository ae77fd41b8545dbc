#!/usr/bin/env node
// Every figure of issue 20 in one run (`npm run bench`), one bench after another so they do
// not share the two cores: bundle sizes, bytes on the wire, ingest against the Express and
// node:http echoes (same run), Kudos' request pipeline alone against the Express echo, the store-size figures, and each widget in Chromium on a
// phone and a desktop viewport, on loopback and with 50 ms of added round trip. docs/performance.md
// keeps the table, with the command behind each figure.
//   npm run build && npm run bench                  (the sizes: 100 k customers, 50 k shops; long)
//   npm run build && npm run bench -- --quick       (smaller sizes and shorter loads, a few minutes)
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

const quick = process.argv.includes('--quick');
const benches = [
  ['bundle-size.mjs'],
  ['wire.mjs'],
  ['ingest.mjs', '--seconds', quick ? '4' : '10'],
  // What the request pipeline alone costs beside the echo: the ceiling of the single-event ratio.
  ['floor.mjs', '--pipeline', '--connections', '16', '--seconds', quick ? '3' : '5'],
  // A widget's reads (docs/production.md "How big a machine").
  ['reads.mjs', '--seconds', quick ? '3' : '5'],
  ['scale.mjs', ...(quick ? ['--customers', '20000', '--orders', '10000', '--shops', '2000', '--seconds', '3'] : [])],
  ['widgets.mjs', '--runs', quick ? '1' : '3'],
  ['widgets.mjs', '--runs', quick ? '1' : '3', '--latency', '50'],
];

// The load average says how much else the machine was doing: figures from a busy machine are not comparable.
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
console.log(`Kudos benches, ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, load average ${load()}${quick ? ' (--quick)' : ''}`);
let failed = 0;
for (const args of benches) {
  console.log(`\n$ node bench/${args.join(' ')}`);
  const run = spawnSync(process.execPath, [join(import.meta.dirname, args[0]), ...args.slice(1)], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
console.log(`\nload average at the end: ${load()}`);
process.exit(failed ? 1 : 0);
