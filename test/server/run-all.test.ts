// `npm test` (test/run-all.mjs) runs every stage even when an earlier one fails, reports each,
// and exits non-zero when any failed. And the tests carry what they read: nothing in the
// product's folders reads the folder of shared notes that sits beside the repository on the
// machine it was written on, so a fresh clone tests the same.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const runner = join(root, 'test', 'run-all.mjs');

describe('npm test', () => {
  it('is the stage runner, and README and CI run exactly `npm test`', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.test).toBe('node test/run-all.mjs');
    expect(readFileSync(join(root, '.ci', 'run'), 'utf8')).toMatch(/^npm test$/m);
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toMatch(/^npm test$/m);
  });

  it('runs every stage after a failure and lists each result at the end', async () => {
    const { runStages } = await import(runner);
    const lines: string[] = [];
    const results = await runStages(
      [
        { name: 'first', command: 'node -e "process.exit(3)"' },
        { name: 'second', command: 'node -e ""' },
        { name: 'third', command: 'node -e "process.exit(1)"' },
      ],
      (line: string) => lines.push(line),
    );
    expect(results.map((r: { name: string; ok: boolean }) => [r.name, r.ok])).toEqual([
      ['first', false],
      ['second', true],
      ['third', false],
    ]);
    const summary = lines.slice(lines.findIndex((l) => l.includes('summary')));
    expect(summary.join('\n')).toMatch(/FAIL {2}first.*\(exit 3\)[\s\S]*PASS {2}second[\s\S]*FAIL {2}third[\s\S]*2 of 3 stages failed: first, third/);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs|js|json)$/.test(name) ? [path] : [];
  });
}

describe('a fresh clone', () => {
  it('has everything its tests read: no file in the product folders reaches outside the repository', () => {
    // Spelled in parts so this guard does not itself match the path it looks for.
    const folder = 'sha' + 'red';
    const outside = new RegExp(`(\\.\\./+${folder}\\b)|(['"]\\.\\.['"]\\s*,\\s*['"]${folder}['"])`);
    const offenders = ['test', 'widgets', 'sdk', 'server', 'console', 'bench', 'examples']
      .flatMap((dir) => sourceFiles(join(root, dir)))
      .filter((file) => outside.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
    // The schema the trophy test validates against is in the repository.
    for (const file of ['achievementcredential.schema.json', 'README.md']) {
      expect(existsSync(join(root, 'test', 'fixtures', 'open-badges-3.0', file))).toBe(true);
    }
  });
});
