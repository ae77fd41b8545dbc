// Reads an order history file for `kudos import`: NDJSON (one order per line, the
// POST /v1/history/orders shape) or CSV with a header row naming those fields.
// Pure text in, rows out; the server validates each order.

export interface ImportRow {
  /** 1-based line of the file, for error messages. */
  line: number;
  order: Record<string, unknown>;
}

const NUMERIC = new Set(['total', 'amount']);

/** RFC 4180 fields of one CSV record that may span lines (quoted newlines). */
function* csvRecords(text: string): Generator<{ line: number; fields: string[] }> {
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.some((f) => f !== '')) yield { line: start, fields };
      fields = [];
      field = '';
      line++;
      start = line;
    } else field += ch;
  }
  fields.push(field);
  if (fields.some((f) => f !== '')) yield { line: start, fields };
}

export class ImportFileError extends Error {
  override name = 'ImportFileError';
}

function csvRows(text: string): ImportRow[] {
  const records = csvRecords(text.replace(/^\uFEFF/, ''));
  const header = records.next();
  if (header.done) return [];
  const names = header.value.fields.map((f) => f.trim());
  const rows: ImportRow[] = [];
  for (const { line, fields } of records) {
    const order: Record<string, unknown> = {};
    names.forEach((name, i) => {
      const value = fields[i]?.trim() ?? '';
      if (value === '' || name === '') return;
      order[name] = NUMERIC.has(name) && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    });
    rows.push({ line, order: withType(order) });
  }
  return rows;
}

/** A row without `type` is an order when it has a total, a refund when it has an amount. */
function withType(order: Record<string, unknown>): Record<string, unknown> {
  if (order.type !== undefined) return order;
  if (order.amount !== undefined && order.total === undefined) return { type: 'order.refunded', ...order };
  return { type: 'order.created', ...order };
}

function ndjsonRows(text: string): ImportRow[] {
  const rows: ImportRow[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    let order: unknown;
    try {
      order = JSON.parse(raw);
    } catch {
      throw new ImportFileError(`line ${i + 1}: not valid JSON`);
    }
    if (order === null || typeof order !== 'object' || Array.isArray(order)) throw new ImportFileError(`line ${i + 1}: not a JSON object`);
    rows.push({ line: i + 1, order: withType(order as Record<string, unknown>) });
  });
  return rows;
}

/** Rows oldest first (stable; undated rows last, the server refuses them with their line). */
export function readImportFile(text: string, format: 'csv' | 'ndjson'): ImportRow[] {
  const rows = format === 'csv' ? csvRows(text) : ndjsonRows(text);
  const time = (r: ImportRow) => (typeof r.order.occurredAt === 'string' ? Date.parse(r.order.occurredAt) : NaN);
  return rows
    .map((row, i) => ({ row, i, t: time(row) }))
    .sort((a, b) => (Number.isNaN(a.t) ? 1 : 0) - (Number.isNaN(b.t) ? 1 : 0) || (a.t - b.t || 0) || a.i - b.i)
    .map((x) => x.row);
}

export const formatOf = (file: string, explicit?: string): 'csv' | 'ndjson' => {
  const f = explicit ?? (file.toLowerCase().endsWith('.csv') ? 'csv' : 'ndjson');
  if (f !== 'csv' && f !== 'ndjson') throw new ImportFileError(`--format is csv or ndjson, not "${f}"`);
  return f;
};
