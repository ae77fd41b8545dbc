// The one place that knows which stores exist: the configuration picks one, and
// everything else speaks the Store interface. lowdb (one file, one process) is
// the embedded default; a shared database store plugs in here.
import type { Config } from '../config.js';
import { LowdbStore } from './lowdb-store.js';
import { readLock } from './process-lock.js';
import type { Shop, Store } from './store.js';
import type { OpenLogFile } from './write-ahead-log.js';

export type StoreConfig = Pick<Config, 'dataFile'>;

export interface StoreOptions {
  now?: () => number;
  /** How long an event id is remembered for de-duplication. */
  eventRetentionDays?: number;
  /** How lowdb opens its log for appending (fault-injection tests pass a failing file system). */
  openLogFile?: OpenLogFile;
}

export async function createStore(config: StoreConfig, options: StoreOptions = {}): Promise<Store> {
  return LowdbStore.open(config.dataFile, options);
}

/**
 * The server that currently owns a single-process store, if one runs: the CLI
 * must ask it rather than open the store. Shared stores have no owner.
 */
export function runningOwner(config: StoreConfig): { url: string; adminToken: string } | undefined {
  const owner = readLock(config.dataFile);
  return owner?.url ? { url: owner.url, adminToken: owner.adminToken } : undefined;
}

/** The shops, also while a server owns a single-process store (read-only look). */
export async function readShops(config: StoreConfig): Promise<Shop[]> {
  return LowdbStore.readShops(config.dataFile);
}
