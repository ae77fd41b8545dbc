// Where a slow request's time went, from inside the server: loaded with
// `node --import ./bench/stall-watch.mjs dist/server/main.js` (bench/ingest.mjs --stalls).
// It records a timeline of what can hold a request up — each fsync (log fdatasync,
// snapshot fsync), each gap of the event loop (a timer that fired late: something ran
// on the main thread), each garbage collection — and every request's start and finish
// (diagnostics_channel). When the process exits it prints to stderr: the server-side
// latency distribution, the event loop delay, the fsync distribution, and for requests
// slower than KUDOS_STALL_MS (default 50) what overlapped them. A request to
// `/healthz?stall-watch=<label>` starts a new section (the bench names its phases so).
import diagnostics from 'node:diagnostics_channel';
import { statSync, writeSync } from 'node:fs';
import fsPromises, { open } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { PerformanceObserver } from 'node:perf_hooks';

const slowMs = Number(process.env.KUDOS_STALL_MS ?? 50);
const now = () => performance.now();
/** {kind, start, end, note?} */
const timeline = [];
const requests = [];

// fsyncs: every FileHandle shares one prototype.
const probe = await open(process.execPath, 'r');
const proto = Object.getPrototypeOf(probe);
await probe.close();
for (const [method, kind] of [['datasync', 'fdatasync'], ['sync', 'fsync']]) {
  const original = proto[method];
  proto[method] = async function (...args) {
    const start = now();
    try {
      return await original.apply(this, args);
    } finally {
      timeline.push({ kind, start, end: now() });
    }
  };
}

// Fold installs (server/store/lowdb-store.ts installFold): the snapshot's rename, with the
// log's size then; and log rotations (a fold's start: the log file renamed into a segment,
// appends held only for that rename). Until the log had segments, every commit waited for an
// install's last step (the log's tail copied and renamed over it, two fsyncs).
const rename = fsPromises.rename;
fsPromises.rename = async function (from, to) {
  const start = now();
  const result = await rename.call(this, from, to);
  if (String(from).endsWith('.next')) {
    let bytes = NaN;
    try {
      bytes = statSync(`${to}.wal`).size;
    } catch {}
    timeline.push({ kind: 'fold install', start, end: now(), bytes });
  } else if (String(from).endsWith('.wal') && /\.wal\.\d+$/.test(String(to))) {
    timeline.push({ kind: 'log rotation', start, end: now() });
  }
  return result;
};
syncBuiltinESMExports();

// Event loop gaps: a 5 ms timer that fires late by more than 20 ms.
// The process's CPU time over the gap tells our own code running long (CPU ≈ the gap) from
// the process waiting for a core on a busy machine (CPU far below it).
let last = now();
let lastCpu = process.cpuUsage();
setInterval(() => {
  const t = now();
  const cpu = process.cpuUsage();
  if (t - last > 25) {
    const cpuMs = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
    // monotonic µs, the clock of a --cpu-prof profile's sample times (bench/long-tasks.mjs --at).
    const mono = Number(process.hrtime.bigint() / 1000n);
    timeline.push({ kind: cpuMs >= 0.6 * (t - last - 5) ? 'loop blocked (running)' : 'loop blocked (descheduled)', start: last + 5, end: t, mono });
  }
  last = t;
  lastCpu = cpu;
}, 5).unref();

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = ['', 'minor', 'major', '', 'incremental', '', '', '', 'weakcb'][entry.detail?.kind ?? 0] || `kind ${entry.detail?.kind}`;
    timeline.push({ kind: `gc ${kind}`, start: entry.startTime, end: entry.startTime + entry.duration });
  }
}).observe({ entryTypes: ['gc'] });

const started = new WeakMap();
/** {label, from}: each section reports the requests and timeline after its start. */
const sections = [{ label: 'start', from: 0 }];
diagnostics.subscribe('http.server.request.start', ({ request }) => {
  const label = /[?&]stall-watch=([^&]*)/.exec(request.url)?.[1];
  if (label !== undefined) return void sections.push({ label: decodeURIComponent(label), from: now() });
  started.set(request, now());
});
diagnostics.subscribe('http.server.response.finish', ({ request }) => {
  const start = started.get(request);
  if (start !== undefined) requests.push({ start, end: now(), what: `${request.method} ${request.url}` });
});

const quantiles = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1) : '-');
  return `n ${sorted.length}  p50 ${at(0.5)}  p90 ${at(0.9)}  p99 ${at(0.99)}  p99.9 ${at(0.999)}  max ${sorted.length ? sorted.at(-1).toFixed(1) : '-'} ms`;
};

process.on('exit', () => {
  const all = { timeline: [...timeline], requests: [...requests] };
  const out = [];
  sections.forEach(({ label, from }, i) => {
    const to = sections[i + 1]?.from ?? Infinity;
    const requestsIn = all.requests.filter((r) => r.start >= from && r.start < to);
    if (requestsIn.length === 0) return;
    timeline.length = 0;
    timeline.push(...all.timeline.filter((e) => e.start >= from && e.start < to));
    requests.length = 0;
    requests.push(...requestsIn);
    out.push(`stall-watch section "${label}" (${((to === Infinity ? now() : to) - from) / 1000 | 0} s):`);
    report(out);
  });
  writeSync(2, out.join('\n') + '\n');
});

function report(out) {
  const ms = (e) => e.end - e.start;
  out.push(`stall-watch: requests (server side, first byte in to last byte out): ${quantiles(requests.map(ms))}`);
  const installs = timeline.filter((e) => e.kind === 'fold install');
  if (installs.length) {
    out.push(`stall-watch: fold installs (snapshot rename): ${installs.map((e) => `${ms(e).toFixed(0)} ms (log ${(e.bytes / 1048576).toFixed(1)} MB)`).join(', ')}`);
  }
  const rotations = timeline.filter((e) => e.kind === 'log rotation');
  if (rotations.length) out.push(`stall-watch: log rotations (appends held): ${rotations.map((e) => `${ms(e).toFixed(1)} ms`).join(', ')}`);
  for (const kind of ['fdatasync', 'fsync']) {
    const of = timeline.filter((e) => e.kind === kind);
    if (of.length) out.push(`stall-watch: ${kind}: ${quantiles(of.map(ms))}`);
  }
  const gcs = timeline.filter((e) => e.kind.startsWith('gc'));
  out.push(`stall-watch: gc: ${quantiles(gcs.map(ms))}, total ${gcs.reduce((s, e) => s + ms(e), 0).toFixed(0)} ms`);
  for (const kind of ['loop blocked (running)', 'loop blocked (descheduled)']) {
    const gaps = timeline.filter((e) => e.kind === kind);
    out.push(`stall-watch: ${kind} >20 ms: ${gaps.length} times, ${quantiles(gaps.map(ms))}`);
    const longest = [...gaps].sort((a, b) => ms(b) - ms(a)).slice(0, 3);
    if (longest.length) out.push(`  longest, ending at (monotonic µs): ${longest.map((g) => `${ms(g).toFixed(0)} ms @ ${g.mono}`).join(', ')}`);
  }
  // What overlapped each slow request, longest first; a request is blamed on the longest overlap.
  const slow = requests.filter((r) => ms(r) >= slowMs);
  const blame = new Map();
  for (const r of slow) {
    const overlaps = timeline
      .filter((e) => e.start < r.end && e.end > r.start && ms(e) >= 5)
      .map((e) => ({ kind: e.kind, ms: Math.min(e.end, r.end) - Math.max(e.start, r.start) }))
      .sort((a, b) => b.ms - a.ms);
    const top = overlaps[0];
    const key = top && top.ms >= ms(r) / 3 ? top.kind : 'nothing recorded (queued behind others?)';
    const b = blame.get(key) ?? { count: 0, took: [] };
    b.count++;
    b.took.push(ms(r));
    blame.set(key, b);
  }
  out.push(`stall-watch: ${slow.length} of ${requests.length} requests took >= ${slowMs} ms; longest overlap (>= a third of the request):`);
  for (const [kind, b] of [...blame].sort((a, b) => b[1].count - a[1].count)) out.push(`  ${kind.padEnd(42)} ${String(b.count).padStart(6)}  ${quantiles(b.took)}`);
  // The 5 slowest, with their overlaps, as a sample.
  for (const r of [...slow].sort((a, b) => ms(b) - ms(a)).slice(0, 5)) {
    const overlaps = timeline
      .filter((e) => e.start < r.end && e.end > r.start && ms(e) >= 5)
      .map((e) => `${e.kind} ${ms(e).toFixed(0)} ms`)
      .join(', ');
    out.push(`  slowest: ${r.what} ${ms(r).toFixed(0)} ms at ${(r.start / 1000).toFixed(1)} s: ${overlaps || '-'}`);
  }
}
