// The npm packages as a shop developer's project sees them: a temp consumer with `kudos`
// (the server package: a link to this folder, after `npm run build`) and `kudos-widgets`
// (packages/browser, staged into it as its prepack does, Lit linked beside it) imports
// every entry of both packages' "exports", and TypeScript type-checks the imports against
// the built declarations. Widgets are ESM with Lit imported, not bundled;
// kudos-widgets/custom-elements.json describes every widget. packages.test.ts packs and
// installs the real tarballs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/server.js';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'packages', 'browser', 'package.json'), 'utf8'));
const tags = readdirSync(join(root, 'dist', 'npm', 'widgets'))
  .filter((f) => f.endsWith('.js'))
  .map((f) => f.replace(/\.js$/, ''));

let consumer: string;
beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'types'))) throw new Error('Run "npm run build" first (dist/types is missing).');
  consumer = tempDir('kudos-consumer-');
  mkdirSync(join(consumer, 'node_modules'));
  symlinkSync(root, join(consumer, 'node_modules', 'kudos'), 'dir');
  execFileSync(process.execPath, [join(root, 'bin', 'stage-browser-package.mjs'), join(consumer, 'node_modules', 'kudos-widgets')], { cwd: root });
  symlinkSync(join(root, 'node_modules', 'lit'), join(consumer, 'node_modules', 'lit'), 'dir');
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'shop', type: 'module', private: true }));
});
afterAll(() => rmSync(consumer, { recursive: true, force: true }));

describe('the npm packages', () => {
  it('builds an ESM widget per tag with Lit as an import, not bundled', () => {
    expect(tags).toEqual(expect.arrayContaining(['kudos-badges', 'kudos-points', 'kudos-nps', 'kudos-trophy-case', 'kudos-share-save']));
    // A caret range: a shop's own Lit 3 and the widgets' are one copy in its bundle, not two.
    expect(pkg.dependencies.lit).toMatch(/^\^3\.\d+\.\d+$/);
    const badges = readFileSync(join(root, 'dist', 'npm', 'widgets', 'kudos-badges.js'), 'utf8');
    expect(badges).toMatch(/from 'lit'/);
    for (const file of readdirSync(join(root, 'dist', 'npm'), { recursive: true }) as string[]) {
      if (file.endsWith('.js')) expect(readFileSync(join(root, 'dist', 'npm', file), 'utf8'), file).not.toMatch(/Copyright Google LLC|class ReactiveElement/);
    }
  });

  it('type-checks a consumer importing the SDK, the Node helpers and each widget', () => {
    const lines = [
      "import { init, type KudosRuntime } from 'kudos-widgets';",
      "import { customerHash, verifyWebhook, KudosServerClient } from 'kudos/node';",
      "import { customerHash as sameHash } from 'kudos';",
      ...tags.map((tag, i) => `import * as w${i} from 'kudos-widgets/widgets/${tag}.js';`),
      "const runtime: KudosRuntime = init({ api: 'https://kudos.example', key: 'pk_x' });",
      "runtime('track', 'page_view', { path: '/' });",
      "const hash: string = customerHash('sk_x', 'c_1');",
      "const ok: boolean = verifyWebhook('{}', 't=1,v1=00', 'whsec');",
      "new KudosServerClient({ api: 'https://kudos.example', secretKey: 'sk_x' });",
      "const badges: HTMLElement = document.createElement('kudos-badges');",
      // A wrong call must fail: proves the types are really resolved, not `any`.
      "// @ts-expect-error init needs a key",
      "init({ api: 'https://kudos.example' });",
      `export { sameHash, runtime, hash, ok, badges, ${tags.map((_, i) => `w${i}`).join(', ')} };`,
    ];
    writeFileSync(join(consumer, 'shop.ts'), lines.join('\n') + '\n');
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          types: ['node'],
          typeRoots: [join(root, 'node_modules', '@types')],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
        },
        files: ['shop.ts'],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', consumer], { cwd: consumer, encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe('');
  }, 60_000); // a whole tsc run, on a busy machine

  it('runs the Node entry (kudos and kudos/node) from the consumer', () => {
    const script = "import { customerHash } from 'kudos/node'; import * as main from 'kudos'; console.log(main.customerHash === customerHash ? customerHash('sk_test', 'c_42') : 'differ');";
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer, encoding: 'utf8' });
    expect(out.trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('imports the browser entry and every widget in Node, as server-side rendering does (no navigator, no DOM)', () => {
    const script = [
      "const kudos = await import('kudos-widgets');",
      ...tags.map((tag) => `await import('kudos-widgets/widgets/${tag}.js');`),
      "console.log(typeof kudos.init, typeof kudos.createRuntime);",
    ].join('\n');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer, encoding: 'utf8' });
    expect(out.trim()).toBe('function function');
  });

  it('lists every widget in kudos-widgets/custom-elements.json, named in its package.json', () => {
    expect(pkg.customElements).toBe('custom-elements.json');
    expect(pkg.exports['./custom-elements.json']).toBe('./custom-elements.json');
    const manifest = JSON.parse(readFileSync(join(consumer, 'node_modules', 'kudos-widgets', pkg.customElements), 'utf8'));
    const declared = manifest.modules.flatMap((m: { declarations?: { tagName?: string }[] }) => (m.declarations ?? []).map((d) => d.tagName).filter(Boolean));
    expect(declared.sort()).toEqual([...tags].sort());
    const badges = manifest.modules.flatMap((m: { declarations?: object[] }) => m.declarations ?? []).find((d: { tagName?: string }) => d.tagName == 'kudos-badges');
    expect(badges.cssParts.length).toBeGreaterThan(0);
  });
});
