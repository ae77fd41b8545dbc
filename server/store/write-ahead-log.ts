// An append-only log of changes, fsync'd once per group commit. Appending a few
// lines and one fdatasync costs about a millisecond, where rewriting the whole
// JSON file costs more the bigger the shop gets. The log is folded into the
// lowdb snapshot from time to time and then emptied.
import { open, readFile, truncate, type FileHandle } from 'node:fs/promises';

export class WriteAheadLog {
  private handle: FileHandle | undefined;
  private bytes = 0;

  constructor(readonly file: string) {}

  /** Entries of a previous run, in order. A torn last line was never acknowledged, so it is dropped. */
  async readEntries<T>(): Promise<T[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const lines = text.split('\n').filter((line) => line !== '');
    const entries: T[] = [];
    for (const [i, line] of lines.entries()) {
      try {
        entries.push(JSON.parse(line) as T);
      } catch (error) {
        if (i === lines.length - 1) break;
        throw new Error(`${this.file} line ${i + 1} is corrupt: ${(error as Error).message}`);
      }
    }
    return entries;
  }

  get size(): number {
    return this.bytes;
  }

  async append(lines: readonly string[]): Promise<void> {
    this.handle ??= await open(this.file, 'a', 0o600);
    const chunk = Buffer.from(lines.join(''), 'utf8');
    await this.handle.write(chunk);
    await this.handle.datasync();
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
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }
}
