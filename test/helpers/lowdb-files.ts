import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { featureDocuments } from '../../server/features.js';
import { LowdbStore, type LowdbStoreOptions } from '../../server/store/lowdb-store.js';
import { tempDir } from './server.js';

/**
 * Real lowdb files in temp folders for one describe block: every store opened through
 * `openAt` is closed, and every folder removed, after each test.
 */
export function lowdbFiles(defaults: LowdbStoreOptions = {}) {
  const dirs: string[] = [];
  const stores: LowdbStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close().catch(() => {})));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    newFile(): string {
      const dir = tempDir();
      dirs.push(dir);
      return join(dir, 'kudos.json');
    },
    async openAt(file: string, options: LowdbStoreOptions = {}): Promise<LowdbStore> {
      // The server's lookups unless a test names its own (the server opens its store with them).
      const store = await LowdbStore.open(file, { ...featureDocuments(), ...defaults, ...options });
      stores.push(store);
      return store;
    },
  };
}
