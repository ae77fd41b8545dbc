// custom-elements.json is what editors, Storybook and design tools read about the widgets.
// This builds it the way `npm run build:package` does (cem analyze with the repository's
// config, into a temp folder: cem joins outdir to the working directory, hence relative) and
// checks what the source alone can tell: public attributes only (no state), one described
// entry per part and property, each event typed in HTMLElementEventMap. Whether the parts,
// slots, --kudos-* properties, attributes and events are the ones each element really
// renders, reads and dispatches is checked in Chromium against the built manifest
// (widgets/internal/custom-elements-manifest.test.ts).
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { WIDGET_TAGS } from '../../sdk/widget-tags.js';
import { tempDir } from '../helpers/server.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const run = promisify(execFile);

interface Named {
  name: string;
  description?: string;
}
interface Declaration {
  kind: string;
  name: string;
  tagName?: string;
  customElement?: boolean;
  attributes?: (Named & { fieldName?: string })[];
  members?: (Named & { privacy?: string; kind: string })[];
  events?: Named[];
  cssParts?: Named[];
  cssProperties?: Named[];
  slots?: Named[];
}
let declarations: Declaration[] = [];

beforeAll(async () => {
  const out = tempDir('kudos-cem-');
  const config = join(out, 'cem.config.mjs');
  writeFileSync(config, `import base from ${JSON.stringify(join(ROOT, 'custom-elements-manifest.config.mjs'))};\nexport default { ...base, outdir: ${JSON.stringify(relative(ROOT, out))} };\n`);
  await run(join(ROOT, 'node_modules', '.bin', 'cem'), ['analyze', '--config', config, '--quiet'], { cwd: ROOT });
  const manifest = JSON.parse(readFileSync(join(out, 'custom-elements.json'), 'utf8')) as { modules: { declarations?: Declaration[] }[] };
  declarations = manifest.modules.flatMap((m) => m.declarations ?? []);
}, 60_000);

const TAGS = Object.keys(WIDGET_TAGS);

describe('custom-elements.json', () => {
  it('has every element the loader knows', () => {
    const tags = declarations.filter((d) => d.customElement && d.tagName).map((d) => d.tagName);
    expect(tags.sort()).toEqual([...TAGS].sort());
  });

  describe.each(TAGS)('<%s>', (tag) => {
    const folder = tag.replace(/^kudos-/, '');
    const file = join(ROOT, 'widgets', folder, `${tag}.ts`);
    const element = () => declarations.find((d) => d.tagName === tag)!;

    it('lists public attributes only, with locale', () => {
      const attributes = element().attributes ?? [];
      expect(attributes.filter((a) => a.name.startsWith('_') || a.fieldName?.startsWith('_')).map((a) => a.name)).toEqual([]);
      expect(attributes.map((a) => a.name)).toContain('locale');
      for (const a of attributes) expect(a.description, `attribute ${a.name}`).toBeTruthy();
      const publicState = (element().members ?? []).filter((m) => m.name.startsWith('_') && m.privacy !== 'private' && m.privacy !== 'protected');
      expect(publicState.map((m) => m.name)).toEqual([]);
    });

    it('names each part once, with a description', () => {
      const documented = (element().cssParts ?? []).map((p) => p.name);
      for (const name of documented) expect(name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(new Set(documented).size).toBe(documented.length);
      for (const p of element().cssParts ?? []) expect(p.description, `part ${p.name}`).toBeTruthy();
      for (const p of element().cssProperties ?? []) expect(p.description, `property ${p.name}`).toBeTruthy();
    });

    it('types each documented event in HTMLElementEventMap', () => {
      const own = readFileSync(file, 'utf8');
      const eventMap = own.match(/interface HTMLElementEventMap \{([^}]*)\}/)?.[1] ?? '';
      for (const { name } of element().events ?? []) expect(eventMap, `${name} in HTMLElementEventMap`).toContain(`'${name}'`);
    });
  });
});
