// `kudos store repair`: what to do with a log that refuses to start. Log lines
// set values (never increments), so every intact line can be replayed without
// the damaged ones. A customer's line sets what changed since the line before
// (server/store/lowdb-store.ts `CustomerDelta`): the orders and ledger entries a
// damaged line added stay lost, the later lines still apply. The damaged ones are set aside, byte for byte, in a file beside
// the log so nothing is lost silently. Run it with the server stopped.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ProcessLock } from './process-lock.js';
import { logFiles } from './write-ahead-log.js';

export interface RepairReport {
  log: string;
  /** Lines kept in the log (all its files). */
  kept: number;
  /** Damaged lines moved to `setAsideIn`, with their line numbers. */
  setAside: number[];
  setAsideIn?: string;
  /** Further files of the log with damaged lines (its segments: server/store/write-ahead-log.ts), each set aside the same way. */
  also?: RepairReport[];
}

export function repairLog(dataFile: string, now = new Date()): RepairReport {
  const log = `${dataFile}.wal`;
  const lock = ProcessLock.acquire(dataFile); // refuses while a server owns the file
  try {
    const reports = logFiles(log)
      .filter((file) => existsSync(file))
      .map((file) => repairFile(file, now));
    const kept = reports.reduce((n, r) => n + r.kept, 0);
    const damaged = reports.filter((r) => r.setAside.length > 0);
    if (damaged.length === 0) return { log, kept, setAside: [] };
    return { ...damaged[0]!, kept, ...(damaged.length > 1 && { also: damaged.slice(1) }) };
  } finally {
    lock.release();
  }
}

function repairFile(log: string, now: Date): RepairReport {
  const lines = readFileSync(log, 'utf8').split('\n');
  const good: string[] = [];
  const bad: { n: number; line: string }[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      JSON.parse(line);
      good.push(line);
    } catch {
      bad.push({ n: i + 1, line });
    }
  });
  if (bad.length === 0) return { log, kept: good.length, setAside: [] };
  const setAsideIn = `${log}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`;
  writeFileSync(setAsideIn, bad.map((b) => `line ${b.n}: ${b.line}\n`).join(''), { mode: 0o600 });
  const repaired = `${log}.repair-tmp`;
  writeFileSync(repaired, good.map((line) => `${line}\n`).join(''), { mode: 0o600 });
  renameSync(repaired, log);
  return { log, kept: good.length, setAside: bad.map((b) => b.n), setAsideIn };
}
