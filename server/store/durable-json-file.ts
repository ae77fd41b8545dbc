// A lowdb adapter that makes each write durable. lowdb's own JSONFile (steno)
// renames a temp file but never fsyncs, so a power cut can lose a write that was
// already acknowledged. Here: write temp, fsync it, rename over, fsync the folder.
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Adapter } from 'lowdb';

export class DurableJSONFile<T> implements Adapter<T> {
  private readonly tempFile: string;
  /** Size of the snapshot last read or written, so callers can pace how often they write one. */
  lastWriteBytes = 0;

  constructor(private readonly file: string) {
    this.tempFile = `${file}.tmp`;
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    this.lastWriteBytes = Buffer.byteLength(text);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new Error(`${this.file} is not valid JSON; restore it from a backup or move it aside to start empty.`);
    }
  }

  async write(data: T): Promise<void> {
    // Serialize first and synchronously: the snapshot is exactly the in-memory
    // state at the moment the write began.
    const text = JSON.stringify(data);
    this.lastWriteBytes = Buffer.byteLength(text);
    await mkdir(dirname(this.file), { recursive: true });
    const handle = await open(this.tempFile, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.tempFile, this.file);
    await syncFolder(dirname(this.file));
  }
}

/**
 * A snapshot written in pieces (server/store/lowdb-store.ts folds the log in the
 * background): `produce` hands its text to `write` piece by piece, the file is
 * fsync'd, and `install` later renames it over the snapshot. Until then the old
 * snapshot stands; a snapshot given up is removed.
 */
export class PreparedSnapshot {
  private constructor(
    readonly file: string,
    readonly temp: string,
    readonly bytes: number,
  ) {}

  static async write(file: string, produce: (write: (text: string) => Promise<void>) => Promise<void>): Promise<PreparedSnapshot> {
    const temp = `${file}.next`;
    await mkdir(dirname(file), { recursive: true });
    const handle = await open(temp, 'w', 0o600);
    let bytes = 0;
    try {
      await produce(async (text) => {
        const buffer = Buffer.from(text, 'utf8');
        bytes += buffer.length;
        await handle.write(buffer);
      });
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    return new PreparedSnapshot(file, temp, bytes);
  }

  async install(): Promise<void> {
    await rename(this.temp, this.file);
    await syncFolder(dirname(this.file));
  }

  async discard(): Promise<void> {
    await rm(this.temp, { force: true });
  }
}

export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
