// `npm start` builds only what needs building: nothing when every build output is newer than
// every source (so a start right after `npm install` answers at once), a build when an
// output is missing or a source changed since.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/server.js';

const root = join(import.meta.dirname, '..', '..');
const { OUTPUTS, staleReason } = await import(join(root, 'bin', 'build-if-stale.mjs'));

function touch(base: string, file: string, at: Date) {
  const path = join(base, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '//');
  utimesSync(path, at, at);
}

function builtCheckout() {
  const dir = tempDir('kudos-build-');
  const before = new Date('2026-01-01T10:00:00Z');
  for (const source of ['server/main.ts', 'widgets/points/kudos-points.ts', 'sdk/loader.ts', 'console/console.ts', 'package.json']) {
    touch(dir, source, before);
  }
  for (const output of OUTPUTS as string[]) touch(dir, output, new Date('2026-01-01T11:00:00Z'));
  return dir;
}

describe('npm start', () => {
  it('runs the stale check before the server, not a build', async () => {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.start).toBe('node bin/build-if-stale.mjs && node dist/server/main.js');
  });

  it('does not build when every output is newer than every source', () => {
    expect(staleReason(builtCheckout())).toBeNull();
  });

  it('builds when an output is missing', () => {
    const dir = tempDir('kudos-build-');
    touch(dir, 'server/main.ts', new Date('2026-01-01T10:00:00Z'));
    expect(staleReason(dir)).toBe('dist/server/main.js is missing');
  });

  it('builds when a source changed after the oldest output', () => {
    const dir = builtCheckout();
    touch(dir, 'widgets/points/kudos-points.ts', new Date('2026-01-01T12:00:00Z'));
    expect(staleReason(dir)).toBe(`${join('widgets', 'points', 'kudos-points.ts')} changed since the last build`);
  });

  it('ignores tests and READMEs, which the build does not read', () => {
    const dir = builtCheckout();
    touch(dir, 'widgets/points/points.test.ts', new Date('2026-01-01T12:00:00Z'));
    touch(dir, 'widgets/points/README.md', new Date('2026-01-01T12:00:00Z'));
    expect(staleReason(dir)).toBeNull();
  });
});
