// Kept equal to package.json "version": rollup.config.mjs refuses to build when they differ.
export const VERSION = '0.1.0';
