// docs/reference/elements.md from custom-elements.json (the JSDoc of widgets/*/kudos-*.ts as the
// analyzer reads it): each element's attributes, properties, events, slots, parts and tokens.
// What an element inherits is listed once, under the base class it comes from.

interface Named {
  name: string;
  description?: string;
  type?: { text: string };
  default?: string;
  inheritedFrom?: { name: string };
}
interface Member extends Named {
  kind: string;
  privacy?: string;
  static?: boolean;
  attribute?: string;
}
interface Declaration {
  name: string;
  tagName?: string;
  customElement?: boolean;
  description?: string;
  superclass?: { name: string };
  attributes?: (Named & { fieldName?: string })[];
  members?: Member[];
  events?: Named[];
  slots?: Named[];
  cssParts?: Named[];
  cssProperties?: Named[];
}
export interface Manifest {
  modules: { path: string; declarations?: Declaration[] }[];
}

const cell = (text = '') => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const code = (text?: string) => (text ? `\`${cell(text)}\`` : '');
const isPublic = (m: Member) => !m.static && m.privacy !== 'private' && m.privacy !== 'protected';

function table(title: string, head: string[], rows: string[][]): string[] {
  if (rows.length === 0) return [];
  return ['', `**${title}**`, '', `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/** The parts of a declaration that it defines itself (own = true) or that it inherits (own = false). */
function sections(d: Declaration, own: boolean): string[] {
  const mine = <T extends Named>(items: T[] = []) => items.filter((i) => !i.inheritedFrom === own);
  // An attribute's property is in the attributes table; these are the properties set from script only.
  const fields = mine(d.members).filter((m) => isPublic(m) && m.kind === 'field' && !m.attribute);
  const methods = mine(d.members).filter((m) => isPublic(m) && m.kind === 'method');
  return [
    ...table('Attributes', ['attribute', 'property', 'type', 'default', 'description'], mine(d.attributes).map((a) => [code(a.name), code(a.fieldName), code(a.type?.text), code(a.default), cell(a.description)])),
    ...table('Properties (no attribute)', ['property', 'type', 'default', 'description'], fields.map((m) => [code(m.name), code(m.type?.text), code(m.default), cell(m.description)])),
    ...table('Methods', ['method', 'description'], methods.map((m) => [code(`${m.name}()`), cell(m.description)])),
    ...table('Events', ['event', 'description'], mine(d.events).map((e) => [code(e.name), cell(e.description)])),
    ...table('Slots', ['slot', 'description'], mine(d.slots).map((s) => [s.name ? code(s.name) : '(default)', cell(s.description)])),
    ...table('Parts', ['part', 'description'], mine(d.cssParts).map((p) => [code(p.name), cell(p.description)])),
    ...table('CSS custom properties', ['property', 'description'], mine(d.cssProperties).map((p) => [code(p.name), cell(p.description)])),
  ];
}

/** Base classes whose public API elements inherit, nearest first. */
function inheritedFrom(d: Declaration): string[] {
  const items: Named[] = [...(d.attributes ?? []), ...(d.members ?? []).filter(isPublic), ...(d.events ?? []), ...(d.slots ?? []), ...(d.cssParts ?? []), ...(d.cssProperties ?? [])];
  return [...new Set(items.flatMap((i) => (i.inheritedFrom ? [i.inheritedFrom.name] : [])))].sort();
}

export function elementsPage(manifest: Manifest): string {
  const declarations = manifest.modules.flatMap((m) => m.declarations ?? []);
  const elements = declarations.filter((d) => d.customElement && d.tagName).sort((a, b) => a.tagName!.localeCompare(b.tagName!));
  const bases = [...new Set(elements.flatMap(inheritedFrom))].sort();
  const anchor = (name: string) => name.toLowerCase();
  return [
    'Every element of `custom-elements.json` (`npm run build:package`; the JSDoc tags of',
    '`widgets/*/kudos-*.ts`, which `widgets/internal/custom-elements-manifest.test.ts` checks in',
    'Chromium against what each element renders). How to use each one: `widgets/<name>/README.md`; setting up the script tag:',
    '[Getting started](../getting-started.md#the-script-tag).',
    '',
    elements.map((e) => `[\`<${e.tagName}>\`](#${e.tagName})`).join(' · '),
    ...elements.flatMap((e) => {
      const from = inheritedFrom(e);
      return [
        '',
        `## <a id="${e.tagName}"></a>\`<${e.tagName}>\``,
        '',
        ...(e.description ? [e.description, ''] : []),
        `Class \`${e.name}\`.`,
        ...sections(e, true),
        ...(from.length ? ['', `Also what it inherits from ${from.map((b) => `[\`${b}\`](#${anchor(b)})`).join(' and ')}.`] : []),
      ];
    }),
    ...bases.flatMap((name) => {
      const base = declarations.find((d) => d.name === name);
      if (!base) return [];
      return ['', `## <a id="${anchor(name)}"></a>Inherited from \`${name}\``, ...(base.description ? ['', base.description] : []), ...sections(base, true)];
    }),
    '',
  ].join('\n');
}
