// `kudos import FILE`: sends a history file to a running Kudos server, oldest
// first, in batches, with a progress bar. Resumable by design: every order's
// event id comes from its order id, so running the same command again skips
// what already arrived and sends the rest.
import { readFile } from 'node:fs/promises';
import { MAX_HISTORY_BATCH } from './schemas.js';
import { formatOf, ImportFileError, readImportFile, type ImportRow } from './import-file.js';

export interface ImportOptions {
  file: string;
  /** Base URL of the Kudos server, e.g. http://localhost:8787. */
  url: string;
  /** The shop's secret key. */
  key: string;
  format?: string;
  batchSize?: number;
  /** Where progress goes (stderr). */
  progress: { write(text: string): unknown; isTTY?: boolean };
}

export interface ImportSummary {
  orders: number;
  accepted: number;
  duplicates: number;
}

const BAR = 30;

function progressLine(done: number, total: number): string {
  const filled = total === 0 ? BAR : Math.round((done / total) * BAR);
  const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${String(percent).padStart(3)}% ${done}/${total} orders`;
}

interface Problem {
  title?: string;
  detail?: string;
  errors?: { pointer: string; detail: string }[];
}

/** A refused batch, told by file line: "line 12 /total: Too small…". */
function explain(problem: Problem, batch: readonly ImportRow[]): string {
  const lines = (problem.errors ?? []).map((e) => {
    const m = /^\/orders\/(\d+)(.*)$/.exec(e.pointer);
    const row = m ? batch[Number(m[1])] : undefined;
    return row ? `  line ${row.line} ${m![2] || '/'}: ${e.detail}` : `  ${e.pointer}: ${e.detail}`;
  });
  return [problem.detail ?? problem.title ?? 'refused', ...lines.slice(0, 20), ...(lines.length > 20 ? [`  …and ${lines.length - 20} more`] : [])].join('\n');
}

async function send(options: ImportOptions, batch: readonly ImportRow[]): Promise<{ accepted: number; duplicates: number }> {
  const endpoint = `${options.url.replace(/\/+$/, '')}/v1/history/orders`;
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ orders: batch.map((r) => r.order) }),
      });
    } catch (error) {
      throw new Error(`cannot reach ${endpoint} (${(error as Error).message}). Run the same command again: orders already imported are skipped.`);
    }
    if (response.status === 429 && attempt < 10) {
      const wait = Number(response.headers.get('retry-after') ?? '1');
      await new Promise((r) => setTimeout(r, Math.min(Math.max(wait, 1), 60) * 1000));
      continue;
    }
    const body = (await response.json().catch(() => ({}))) as Problem & { accepted?: number; duplicates?: number };
    if (!response.ok) throw new Error(`the server refused a batch (${response.status}): ${explain(body, batch)}`);
    return { accepted: body.accepted ?? 0, duplicates: body.duplicates ?? 0 };
  }
}

export async function importHistory(options: ImportOptions): Promise<ImportSummary> {
  let text: string;
  try {
    text = await readFile(options.file, 'utf8');
  } catch (error) {
    throw new ImportFileError(`cannot read ${options.file}: ${(error as Error).message}`);
  }
  const rows = readImportFile(text, formatOf(options.file, options.format));
  const size = Math.min(Math.max(options.batchSize ?? MAX_HISTORY_BATCH, 1), MAX_HISTORY_BATCH);
  const summary: ImportSummary = { orders: rows.length, accepted: 0, duplicates: 0 };
  const tty = options.progress.isTTY === true;
  let lastTenth = -1;
  const report = (done: number) => {
    if (tty) options.progress.write(`\r${progressLine(done, rows.length)}`);
    else {
      // Logs get a line per tenth, not a line per batch.
      const tenth = rows.length === 0 ? 10 : Math.floor((done / rows.length) * 10);
      if (tenth !== lastTenth) options.progress.write(`${progressLine(done, rows.length)}\n`);
      lastTenth = tenth;
    }
  };
  report(0);
  for (let i = 0; i < rows.length; i += size) {
    const batch = rows.slice(i, i + size);
    const { accepted, duplicates } = await send(options, batch);
    summary.accepted += accepted;
    summary.duplicates += duplicates;
    report(i + batch.length);
  }
  if (tty) options.progress.write('\n');
  return summary;
}
