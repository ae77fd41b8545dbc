// The long tasks of a V8 CPU profile: runs of samples where the main thread never went
// idle for longer than --min ms (default 50), each with the functions most of its samples ran in
// (inclusive: a frame counts once per sample it is on the stack of). What held the event loop.
//   node bench/long-tasks.mjs FILE.cpuprofile [--min 50] [--top 8] [--at µs]
// --at: only the run around that monotonic time (what bench/stall-watch.mjs prints for a loop block).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ options: { min: { type: 'string', default: '50' }, top: { type: 'string', default: '8' }, at: { type: 'string' } }, allowPositionals: true });
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const times = [];
let t = profile.startTime;
for (const delta of profile.timeDeltas) times.push((t += delta));
const name = (id) => {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  const file = url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules|dist)\//, '$1/');
  return `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
};
const idle = (id) => byId.get(id).callFrame.functionName === '(idle)';

const runs = [];
let start = -1;
profile.samples.forEach((id, i) => {
  if (!idle(id) && start < 0) start = i;
  if ((idle(id) || i === profile.samples.length - 1) && start >= 0) {
    runs.push([start, i]);
    start = -1;
  }
});
const minUs = Number(values.min) * 1000;
const at = values.at === undefined ? undefined : Number(values.at);
const long = runs.filter(([a, b]) => times[b] - times[a] >= minUs && (at === undefined || (times[a] <= at + 20_000 && times[b] >= at - 20_000)));
console.log(`${long.length} busy runs of >= ${values.min} ms (of ${runs.length}); profile ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s`);
for (const [a, b] of long) {
  const inclusive = new Map();
  for (let i = a; i < b; i++) {
    const seen = new Set();
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const key = name(id);
      if (seen.has(key) || key.startsWith('(root)')) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + 1);
    }
  }
  const n = b - a;
  console.log(`\n${((times[b] - times[a]) / 1000).toFixed(0)} ms at ${((times[a] - profile.startTime) / 1e6).toFixed(2)} s (${times[a]}-${times[b]} µs), ${n} samples:`);
  for (const [key, count] of [...inclusive].sort((x, y) => y[1] - x[1]).slice(0, Number(values.top))) {
    console.log(`  ${((100 * count) / n).toFixed(0).padStart(3)}%  ${key}`);
  }
}
