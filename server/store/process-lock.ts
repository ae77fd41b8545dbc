// lowdb is single-process: two servers on one file would overwrite each other's
// writes. A lock file beside the data file refuses the second process. It also
// tells the CLI where the running server listens, so `kudos shop create` can ask
// that server instead of writing behind its back.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface LockInfo {
  pid: number;
  /** Where the owning server listens, once it does. */
  url?: string;
  /** Lets a local CLI call the owning server's admin route. */
  adminToken: string;
}

export class StoreLockedError extends Error {
  constructor(
    readonly dataFile: string,
    readonly owner: LockInfo,
  ) {
    super(
      `Another Kudos process (pid ${owner.pid}) is using ${dataFile}. ` +
        'lowdb is single-process: stop that process, or point KUDOS_DATA at another file.',
    );
    this.name = 'StoreLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(dataFile: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(`${dataFile}.lock`, 'utf8')) as LockInfo;
    return isAlive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

/** Lock files this process holds: a second store in the same process is refused too. */
const heldHere = new Set<string>();

export class ProcessLock {
  private released = false;
  private readonly onExit = () => this.release();

  private constructor(
    private readonly lockFile: string,
    private info: LockInfo,
  ) {
    heldHere.add(lockFile);
    process.once('exit', this.onExit);
  }

  get adminToken(): string {
    return this.info.adminToken;
  }

  static acquire(dataFile: string): ProcessLock {
    const lockFile = `${dataFile}.lock`;
    mkdirSync(dirname(lockFile), { recursive: true });
    const info: LockInfo = { pid: process.pid, adminToken: randomBytes(24).toString('hex') };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(lockFile, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
        return new ProcessLock(lockFile, info);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = readLock(dataFile);
        if (owner && (owner.pid !== process.pid || heldHere.has(lockFile))) throw new StoreLockedError(dataFile, owner);
        // The owner died without cleaning up: the lock is stale.
        try {
          unlinkSync(lockFile);
        } catch {
          /* another process may have removed it first; the next attempt decides */
        }
      }
    }
    throw new Error(`Could not take the lock ${lockFile}.`);
  }

  /** Publish where this process serves, for the CLI. */
  advertise(url: string): void {
    this.info = { ...this.info, url };
    writeFileSync(this.lockFile, JSON.stringify(this.info), { mode: 0o600 });
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    heldHere.delete(this.lockFile);
    process.off('exit', this.onExit);
    try {
      unlinkSync(this.lockFile);
    } catch {
      /* already gone */
    }
  }
}
