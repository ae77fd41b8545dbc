#!/usr/bin/env node
// Writes the generated reference pages under docs/ (run after `npm run build:server` and
// `cem analyze`, which write dist/server/ and dist/custom-elements.json: `npm run docs` does both).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceDocs } from '../dist/server/reference-docs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const docs = join(root, 'docs');
const manifest = JSON.parse(readFileSync(join(root, 'dist', 'custom-elements.json'), 'utf8'));
for (const [path, text] of Object.entries(referenceDocs(manifest))) {
  mkdirSync(dirname(join(docs, path)), { recursive: true });
  writeFileSync(join(docs, path), text);
  console.log(`wrote docs/${path}`);
}
