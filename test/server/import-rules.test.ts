// The architecture's nevers (docs/architecture.md), checked with dependency-cruiser and the
// rules in .dependency-cruiser.cjs: the real tree has no violation, and a probe tree that
// breaks each rule once is caught by that rule (so a rule that cannot fail is noticed).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');
const depcruise = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
// A crawl of the whole repository (about 360 modules, TypeScript resolution included) takes
// some 20 s on two shared cores, close to the server project's 30 s default under load.
const CRAWL_TIMEOUT = 120_000;

/** The violations dependency-cruiser reports for a tree, run as `npm test` users would run it. */
async function violationsIn(baseDir: string): Promise<string[]> {
  const folders = ['server', 'widgets', 'sdk', 'console'].filter((d) => existsSync(join(baseDir, d)));
  const args = [depcruise, '--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'json', ...folders];
  // It exits non-zero when it finds violations; the report is on stdout either way.
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: baseDir, maxBuffer: 64 << 20 }).catch((error) => error);
  const result = JSON.parse(stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[]; totalCruised: number } };
  expect(result.summary.totalCruised).toBeGreaterThan(folders.length);
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

describe('import rules', () => {
  it('the repository keeps every never', async () => {
    expect(await violationsIn(root)).toEqual([]);
  }, CRAWL_TIMEOUT);

  const probe = mkdtempSync(join(tmpdir(), 'kudos-import-rules-'));
  afterAll(() => rmSync(probe, { recursive: true, force: true }));

  it('a probe tree that breaks each rule once is caught, rule by rule', async () => {
    const files: Record<string, string> = {
      'server/http/auth.ts': 'export const auth = 1;\n',
      'server/store/store.ts': 'export const store = 1;\n',
      'server/errors.ts': 'export class DomainError extends Error {}\n',
      // allowed: a domain error; forbidden: HTTP and the store
      'server/surveys/engine.ts': "import { DomainError } from '../errors.js';\nimport { auth } from '../http/auth.js';\nexport const x = [DomainError, auth];\n",
      'server/loyalty/engine/points.ts': "import { store } from '../../store/store.js';\nexport const y = store;\n",
      'server/gifts/engine-draw.ts': "import { giftsRouter } from './routes.js';\nexport const d = giftsRouter;\n",
      'server/gifts/routes.ts': 'export const giftsRouter = 1;\n',
      'server/events/record-events.ts': "import { attribute } from '../share-save/service.js';\nexport const record = () => attribute;\n",
      'server/share-save/service.ts': "import { record } from '../events/record-events.js';\nexport const attribute = () => record;\n",
      // allowed: a pure engine's helper; forbidden: the feature registry (which may import any service)
      'server/features.ts': "import { attribute } from './share-save/service.js';\nexport const FEATURES = [attribute];\n",
      'server/store/lowdb-store.ts': "import { FEATURES } from '../features.js';\nimport { store } from './store.js';\nexport const s = [FEATURES, store];\n",
      // allowed: a feature's own service, another's ports, the registry assembling services; forbidden: another's service
      'server/share-save/routes.ts': "import { attribute } from './service.js';\nexport const r = attribute;\n",
      'server/share-save/ports.ts': "export { attribute } from './service.js';\n",
      'server/metrics/service.ts': "import { attribute } from '../share-save/service.js';\nimport { attribute as declared } from '../share-save/ports.js';\nexport const m = [attribute, declared];\n",
      'widgets/nps/kudos-nps.ts': "import { store } from '../../server/store/store.js';\nexport const z = store;\n",
      'node_modules/lit/index.js': 'export const html = 1;\n',
      'node_modules/lit/package.json': '{"name":"lit","main":"index.js","type":"module"}\n',
      'sdk/runtime.ts': "import { html } from 'lit';\nexport const r = html;\n",
      'sdk/loader.ts': "import { r } from './runtime.js';\nexport const l = r;\n",
      // allowed: a type; forbidden: a runtime value
      'console/api.ts': "import type { DomainError } from '../server/errors.js';\nimport { auth } from '../server/http/auth.js';\nexport type E = DomainError;\nexport const a = auth;\n",
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(probe, name)), { recursive: true });
      writeFileSync(join(probe, name), text);
    }
    writeFileSync(join(probe, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', allowJs: true } }));
    expect((await violationsIn(probe)).sort()).toEqual([
      'browser-code-stays-out-of-the-server: widgets/nps/kudos-nps.ts → server/store/store.ts',
      'console-imports-server-types-only: console/api.ts → server/http/auth.ts',
      'engine-is-pure: server/gifts/engine-draw.ts → server/gifts/routes.ts',
      'engine-is-pure: server/loyalty/engine/points.ts → server/store/store.ts',
      'engine-is-pure: server/surveys/engine.ts → server/http/auth.ts',
      'loader-without-lit: sdk/loader.ts → node_modules/lit/index.js',
      'no-feature-imports-another-service: server/events/record-events.ts → server/share-save/service.ts',
      'no-feature-imports-another-service: server/metrics/service.ts → server/share-save/service.ts',
      'no-import-loops: server/events/record-events.ts → server/share-save/service.ts',
      'store-knows-no-feature: server/store/lowdb-store.ts → server/features.ts',
    ]);
  }, CRAWL_TIMEOUT);
});
