// An append-only log of changes, fsync'd once per group commit. Appending a few
// lines and one fdatasync costs about a millisecond, where rewriting the whole
// JSON file costs more the bigger the shop gets. The log is folded into the
// lowdb snapshot from time to time and then emptied.
//
// Segments: when a fold starts, the file is closed and renamed `<file>.<n>` (a
// segment) and appends go on in a new file; once the fold's snapshot is installed
// the segments it holds are deleted. So a fold never holds an append (issue 20:
// copying the log's tail and renaming it over the log held every commit for two
// fsyncs). The log is its segments, oldest first, then the file.
//
// Faults: the log knows how many of its bytes are whole, acknowledged lines
// (`size`). A write that fails (ENOSPC, EIO) may leave part of a batch behind:
// the log cuts the file back to `size` at once and, should that fail too, before
// the next append, so the next batch always starts on a clean line. On reading,
// a torn last line (a write cut short by a crash or power loss: never
// acknowledged) is dropped; a damaged line anywhere else stops the start with a
// message naming the repair command (server/store/repair.ts).
import { readdirSync } from 'node:fs';
import { open as openFile, readFile, rename, rm, truncate } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { syncFolder } from './durable-json-file.js';

/** The part of a file handle the log uses; tests pass a shim that fails on purpose. */
export interface LogFileHandle {
  write(buffer: Buffer): Promise<unknown>;
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}
export type OpenLogFile = (file: string) => Promise<LogFileHandle>;

const openForAppend: OpenLogFile = (file) => openFile(file, 'a', 0o600);

export class CorruptLogError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly lines: number,
    reason: string,
  ) {
    super(
      `${file} line ${line} of ${lines} is corrupt (${reason}). Nothing was changed. ` +
        'Stop Kudos, then run `npm run kudos -- store repair` (same KUDOS_DATA): it sets the damaged line aside ' +
        `in ${file}.damaged-<time> and keeps every intact line. See docs/limits.md, "Damaged files".`,
    );
    this.name = 'CorruptLogError';
  }
}

export interface LogContents<T> {
  entries: T[];
  /** Bytes of whole, parseable lines from the start: where the next append must begin. */
  goodBytes: number;
  /** The file is longer than that (a torn last line). */
  tornBytes: number;
}

/** Parses a log's text: whole lines, a torn last one dropped, a damaged one elsewhere refused. */
export function parseLog<T>(file: string, text: Buffer): LogContents<T> {
  const entries: T[] = [];
  const lines: { start: number; end: number }[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf(0x0a, start);
    const end = newline === -1 ? text.length : newline + 1;
    lines.push({ start, end });
    start = end;
  }
  let goodBytes = 0;
  for (const [i, { start: from, end }] of lines.entries()) {
    const raw = text.subarray(from, end).toString('utf8');
    const last = i === lines.length - 1;
    // A line without its newline was never fully written, hence never acknowledged.
    if (last && !raw.endsWith('\n')) break;
    if (raw.trim() === '') {
      goodBytes = end;
      continue;
    }
    try {
      entries.push(JSON.parse(raw) as T);
      goodBytes = end;
    } catch (error) {
      if (last) break;
      throw new CorruptLogError(file, i + 1, lines.length, (error as Error).message);
    }
  }
  return { entries, goodBytes, tornBytes: text.length - goodBytes };
}

/** The numbers of `file`'s closed segments (`<file>.<n>`), oldest first. */
function segmentsOf(file: string): number[] {
  const prefix = `${basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .map((name) => Number(name.slice(prefix.length)))
    .sort((a, b) => a - b);
}

const segmentFile = (file: string, n: number) => `${file}.${n}`;

/** The files a log is made of, in the order they replay: its segments, then the file itself (which may not exist). */
export function logFiles(file: string): string[] {
  return [...segmentsOf(file).map((n) => segmentFile(file, n)), file];
}

async function readIfThere(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export class WriteAheadLog {
  private handle: LogFileHandle | undefined;
  /** Acknowledged bytes of the current file (segments are whole). */
  private bytes = 0;
  /** A failed write may have left bytes past `bytes`: cut them before appending. */
  private dirty = false;
  /** The append in flight (settled either way), for a rotation to wait for. */
  private appending: Promise<void> | undefined;
  /** Set while a rotation swaps the file: appends wait for it. */
  private exclusive: Promise<void> | undefined;
  /** Closed segments not dropped yet, oldest first. */
  private segments: number[] = [];
  /** The current file was created (or renamed) since the folder was last fsync'd: its first append syncs the folder too. */
  private folderSyncDue = false;

  constructor(
    readonly file: string,
    private readonly openLog: OpenLogFile = openForAppend,
  ) {}

  /**
   * The log as a previous run left it (segments, then the file). Reads only; see
   * `recover` to also cut a torn tail. Also safe beside a running server (readShops):
   * a rotation between reading the segments and the file is seen, and read again.
   */
  async read<T>(): Promise<LogContents<T>> {
    for (;;) {
      const segments = segmentsOf(this.file);
      const entries = await this.readSegments<T>(segments);
      const text = await this.readLogFile(this.file);
      if (segmentsOf(this.file).join() !== segments.join()) continue;
      if (!text) return { entries, goodBytes: 0, tornBytes: 0 };
      const current = parseLog<T>(this.file, text);
      for (const entry of current.entries) entries.push(entry);
      return { entries, goodBytes: current.goodBytes, tornBytes: current.tornBytes };
    }
  }

  /** Entries of a previous run, in order. A torn last line was never acknowledged, so it is dropped. */
  async readEntries<T>(): Promise<T[]> {
    return (await this.read<T>()).entries;
  }

  /**
   * Opening for writing: the entries to replay, and the file cut back to its
   * whole lines so the first append starts on a clean line.
   */
  async recover<T>(): Promise<T[]> {
    this.segments = segmentsOf(this.file);
    const { entries, goodBytes, tornBytes } = await this.read<T>();
    if (tornBytes > 0) await truncate(this.file, goodBytes);
    this.bytes = goodBytes;
    return entries;
  }

  /**
   * The acknowledged entries, as this process wrote them: what a rollback reloads.
   * Never beside a rotation (a fold's, started before the failed append that rolls
   * back): read between its rename and its note of the new segment, the lines just
   * closed would be in neither the segments read nor the file.
   */
  async acknowledged<T>(): Promise<T[]> {
    return this.exclusively(async () => {
      const entries = await this.readSegments<T>(this.segments);
      const text = await this.readLogFile(this.file);
      if (text) for (const entry of parseLog<T>(this.file, text.subarray(0, this.bytes)).entries) entries.push(entry);
      return entries;
    });
  }

  /** The entries of closed segments, in order. A segment's torn last line was never acknowledged either (a failed write, then the rotation). */
  private async readSegments<T>(segments: readonly number[]): Promise<T[]> {
    const entries: T[] = [];
    for (const n of segments) {
      const file = segmentFile(this.file, n);
      const text = await this.readLogFile(file);
      if (text) for (const entry of parseLog<T>(file, text).entries) entries.push(entry);
    }
    return entries;
  }

  /** A file of the log, undefined if there is none (tests hold it to interleave a rotation). */
  protected readLogFile(file: string): Promise<Buffer | undefined> {
    return readIfThere(file);
  }

  /** Runs `work` while no append, rotation or other such run goes on (each waits for the one before). */
  private async exclusively<T>(work: () => Promise<T>): Promise<T> {
    while (this.exclusive) await this.exclusive;
    let release!: () => void;
    this.exclusive = new Promise<void>((resolve) => (release = resolve));
    try {
      return await work();
    } finally {
      this.exclusive = undefined;
      release();
    }
  }

  /** Acknowledged bytes of the current file: what was appended since the last rotation. */
  get size(): number {
    return this.bytes;
  }

  async append(lines: readonly string[]): Promise<void> {
    // A rotation swaps the file: wait for it, then be the append it waits for.
    while (this.exclusive) await this.exclusive;
    const run = this.appendNow(lines);
    this.appending = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  private async appendNow(lines: readonly string[]): Promise<void> {
    const handle = (this.handle ??= await this.openLog(this.file));
    if (this.dirty) {
      await handle.truncate(this.bytes);
      this.dirty = false;
    }
    const chunk = Buffer.from(lines.join(''), 'utf8');
    try {
      await handle.write(chunk);
      // A new file's name must be on disk before any line in it is acknowledged.
      const folder = this.folderSyncDue ? syncFolder(dirname(this.file)) : undefined;
      await Promise.all([handle.datasync(), folder]);
      this.folderSyncDue = false;
    } catch (error) {
      // Part of the chunk may be on disk: cut it now (and before the next append if this fails too).
      this.dirty = true;
      try {
        await handle.truncate(this.bytes);
        this.dirty = false;
      } catch {
        // Retried by the next append.
      }
      throw error;
    }
    this.bytes += chunk.length;
  }

  /**
   * Closes the current file as a segment (renamed `<file>.<n>`); what is appended
   * from now on goes to a new file. Waits only for the append in flight (the next
   * one waits for that anyway) and holds appends for a close and a rename, no fsync:
   * the new file's first append syncs the folder. Returns the segment's number, for
   * `dropThrough` once a snapshot holds everything up to it.
   */
  async rotate(): Promise<number> {
    return this.exclusively(async () => {
      await this.appending;
      // A failed write's bytes are cut by the next append: rotate after it.
      if (this.dirty) throw new Error(`${this.file} has an unfinished write; rotating after the next append`);
      const n = Math.max(0, ...this.segments, ...segmentsOf(this.file)) + 1;
      await this.handle?.close();
      this.handle = undefined;
      try {
        await rename(this.file, segmentFile(this.file, n));
      } catch (error) {
        // Nothing appended yet: nothing to close, and everything before is in segments already.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        return n - 1;
      }
      this.segments.push(n);
      this.bytes = 0;
      this.folderSyncDue = true;
      return n;
    });
  }

  /**
   * After a snapshot holds everything segments up to `n` held: deletes them. No
   * fsync: should a crash bring one back, its lines replay on a snapshot that
   * already holds them, which changes nothing (every part of a line sets a value).
   */
  async dropThrough(n: number): Promise<void> {
    for (const k of this.segments.filter((k) => k <= n)) {
      await rm(segmentFile(this.file, k), { force: true });
      this.segments = this.segments.filter((s) => s !== k);
    }
  }

  /** After a snapshot holds everything the log held: empties the file and deletes the segments. */
  async clear(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
    try {
      await truncate(this.file, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    this.bytes = 0;
    this.dirty = false;
    await this.dropThrough(Infinity);
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }
}
