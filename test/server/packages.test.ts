// The two npm packages as a shop installs them: `npm pack` each (after `npm run build`),
// install the tarball into a scratch project, and import it with plain Node. The browser
// package (packages/browser, "kudos-widgets") must bring Lit and nothing else, and import
// without a DOM (server-side rendering); the server package (the root, "kudos") brings the
// API, the CLI and the Node helpers.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
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
function pack(dir: string, into: string): string {
  const [info] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', into], dir)) as Packed[];
  console.log(`${info!.filename}: ${(info!.size / 1024).toFixed(1)} KB packed, ${(info!.unpackedSize / 1024).toFixed(1)} KB unpacked, ${info!.entryCount} files`);
  return join(into, info!.filename);
}
/** A scratch project with the tarball installed (from the npm cache when it has the dependencies). */
function consumerWith(tarball: string): string {
  const dir = tempDir('kudos-consumer-');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'shop', private: true, type: 'module' }));
  npm(['install', '--prefer-offline', '--ignore-scripts', '--no-package-lock', tarball], dir);
  return dir;
}
const installed = (dir: string) =>
  readdirSync(join(dir, 'node_modules'))
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) => (name.startsWith('@') ? readdirSync(join(dir, 'node_modules', name)).map((s) => `${name}/${s}`) : [name]))
    .sort();

let out: string;
beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'npm', 'index.js')) || !existsSync(join(root, 'dist', 'server', 'main.js'))) {
    throw new Error('Run "npm run build" first (dist/ is missing).');
  }
  out = tempDir('kudos-packs-');
  execFileSync(process.execPath, [join(root, 'bin', 'stage-browser-package.mjs')], { cwd: root });
});

describe('npm packages', () => {
  it('kudos-widgets installs with Lit as its only dependency and imports in Node without a DOM', { timeout: 180_000 }, () => {
    const shop = consumerWith(pack(join(root, 'packages', 'browser'), out));
    const lit = ['@lit-labs/ssr-dom-shim', '@lit/reactive-element', '@types/trusted-types', 'lit', 'lit-element', 'lit-html'];
    expect(installed(shop)).toEqual([...lit, 'kudos-widgets'].sort());
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

  it('kudos (the server package) installs and runs its CLI and Node helpers', { timeout: 300_000 }, () => {
    const shop = consumerWith(pack(root, out));
    expect(installed(shop)).toEqual(expect.arrayContaining(['express', 'kudos']));
    const script = "import { customerHash } from 'kudos/node'; console.log(customerHash('sk_test', 'c_42'));";
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: shop, encoding: 'utf8' }).trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(join(shop, 'node_modules', '.bin', 'kudos'))).toBe(true);
  });
});
