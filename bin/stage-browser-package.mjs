#!/usr/bin/env node
// packages/browser (npm "kudos-widgets"): the browser side alone, for front-end projects
// that must not install the server's dependencies. It ships what `npm run build` already
// made for the root package's browser entries: dist/npm (ESM, Lit external), their
// declarations in dist/types (without the Node helpers) and custom-elements.json.
// `npm pack` in packages/browser runs this first (prepack).
// `stage-browser-package.mjs DIR` stages a complete copy (package.json included) into DIR
// instead: the package tests pack and link such copies, so they never rewrite packages/browser
// under each other.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = fileURLToPath(new URL('../packages/browser/', import.meta.url));
const target = process.argv[2] ? resolve(process.argv[2]) + '/' : source;
const need = ['dist/npm/index.js', 'dist/types/sdk/index.d.ts', 'dist/custom-elements.json'];
for (const file of need) {
  if (!existsSync(root + file)) {
    console.error(`stage-browser-package: ${file} is missing; run "npm run build" at the repository root first.`);
    process.exit(1);
  }
}
rmSync(target + 'dist', { recursive: true, force: true });
if (target !== source) {
  mkdirSync(target, { recursive: true });
  cpSync(source + 'package.json', target + 'package.json');
}
cpSync(root + 'dist/npm', target + 'dist/npm', { recursive: true });
for (const dir of ['sdk', 'widgets']) {
  cpSync(root + `dist/types/${dir}`, target + `dist/types/${dir}`, { recursive: true, filter: (src) => !/[\\/]sdk[\\/]node\.d\.ts(\.map)?$/.test(src) });
}
cpSync(root + 'dist/custom-elements.json', target + 'custom-elements.json');
console.log(`staged ${target === source ? 'packages/browser' : target} from dist/`);
