#!/usr/bin/env node
// Writes the generated reference pages under docs/ (run after `npm run build:server`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceDocs } from '../dist/server/reference-docs.js';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs');
for (const [path, text] of Object.entries(referenceDocs())) {
  mkdirSync(dirname(join(docs, path)), { recursive: true });
  writeFileSync(join(docs, path), text);
  console.log(`wrote docs/${path}`);
}
