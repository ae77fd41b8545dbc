// custom-elements.json as `npm run build:package` writes it: cem analyze with the repository's
// config, into a temp folder (cem joins outdir to the working directory, hence relative), so a
// test reads the manifest of the sources it runs on, never a stale dist/.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './server.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const run = promisify(execFile);

export async function analyzeCustomElements(): Promise<unknown> {
  const out = tempDir('kudos-cem-');
  const config = join(out, 'cem.config.mjs');
  writeFileSync(config, `import base from ${JSON.stringify(join(ROOT, 'custom-elements-manifest.config.mjs'))};\nexport default { ...base, outdir: ${JSON.stringify(relative(ROOT, out))} };\n`);
  await run(join(ROOT, 'node_modules', '.bin', 'cem'), ['analyze', '--config', config, '--quiet'], { cwd: ROOT });
  return JSON.parse(readFileSync(join(out, 'custom-elements.json'), 'utf8'));
}
