// `npm run build:package` → dist/custom-elements.json (package.json "customElements").
// packagejson: false: the build must not rewrite package.json.
export default {
  globs: ['widgets/*/kudos-*.ts'],
  exclude: ['**/*.test.ts', '**/*.styles.ts'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
};
