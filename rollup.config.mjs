// Four builds (see DESIGN.md "Script tag and elements"):
//   loader   sdk/loader.ts               → dist/public/kudos.js          classic IIFE, minified
//   queue    sdk/queue.ts                → dist/public/widgets/chunks/queue-<hash>.js  ESM, imported by the loader
//   widgets  widgets/*/kudos-*.ts        → dist/public/widgets/<tag>.js  ESM, minified, Lit in one shared chunk
//   npm      sdk/index.ts, widgets       → dist/npm/index.js, dist/npm/widgets/<tag>.js  ESM, Lit external
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

// The persisted event queue (sdk/queue.ts): a hashed, long-cached chunk the loader imports on the
// first tracked event. Built after the widgets (whose build empties dist/public/widgets) and before
// the loader, which gets its file name stamped in for __KUDOS_QUEUE_CHUNK__.
let queueChunk;
const queue = {
  input: 'sdk/queue.ts',
  output: { dir: 'dist/public/widgets', format: 'es', entryFileNames: 'chunks/queue-[hash].js' },
  plugins: [
    typescriptPlugin(),
    minify({ module: true }),
    { name: 'queue-chunk-name', generateBundle: (_, bundle) => void (queueChunk = Object.keys(bundle)[0].replace(/\.js$/, '')) },
  ],
};
const stampQueueChunk = () => ({
  name: 'stamp-queue-chunk',
  renderChunk: (code) => code.replaceAll('__KUDOS_QUEUE_CHUNK__', JSON.stringify(queueChunk)),
});

const loader = {
  input: 'sdk/loader.ts',
  output: { file: 'dist/public/kudos.js', format: 'iife' },
  plugins: [checkVersion(), typescriptPlugin(), stampQueueChunk(), minify()],
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

// npm: the SDK entry and every widget as ESM for bundlers, Lit left as a dependency (one copy in
// the shop's bundle). Types come from `npm run build:package` (tsc → dist/types); each entry
// gets a .d.ts beside it that re-exports them, so `kudos/widgets/<tag>.js` resolves its types.
const LIT_PACKAGE = /^(lit|lit-html|lit-element|@lit\/reactive-element)(\/|$)/;
const typeShims = (sources) => ({
  name: 'type-shims',
  generateBundle() {
    for (const [name, source] of Object.entries(sources)) {
      const target = `${'../'.repeat(name.split('/').length)}types/${source.replace(/\.ts$/, '.js')}`;
      this.emitFile({ type: 'asset', fileName: `${name}.d.ts`, source: `export * from '${target}';\n` });
    }
  },
});
const npmInput = {
  index: 'sdk/index.ts',
  ...Object.fromEntries(Object.entries(widgetEntries()).map(([tag, path]) => [`widgets/${tag}`, path])),
};
const npm = {
  input: npmInput,
  external: (id) => LIT_PACKAGE.test(id),
  output: { dir: 'dist/npm', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
  plugins: [checkVersion(), cleanDir('dist/npm'), typescriptPlugin(), typeShims(npmInput)],
};

// The shop console (console/): its own bundle in dist/public/console, never under
// widgets/, so the shopper-facing budgets and the loader never see it.
const consoleApp = {
  input: 'console/console.ts',
  output: { file: 'dist/public/console/console.js', format: 'es' },
  plugins: [
    cleanDir('dist/public/console'),
    {
      name: 'console-static',
      generateBundle() {
        for (const fileName of ['index.html', 'console.css']) this.emitFile({ type: 'asset', fileName, source: readFileSync(`console/${fileName}`, 'utf8') });
      },
    },
    nodeResolve({ browser: true }),
    typescript({ tsconfig: 'console/tsconfig.json', target: 'ES2021', noEmitOnError: true, declaration: false, declarationMap: false }),
    minify({ module: true }),
  ],
};

// With no widget to build, no widget output may survive from an earlier build either.
const hasWidgets = Object.keys(widgets.input).length > 0;
if (!hasWidgets) rmSync('dist/public/widgets', { recursive: true, force: true });
export default [...(hasWidgets ? [widgets, queue, loader, npm] : [queue, loader, npm]), consoleApp];
