// A lowdb adapter that makes each write durable. lowdb's own JSONFile (steno)
// renames a temp file but never fsyncs, so a power cut can lose a write that was
// already acknowledged. Here: write temp, fsync it, rename over, fsync the folder.
import { mkdir, open, readFile, rename } from 'node:fs/promises';
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

async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
