// The top self-time frames of a V8 CPU profile (`node --cpu-prof`, or bench/ingest.mjs --cpu-prof DIR):
//   node bench/top-frames.mjs FILE.cpuprofile [--top 30] [--last SECONDS]
// Prints each frame's share of the samples (self time), with its file and line, and the
// share of the samples each file takes (self time summed per file). --last: only the samples of
// the profile's last SECONDS (bench/ingest.mjs loads the server last, after the echoes).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '30' }, last: { type: 'string' } }, allowPositionals: true });
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
// Sample times: timeDeltas (µs) added up from startTime.
const times = [];
let t = profile.startTime;
for (const delta of profile.timeDeltas) times.push((t += delta));
const from = values.last === undefined ? -Infinity : profile.endTime - Number(values.last) * 1e6;
const self = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  if (times[i] < from) return;
  self.set(id, (self.get(id) ?? 0) + 1);
  total++;
});
const frames = new Map();
const files = new Map();
for (const [id, count] of self) {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  const file = url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules|dist)\//, '$1/') || '(native)';
  const key = `${functionName || '(anonymous)'}  ${file}:${lineNumber + 1}`;
  frames.set(key, (frames.get(key) ?? 0) + count);
  files.set(file, (files.get(file) ?? 0) + count);
}
const pct = (n) => `${((100 * n) / total).toFixed(1).padStart(5)}%`;
console.log(`${total} samples`);
for (const [key, count] of [...frames].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`${pct(count)}  ${key}`);
console.log('\nper file:');
for (const [file, count] of [...files].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${pct(count)}  ${file}`);
