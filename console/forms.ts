// Forms from field lists: every program form (badges, trophies, rewards…) is a
// list of fields whose names are their JSON paths ("criteria.count" is
// /criteria/count), so a problem+json `errors[].pointer` lands next to its field.
import { html, nothing, type TemplateResult } from 'lit';
import { t } from './messages.js';
import { isoToLocal, localToIso } from './time.js';

export type Values = Record<string, unknown>;

export interface Field {
  /** Dotted path in the request body; the pointer is "/" + name with dots as slashes. */
  name: string;
  /** Shown, in the page's language. */
  label: string;
  type: 'text' | 'textarea' | 'number' | 'select' | 'checkbox' | 'checkboxes' | 'rows' | 'datetime';
  /** For `datetime`: the time zone its wall time is in (the value stays an ISO instant). */
  timeZone?: (values: Values) => string;
  /** [value, label shown]; for `checkboxes`, the values the array may hold. */
  options?: [string, string][];
  required?: boolean;
  /** One plain sentence under the field: what it means for the shop. */
  hint?: string;
  /** Shown (and sent) only when this says so. */
  when?: (values: Values) => boolean;
  /** Only steers the form; never sent. */
  uiOnly?: boolean;
  /** For `rows`: the fields of one row. */
  fields?: Field[];
  /** Empty means null rather than absent (e.g. "never expires"). */
  emptyIsNull?: boolean;
  list?: string;
}

export const pointerOf = (name: string) => '/' + name.split('.').join('/');
const domId = (form: string, name: string) => `${form}-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[parts.at(-1)!] = value;
}

export function getPath(source: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), source);
}

function convert(field: Field, raw: unknown): unknown {
  if (field.type === 'checkbox') return raw === true;
  // Always sent, even empty: the server (or the schema) then names the field.
  if (field.type === 'checkboxes') return Array.isArray(raw) ? raw : [];
  if (raw === undefined || raw === '') return field.emptyIsNull ? null : undefined;
  if (field.type === 'number') {
    const n = Number(raw);
    // Not a number: send the text, so the server names the field.
    return Number.isFinite(n) ? n : raw;
  }
  return raw;
}

/**
 * A row read from a document keeps the document's row here, so properties the form
 * has no field for (a trophy level's criteria…) are written back, not lost.
 */
const REST = '__rest';

function unowned(row: unknown, fields: readonly Field[]): Record<string, unknown> {
  if (!row || typeof row !== 'object') return {};
  const rest: Record<string, unknown> = { ...(row as Record<string, unknown>) };
  for (const f of fields) delete rest[f.name.split('.')[0]!];
  return rest;
}

/** The request body the visible fields make. */
export function bodyOf(fields: readonly Field[], values: Values): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.uiOnly || (field.when && !field.when(values))) continue;
    if (field.type === 'rows') {
      const rows = (values[field.name] as Values[] | undefined) ?? [];
      setPath(body, field.name, rows.map((row) => ({ ...unowned(row[REST], field.fields!), ...bodyOf(field.fields!, row) })));
      continue;
    }
    const value = convert(field, values[field.name]);
    if (value !== undefined) setPath(body, field.name, value);
  }
  return body;
}

/** Form values from a stored document (the reverse of bodyOf). */
export function valuesOf(fields: readonly Field[], doc: unknown): Values {
  const values: Values = {};
  for (const field of fields) {
    const v = getPath(doc, field.name);
    if (field.type === 'rows') values[field.name] = Array.isArray(v) ? v.map((row) => ({ ...valuesOf(field.fields!, row), [REST]: row })) : [];
    else if (field.type === 'checkbox') values[field.name] = v === true;
    else if (field.type === 'checkboxes') values[field.name] = Array.isArray(v) ? v.map(String) : [];
    else values[field.name] = v === undefined || v === null ? '' : String(v);
  }
  return values;
}

export interface FormContext {
  form: string;
  values: Values;
  /** pointer → message */
  errors: Record<string, string>;
  onChange: (name: string, value: unknown) => void;
  /** Inside a rows field: where this row's values live and how pointers start. */
  pointerBase?: string;
}

const label = (field: Field): string => field.label;

export function renderField(field: Field, ctx: FormContext): TemplateResult | typeof nothing {
  if (field.when && !field.when(ctx.values)) return nothing;
  const pointer = (ctx.pointerBase ?? '') + pointerOf(field.name);
  const id = domId(ctx.form, pointer);
  const error = ctx.errors[pointer];
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [field.hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || nothing;
  const value = ctx.values[field.name];
  const onInput = (e: Event) => {
    const target = e.target as HTMLInputElement;
    ctx.onChange(field.name, field.type === 'checkbox' ? target.checked : target.value);
  };
  const errorLine = error ? html`<p class="field-error" id=${errorId}>${error}</p>` : nothing;
  const hintLine = field.hint ? html`<p class="hint" id=${hintId}>${field.hint}</p>` : nothing;
  const req = field.required ? html` <span class="req">${t('required')}</span>` : nothing;

  if (field.type === 'rows') {
    const rows = (value as Values[] | undefined) ?? [];
    const update = (next: Values[]) => ctx.onChange(field.name, next);
    return html`<fieldset class="rows" aria-describedby=${describedBy} data-pointer=${pointer}>
      <legend>${label(field)}</legend>
      ${hintLine} ${errorLine}
      ${rows.map(
        (row, i) => html`<fieldset class="row">
          <legend>${t('row', { n: i + 1 })}</legend>
          ${field.fields!.map((sub) =>
            renderField(sub, {
              form: ctx.form,
              values: row,
              errors: ctx.errors,
              pointerBase: `${pointer}/${i}`,
              onChange: (name, v) => update(rows.map((r, j) => (j === i ? { ...r, [name]: v } : r))),
            }),
          )}
          <button type="button" class="secondary" @click=${() => update(rows.filter((_, j) => j !== i))}>${t('removeRow', { n: i + 1 })}</button>
        </fieldset>`,
      )}
      <button type="button" class="secondary" @click=${() => update([...rows, {}])}>${t('addRow')}</button>
    </fieldset>`;
  }
  if (field.type === 'checkboxes') {
    // One group, one error: each box carries aria-invalid so focus can land on the first one.
    const chosen = new Set((value as string[] | undefined) ?? []);
    const toggle = (option: string, on: boolean) =>
      ctx.onChange(field.name, field.options!.map(([v]) => v).filter((v) => (v === option ? on : chosen.has(v))));
    return html`<fieldset class="checks" aria-describedby=${describedBy} data-pointer=${pointer}>
      <legend>${label(field)}${req}</legend>
      ${hintLine} ${errorLine}
      ${field.options!.map(([v, text]) => {
        const boxId = `${id}-${v.replace(/[^A-Za-z0-9_-]/g, '-')}`;
        return html`<div class="field check">
          <input
            type="checkbox"
            id=${boxId}
            value=${v}
            .checked=${chosen.has(v)}
            @change=${(e: Event) => toggle(v, (e.target as HTMLInputElement).checked)}
            aria-invalid=${error ? 'true' : 'false'}
            aria-describedby=${error ? errorId : nothing}
          />
          <label for=${boxId}>${text}</label>
        </div>`;
      })}
    </fieldset>`;
  }
  if (field.type === 'checkbox') {
    return html`<div class="field check">
      <input type="checkbox" id=${id} .checked=${value === true} @change=${onInput} aria-invalid=${error ? 'true' : 'false'} aria-describedby=${describedBy} data-pointer=${pointer} />
      <label for=${id}>${label(field)}</label>
      ${hintLine} ${errorLine}
    </div>`;
  }
  const common = { id, describedBy, invalid: error ? 'true' : 'false' };
  let control: TemplateResult;
  if (field.type === 'select') {
    control = html`<select id=${common.id} @change=${onInput} aria-invalid=${common.invalid} aria-describedby=${common.describedBy} data-pointer=${pointer}>
      ${field.options!.map(([v, text]) => html`<option value=${v} ?selected=${value === v}>${text}</option>`)}
    </select>`;
  } else if (field.type === 'datetime') {
    // The value stays the ISO instant the API speaks (unchanged if untouched); the picker shows wall time in the zone.
    const zone = field.timeZone?.(ctx.values) ?? 'UTC';
    const zoneId = `${id}-zone`;
    const described = [field.hint ? hintId : '', zoneId, error ? errorId : ''].filter(Boolean).join(' ');
    control = html`<input
      id=${common.id}
      type="datetime-local"
      .value=${isoToLocal(String(value ?? ''), zone)}
      @change=${(e: Event) => {
        const local = (e.target as HTMLInputElement).value;
        ctx.onChange(field.name, local ? localToIso(local, zone) : '');
      }}
      aria-invalid=${common.invalid}
      aria-describedby=${described}
      ?required=${field.required}
      data-pointer=${pointer}
    />
      <p class="hint" id=${zoneId}>${t('timesIn', { zone: zone.replace(/_/g, ' ') })}</p>`;
  } else if (field.type === 'textarea') {
    control = html`<textarea id=${common.id} rows="2" .value=${String(value ?? '')} @input=${onInput} aria-invalid=${common.invalid} aria-describedby=${common.describedBy} ?required=${field.required} data-pointer=${pointer}></textarea>`;
  } else {
    control = html`<input
      id=${common.id}
      type="text"
      inputmode=${field.type === 'number' ? 'decimal' : nothing}
      list=${field.list ?? nothing}
      autocomplete="off"
      .value=${String(value ?? '')}
      @input=${onInput}
      aria-invalid=${common.invalid}
      aria-describedby=${common.describedBy}
      ?required=${field.required}
      data-pointer=${pointer}
    />`;
  }
  return html`<div class="field">
    <label for=${id}>${label(field)}${req}</label>
    ${control} ${hintLine} ${errorLine}
  </div>`;
}

/** problem+json errors → pointer → message. Several messages for one pointer are joined. */
export function errorsOf(problem: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  const list = (problem as { errors?: { pointer?: string; detail?: string }[] } | undefined)?.errors ?? [];
  for (const e of list) {
    const pointer = e.pointer ?? '';
    errors[pointer] = errors[pointer] ? `${errors[pointer]}; ${e.detail ?? ''}` : (e.detail ?? '');
  }
  return errors;
}
