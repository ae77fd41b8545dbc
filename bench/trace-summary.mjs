// Main-thread CPU time of a Chromium trace (bench/widgets.mjs --trace DIR) by event, self time (the
// thread's CPU, `tdur`, so waiting for a core on a shared machine does not count): what a V8
// CPU profile calls "(program)" split into parsing, style recalculation, layout, paint, compiling.
//   node bench/trace-summary.mjs FILE.json [FILE.json …] [--top 25]
// With several files (e.g. the runs of one widget), each row is the median over them. The renderer
// main threads (CrRendererMain) only; "tasks" is the sum of top-level tasks, as Performance.getMetrics'
// TaskDuration counts them.
// bench/widgets.mjs --cpu uses `summarize` for its main-thread CPU column.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * Self CPU ms by event name, and the top-level tasks' wall and CPU totals (ms), of one trace
 * (its JSON text or parsed object), over the renderer main threads.
 */
export function summarize(trace) {
  const json = typeof trace == 'string' ? JSON.parse(trace) : trace;
  const events = Array.isArray(json) ? json : json.traceEvents;
  const main = new Set(events.filter((e) => e.ph == 'M' && e.name == 'thread_name' && e.args?.name == 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const byThread = new Map();
  const open = new Map();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (!main.has(key)) continue;
    let span;
    if (e.ph == 'X' && e.dur !== undefined) span = { name: e.name, ts: e.ts, end: e.ts + e.dur, cpu: e.tdur ?? e.dur };
    else if (e.ph == 'B') (open.get(key) ?? open.set(key, []).get(key)).push(e);
    else if (e.ph == 'E') {
      const b = open.get(key)?.pop();
      if (b) span = { name: b.name, ts: b.ts, end: e.ts, cpu: e.tts !== undefined && b.tts !== undefined ? e.tts - b.tts : e.ts - b.ts };
    }
    if (span) (byThread.get(key) ?? byThread.set(key, []).get(key)).push(span);
  }
  const self = new Map();
  let tasks = 0;
  let cpu = 0;
  for (const spans of byThread.values()) {
    spans.sort((a, b) => a.ts - b.ts || b.end - a.end);
    const stack = [];
    const close = (until) => {
      while (stack.length && stack.at(-1).end <= until) {
        const s = stack.pop();
        self.set(s.name, (self.get(s.name) ?? 0) + Math.max(0, s.cpu - s.children) / 1000);
        if (stack.length) stack.at(-1).children += s.cpu;
        else (tasks += (s.end - s.ts) / 1000), (cpu += s.cpu / 1000);
      }
    };
    for (const s of spans) {
      close(s.ts);
      // A span that overlaps its parent's end without nesting (async-looking B/E) is cut to it.
      if (stack.length && s.end > stack.at(-1).end) s.end = stack.at(-1).end;
      stack.push({ ...s, children: 0 });
    }
    close(Infinity);
  }
  return { self, tasks, cpu };
}

/** Coarse kinds of main-thread work, by event name (the rest is "other": IPC, navigation, loading). */
const KINDS = [
  ['layout', /Layout|layout|Shape|InlineNode|LayoutObject|FontCache|Font/],
  ['style', /Style|UpdateLayoutTree|recalc|StyleSheet|CSS|Selector/],
  ['paint', /Paint|Layerize|Commit|Composit|PrePaint|Raster|UpdateLifecycle|BeginMainFrame|Animate/],
  ['parse HTML', /ParseHTML|HTMLDocumentParser|Parser/],
  ['script', /Evaluate|v8|V8|Microtask|FunctionCall|Script|Compile|AsyncTask|CustomElement|TimerBase|FireAnimationFrame|EventDispatch|Event/],
];
const kind = (name) => KINDS.find(([, re]) => re.test(name))?.[0] ?? 'other';

if (import.meta.url == pathToFileURL(process.argv[1]).href) main();

function main() {
const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '25' } }, allowPositionals: true });
const runs = positionals.map((file) => summarize(readFileSync(file, 'utf8')));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const names = new Set(runs.flatMap((r) => [...r.self.keys()]));
const rows = [...names].map((name) => [name, median(runs.map((r) => r.self.get(name) ?? 0))]).sort((a, b) => b[1] - a[1]);
console.log(`${positionals.length} trace(s); main-thread tasks, median: ${median(runs.map((r) => r.tasks)).toFixed(1)} ms, of which on the CPU ${median(runs.map((r) => r.cpu)).toFixed(1)} ms`);
const kinds = runs.map((r) => { const k = {}; for (const [n, ms] of r.self) k[kind(n)] = (k[kind(n)] ?? 0) + ms; return k; });
console.log('by kind (median CPU ms): ' + [...KINDS.map(([k]) => k), 'other'].map((k) => `${k} ${median(kinds.map((x) => x[k] ?? 0)).toFixed(1)}`).join(', '));
console.log('self CPU ms (median)  event');
for (const [name, ms] of rows.slice(0, Number(values.top))) console.log(`${ms.toFixed(1).padStart(8)}           ${name}`);
}
