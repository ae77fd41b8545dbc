#!/usr/bin/env node
// `npm test`: every stage runs, even after one fails, so one broken suite never hides the
// state of the others; the summary at the end lists each stage's result, and the exit code
// is non-zero when any failed. (Chaining the stages with && stopped at the first failure,
// so a fresh clone with one failing server test never ran the widget or end-to-end suites.)
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The stages of `npm test`, in order: each is an npm script of package.json. */
export const STAGES = [
  { name: 'build', command: 'npm run build' },
  { name: 'size', command: 'npm run test:size' },
  { name: 'server', command: 'npm run test:server' },
  { name: 'web', command: 'npm run test:web' },
  { name: 'e2e', command: 'npm run test:e2e' },
];

function run(command) {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: 'inherit' });
    child.on('error', () => resolve(1));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Runs every stage in order and returns one line per stage; never stops early. */
export async function runStages(stages, log = console.log) {
  const results = [];
  for (const stage of stages) {
    log(`\n=== ${stage.name}: ${stage.command}`);
    const started = Date.now();
    const code = await run(stage.command);
    results.push({ name: stage.name, ok: code === 0, code, seconds: Math.round((Date.now() - started) / 1000) });
  }
  log('\n=== npm test summary');
  for (const r of results) {
    log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(7)} ${r.ok ? '' : `(exit ${r.code}) `}${r.seconds} s`);
  }
  const failed = results.filter((r) => !r.ok).map((r) => r.name);
  log(failed.length ? `${failed.length} of ${results.length} stages failed: ${failed.join(', ')}` : `all ${results.length} stages passed`);
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const only = process.argv.slice(2);
  const stages = only.length ? STAGES.filter((s) => only.includes(s.name)) : STAGES;
  const results = await runStages(stages);
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
}
