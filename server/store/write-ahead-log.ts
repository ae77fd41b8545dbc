// An append-only log of changes, fsync'd once per group commit. Appending a few
// lines and one fdatasync costs about a millisecond, where rewriting the whole
// JSON file costs more the bigger the shop gets. The log is folded into the
// lowdb snapshot from time to time and then emptied.
//
// Faults: the log knows how many of its bytes are whole, acknowledged lines
// (`size`). A write that fails (ENOSPC, EIO) may leave part of a batch behind:
// the log cuts the file back to `size` at once and, should that fail too, before
// the next append, so the next batch always starts on a clean line. On reading,
// a torn last line (a write cut short by a crash or power loss: never
// acknowledged) is dropped; a damaged line anywhere else stops the start with a
// message naming the repair command (server/store/repair.ts).
import { open as openFile, readFile, rename, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
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

export class WriteAheadLog {
  private handle: LogFileHandle | undefined;
  private bytes = 0;
  /** A failed write may have left bytes past `bytes`: cut them before appending. */
  private dirty = false;
  /** The append in flight (settled either way), for a drop to wait for. */
  private appending: Promise<void> | undefined;
  /** Set while a drop replaces the file: appends wait for it. */
  private exclusive: Promise<void> | undefined;

  constructor(
    readonly file: string,
    private readonly openLog: OpenLogFile = openForAppend,
  ) {}

  /** The log as a previous run left it. Reads only; see `recover` to also cut a torn tail. */
  async read<T>(): Promise<LogContents<T>> {
    let text: Buffer;
    try {
      text = await readFile(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], goodBytes: 0, tornBytes: 0 };
      throw error;
    }
    return parseLog<T>(this.file, text);
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
    const { entries, goodBytes, tornBytes } = await this.read<T>();
    if (tornBytes > 0) await truncate(this.file, goodBytes);
    this.bytes = goodBytes;
    return entries;
  }

  /** The acknowledged entries, as this process wrote them: what a rollback reloads. */
  async acknowledged<T>(): Promise<T[]> {
    let text: Buffer;
    try {
      text = await readFile(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return parseLog<T>(this.file, text.subarray(0, this.bytes)).entries;
  }

  get size(): number {
    return this.bytes;
  }

  async append(lines: readonly string[]): Promise<void> {
    // A drop's last step (dropBefore) swaps the file: wait for it, then be the append it waits for.
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
      await handle.datasync();
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

  /** After a snapshot holds everything the log held. */
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
  }

  /**
   * After a snapshot holds everything the log held up to `cut` bytes: keep only
   * the lines after it (appended while the snapshot was written). The tail goes
   * to a new file, fsync'd, renamed over the log: a crash leaves the whole old
   * log or the tail, and replaying lines the snapshot already holds is harmless.
   *
   * Appends go on meanwhile (issue 20: every request used to wait for the whole
   * drop, ~100 ms under load): the tail known at the start is copied while they
   * run; only the last step — copying what they added since, the fsync, the rename
   * and the folder's fsync — holds the next append (after the one in flight ends),
   * so no acknowledged line can land in the file being replaced.
   */
  async dropBefore(cut: number): Promise<void> {
    if (cut <= 0) return;
    const first = Math.max(cut, this.bytes);
    const temp = `${this.file}.tmp`;
    const out = await openFile(temp, 'w', 0o600);
    try {
      if (first > cut) await out.write(await this.readRange(cut, first));
      let release!: () => void;
      this.exclusive = new Promise<void>((resolve) => (release = resolve));
      try {
        await this.appending;
        const last = this.bytes;
        if (last > first) await out.write(await this.readRange(first, last));
        await out.sync();
        await this.handle?.close();
        this.handle = undefined;
        await rename(temp, this.file);
        // The file is the tail now, whatever happens next: the next append continues it.
        this.bytes = Math.max(0, last - cut);
        this.dirty = false;
        await syncFolder(dirname(this.file));
      } finally {
        this.exclusive = undefined;
        release();
      }
    } finally {
      await out.close();
    }
  }

  /**
   * Bytes [from, to) of the log. Only the tail, not the whole file: the log is folded
   * once it is as big as the snapshot (tens of MB for a big shop), and every request
   * waits while a fold is installed (issue 20: reading the whole log there was the
   * ~200-350 ms stall at half of peak ingest).
   */
  protected async readRange(from: number, to: number): Promise<Buffer> {
    const buffer = Buffer.alloc(to - from);
    const source = await openFile(this.file, 'r');
    try {
      for (let at = 0; at < buffer.length; ) {
        const { bytesRead } = await source.read(buffer, at, buffer.length - at, from + at);
        if (bytesRead === 0) throw new Error(`${this.file} is shorter than the ${to} bytes it acknowledged`);
        at += bytesRead;
      }
    } finally {
      await source.close();
    }
    return buffer;
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }
}
