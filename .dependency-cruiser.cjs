// The nevers of docs/architecture.md, checked by dependency-cruiser in npm test
// (test/server/import-rules.test.ts). A rule here fails the build; it is not advice.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'engine-is-pure',
      comment:
        'Engines are pure functions over state and events: no HTTP, no express, no store, no file or network I/O. ' +
        'Throw a DomainError (server/errors.ts); take types from server/events/records.ts. ' +
        'An engine is a feature\'s engine.ts (or engine-*.ts) or anything in its engine/ folder.',
      severity: 'error',
      from: { path: '^server/[^/]+/(engine/|engine[^/]*\\.ts$)' },
      to: {
        path: [
          '^server/http/',
          '^server/store/',
          '^server/[^/]+/(routes|service|hosted|demo)[^/]*\\.ts$',
          '^server/events/(record-events|after-record)\\.ts$',
          '^server/(app|server|cli|main|features|openapi)\\.ts$',
          '^node_modules/(express|lowdb|pg)/',
          '^(fs|node:fs|fs/promises|node:fs/promises|net|node:net|http|node:http|https|node:https)$',
        ],
      },
    },
    {
      name: 'no-import-loops',
      comment:
        'A loop means two modules cannot be understood apart. Recording runs what features register in ' +
        'server/features.ts (events/after-record.ts), so it never imports a feature back.',
      severity: 'error',
      from: { path: '^(server|sdk)/' },
      // Type-only edges vanish at build (a catalog that imports its own shape is no loop).
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'store-knows-no-feature',
      comment:
        'A store is handed the lookups the features declare (createStore(config, { lookups })), so a new feature ' +
        'needs no store change. It never imports the registry, the app, a service, routes or a feature\'s lookups ' +
        '(it may share pure engine types and helpers).',
      severity: 'error',
      from: { path: '^server/store/' },
      to: {
        path: ['^server/(features|feature-kit|app|openapi|server|cli)\\.ts$', '^server/[^/]+/(routes|service|hosted|demo|lookups)[^/]*\\.ts$'],
        pathNot: '^server/store/',
      },
    },
    {
      name: 'no-feature-imports-another-service',
      comment:
        "A feature's service.ts (or service-*.ts) is private to its folder. Another feature asks through the " +
        "ports.ts the owner declares (the few functions others may call), or the registry (server/features.ts) wires " +
        'them: after-record hooks, exporters, erasers. Shared folders (events/, http/, store/) count as features here: ' +
        'recording reads the program through loyalty/ports.ts like anyone. Only top-level modules (features.ts, seed.ts) assemble services.',
      severity: 'error',
      // $1 is the importer's folder: a feature may import its own service, never another's.
      from: { path: '^server/([^/]+)/' },
      to: { path: '^server/[^/]+/service[^/]*\\.ts$', pathNot: '^server/$1/' },
    },
    {
      name: 'browser-code-stays-out-of-the-server',
      comment: 'Widgets and the browser SDK ship to shoppers: they never import server code.',
      severity: 'error',
      from: { path: '^(widgets|sdk)/' },
      to: { path: '^server/' },
    },
    {
      name: 'loader-without-lit',
      comment: 'The loader is the 2 KB script tag: Lit arrives only with the first widget, in its own chunk.',
      severity: 'error',
      from: { path: '^sdk/loader\\.ts$' },
      to: { path: '^node_modules/(lit|lit-html|lit-element|@lit)/', reachable: true },
    },
    {
      name: 'loader-reaches-no-widget-code',
      comment: 'Widgets are imported by URL at run time, never bundled into the loader.',
      severity: 'error',
      from: { path: '^sdk/loader\\.ts$' },
      to: { path: '^widgets/', reachable: true },
    },
    {
      name: 'console-imports-server-types-only',
      comment: 'The console is a browser app: it may share the server\'s types (erased at build), never its runtime.',
      severity: 'error',
      from: { path: '^console/' },
      to: { path: '^server/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^dist/|\\.test\\.ts$)' },
  },
};
