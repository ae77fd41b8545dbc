#!/usr/bin/env node
// The CLI is compiled TypeScript; `npm install` builds it (prepare script).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/server/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('kudos: not built yet. Run "npm run build" in the Kudos folder first.');
  process.exit(1);
}
await import(cli.href);
