#!/usr/bin/env node
// `npm start` runs this first: it builds only when a build output is missing or a source
// file is newer than the oldest output, so starting an already-built Kudos (e.g. right
// after `npm install`, whose prepare script built it) takes no build time.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What `npm run build` writes last in each of its steps: all must exist and be newer than every source. */
export const OUTPUTS = [
  'dist/server/main.js',
  'dist/public/kudos.js',
  'dist/public/console/console.js',
  'dist/npm/index.js',
  'dist/custom-elements.json',
];
/** Folders and files the build reads. Tests and READMEs do not change what is built. */
export const SOURCES = [
  'server', 'sdk', 'widgets', 'console',
  'package.json', 'tsconfig.json', 'tsconfig.server.json', 'tsconfig.npm.json',
  'rollup.config.mjs', 'custom-elements-manifest.config.mjs',
];

function* files(path) {
  if (!existsSync(path)) return;
  const stat = statSync(path);
  if (!stat.isDirectory()) {
    yield { path, mtimeMs: stat.mtimeMs };
    return;
  }
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.endsWith('.test.ts') || name.endsWith('.md')) continue;
    yield* files(join(path, name));
  }
}

/** Why a build is needed (a sentence), or null when the build outputs are up to date. */
export function staleReason(root) {
  let oldest = Infinity;
  for (const output of OUTPUTS) {
    const path = join(root, output);
    if (!existsSync(path)) return `${output} is missing`;
    oldest = Math.min(oldest, statSync(path).mtimeMs);
  }
  for (const source of SOURCES) {
    for (const file of files(join(root, source))) {
      if (file.mtimeMs > oldest) return `${relative(root, file.path)} changed since the last build`;
    }
  }
  return null;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(fileURLToPath(import.meta.url), '..', '..');
  const reason = staleReason(root);
  if (reason) {
    console.log(`kudos: building (${reason})…`);
    const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    process.exitCode = build.status ?? 1;
  }
}
