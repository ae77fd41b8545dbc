// custom-elements.json is what editors, Storybook and design tools read about the widgets.
// This builds it the way `npm run build:package` does (test/helpers/custom-elements.ts) and
// checks what the source alone can tell: public attributes only (no state), one described
// entry per part and property, each event typed in HTMLElementEventMap. Whether the parts,
// slots, --kudos-* properties, attributes and events are the ones each element really
// renders, reads and dispatches is checked in Chromium against the built manifest
// (widgets/internal/custom-elements-manifest.test.ts).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { WIDGET_TAGS } from '../../sdk/widget-tags.js';
import { analyzeCustomElements } from '../helpers/custom-elements.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

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
  const manifest = (await analyzeCustomElements()) as { modules: { declarations?: Declaration[] }[] };
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
