// Four builds (see DESIGN.md "Script tag and elements"):
//   loader   sdk/loader.ts               → dist/public/kudos.js          classic IIFE, minified
//   runtime  sdk/runtime-chunk.ts        → dist/public/widgets/chunks/runtime-<hash>.js  ESM, imported by the loader when first needed
//   widgets  widgets/*/kudos-*.ts        → dist/public/widgets/<tag>.js  ESM, minified, Lit in one shared chunk
//   npm      sdk/index.ts, widgets       → dist/npm/index.js, dist/npm/widgets/<tag>.js  ESM, Lit external
// Type errors fail the build (noEmitOnError); @rollup/plugin-typescript would otherwise only warn.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
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

/**
 * Brotli and gzip copies beside every emitted file, made once at build time at the highest
 * levels (too slow per request): server/http/precompressed.ts serves them to browsers that
 * accept them, so the wire carries what bench/bundle-size.mjs counts, not 2.3× that.
 */
const precompress = () => ({
  name: 'precompress',
  writeBundle(options, bundle) {
    const dir = options.dir ?? dirname(options.file);
    for (const fileName of Object.keys(bundle)) {
      if (!/\.(js|css|html|svg|json)$/.test(fileName)) continue;
      const file = join(dir, fileName);
      const source = readFileSync(file);
      writeFileSync(`${file}.br`, brotliCompressSync(source, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }));
      writeFileSync(`${file}.gz`, gzipSync(source, { level: 9 }));
    }
  },
});

// The runtime with the persisted event queue (sdk/runtime-chunk.ts): a hashed, long-cached chunk the
// loader imports on the first Kudos() call. Built after the widgets (whose build empties
// dist/public/widgets) and before the loader, which gets its file name stamped in for
// __KUDOS_RUNTIME_CHUNK__ (and the widgets' chunks for __KUDOS_CHUNKS__).
let queueChunk;
const queue = {
  input: 'sdk/runtime-chunk.ts',
  output: { dir: 'dist/public/widgets', format: 'es', entryFileNames: 'chunks/runtime-[hash:6].js' },
  plugins: [
    typescriptPlugin(),
    minify({ module: true }),
    { name: 'queue-chunk-name', generateBundle: (_, bundle) => void (queueChunk = Object.keys(bundle)[0].replace(/\.js$/, '')) },
    precompress(),
  ],
};
const stampQueueChunk = () => ({
  name: 'stamp-queue-chunk',
  renderChunk: (code) =>
    code.replaceAll('__KUDOS_RUNTIME_CHUNK__', JSON.stringify(queueChunk)).replaceAll('__KUDOS_CHUNKS__', JSON.stringify(widgetChunks)),
});

// The chunks every widget file imports, directly or through another chunk: the loader preloads
// them with the widget's file (sdk/loader.ts), so they arrive in the same round trip instead of
// one after another. Bytes in the loader, so one list for every widget, the names without
// `chunks/` and `.js` (today: the base chunk). A widget that imports other shared chunks than
// the rest would need its own list there again (before issue 20's page budget it was the list
// widgets' card chunk, now copied into each of them: copyPerImporter): the build says so.
let widgetChunks = [];
const recordWidgetChunks = () => ({
  name: 'record-widget-chunks',
  generateBundle(_, bundle) {
    const closure = (file, seen = new Set()) => {
      for (const dependency of bundle[file].imports) if (!seen.has(dependency)) closure(dependency, seen.add(dependency));
      return seen;
    };
    const lists = Object.entries(bundle)
      .filter(([, chunk]) => chunk.type == 'chunk' && chunk.isEntry)
      .map(([file, chunk]) => [chunk.name, [...closure(file)].map((f) => f.replace(/^chunks\/|\.js$/g, '')).sort()]);
    widgetChunks = lists[0]?.[1] ?? [];
    for (const [tag, list] of lists) {
      if (String(list) != String(widgetChunks)) {
        this.error(`<${tag}> imports the chunks ${list} and <${lists[0][0]}> ${widgetChunks}: the loader preloads one list (__KUDOS_CHUNKS__) for every widget.`);
      }
    }
  },
});

const loader = {
  input: 'sdk/loader.ts',
  // No "use strict" prologue: bytes on every page, for a script written strict-clean anyway.
  output: { file: 'dist/public/kudos.js', format: 'iife', strict: false },
  plugins: [checkVersion(), typescriptPlugin(), stampQueueChunk(), minify(), precompress()],
};

/**
 * Private members (`this._busy`, `_fetch`, `_said`…) are names the minifier keeps unless told to
 * rename them, and every widget spells out its own. They are renamed across all widget chunks
 * with one shared name cache (chunks are then minified one after another), so the base class in
 * the base chunk, the widgets and email-join.ts (which calls `host._act`) agree on every name.
 * - Renamed: `_` then a lower-case letter, which is how our code spells private members and how
 *   Lit (`_$…`), the DOM and the API's JSON never do; and the base class's protected
 *   `requireRuntime`, which every widget calls (no other name of ours is long and frequent enough
 *   to be worth listing: `msg` and `emit` saved 2 B). Lit `static properties` keys are renamed with
 *   the fields they declare (`state: true`, so no attribute name derives from them); a name in a
 *   string (`changed.has('_x')`, `'_x' in o`) would not be, so widgets must not use any.
 * - New names (`_a`, `_b`… `_aa`…) skip every such name in widgets/ and sdk/: terser keeps a name
 *   that is already a cached new name as it is, so an original `_g` in a later chunk would clash
 *   with another member renamed `_g` earlier. Its name generator runs in a worker, from its
 *   source text, so the names to skip are written into that text.
 */
function privateMembers() {
  const originals = new Set();
  for (const dir of ['widgets', 'sdk']) {
    for (const file of readdirSync(dir, { recursive: true })) {
      if (!/\.ts$/.test(file)) continue;
      for (const [name] of readFileSync(`${dir}/${file}`, 'utf8').matchAll(/\b_[a-z]\w*/g)) originals.add(name);
    }
  }
  const get = new Function(
    'n',
    `const skip = new Set(${JSON.stringify([...originals].sort())});
    const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
    for (let i = 0; ; i++) {
      let name = '_' + letters[i % 26];
      for (let x = Math.floor(i / 26); x > 0; x = Math.floor(x / 52)) name += letters[--x % 52];
      if (!skip.has(name) && n-- == 0) return name;
    }`,
  );
  return { regex: /^(_[a-z]|requireRuntime$)/, nth_identifier: { get } };
}

/**
 * Lit's production files carry what only other apps use: the decorators' metadata, reactive
 * controllers and initializers (the API decorators and controllers are built on; our widgets
 * use neither), the polyfill/hydration hooks and version stamps, and long developer messages.
 * ~240 B gzip on every widget page (issue 20: a widget page that also tracks is ≤ 14 KB).
 * Cut here, in the CDN build only (npm users get Lit as it is), by exact text: each cut must
 * match once in the pinned Lit (package-lock.json), or the build fails and says which, so an
 * upgrade is re-checked rather than silently shipped half cut. Kept: the <style> fallback for
 * browsers without constructable stylesheets (Safari < 16.4) and Trusted Types.
 */
const LIT_CUTS = [
  // css-tag.js: messages for misuse of css`` (a CSSResult built by hand, a non-css value).
  ['css-tag.js', 'throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.")', 'throw Error("css")'],
  [
    'css-tag.js',
    `throw Error("Value passed to 'css' function must be a 'css' function result: "+t+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")`,
    'throw Error("css: "+t)',
  ],
  // reactive-element.js: decorators' metadata (we declare `static properties`), initializers, controllers.
  ['reactive-element.js', 'Symbol.metadata??=Symbol("metadata"),a.litPropertyMetadata??=new WeakMap;', ''],
  ['reactive-element.js', 'const t=this[Symbol.metadata];if(null!==t){const s=litPropertyMetadata.get(t);if(void 0!==s)for(const[t,i]of s)this.elementProperties.set(t,i)}', ''],
  ['reactive-element.js', 'static addInitializer(t){this._$Ei(),(this.l??=[]).push(t)}', ''],
  ['reactive-element.js', 'void 0!==t.l&&(this.l=[...t.l]),', ''],
  ['reactive-element.js', ',this.constructor.l?.forEach(t=>t(this))', ''],
  ['reactive-element.js', 'addController(t){(this._$EO??=new Set).add(t),void 0!==this.renderRoot&&this.isConnected&&t.hostConnected?.()}removeController(t){this._$EO?.delete(t)}', ''],
  ['reactive-element.js', ',this._$EO?.forEach(t=>t.hostConnected?.())', ''],
  ['reactive-element.js', 'disconnectedCallback(){this._$EO?.forEach(t=>t.hostDisconnected?.())}', 'disconnectedCallback(){}'],
  ['reactive-element.js', 'this._$EO?.forEach(t=>t.hostUpdate?.()),', ''],
  ['reactive-element.js', 'this._$EO?.forEach(t=>t.hostUpdated?.()),', ''],
  ['reactive-element.js', ',p?.({ReactiveElement:y}),(a.reactiveElementVersions??=[]).push("2.1.2")', ''],
  // reactive-element.js: the default attribute converter's JSON for `type: Object` / `type: Array`
  // properties, which no widget declares (the build fails if one does: OBJECT_PROPERTY below).
  ['reactive-element.js', 'case Object:case Array:t=null==t?t:JSON.stringify(t)', ''],
  ['reactive-element.js', 'case Object:case Array:try{i=JSON.parse(t)}catch(t){i=null}', ''],
  // lit-html.js / lit-element.js: polyfill and hydration hooks, version stamps, a developer message.
  ['lit-html.js', 'throw Error("invalid template strings array")', 'throw Error("html")'],
  ['lit-html.js', ',B=t.litHtmlPolyfillSupport;B?.(S,k),(t.litHtmlVersions??=[]).push("3.3.3")', ''],
  ['lit-element.js', ',s.litElementHydrateSupport?.({LitElement:i});const o=s.litElementPolyfillSupport;o?.({LitElement:i})', ';'],
  ['lit-element.js', '(s.litElementVersions??=[]).push("4.2.2");', ''],
];
const OBJECT_PROPERTY = /\btype:\s*(Object|Array)\b/;
const trimLit = () => ({
  name: 'trim-lit',
  transform(code, id) {
    if (!LIT_CORE.test(id)) return null;
    const file = id.split(/[\\/]/).pop();
    let out = code;
    for (const [name, cut, by] of LIT_CUTS) {
      if (name != file) continue;
      if (out.split(cut).length != 2) this.error(`trim-lit: "${cut.slice(0, 60)}…" is not once in ${id}: Lit changed, re-check LIT_CUTS.`);
      out = out.replace(cut, () => by);
    }
    return out == code ? null : { code: out, map: null };
  },
  buildEnd() {
    for (const id of this.getModuleIds()) {
      if (/[\\/]widgets[\\/].*\.ts$/.test(id) && OBJECT_PROPERTY.test(readFileSync(id, 'utf8'))) {
        this.error(`trim-lit: ${id} declares a type: Object or Array property, whose JSON attribute converter LIT_CUTS removes.`);
      }
    }
    const files = new Set([...this.getModuleIds()].filter((id) => LIT_CORE.test(id)).map((id) => id.split(/[\\/]/).pop()));
    for (const [name] of LIT_CUTS) if (!files.has(name)) this.error(`trim-lit: no ${name} in the build: Lit changed, re-check LIT_CUTS.`);
  },
});

/**
 * A module imported by several widgets that each gets its own copy of, instead of a shared
 * chunk: internal/card.ts (the list widgets' card styles). A widget page downloads it either
 * way; as its own file it cost 270 B more gzip on the badges page (a separate response is a
 * separate gzip stream, which cannot reuse the widget's and the base's `--_x`/`[part~=…]`
 * text), and the copies cost "all widgets" about as much (issue 20's page budget is the
 * tighter one: a widget page that also tracks). A query per importer makes each a module of
 * its own; the file read and transformed is the same.
 */
const COPIED = /[\\/]widgets[\\/]internal[\\/]card\.ts$/;
const copyPerImporter = () => ({
  name: 'copy-per-importer',
  async resolveId(source, importer, options) {
    if (!importer || !/card\.js$/.test(source)) return null;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    if (!resolved || !COPIED.test(resolved.id)) return null;
    return `${resolved.id}?from=${importer.replace(/^.*[\\/]/, '').replace(/\.ts$/, '')}`;
  },
  // The TypeScript plugin serves its program's files by their path: a copy is read here, as the
  // plain module it is written as (card.ts has no type syntax; the transform below would say).
  load: (id) => (/\?from=/.test(id) && COPIED.test(id.replace(/\?.*/, '')) ? readFileSync(id.replace(/\?.*/, ''), 'utf8') : null),
});

const widgets = {
  input: widgetEntries(),
  output: {
    dir: 'dist/public/widgets',
    format: 'es',
    entryFileNames: '[name].js',
    // Every widget names the chunks it imports by file (Lit, base, its two translations): those
    // names are bytes in every widget. 6 hash characters (36 bits) tell versions apart as well as
    // 8, and a translation (messages.fr.ts) is just `fr-<hash>.js` (bench/bundle-size.mjs knows).
    chunkFileNames: (chunk) =>
      /^messages\.[a-z]{2}$/.test(chunk.name) ? `chunks/${chunk.name.slice('messages.'.length)}-[hash:6].js` : 'chunks/[name]-[hash:6].js',
    // Lit and widgets/internal (base element, tokens, messages, parts): one cached chunk, since
    // every widget imports both. As two chunks they cost 362 B more gzip on "all widgets" (296 B
    // on a page): a second request, a second gzip stream, and every widget and the base naming
    // Lit's exports across files. (A Kudos release then changes the chunk Lit is in; Lit alone
    // is 5.8 KB of it.)
    // Except: its translations (internal/messages.<lang>.ts) stay lazy chunks, like every
    // widget's, and the list widgets' card styles (internal/card.ts) are copied into each of
    // them (copyPerImporter): only their pages download them, and not as a file of their own.
    manualChunks: (id) =>
      LIT_CORE.test(id) || /[\\/]widgets[\\/]internal[\\/](?!messages\.[a-z]{2}\.|card\.)/.test(id) ? 'base' : undefined,
    // Lit's per-file @license comments are dropped by the minifier; one notice stays.
    banner: (chunk) => (chunk.name == 'base' ? '/*! Lit | BSD-3-Clause | Copyright Google LLC */' : ''),
  },
  plugins: [
    cleanDir('dist/public/widgets'),
    copyPerImporter(),
    nodeResolve({ browser: true }),
    trimLit(),
    // Whitespace in html`` and css`` templates is bytes on every page; Lit's own minifier drops it safely.
    // So are quotes around attribute values that need none (`part=base`; Lit binds unquoted values
    // too) and end tags the HTML parser implies (`</li>` before `</ul>`): Lit's <template> parses
    // to the same DOM. The minifier sees each binding as text, so no end tag before one is dropped.
    minifyTemplates({
      include: ['widgets/**/*.ts'],
      failOnError: true,
      options: { minifyOptions: { removeAttributeQuotes: true, removeOptionalTags: true } },
    }),
    typescriptPlugin(),
    minify({ module: true, mangle: { properties: privateMembers() }, nameCache: {} }),
    recordWidgetChunks(),
    precompress(),
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
  // French and German strings are chunks of their own (console/i18n.ts), fetched only for those pages.
  // All of one language's catalogs (the shell's and every section's) are one chunk: one request.
  output: {
    dir: 'dist/public/console',
    format: 'es',
    entryFileNames: 'console.js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    manualChunks: (id) => /[\\/]console[\\/].*messages\.([a-z]{2})\.ts$/.exec(id)?.[1],
  },
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
    precompress(),
  ],
};

// With no widget to build, no widget output may survive from an earlier build either.
const hasWidgets = Object.keys(widgets.input).length > 0;
if (!hasWidgets) rmSync('dist/public/widgets', { recursive: true, force: true });
export default [...(hasWidgets ? [widgets, queue, loader, npm] : [queue, loader, npm]), consoleApp];
