// The two npm packages as a shop installs them: `npm pack` each (after `npm run build`),
// install the tarball into a scratch project, and import it with plain Node. The browser
// package (packages/browser, "kudos-widgets") must bring Lit and nothing else, and import
// without a DOM (server-side rendering); the server package (the root, "kudos") brings the
// API, the CLI and the Node helpers, and no Lit and no browser entries: its widget bundles
// are only files it serves (dist/public). Both tarball sizes are printed.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/server.js';

const root = join(import.meta.dirname, '..', '..');
const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
}
/** `npm pack` without lifecycle scripts (the build is done; prepack would only stage again). */
function pack(dir: string, into: string): { tarball: string; files: string[] } {
  const [info] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', into], dir)) as (Packed & { files: { path: string }[] })[];
  console.log(`${info!.filename}: ${info!.size} B (${(info!.size / 1024).toFixed(1)} KB) packed, ${(info!.unpackedSize / 1024).toFixed(1)} KB unpacked, ${info!.entryCount} files`);
  return { tarball: join(into, info!.filename), files: info!.files.map((f) => f.path) };
}
/** A scratch project with the tarball installed (from the npm cache when it has the dependencies). */
function consumerWith(tarball: string): string {
  const dir = tempDir('kudos-consumer-');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'shop', private: true, type: 'module' }));
  npm(['install', '--prefer-offline', '--ignore-scripts', '--no-package-lock', tarball], dir);
  return dir;
}
/** Every package anywhere in the installed tree (nested node_modules too), by name. */
function tree(dir: string): string[] {
  const names: string[] = [];
  const walk = (modules: string) => {
    if (!existsSync(modules)) return;
    for (const name of readdirSync(modules)) {
      if (name.startsWith('.')) continue;
      const dirs = name.startsWith('@') ? readdirSync(join(modules, name)).map((s) => `${name}/${s}`) : [name];
      for (const d of dirs) {
        names.push(d);
        walk(join(modules, d, 'node_modules'));
      }
    }
  };
  walk(join(dir, 'node_modules'));
  return names;
}
/** The files package.json "exports" and "types" name (patterns with `*` are left out). */
function exportedFiles(pkg: { types?: string; exports: Record<string, unknown> }): string[] {
  const targets = (value: unknown): string[] => (typeof value === 'string' ? [value] : Object.values(value as object).flatMap(targets));
  return [...new Set([pkg.types ?? [], ...Object.values(pkg.exports).flatMap(targets)].flat())].filter((file) => !file.includes('*'));
}
const LIT = /^(lit|lit-html|lit-element|@lit\/.*|@lit-labs\/.*)$/;
const installed = (dir: string) =>
  readdirSync(join(dir, 'node_modules'))
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) => (name.startsWith('@') ? readdirSync(join(dir, 'node_modules', name)).map((s) => `${name}/${s}`) : [name]))
    .sort();

let out: string;
let staged: string;
beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'npm', 'index.js')) || !existsSync(join(root, 'dist', 'server', 'main.js'))) {
    throw new Error('Run "npm run build" first (dist/ is missing).');
  }
  out = tempDir('kudos-packs-');
  // A staged copy of packages/browser, as its prepack makes it (package.test.ts stages its own).
  staged = join(tempDir('kudos-widgets-'), 'kudos-widgets');
  execFileSync(process.execPath, [join(root, 'bin', 'stage-browser-package.mjs'), staged], { cwd: root });
});

describe('npm packages', () => {
  it('kudos-widgets installs with Lit as its only dependency and imports in Node without a DOM', { timeout: 180_000 }, () => {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', 'browser', 'package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies ?? {})).toEqual(['lit']);
    expect(manifest.dependencies.lit).toMatch(/^\^3\.\d+\.\d+$/);
    expect(manifest.peerDependencies ?? {}).toEqual({});
    const { tarball, files } = pack(staged, out);
    // Source maps would point at sources the package does not ship; the build writes none for it.
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    const shop = consumerWith(tarball);
    const lit = ['@lit-labs/ssr-dom-shim', '@lit/reactive-element', '@types/trusted-types', 'lit', 'lit-element', 'lit-html'];
    expect(installed(shop)).toEqual([...lit, 'kudos-widgets'].sort());
    expect(exportedFiles(manifest).filter((file) => !existsSync(join(shop, 'node_modules', 'kudos-widgets', file)))).toEqual([]);
    const tags = readdirSync(join(shop, 'node_modules', 'kudos-widgets', 'dist', 'npm', 'widgets')).filter((f) => f.endsWith('.js'));
    expect(tags.length).toBeGreaterThanOrEqual(8);
    const script = [
      "const kudos = await import('kudos-widgets');",
      ...tags.map((file) => `await import('kudos-widgets/widgets/${file}');`),
      "const manifest = (await import('kudos-widgets/custom-elements.json', { with: { type: 'json' } })).default;",
      'console.log(typeof kudos.init, manifest.modules.length > 0);',
    ].join('\n');
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: shop, encoding: 'utf8' }).trim()).toBe('function true');
  });

  it('kudos (the server package) installs without Lit, exports only its Node side, and runs its CLI and Node helpers', { timeout: 300_000 }, () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies).filter((name) => LIT.test(name))).toEqual([]);
    const { tarball, files } = pack(root, out);
    // The browser entries (ESM widgets importing 'lit', their types, the manifest) are kudos-widgets';
    // the built bundles it serves (dist/public, Lit inside) stay, as files.
    expect(files.filter((f) => /^dist\/(npm|types\/widgets)\/|^dist\/custom-elements\.json$/.test(f))).toEqual([]);
    expect(files).toContain('dist/public/kudos.js');
    // tsc writes maps for local debugging; they name TypeScript sources the tarball does not ship.
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    const shop = consumerWith(tarball);
    expect(installed(shop)).toEqual(expect.arrayContaining(['express', 'kudos']));
    expect(tree(shop).filter((name) => LIT.test(name))).toEqual([]);
    const script = [
      "const main = await import('kudos');",
      "const node = await import('kudos/node');",
      "console.log(main.customerHash('sk_test', 'c_42') === node.customerHash('sk_test', 'c_42') ? node.customerHash('sk_test', 'c_42') : 'differ');",
      "for (const entry of ['kudos/widgets/kudos-badges.js', 'kudos/custom-elements.json']) {",
      "  await import(entry).then(() => console.log('exported: ' + entry), (e) => { if (e.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw e; });",
      '}',
    ].join('\n');
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: shop, encoding: 'utf8' }).trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(join(shop, 'node_modules', '.bin', 'kudos'))).toBe(true);
    expect(execFileSync(join(shop, 'node_modules', '.bin', 'kudos'), ['--help'], { cwd: shop, encoding: 'utf8' })).toMatch(/shop/);
    // Every file "exports" names is in the tarball (the types of '.' and './node' included).
    expect(exportedFiles(pkg).filter((file) => !existsSync(join(shop, 'node_modules', 'kudos', file)))).toEqual([]);
  });
});
