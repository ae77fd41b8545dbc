// The one place that knows which stores exist: the configuration picks one, and
// everything else speaks the Store interface. lowdb (one file, one process) stays
// the default; KUDOS_DATABASE_URL selects PostgreSQL, shared by any number of
// processes. The PostgreSQL driver is loaded only when it is selected.
import type { Config } from '../config.js';
import { LowdbStore } from './lowdb-store.js';
import { readLock } from './process-lock.js';
import type { DocumentLookup, Shop, Store } from './store.js';
import type { OpenLogFile } from './write-ahead-log.js';

export type StoreConfig = Pick<Config, 'dataFile' | 'databaseUrl'>;

export interface StoreOptions {
  /**
   * The document collections the store may read and write, and the lookups to
   * index over them: what the features declare (server/features.ts
   * featureDocuments()). Passed in, never imported: the store knows no feature.
   * Any other collection is refused.
   */
  collections: readonly string[];
  lookups: readonly DocumentLookup[];
  /** Collections a shared store may keep in a per-process read cache (the features mark them `cached`). */
  cached?: readonly string[];
  now?: () => number;
  /** How long an event id is remembered for de-duplication. */
  eventRetentionDays?: number;
  /** How lowdb opens its log for appending (fault-injection tests pass a failing file system). */
  openLogFile?: OpenLogFile;
  /** PostgreSQL: connections opened at start-up and kept while idle (a server's; the CLI needs none). */
  warmConnections?: number;
}

/** What a server asks a PostgreSQL store to keep open (warmConnections): GET /v1/metrics reads six lists at once. */
export const SERVER_WARM_CONNECTIONS = 6;

export async function createStore(config: StoreConfig, options: StoreOptions): Promise<Store> {
  if (config.databaseUrl) {
    const { PgStore } = await import('./pg/pg-store.js');
    return PgStore.open(config.databaseUrl, options);
  }
  return LowdbStore.open(config.dataFile, options);
}

/**
 * The server that currently owns a single-process store, if one runs: the CLI
 * must ask it rather than open the store. Shared stores have no owner.
 */
export function runningOwner(config: StoreConfig): { url: string; adminToken: string } | undefined {
  if (config.databaseUrl) return undefined;
  const owner = readLock(config.dataFile);
  return owner?.url ? { url: owner.url, adminToken: owner.adminToken } : undefined;
}

/** The shops, also while a server owns a single-process store (read-only look). */
export async function readShops(config: StoreConfig): Promise<Shop[]> {
  if (!config.databaseUrl) return LowdbStore.readShops(config.dataFile);
  // Reads shops only: no document is read or written, so no collection or lookup is needed.
  const store = await createStore(config, { collections: [], lookups: [] });
  try {
    return await store.listShops();
  } finally {
    await store.close();
  }
}

/** `kudos migrate`: apply what the database lacks, without starting a server (start-up does it too). */
export async function migrateStore(databaseUrl: string): Promise<{ version: number; applied: number[] }> {
  const { migrateDatabase } = await import('./pg/migrate.js');
  return migrateDatabase(databaseUrl);
}
