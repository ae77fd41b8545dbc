// custom-elements.json is what editors, Storybook and design tools read about the widgets.
// This builds it the way `npm run build:package` does (cem analyze with the repository's
// config, into a temp folder: cem joins outdir to the working directory, hence relative) and compares it with each element's source: the parts its
// templates render, the --kudos-* tokens its styles read, the events it dispatches (and
// declares in HTMLElementEventMap), its slots, and public attributes only (no state).
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
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

/** The element's source and every widgets/ module it imports (not sdk/, not message catalogs). */
function sourceGraph(file: string, seen = new Set<string>()): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const text = readFileSync(path, 'utf8');
    files.set(relative(ROOT, path), text);
    for (const [, spec] of text.matchAll(/from '(\.\.?\/[^']+)\.js'/g)) {
      const next = resolve(dirname(path), `${spec}.ts`);
      if (relative(join(ROOT, 'widgets'), next).startsWith('..') || /messages(\.[a-z]+)?\.ts$/.test(next)) continue;
      visit(next);
    }
  };
  visit(file);
  return files;
}

/** Part names a template can render: literal ones, and the prefixes of computed ones (`trophy-${level}` → `trophy-`). */
function renderedParts(texts: string[]): { names: Set<string>; prefixes: Set<string> } {
  const names = new Set<string>();
  const prefixes = new Set<string>();
  for (const text of texts) {
    for (const [, quoted, bare] of text.matchAll(/\bpart=(?:"([^"]*)"|\$\{([^}]*)\})/g)) {
      const value = quoted ?? `\${${bare}}`;
      for (const [, inside] of value.matchAll(/\$\{([^}]*)\}/g)) {
        for (const [, word] of inside!.matchAll(/'([^']*)'/g)) for (const w of word!.split(/\s+/)) if (w) names.add(w);
      }
      for (const word of value.replace(/\$\{[^}]*\}/g, '\u0000').split(/\s+/)) {
        const stem = word.replace(/\u0000/g, '');
        if (!word.includes('\u0000')) names.add(word);
        else if (stem && word.endsWith('\u0000')) prefixes.add(stem);
      }
    }
  }
  return { names, prefixes };
}

const tokensRead = (texts: string[]) => new Set(texts.flatMap((t) => [...t.matchAll(/var\(\s*(--kudos-[a-z0-9-]+)/g)].map((m) => m[1]!)));
/** Events the element dispatches: `this.emit('kudos-…', detail)` (base-element.ts) or `new CustomEvent('kudos-…')`. */
const eventsDispatched = (text: string) => new Set([...text.matchAll(/(?:\bemit|new CustomEvent)(?:<[^>]*>)?\(\s*'([a-z-]+)'/g)].map((m) => m[1]!));

const TAGS = Object.keys(WIDGET_TAGS);

describe('custom-elements.json', () => {
  it('has every element the loader knows', () => {
    const tags = declarations.filter((d) => d.customElement && d.tagName).map((d) => d.tagName);
    expect(tags.sort()).toEqual([...TAGS].sort());
  });

  describe.each(TAGS)('<%s>', (tag) => {
    const folder = tag.replace(/^kudos-/, '');
    const file = join(ROOT, 'widgets', folder, `${tag}.ts`);
    const graph = sourceGraph(file);
    const own = graph.get(relative(ROOT, file))!;
    const element = () => declarations.find((d) => d.tagName === tag)!;

    it('lists public attributes only, with locale', () => {
      const attributes = element().attributes ?? [];
      expect(attributes.filter((a) => a.name.startsWith('_') || a.fieldName?.startsWith('_')).map((a) => a.name)).toEqual([]);
      expect(attributes.map((a) => a.name)).toContain('locale');
      for (const a of attributes) expect(a.description, `attribute ${a.name}`).toBeTruthy();
      const publicState = (element().members ?? []).filter((m) => m.name.startsWith('_') && m.privacy !== 'private' && m.privacy !== 'protected');
      expect(publicState.map((m) => m.name)).toEqual([]);
    });

    it('documents every part it renders, one name each', () => {
      const documented = (element().cssParts ?? []).map((p) => p.name);
      for (const name of documented) expect(name).toMatch(/^[a-z][a-z0-9-]*$/);
      const { names, prefixes } = renderedParts([...graph.values()]);
      expect([...names].filter((n) => !documented.includes(n)).sort(), 'rendered parts missing from the manifest').toEqual([]);
      for (const prefix of prefixes) expect(documented.some((n) => n.startsWith(prefix)), `parts named ${prefix}…`).toBe(true);
      for (const p of element().cssParts ?? []) expect(p.description, `part ${p.name}`).toBeTruthy();
    });

    it('documents every --kudos-* token its styles read', () => {
      const documented = (element().cssProperties ?? []).map((p) => p.name);
      const read = tokensRead([...graph.values()]);
      expect(read.size).toBeGreaterThan(10);
      expect([...read].filter((t) => !documented.includes(t)).sort(), 'tokens read but not in the manifest').toEqual([]);
      expect(documented.filter((t) => !read.has(t)).sort(), 'tokens in the manifest the styles never read').toEqual([]);
    });

    it('documents its events, each typed in HTMLElementEventMap, and its slots', () => {
      const dispatched = eventsDispatched(own);
      expect((element().events ?? []).map((e) => e.name).sort()).toEqual([...dispatched].sort());
      const eventMap = own.match(/interface HTMLElementEventMap \{([^}]*)\}/)?.[1] ?? '';
      for (const name of dispatched) expect(eventMap, `${name} in HTMLElementEventMap`).toContain(`'${name}'`);
      const slots = [...graph.values()].some((t) => /<slot[\s>]/.test(t));
      expect((element().slots ?? []).length > 0, 'slots documented').toBe(slots);
    });
  });
});
