#!/usr/bin/env node
// packages/browser (npm "kudos-widgets"): the browser side alone, for front-end projects
// that must not install the server's dependencies. It ships what `npm run build` already
// made for the root package's browser entries: dist/npm (ESM, Lit external), their
// declarations in dist/types (without the Node helpers) and custom-elements.json.
// `npm pack` in packages/browser runs this first (prepack).
import { cpSync, existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = fileURLToPath(new URL('../packages/browser/', import.meta.url));
const need = ['dist/npm/index.js', 'dist/types/sdk/index.d.ts', 'dist/custom-elements.json'];
for (const file of need) {
  if (!existsSync(root + file)) {
    console.error(`stage-browser-package: ${file} is missing; run "npm run build" at the repository root first.`);
    process.exit(1);
  }
}
rmSync(target + 'dist', { recursive: true, force: true });
cpSync(root + 'dist/npm', target + 'dist/npm', { recursive: true });
for (const dir of ['sdk', 'widgets']) {
  cpSync(root + `dist/types/${dir}`, target + `dist/types/${dir}`, { recursive: true, filter: (src) => !/[\\/]sdk[\\/]node\.d\.ts(\.map)?$/.test(src) });
}
cpSync(root + 'dist/custom-elements.json', target + 'custom-elements.json');
console.log('staged packages/browser from dist/');
