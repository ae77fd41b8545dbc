// Three builds (see DESIGN.md "Script tag and elements"):
//   loader   sdk/loader.ts               → dist/public/kudos.js          classic IIFE, minified
//   widgets  widgets/*/kudos-*.ts        → dist/public/widgets/<tag>.js  ESM, minified, Lit in one shared chunk
//   npm      sdk/index.ts                → dist/npm/index.js             ESM
// Type errors fail the build (noEmitOnError); @rollup/plugin-typescript would otherwise only warn.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import minifyTemplates from '@lit-labs/rollup-plugin-minify-html-literals';

// ES2021 output, like Lit's own: ES2022 would emit class static blocks, a syntax error before Safari 16.4.
const typescriptPlugin = () =>
  typescript({ tsconfig: 'tsconfig.json', target: 'ES2021', noEmitOnError: true, declaration: false, declarationMap: false });

const minify = (options = {}) =>
  terser({ ecma: 2020, compress: { passes: 2 }, format: { comments: /^!/ }, ...options });

/**
 * `widgets/<folder>/kudos-<name>.ts` → entry `kudos-<name>` (the loader imports `widgets/<tag>.js`).
 * Tests, styles and widgets/internal/ (base class, helpers) are not entries.
 */
function widgetEntries() {
  const entries = {};
  for (const folder of readdirSync('widgets', { withFileTypes: true })) {
    if (!folder.isDirectory() || folder.name == 'internal') continue;
    for (const file of readdirSync(`widgets/${folder.name}`)) {
      const match = /^(kudos-[a-z0-9-]+)\.ts$/.exec(file);
      if (!match) continue;
      const path = `widgets/${folder.name}/${file}`;
      if (entries[match[1]]) throw new Error(`Two widgets named ${match[1]}: ${entries[match[1]]} and ${path}`);
      entries[match[1]] = path;
    }
  }
  return entries;
}

/** Lit's core packages, so every widget shares one cached copy. */
const LIT_CORE = /[\\/]node_modules[\\/](lit|lit-html|lit-element|@lit[\\/]reactive-element)[\\/]/;

/** Stale hashed chunks from an earlier build would be served and counted by bench/bundle-size.mjs. */
const cleanDir = (dir) => ({
  name: 'clean-dir',
  buildStart: () => rmSync(dir, { recursive: true, force: true }),
});

/** Runtime's `Kudos.version` is sdk/version.ts; keep it in step with the package. */
const checkVersion = () => ({
  name: 'check-version',
  buildStart() {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
    if (!readFileSync('sdk/version.ts', 'utf8').includes(`'${version}'`)) {
      this.error(`sdk/version.ts must say VERSION = '${version}' (package.json "version").`);
    }
  },
});

const loader = {
  input: 'sdk/loader.ts',
  output: { file: 'dist/public/kudos.js', format: 'iife' },
  plugins: [checkVersion(), typescriptPlugin(), minify()],
};

const widgets = {
  input: widgetEntries(),
  output: {
    dir: 'dist/public/widgets',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    // Lit, and widgets/internal (base element, tokens, messages, parts): one cached chunk each,
    // rather than small chunks whose request and gzip overhead cost more than they save.
    // Except: its translations (internal/messages.<lang>.ts) stay lazy chunks, like every
    // widget's, and the list widgets' card styles (internal/card.ts) are a chunk that only
    // their pages download.
    manualChunks: (id) =>
      LIT_CORE.test(id) ? 'lit' : /[\\/]widgets[\\/]internal[\\/](?!messages\.[a-z]{2}\.|card\.)/.test(id) ? 'base' : undefined,
    // Lit's per-file @license comments are dropped by the minifier; one notice stays.
    banner: (chunk) => (chunk.name == 'lit' ? '/*! Lit | BSD-3-Clause | Copyright Google LLC */' : ''),
  },
  plugins: [
    cleanDir('dist/public/widgets'),
    nodeResolve({ browser: true }),
    // Whitespace in html`` and css`` templates is bytes on every page; Lit's own minifier drops it safely.
    minifyTemplates({ include: ['widgets/**/*.ts'], failOnError: true }),
    typescriptPlugin(),
    minify({ module: true }),
  ],
};

const npm = {
  input: 'sdk/index.ts',
  output: { file: 'dist/npm/index.js', format: 'es' },
  plugins: [checkVersion(), typescriptPlugin()],
};

// With no widget to build, no widget output may survive from an earlier build either.
const hasWidgets = Object.keys(widgets.input).length > 0;
if (!hasWidgets) rmSync('dist/public/widgets', { recursive: true, force: true });
export default hasWidgets ? [loader, widgets, npm] : [loader, npm];
