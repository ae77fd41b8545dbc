// docs/reference/http-api.md from the /openapi.json document and the scope table: every
// operation with who may call it, its parameters, its body's fields and its answers.
import type { RouteScope } from '../access/route-scopes.js';
import { errors as commonErrors } from '../openapi-kit.js';

interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}
interface Content {
  content?: Record<string, { schema?: Schema }>;
  description?: string;
  required?: boolean;
}
interface Operation {
  operationId: string;
  summary?: string;
  description?: string;
  deprecated?: boolean;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: Content;
  responses: Record<string, Content>;
}
export interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
/** Table cells: a `|` would end the cell, a newline the row. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);

function typeOf(s: Schema | undefined): string {
  if (!s) return 'any';
  if (s.$ref) return refName(s.$ref);
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const union = s.oneOf ?? s.anyOf;
  if (union) return union.map(typeOf).join(' | ');
  if (Array.isArray(s.type)) return s.type.join(' | ');
  if (s.type === 'array') return `${typeOf(s.items)}[]`;
  if (s.type === 'string' && s.format) return `string (${s.format})`;
  return s.type ?? 'any';
}

function notes(s: Schema | undefined): string {
  if (!s) return '';
  const bounds = [
    s.minimum !== undefined && `≥ ${s.minimum}`,
    s.maximum !== undefined && `≤ ${s.maximum}`,
    s.minLength !== undefined && `length ≥ ${s.minLength}`,
    s.maxLength !== undefined && `length ≤ ${s.maxLength}`,
    s.maxItems !== undefined && `≤ ${s.maxItems} items`,
    s.default !== undefined && `default \`${JSON.stringify(s.default)}\``,
  ].filter(Boolean);
  return [s.description, bounds.join(', ')].filter(Boolean).join(' ');
}

function who(op: Operation, method: string, path: string, scopes: readonly RouteScope[]): string {
  if (op.security?.length === 0) return 'no API key (public, or signed as the summary says)';
  const expressPath = path.replace(/^\/v1/, '').replace(/\{(\w+)\}/g, ':$1');
  const route = scopes.find((r) => r.method === method.toUpperCase() && r.path === expressPath);
  if (!route) return 'a key of the shop';
  const secret = route.scope === 'any' ? 'any secret key' : route.scope === 'admin' ? 'a secret key with the `admin` scope' : `a secret key with the \`${route.scope}\` scope (or \`admin\`)`;
  return route.publishable ? `${secret}, or the publishable key` : secret;
}

function fieldsOf(ref: string, doc: OpenApi): string[] {
  const s = doc.components.schemas[refName(ref)];
  if (!s?.properties) return [`\`${refName(ref)}\`: ${typeOf(s)}`];
  const required = new Set(s.required ?? []);
  return [
    `\`${refName(ref)}\`:`,
    '',
    '| field | type | required | notes |',
    '|---|---|---|---|',
    ...Object.entries(s.properties).map(([name, p]) => `| \`${name}\` | ${cell(typeOf(p))} | ${required.has(name) ? 'yes' : ''} | ${cell(notes(p))} |`),
  ];
}

function bodyOf(body: Content, doc: OpenApi): string[] {
  const lines: string[] = [];
  for (const [type, { schema }] of Object.entries(body.content ?? {})) {
    const refs = schema?.$ref ? [schema.$ref] : (schema?.oneOf ?? []).flatMap((s) => (s.$ref ? [s.$ref] : []));
    lines.push('', `**Request body** (\`${type}\`${body.required === false ? ', optional' : ''})${refs.length > 1 ? ', one of' : ''}:`);
    if (refs.length === 0) lines.push('', `${typeOf(schema)}`);
    for (const ref of refs) lines.push('', ...fieldsOf(ref, doc));
  }
  return lines;
}

function responsesOf(op: Operation): string[] {
  const common: string[] = [];
  const rows: string[] = [];
  for (const [status, response] of Object.entries(op.responses).sort(([a], [b]) => a.localeCompare(b))) {
    const [type, content] = Object.entries(response.content ?? {})[0] ?? [];
    if (type === 'application/problem+json' && commonErrors[status as keyof typeof commonErrors]?.description === response.description) {
      common.push(status);
      continue;
    }
    const body = type === 'application/problem+json' ? `[problem](#problem-types-by-status)` : type ? `${cell(typeOf(content?.schema))} (\`${type}\`)` : '';
    rows.push(`| ${status} | ${body} | ${cell(response.description ?? '')} |`);
  }
  const lines = ['', '| status | body | when |', '|---|---|---|', ...rows];
  if (common.length) lines.push('', `Also the [common problems](#common-problems): ${common.join(', ')}.`);
  return lines;
}

function operation(method: string, path: string, op: Operation, doc: OpenApi, scopes: readonly RouteScope[]): string[] {
  const params = op.parameters ?? [];
  return [
    '',
    `### <a id="${op.operationId}"></a>\`${method.toUpperCase()} ${path}\``,
    '',
    ...(op.deprecated ? ['**Deprecated.**', ''] : []),
    cell(op.summary ?? ''),
    '',
    `- operationId: \`${op.operationId}\``,
    `- who: ${who(op, method, path, scopes)}`,
    ...(params.length
      ? ['', '| parameter | in | type | required | notes |', '|---|---|---|---|---|', ...params.map((p) => `| \`${p.name}\` | ${p.in} | ${cell(typeOf(p.schema))} | ${p.required ? 'yes' : ''} | ${cell([p.description, notes(p.schema)].filter(Boolean).join(' '))} |`)]
      : []),
    ...(op.requestBody ? bodyOf(op.requestBody, doc) : []),
    ...responsesOf(op),
  ];
}

/** `/v1/trophies/{id}/awards` → `trophies`; pages outside /v1 (`/t/…`) by their first segment. */
const groupOf = (path: string) => path.replace(/^\/v1\//, '/').split('/')[1]!.replace(/\..*$/, '');

export function httpApiPage(doc: OpenApi, scopes: readonly RouteScope[], problems: Record<string, { status: number }>): string {
  const groups = new Map<string, string[]>();
  for (const path of Object.keys(doc.paths).sort()) {
    for (const method of METHODS) {
      const op = doc.paths[path]![method];
      if (!op) continue;
      const group = groupOf(path);
      groups.set(group, [...(groups.get(group) ?? []), ...operation(method, path, op, doc, scopes)]);
    }
  }
  const byStatus = new Map<number, string[]>();
  for (const [slug, { status }] of Object.entries(problems)) byStatus.set(status, [...(byStatus.get(status) ?? []), slug]);
  const names = [...groups.keys()].sort();
  return [
    'Every operation of `/openapi.json` (`server/openapi.ts` and the feature `openapi.ts` modules, built',
    'from the zod schemas the routes validate with), with who may call it from the route scopes each',
    'feature declares next to its routes (gathered in `server/features.ts`). The guide to the API is [HTTP API](../http-api.md); every',
    'error answer is `application/problem+json` ([Problem types](problems.md)).',
    '',
    names.map((g) => `[${g}](#${g})`).join(' · '),
    '',
    '## Common problems',
    '',
    'Most operations can answer these; an operation lists them by status.',
    '',
    '| status | when |',
    '|---|---|',
    ...Object.entries(commonErrors).map(([status, r]) => `| ${status} | ${cell(r.description)} |`),
    '',
    '## Problem types by status',
    '',
    '| status | types |',
    '|---|---|',
    ...[...byStatus.entries()].sort(([a], [b]) => a - b).map(([status, slugs]) => `| ${status} | ${slugs.sort().map((s) => `[\`${s}\`](problems.md#${s})`).join(', ')} |`),
    ...names.flatMap((g) => ['', `## ${g}`, ...groups.get(g)!]),
    '',
  ].join('\n');
}
