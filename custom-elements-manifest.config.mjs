// `npm run build:package` → dist/custom-elements.json (shipped as kudos-widgets/custom-elements.json, its "customElements").
// packagejson: false: the build must not rewrite package.json.
// The two base classes are analysed too, so each widget inherits `locale` and the shared
// --kudos-* tokens documented on KudosElement. test/server/custom-elements-manifest.test.ts
// compares the result with what each element renders and reads.

/**
 * Reactive state (`static properties = { _x: { state: true } }`, always named `_…`) is not
 * an attribute: the analyzer's Lit support reads `static properties` without `state`, so it
 * listed 28 private fields as attributes. Drop those attributes and mark the fields private.
 */
const privateState = () => ({
  name: 'kudos-private-state',
  packageLinkPhase({ customElementsManifest }) {
    for (const mod of customElementsManifest.modules) {
      for (const declaration of mod.declarations ?? []) {
        if (declaration.attributes) declaration.attributes = declaration.attributes.filter((a) => !a.name.startsWith('_') && !a.fieldName?.startsWith('_'));
        for (const member of declaration.members ?? []) if (member.name.startsWith('_')) member.privacy = 'private';
        // KudosElement.emit(type, detail) reads to the analyzer as an event named `type`; the real ones are the @fires tags.
        if (declaration.events) declaration.events = declaration.events.filter((e) => e.name.startsWith('kudos-'));
      }
    }
  },
});

export default {
  globs: ['widgets/*/kudos-*.ts', 'widgets/internal/base-element.ts', 'widgets/internal/data-element.ts'],
  exclude: ['**/*.test.ts', '**/*.styles.ts'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
  plugins: [privateState()],
};
