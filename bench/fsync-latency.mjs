// The disk's fdatasync latency as the lowdb store's log sees it: append a line the size of
// one flush, fdatasync, again and again (one at a time, like GroupCommit). Every single-event
// request waits for one of these (or the end of the one in flight, then its own), so this
// distribution bounds what p99 the ingest path can reach on this disk.
//   node bench/fsync-latency.mjs [--count 2000] [--bytes 600] [--dir DIR] [--snapshot MB] [--sync-every MB]
// Prints p50/p90/p99/p99.9/max in ms and how many took over 20/50/100 ms.
// --snapshot MB: meanwhile, another file in the same folder is written again and again the way
// the store folds its log into a snapshot (1 MB pieces, one fsync at the end; --sync-every MB:
// an fdatasync after every that many MB too), to see what a snapshot does to the log's fsyncs.
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '2000' },
    bytes: { type: 'string', default: '600' },
    dir: { type: 'string' },
    snapshot: { type: 'string' },
    'sync-every': { type: 'string' },
  },
});
const count = Number(values.count);
const dir = mkdtempSync(join(values.dir ?? tmpdir(), 'kudos-fsync-'));
const handle = await open(join(dir, 'log.wal'), 'a', 0o600);
const line = Buffer.from('x'.repeat(Number(values.bytes) - 1) + '\n');
const took = [];
let done = false;
const snapshots = [];
const snapshotLoop = async () => {
  const piece = Buffer.alloc(1 << 20, 'y');
  const syncEvery = values['sync-every'] ? Number(values['sync-every']) : Infinity;
  while (!done) {
    const t0 = performance.now();
    const snap = await open(join(dir, 'snapshot.next'), 'w', 0o600);
    for (let mb = 1; mb <= Number(values.snapshot); mb++) {
      await snap.write(piece);
      if (mb % syncEvery === 0) await snap.datasync();
      // The fold yields between slices: it writes while requests run.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await snap.sync();
    await snap.close();
    snapshots.push(performance.now() - t0);
  }
};
const background = values.snapshot ? snapshotLoop() : undefined;
const started = performance.now();
for (let i = 0; i < count; i++) {
  const t0 = performance.now();
  await handle.write(line);
  await handle.datasync();
  took.push(performance.now() - t0);
}
const seconds = (performance.now() - started) / 1000;
done = true;
await background;
await handle.close();
rmSync(dir, { recursive: true, force: true });
took.sort((a, b) => a - b);
const at = (q) => took[Math.min(took.length - 1, Math.floor(q * took.length))].toFixed(2);
const over = (ms) => took.filter((t) => t > ms).length;
console.log(
  `append ${values.bytes} B + fdatasync, ${count} times in ${seconds.toFixed(1)} s (${(count / seconds).toFixed(0)}/s): ` +
    `p50 ${at(0.5)} ms  p90 ${at(0.9)} ms  p99 ${at(0.99)} ms  p99.9 ${at(0.999)} ms  max ${took.at(-1).toFixed(2)} ms  ` +
    `>20 ms: ${over(20)}  >50 ms: ${over(50)}  >100 ms: ${over(100)}` +
    (values.snapshot ? `  (meanwhile ${snapshots.length} snapshots of ${values.snapshot} MB, sync every ${values['sync-every'] ?? '-'} MB)` : ''),
);
