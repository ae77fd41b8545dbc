// A file system that runs out: the log's file handle writes for real until its
// byte budget is spent, then writes only the part that fits (a torn line, as a
// full disk leaves) and fails with ENOSPC, or EIO. Truncation can fail too.
import { open } from 'node:fs/promises';
import type { LogFileHandle, OpenLogFile } from '../../server/store/write-ahead-log.js';

export interface Faults {
  /** Bytes still writable; Infinity: no fault. */
  budget: number;
  code: 'ENOSPC' | 'EIO';
  /** Truncating fails as well (the disk is gone entirely). */
  truncateFails: boolean;
}

const fsError = (code: string, call: string) => Object.assign(new Error(`${code}: simulated, ${call}`), { code, syscall: call });

export function failingFileSystem(): { faults: Faults; openLogFile: OpenLogFile } {
  const faults: Faults = { budget: Infinity, code: 'ENOSPC', truncateFails: false };
  const openLogFile: OpenLogFile = async (file) => {
    const real = await open(file, 'a', 0o600);
    const handle: LogFileHandle = {
      async write(buffer) {
        if (buffer.length <= faults.budget) {
          faults.budget -= buffer.length;
          return real.write(buffer);
        }
        const fits = Math.max(0, faults.budget);
        faults.budget = 0;
        if (fits > 0) await real.write(buffer.subarray(0, fits));
        throw fsError(faults.code, 'write');
      },
      datasync: () => real.datasync(),
      async truncate(length) {
        if (faults.truncateFails) throw fsError(faults.code, 'ftruncate');
        await real.truncate(length);
      },
      close: () => real.close(),
    };
    return handle;
  };
  return { faults, openLogFile };
}
