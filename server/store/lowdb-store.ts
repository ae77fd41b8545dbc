// The embedded default store: lowdb's JSON file as the snapshot, kept in memory,
// plus a write-ahead log. Changes are applied synchronously in memory (so each
// engine step is atomic in this single process) and made durable by group
// commit: one appended, fsync'd log line serves every request that changed data
// while the previous flush ran. The snapshot is rewritten only when the log has
// grown, at start and at clean shutdown.
//
// Size on disk: a flush writes each record once, however often it changed since
// the last flush (100 events of one visitor: one customer line, not 100). A
// customer the log already holds is written as what changed since (its small
// fields, the orders added or changed, the ledger entries from the first that
// differs), not whole: a purchase costs the same for a customer with one order or
// ten thousand (issue 20; a 10 k-order record was 2.1 MB a flush). The log is folded into the snapshot once it is twice as big as the snapshot (and at least
// `snapshotAfterBytes`), so the files together stay within about three times the data.
// One flush is one line, so a torn write loses a whole unacknowledged flush and
// never half of one (the lines of one event were once split by a power cut).
//
// A flush that fails (ENOSPC, EIO) rolls the memory back to what is on disk
// (snapshot plus the log's acknowledged lines) and fails every request whose
// change was in memory but not durable, with StoreWriteError (503). Reloading
// was chosen over applying changes only after durability because the engine
// needs each step to see the previous one synchronously (that is what makes a
// badge go out once); a rollback keeps that, and costs only on the rare failure.
import { Low } from 'lowdb';
import { idMap, isAnonymousCustomerId, setOwn, withUpdate, type CustomerRecord, type CustomerUpdate } from '../loyalty/engine/customer.js';
import type { LedgerEntry, OrderRecord } from '../loyalty/engine/customer.js';
import type { CountedBadge } from '../loyalty/engine/badges.js';
import type { Award } from '../schemas.js';
import type { BadgeDefinition } from '../loyalty/schemas.js';
import { DocumentIndex } from './document-index.js';
import { DurableJSONFile, PreparedSnapshot } from './durable-json-file.js';
import { GroupCommit } from './group-commit.js';
import { ProcessLock } from './process-lock.js';
import { DeclaredCollections } from './lookups.js';
import { upgradeBadgeFlag, upgradeEndpointFlag, WEBHOOK_ENDPOINTS_COLLECTION } from './renamed-flags.js';
import {
  EventConflict,
  QuotaExceeded,
  StoreWriteError,
  type BrowserLimits,
  type CustomerChange,
  type CustomerChanges,
  type Decide,
  type DocumentLookup,
  type DocumentQuery,
  type DocumentRef,
  type DocumentUpdate,
  type EventOutcome,
  type FollowUp,
  type FoundDocument,
  type LocalOwner,
  type RecordedEvent,
  type Shop,
  type Store,
  type StoreRecord,
} from './store.js';
import { WriteAheadLog, type OpenLogFile } from './write-ahead-log.js';

interface ProcessedEvent {
  customerId: string;
  at: number;
  awards: Award[];
  revocations?: Award[];
  /** The event's fingerprint, when its sender's was known: a reuse with other content is a conflict. */
  fp?: string;
}

interface Data {
  version: 1;
  shops: Record<string, Shop>;
  badges: Record<string, Record<string, BadgeDefinition>>;
  customers: Record<string, Record<string, CustomerRecord>>;
  /** Event ids seen per shop, kept for the retention window so replays are recognized. */
  processedEvents: Record<string, Record<string, ProcessedEvent>>;
  /** Browser (publishable-key) event ids per shop, in the order first seen: their own namespace, kept briefly. */
  browserEvents: Record<string, Record<string, ProcessedEvent>>;
  /** shopId → badgeId → customers holding it. */
  awardCounts: Record<string, Record<string, number>>;
  /** shopId → collection → id → feature document. */
  documents: Record<string, Record<string, Record<string, unknown>>>;
}

/** Log entries set a value (never increment), so replaying one twice is harmless, and within a flush only the last value of a record counts. */
type Change =
  | { op: 'shop'; shop: Shop }
  | { op: 'badge'; shopId: string; badge: BadgeDefinition }
  | { op: 'customer'; shopId: string; customer: CustomerRecord }
  | { op: 'customerDeleted'; shopId: string; customerId: string }
  | CustomerDelta
  | { op: 'seen'; shopId: string; eventId: string; event: ProcessedEvent; browser?: true }
  | { op: 'doc'; shopId: string; collection: string; id: string; value: unknown }
  | { op: 'awardCount'; shopId: string; badgeId: string; count: number };

/**
 * What changed in a customer record since the value the log holds:
 * every field but orders and ledger set whole (they stay small: stats per event
 * type, badges, today's caps), the orders added or changed (all of them when some
 * were removed, as when old ones fold into a carry entry), and the ledger cut at
 * `ledgerAt` then extended by `ledger`. Each part sets a value, so replaying a
 * line twice, or on a record that already holds it, leaves the same record.
 */
interface CustomerDelta {
  op: 'customerDelta';
  shopId: string;
  customerId: string;
  set: Partial<CustomerRecord>;
  unset?: string[];
  orders?: Record<string, OrderRecord>;
  allOrders?: true;
  ledgerAt?: number;
  ledger?: LedgerEntry[];
}

function applyCustomerDelta(data: Data, delta: CustomerDelta): void {
  const record = data.customers[delta.shopId]?.[delta.customerId] as unknown as Record<string, unknown> | undefined;
  // The record is gone only when a fold into the snapshot already holds a later
  // deletion, which a later line of the log repeats.
  if (!record) return;
  for (const key of delta.unset ?? []) delete record[key];
  Object.assign(record, delta.set);
  // Replay works on records just read from disk, shared with nothing: extending them in place keeps a long replay linear.
  if (delta.orders) {
    if (delta.allOrders) record.orders = delta.orders;
    else {
      const orders = (record.orders = idMap(record.orders as Record<string, OrderRecord> | undefined));
      for (const id of Object.keys(delta.orders)) setOwn(orders, id, delta.orders[id]!);
    }
  }
  if (delta.ledger) {
    const ledger = (record.ledger as LedgerEntry[] | undefined) ?? [];
    ledger.length = Math.min(ledger.length, delta.ledgerAt ?? 0);
    for (const entry of delta.ledger) ledger.push(entry);
    record.ledger = ledger;
  }
}

/**
 * A customer changed since the last flush: the record in memory now (undefined
 * once deleted; changed in place by events, see `updateCustomer`) and what
 * changed in it since the value the log holds, so the flush writes that and not
 * the whole record. `whole`: the log holds no value to change (a new customer,
 * one deleted or replaced since), so the record is logged whole.
 */
interface PendingCustomer {
  shopId: string;
  customerId: string;
  latest: CustomerRecord | undefined;
  whole: boolean;
  /** Fields an event set to another value since the log's (absent: all of them, as after a merge from before). */
  set?: Set<string>;
  /** Fields removed. */
  unset?: Set<string>;
  /** Orders added or changed, by id; or all of them (a compaction dropped some). */
  orders?: Set<string>;
  allOrders?: boolean;
  /** The ledger is unchanged before this index. */
  ledgerAt?: number;
}

/** Two pending changes of one customer, `later` made after `earlier`: one, from the log's value to `later.latest`. */
function mergePending(earlier: PendingCustomer, later: PendingCustomer): PendingCustomer {
  const union = <T>(a?: Set<T>, b?: Set<T>) => (a || b ? new Set([...(a ?? []), ...(b ?? [])]) : undefined);
  const ledgerAt = earlier.ledgerAt === undefined ? later.ledgerAt : later.ledgerAt === undefined ? earlier.ledgerAt : Math.min(earlier.ledgerAt, later.ledgerAt);
  return {
    ...later,
    whole: earlier.whole || later.whole,
    set: earlier.set && later.set ? union(earlier.set, later.set) : undefined,
    unset: union(earlier.unset, later.unset),
    orders: union(earlier.orders, later.orders),
    allOrders: earlier.allOrders || later.allOrders,
    ledgerAt,
  };
}

function serializePending(entry: string | PendingCustomer): string {
  if (typeof entry === 'string') return entry;
  const { shopId, customerId, latest } = entry;
  if (!latest) return JSON.stringify({ op: 'customerDeleted', shopId, customerId });
  if (entry.whole) return JSON.stringify({ op: 'customer', shopId, customer: latest });
  // Only the fields events changed (a purchase: stats and times; not badges, caps, creation): the log holds the others.
  const set: Record<string, unknown> = {};
  for (const key of entry.set ?? Object.keys(latest)) {
    if (key !== 'orders' && key !== 'ledger' && Object.hasOwn(latest, key)) set[key] = latest[key as keyof CustomerRecord];
  }
  const delta: CustomerDelta = { op: 'customerDelta', shopId, customerId, set };
  const unset = [...(entry.unset ?? [])].filter((key) => !Object.hasOwn(latest, key));
  if (unset.length > 0) delta.unset = unset;
  if (entry.allOrders) Object.assign(delta, { orders: latest.orders ?? {}, allOrders: true });
  else if (entry.orders && entry.orders.size > 0) {
    const orders = idMap<OrderRecord>();
    for (const id of entry.orders) if (latest.orders && Object.hasOwn(latest.orders, id)) setOwn(orders, id, latest.orders[id]!);
    delta.orders = orders;
  }
  if (entry.ledgerAt !== undefined) {
    delta.ledgerAt = entry.ledgerAt;
    delta.ledger = (latest.ledger ?? []).slice(entry.ledgerAt);
  }
  return JSON.stringify(delta);
}

/** Freezes `value` and everything it holds; answers it. */
function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
  return value;
}

/**
 * Maps keyed by ids are objects without a prototype, so an id like "constructor"
 * or "__proto__" is just a key, never Object.prototype (the fuzz suite found
 * events answered "duplicate" that way). JSON does not keep prototypes: `load`
 * strips them again after reading.
 */
const dict = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

function withoutPrototypes(data: Data): Data {
  const strip = (map: object | undefined, depth: number) => {
    if (!map) return;
    Object.setPrototypeOf(map, null);
    if (depth > 1) for (const inner of Object.values(map)) strip(inner as object, depth - 1);
  };
  strip(data.shops, 1);
  strip(data.badges, 2);
  strip(data.customers, 2);
  strip(data.processedEvents, 2);
  strip(data.browserEvents, 2);
  strip(data.awardCounts, 2);
  strip(data.documents, 3);
  return data;
}

class FoldAbandoned extends Error {}

/** Top-level maps of Data and how many levels of ids they nest: a slice ends between two values. */
const MAP_DEPTH: Record<string, number> = { shops: 1, badges: 2, customers: 2, processedEvents: 2, browserEvents: 2, awardCounts: 2, documents: 3 };
const SLICE_MS = 8;
/**
 * The log is folded in once it is this many times the snapshot's size. A fold
 * serializes the whole data, so its cost per logged byte is about the snapshot's
 * size over the log bytes between folds: in a store much bigger than what is
 * written between folds, 2 folds half as often as 1 did (a growing store folds at
 * each doubling either way: the fold was 5-10 % of batched ingest from empty, issue
 * 20 profiles), for a start-up that replays up to twice the snapshot's size of log.
 */
const FOLD_RATIO = 2;
const PIECE_CHARS = 1 << 20;

/**
 * JSON.stringify(data), in slices of SLICE_MS with the event loop free in
 * between. Ids are listed when their map is reached: a value deleted since is
 * left out, one added since is left to the log.
 */
async function writeInSlices(data: Data, write: (text: string) => Promise<void>, valid: () => boolean): Promise<void> {
  let piece = '';
  let sliceStart = performance.now();
  const out = async (text: string) => {
    piece += text;
    if (piece.length >= PIECE_CHARS) {
      const full = piece;
      piece = '';
      await write(full);
    }
    if (performance.now() - sliceStart >= SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
    if (!valid()) throw new FoldAbandoned();
  };
  const map = async (value: Record<string, unknown>, depth: number) => {
    await out('{');
    let first = true;
    for (const key of Object.keys(value)) {
      const inner = value[key];
      if (inner === undefined) continue;
      await out(`${first ? '' : ','}${JSON.stringify(key)}:`);
      first = false;
      if (depth > 1 && inner !== null && typeof inner === 'object') await map(inner as Record<string, unknown>, depth - 1);
      else await out(JSON.stringify(inner));
    }
    await out('}');
  };
  await out('{');
  let first = true;
  for (const key of Object.keys(data)) {
    const value = (data as unknown as Record<string, unknown>)[key];
    if (value === undefined) continue;
    await out(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    const depth = MAP_DEPTH[key];
    if (depth !== undefined && value !== null && typeof value === 'object') await map(value as Record<string, unknown>, depth);
    else await out(JSON.stringify(value));
  }
  await out('}');
  await write(piece);
}

/**
 * A log line: one flush, as an array of changes. Lines written before flushes
 * were one line hold a single change; both replay.
 */
type LogLine = Change | Change[];
const changesIn = (lines: readonly LogLine[]): Change[] => lines.flat();

/** The record a change sets: a later change of the same record in the same flush supersedes it. */
function recordKey(change: Change): string {
  switch (change.op) {
    case 'shop':
      return `shop\u0000${change.shop.id}`;
    case 'badge':
      return `badge\u0000${change.shopId}\u0000${change.badge.id}`;
    case 'customer':
      return `customer\u0000${change.shopId}\u0000${change.customer.customerId}`;
    case 'customerDeleted':
    case 'customerDelta':
      return `customer\u0000${change.shopId}\u0000${change.customerId}`;
    case 'seen':
      return `seen\u0000${change.browser ? 'b' : 's'}\u0000${change.shopId}\u0000${change.eventId}`;
    case 'doc':
      return `doc\u0000${change.shopId}\u0000${change.collection}\u0000${change.id}`;
    case 'awardCount':
      return `awardCount\u0000${change.shopId}\u0000${change.badgeId}`;
  }
}

const emptyData = (): Data => ({
  version: 1,
  shops: dict(),
  badges: dict(),
  customers: dict(),
  processedEvents: dict(),
  browserEvents: dict(),
  awardCounts: dict(),
  documents: dict(),
});

/** Brings records written by older versions to the current shape; returns how many changed. */
function upgradeOldShapes(data: Data): number {
  let changed = 0;
  const upgrade = <T extends object>(records: Record<string, T> | undefined, to: (record: T) => T) => {
    for (const [id, record] of Object.entries(records ?? {})) {
      const next = to(record);
      if (next !== record) {
        records![id] = next;
        changed++;
      }
    }
  };
  for (const badges of Object.values(data.badges)) upgrade(badges, upgradeBadgeFlag);
  for (const collections of Object.values(data.documents)) upgrade(collections[WEBHOOK_ENDPOINTS_COLLECTION] as Record<string, object> | undefined, upgradeEndpointFlag);
  return changed;
}

function applyChange(data: Data, change: Change): void {
  switch (change.op) {
    case 'shop':
      data.shops[change.shop.id] = change.shop;
      break;
    case 'badge':
      (data.badges[change.shopId] ??= dict())[change.badge.id] = change.badge;
      break;
    case 'customer':
      (data.customers[change.shopId] ??= dict())[change.customer.customerId] = change.customer;
      break;
    case 'customerDeleted':
      if (data.customers[change.shopId]) delete data.customers[change.shopId]![change.customerId];
      break;
    case 'customerDelta':
      applyCustomerDelta(data, change);
      break;
    case 'seen':
      ((change.browser ? data.browserEvents : data.processedEvents)[change.shopId] ??= dict())[change.eventId] = change.event;
      break;
    case 'awardCount':
      (data.awardCounts[change.shopId] ??= dict())[change.badgeId] = change.count;
      break;
    case 'doc': {
      const collection = ((data.documents[change.shopId] ??= dict())[change.collection] ??= dict());
      // null in the log means deleted (JSON has no undefined).
      if (change.value === null || change.value === undefined) delete collection[change.id];
      else collection[change.id] = change.value;
      break;
    }
  }
}

export interface LowdbStoreOptions {
  now?: () => number;
  /** How long an event id is remembered for de-duplication (retries after that count again). */
  eventRetentionDays?: number;
  /** Fold the log into the snapshot once it is this big and FOLD_RATIO times the snapshot (default 4 MB). */
  snapshotAfterBytes?: number;
  /** Tests: awaited by a background fold before it writes its first piece, to hold it half done. */
  snapshotGate?: () => Promise<void>;
  /** How the log file is opened for appending (fault-injection tests pass a shim). */
  openLogFile?: OpenLogFile;
  /** Where a failed background snapshot is reported (default: stderr). */
  warn?: (message: string) => void;
  /**
   * Document lookups to index: the server passes what its features declare
   * (server/features.ts). Default none: the index lives in memory and is rebuilt at
   * every open, so a store opened with fewer lookups leaves nothing stale behind.
   */
  lookups?: readonly DocumentLookup[];
  /**
   * The document collections it may read and write (the features declare them,
   * server/features.ts). Default none: a store opened only for shops and events.
   */
  collections?: readonly string[];
}

const DAY_MS = 86_400_000;

/** Only mention revocations when there are some. */
const revoked = (revocations: Award[] | undefined) => (revocations?.length ? { revocations } : {});
const PRUNE_EVERY_MS = 3_600_000;
/** At a browser limit, look for expired ids and idle visitors at most this often per shop. */
const PRUNE_AT_LIMIT_EVERY_MS = 60_000;

export class LowdbStore implements Store {
  private readonly commits: GroupCommit;
  // Keys are looked up by digest so lookup time says nothing about a guessed key.
  private readonly shopIdByKeyDigest = new Map<string, string>();
  private readonly shopIdsByOrigin = new Map<string, Set<string>>();
  private readonly documentIndex: DocumentIndex;
  private readonly declared: DeclaredCollections;
  /** Changes not yet in the log: record key → its latest change, serialized when made (customers: at the flush, as a delta). */
  private pending = new Map<string, string | PendingCustomer>();
  private lastPrune = 0;
  // Per shop, built on first use from the data (and again after a rollback):
  // how many browser ids are remembered, which customers are anonymous, and
  // when the shop's browser traffic was last pruned.
  private browserIdCounts = new Map<string, number>();
  private anonymousIds = new Map<string, Set<string>>();
  private readonly limitPrunedAt = new Map<string, number>();
  /** Bumped by a rollback and at close: a background fold started before gives up. */
  private generation = 0;
  private folding: Promise<void> | undefined;
  /** A fold written and fsync'd, waiting for a flush to install it (see `flush`). */
  private folded: { snapshot: PreparedSnapshot; through: number; generation: number } | undefined;
  /** A finished fold being installed (renamed over the snapshot, the segments it holds deleted), while appends go on. */
  private installing: Promise<void> | undefined;
  private snapshotGate: (() => Promise<void>) | undefined;
  /** Flushes so far: with group commit, far fewer than the requests they served. */
  readonly stats = { flushes: 0, snapshots: 0, rollbacks: 0 };

  private constructor(
    private readonly db: Low<Data>,
    private readonly adapter: DurableJSONFile<Data>,
    private readonly log: WriteAheadLog,
    readonly lock: ProcessLock,
    private readonly now: () => number,
    private readonly retentionMs: number,
    private readonly snapshotAfterBytes: number,
    private readonly warn: (message: string) => void,
    lookups: readonly DocumentLookup[],
    collections: readonly string[],
  ) {
    this.commits = new GroupCommit((durable) => this.flush(durable));
    this.declared = new DeclaredCollections(collections, lookups);
    this.documentIndex = new DocumentIndex(lookups);
    this.indexAllKeys();
  }

  get local(): LocalOwner {
    const lock = this.lock;
    return { adminToken: lock.adminToken, advertise: (url) => lock.advertise(url) };
  }

  private static async readSnapshot(adapter: DurableJSONFile<Data>): Promise<Data> {
    return withoutPrototypes({ ...emptyData(), ...(await adapter.read()) });
  }

  /** Read-only look at the shops, without the lock: works while a server owns the file. */
  static async readShops(file: string): Promise<Shop[]> {
    const data = await LowdbStore.readSnapshot(new DurableJSONFile<Data>(file));
    for (const change of changesIn(await new WriteAheadLog(`${file}.wal`).readEntries<LogLine>())) applyChange(data, change);
    return Object.values(data.shops);
  }

  static async open(file: string, options: LowdbStoreOptions = {}): Promise<LowdbStore> {
    const lock = ProcessLock.acquire(file);
    try {
      const adapter = new DurableJSONFile<Data>(file);
      const db = new Low<Data>(adapter, emptyData());
      db.data = await LowdbStore.readSnapshot(adapter);
      const log = new WriteAheadLog(`${file}.wal`, options.openLogFile);
      // Cuts a torn last line off, so the first append starts on a clean line.
      const changes = changesIn(await log.recover<LogLine>());
      for (const change of changes) applyChange(db.data, change);
      const upgraded = upgradeOldShapes(db.data);
      const store = new LowdbStore(
        db,
        adapter,
        log,
        lock,
        options.now ?? Date.now,
        (options.eventRetentionDays ?? 7) * DAY_MS,
        options.snapshotAfterBytes ?? 4 * 1024 * 1024,
        options.warn ?? ((message) => console.error(message)),
        options.lookups ?? [],
        options.collections ?? [],
      );
      store.snapshotGate = options.snapshotGate;
      store.pruneProcessedEvents();
      // Folding the log in is an optimisation: on a full disk, start with the log as it is.
      // An upgraded file is written in the new shape at once, for whatever reads it next.
      if (changes.length > 0 || upgraded > 0) await store.snapshotQuietly();
      return store;
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Apply in memory now; durable at the next flush. */
  private change(change: Change): void {
    if (change.op === 'customer' || change.op === 'customerDeleted') {
      this.changeCustomer(change.shopId, change.op === 'customer' ? change.customer.customerId : change.customerId, change.op === 'customer' ? change.customer : undefined);
      return;
    }
    applyChange(this.db.data, change);
    if (change.op === 'doc') this.documentIndex.put(change.shopId, change.collection, change.id, change.value);
    // One flush is one line, replayed whole or not at all: the order of its changes does not matter, only each record's last value.
    this.pending.set(recordKey(change), JSON.stringify(change));
  }

  /**
   * A customer set whole (new, replaced) or deleted. Customers are not serialized
   * when changed: the flush writes what changed since the value the log holds.
   */
  private changeCustomer(shopId: string, customerId: string, record: CustomerRecord | undefined): void {
    const customers = this.db.data.customers;
    if (record) (customers[shopId] ??= dict())[customerId] = record;
    else if (customers[shopId]) delete customers[shopId]![customerId];
    this.tell({ shopId, customerId, record });
    this.pending.set(`customer\u0000${shopId}\u0000${customerId}`, { shopId, customerId, latest: record, whole: true });
  }

  /**
   * An event's change, applied to the record in place (issue 20): orders and
   * ledger are added to, not copied, so a purchase costs the same whatever the
   * customer's history. Safe because nothing keeps an older value of a record to
   * compare with: the flush logs what this notes as changed, a fold serializes
   * each record whole in one go, and a rollback reads the records back from disk.
   */
  private updateCustomer(shopId: string, record: CustomerRecord, update: CustomerUpdate): void {
    const fields = record as unknown as Record<string, unknown>;
    const key = `customer\u0000${shopId}\u0000${record.customerId}`;
    let entry = this.pending.get(key) as PendingCustomer | undefined;
    if (!entry) this.pending.set(key, (entry = { shopId, customerId: record.customerId, latest: record, whole: false }));
    entry.latest = record;
    for (const name of Object.keys(fields)) {
      if (name === 'orders' || name === 'ledger' || Object.hasOwn(update.fields, name)) continue;
      delete fields[name];
      (entry.unset ??= new Set()).add(name);
    }
    // The engine gives a changed field a new value and keeps an unchanged one as it was: the flush logs the changed ones.
    const set = (entry.set ??= new Set());
    const values = update.fields as unknown as Record<string, unknown>;
    for (const name of Object.keys(values)) if (fields[name] !== values[name]) set.add(name);
    Object.assign(fields, update.fields);
    if (update.allOrders) {
      record.orders = update.allOrders;
      entry.allOrders = true;
    } else if (update.orders) {
      const orders = (record.orders = idMap(record.orders));
      for (const id of Object.keys(update.orders)) {
        setOwn(orders, id, update.orders[id]!);
        (entry.orders ??= new Set()).add(id);
      }
    }
    const ledgerAt = update.ledger ? 0 : update.append?.length ? (record.ledger?.length ?? 0) : undefined;
    if (update.ledger) record.ledger = update.ledger;
    else if (update.append?.length) {
      const ledger = (record.ledger ??= []);
      for (const item of update.append) ledger.push(item);
    }
    if (ledgerAt !== undefined) entry.ledgerAt = Math.min(entry.ledgerAt ?? ledgerAt, ledgerAt);
    this.tell({ shopId, customerId: record.customerId, record, update });
  }

  private async flush(durable: () => void = () => {}): Promise<void> {
    // A fold finished before this flush took its changes: once they are
    // acknowledged, so is everything the fold read (it read memory, pending
    // changes included), and it can replace the snapshot.
    const folded = this.folded;
    const changes = this.pending;
    this.pending = new Map();
    if (changes.size > 0) {
      this.stats.flushes++;
      try {
        await this.log.append([`[${[...changes.values()].map(serializePending).join(',')}]\n`]);
      } catch (error) {
        await this.rollback(error);
        throw new StoreWriteError(error);
      }
    }
    // This batch's changes are on disk: its requests are answered now, not after the install.
    durable();
    // Not awaited: appends go on while it runs (it never holds one: the log rotated when the fold started).
    if (folded) this.installing = this.installFold(folded).finally(() => (this.installing = undefined));
    // Rewriting the snapshot costs its size: wait until the log is FOLD_RATIO times
    // as big, so the cost per logged byte stays constant as the shop grows, and the
    // files together stay within about three times the data (plus `snapshotAfterBytes`).
    if (!this.folding && !this.folded && !this.installing && this.log.size >= Math.max(this.snapshotAfterBytes, FOLD_RATIO * this.adapter.lastWriteBytes)) {
      this.folding = this.foldInBackground().finally(() => (this.folding = undefined));
    }
  }

  /**
   * The snapshot, written off the request path (issue 20: 1.9 s on the event
   * loop at 100 k customers, every request waiting): the data is serialized in
   * slices of a few milliseconds with the event loop free in between, while
   * requests go on changing it. So the fold holds each record as it was at some
   * moment after it started, and the lines from that start are in the log's new
   * file (the log rotates first; the fold replaces the segments up to the one
   * closed then, `through`): replaying them on the fold gives the data again,
   * because every part of a log line sets a value (a customer's ledger is cut,
   * then extended). Installed by the next flush (`flush`), beside the appends.
   */
  private async foldInBackground(): Promise<void> {
    const generation = this.generation;
    const data = this.db.data;
    try {
      // The lines from here on go to a new file: the segment closed now is what the fold replaces.
      const through = await this.log.rotate();
      await this.snapshotGate?.();
      const snapshot = await PreparedSnapshot.write(this.log.file.replace(/\.wal$/, ''), (write) =>
        writeInSlices(data, write, () => generation === this.generation),
      );
      if (generation !== this.generation) return void (await snapshot.discard());
      this.folded = { snapshot, through, generation };
      // Installed by the next flush, even when no request comes.
      this.commits.commit().catch(() => {});
    } catch (error) {
      if (error instanceof FoldAbandoned) return;
      this.warn(`kudos: could not fold the log into ${this.log.file.replace(/\.wal$/, '')} (${(error as Error).message}); retrying later.`);
    }
  }

  private async installFold(folded: NonNullable<LowdbStore['folded']>): Promise<void> {
    this.folded = undefined;
    if (folded.generation !== this.generation) return folded.snapshot.discard();
    try {
      await folded.snapshot.install();
      this.adapter.lastWriteBytes = folded.snapshot.bytes;
      this.stats.snapshots++;
      await this.log.dropThrough(folded.through);
    } catch (error) {
      // The old snapshot and the whole log, or the new one and the whole log: either replays to the same data.
      this.warn(`kudos: could not fold the log into ${this.log.file.replace(/\.wal$/, '')} (${(error as Error).message}); retrying later.`);
    }
  }

  /**
   * Back to what is on disk: the snapshot and the log's acknowledged lines. Every
   * caller whose change was in memory only hears the error (their batch's callers
   * from GroupCommit, the ones queued behind it here).
   */
  private async rollback(error: unknown): Promise<void> {
    this.stats.rollbacks++;
    // The files it reads back must not change under it.
    await this.installing;
    // A fold may hold changes being rolled back: give it up.
    this.generation++;
    const data = await LowdbStore.readSnapshot(this.adapter);
    for (const change of changesIn(await this.log.acknowledged<LogLine>())) applyChange(data, change);
    // The file may still be in an old shape when the snapshot at open could not be written.
    upgradeOldShapes(data);
    // Synchronous from here: no request sees a half-restored state.
    this.db.data = data;
    this.pending = new Map();
    this.indexAllKeys();
    this.browserIdCounts = new Map();
    this.anonymousIds = new Map();
    this.tell('reset');
    this.commits.failWaiting(new StoreWriteError(error));
  }

  private readonly customerListeners = new Set<(change: CustomerChange) => void>();
  private tell(change: CustomerChange): void {
    for (const listener of this.customerListeners) listener(change);
  }

  readonly customerChanges: CustomerChanges = {
    subscribe: (listener) => {
      this.customerListeners.add(listener);
      return () => this.customerListeners.delete(listener);
    },
    customers: (shopId) => Object.values(this.db.data.customers[shopId] ?? {}),
  };

  private async snapshot(): Promise<void> {
    // The snapshot serializes everything applied so far, including changes still
    // pending for the next flush (serialization is synchronous, at the call):
    // once it is on disk those are durable too, so they leave `pending` (a later
    // failed append must not reject what the snapshot already holds). A record
    // changed again during the write is pending anew, with its newer value.
    const covered = this.pending;
    this.pending = new Map();
    try {
      await this.db.write();
    } catch (error) {
      for (const [key, line] of this.pending) {
        const earlier = covered.get(key);
        covered.delete(key);
        // A customer changed again during the write: the log still holds the value before both.
        if (typeof line !== 'string' && earlier !== undefined && typeof earlier !== 'string') covered.set(key, mergePending(earlier, line));
        else covered.set(key, line);
      }
      this.pending = covered;
      throw error;
    }
    await this.log.clear();
    this.stats.snapshots++;
  }

  /** A snapshot that fails leaves the snapshot and log as they were: everything acknowledged stays durable. */
  private async snapshotQuietly(): Promise<void> {
    try {
      await this.snapshot();
    } catch (error) {
      this.warn(`kudos: could not fold the log into ${this.log.file.replace(/\.wal$/, '')} (${(error as Error).message}); retrying later.`);
    }
  }

  /** Every in-memory index, from the data (at open and after a rollback). */
  private indexAllKeys(): void {
    this.shopIdByKeyDigest.clear();
    this.shopIdsByOrigin.clear();
    for (const shop of Object.values(this.db.data.shops)) this.indexKeys(shop);
    this.documentIndex.rebuild(this.db.data.documents);
  }

  private indexKeys(shop: Shop, before?: Shop): void {
    for (const key of before?.keys ?? []) this.shopIdByKeyDigest.delete(key.digest);
    // Shops written before keys were records have none: server/access/migrate.ts gives them some at start.
    for (const key of shop.keys ?? []) this.shopIdByKeyDigest.set(key.digest, shop.id);
    for (const origin of before?.origins ?? []) this.shopIdsByOrigin.get(origin)?.delete(shop.id);
    for (const origin of shop.origins ?? []) {
      const ids = this.shopIdsByOrigin.get(origin) ?? new Set<string>();
      this.shopIdsByOrigin.set(origin, ids.add(shop.id));
    }
  }

  async createShop(shop: Shop): Promise<void> {
    if (this.db.data.shops[shop.id]) throw new Error(`shop ${shop.id} exists`);
    // A frozen copy: the caller keeps its object, readers get this one (see `shopOf`).
    const stored = deepFreeze(structuredClone(shop));
    this.change({ op: 'shop', shop: stored });
    this.indexKeys(stored);
    await this.commits.commit();
  }

  /**
   * The stored shop itself, deeply frozen, not a copy: every authenticated request
   * reads its shop, and copying the whole document per request was among ingest's
   * costs (issue 20). Frozen, a reader's change throws instead of reaching the
   * store behind the log's back; the store never changes a shop in place either
   * (`updateShop` replaces it). Shops read from disk are frozen on first read.
   */
  private shopOf(shopId: string): Shop | undefined {
    const shop = this.db.data.shops[shopId];
    return shop && (Object.isFrozen(shop) ? shop : deepFreeze(shop));
  }

  async getShop(shopId: string): Promise<Shop | undefined> {
    return this.shopOf(shopId);
  }

  async findShopByKeyDigest(digest: string): Promise<Shop | undefined> {
    const id = this.shopIdByKeyDigest.get(digest);
    return id === undefined ? undefined : this.shopOf(id);
  }

  async updateShop(shopId: string, update: (shop: Shop) => Shop): Promise<Shop | undefined> {
    // Synchronous from read to write: atomic in this single process.
    const before = this.db.data.shops[shopId];
    if (!before) return undefined;
    // The updater gets a copy it may change; what it answers is copied and frozen (it may share parts with its caller).
    const after = deepFreeze(structuredClone(update(structuredClone(before))));
    if (after.id !== shopId) throw new Error('updateShop: the id cannot change');
    this.change({ op: 'shop', shop: after });
    this.indexKeys(after, before);
    await this.commits.commit();
    return after;
  }

  async listShops(): Promise<Shop[]> {
    return Object.keys(this.db.data.shops).map((id) => this.shopOf(id)!);
  }

  async shopIdsWithOrigin(origin: string): Promise<string[]> {
    return [...(this.shopIdsByOrigin.get(origin) ?? [])].sort();
  }

  async putBadge(shopId: string, badge: BadgeDefinition): Promise<{ created: boolean }> {
    const created = !this.db.data.badges[shopId]?.[badge.id];
    this.change({ op: 'badge', shopId, badge });
    await this.commits.commit();
    return { created };
  }

  async getBadge(shopId: string, badgeId: string): Promise<BadgeDefinition | undefined> {
    return this.db.data.badges[shopId]?.[badgeId];
  }

  async listBadges(shopId: string): Promise<BadgeDefinition[]> {
    return Object.values(this.db.data.badges[shopId] ?? {});
  }

  async getCustomer(shopId: string, customerId: string): Promise<CustomerRecord | undefined> {
    return this.db.data.customers[shopId]?.[customerId];
  }

  async listCustomers(shopId: string, page: { after?: string; limit?: number } = {}): Promise<CustomerRecord[]> {
    const customers = this.db.data.customers[shopId] ?? {};
    const limit = page.limit ?? 1000;
    const after = page.after;
    const ids = Object.keys(customers)
      .filter((id) => after === undefined || id > after)
      .sort()
      .slice(0, limit);
    return ids.map((id) => customers[id]!);
  }

  async deleteCustomer(shopId: string, customerId: string): Promise<boolean> {
    const existed = Object.hasOwn(this.db.data.customers[shopId] ?? {}, customerId);
    if (existed) {
      this.change({ op: 'customerDeleted', shopId, customerId });
      this.anonymousIds.get(shopId)?.delete(customerId);
    }
    // Also when nothing changed: resolve after the write in flight, whose fate it shares.
    await this.commits.commit();
    return existed;
  }

  private seenOf(shopId: string, event: RecordedEvent): ProcessedEvent | undefined {
    return (event.browser ? this.db.data.browserEvents : this.db.data.processedEvents)[shopId]?.[event.id];
  }

  /** Ids reused in this call or before with another fingerprint. */
  private conflictsOf(shopId: string, events: readonly RecordedEvent[]): number[] {
    const conflicts: number[] = [];
    const inBatch = new Map<string, string | undefined>();
    events.forEach((event, i) => {
      const key = `${event.browser ? 'b' : 's'}${event.id}`;
      const prior = this.seenOf(shopId, event);
      const known = prior !== undefined || inBatch.has(key);
      const fp = prior ? prior.fp : inBatch.get(key);
      if (known && fp !== undefined && event.fingerprint !== undefined && fp !== event.fingerprint) conflicts.push(i);
      if (!known) inBatch.set(key, event.fingerprint);
    });
    return conflicts;
  }

  private browserIdCount(shopId: string): number {
    let count = this.browserIdCounts.get(shopId);
    if (count === undefined) {
      count = Object.keys(this.db.data.browserEvents[shopId] ?? {}).length;
      this.browserIdCounts.set(shopId, count);
    }
    return count;
  }

  private anonymousOf(shopId: string): Set<string> {
    let ids = this.anonymousIds.get(shopId);
    if (!ids) {
      ids = new Set(Object.keys(this.db.data.customers[shopId] ?? {}).filter(isAnonymousCustomerId));
      this.anonymousIds.set(shopId, ids);
    }
    return ids;
  }

  /** Forgets this shop's browser ids past their retention and deletes its idle anonymous records. */
  private pruneBrowserTraffic(shopId: string, limits: BrowserLimits): void {
    const now = this.now();
    this.limitPrunedAt.set(shopId, now);
    const seen = this.db.data.browserEvents[shopId];
    if (seen) {
      // Ids are kept in the order first seen, so the expired ones come first.
      const cutoff = now - limits.idRetentionMs;
      let removed = 0;
      for (const id in seen) {
        if (seen[id]!.at >= cutoff) break;
        delete seen[id];
        removed++;
      }
      if (removed > 0) this.browserIdCounts.set(shopId, this.browserIdCount(shopId) - removed);
    }
    const customers = this.db.data.customers[shopId] ?? {};
    const anonymous = this.anonymousOf(shopId);
    for (const customerId of anonymous) {
      const customer = customers[customerId];
      const last = customer ? Date.parse(customer.lastActivityAt ?? customer.updatedAt) : -Infinity;
      if (now - last < limits.anonymousIdleMs) continue;
      if (customer) this.change({ op: 'customerDeleted', shopId, customerId });
      anonymous.delete(customerId);
    }
  }

  /** Throws QuotaExceeded when the batch's new browser ids or anonymous visitors would pass this shop's limits. */
  private enforce(shopId: string, events: readonly RecordedEvent[], limits: BrowserLimits): void {
    const newIds = new Set<string>();
    const newVisitors = new Set<string>();
    const customers = this.db.data.customers[shopId] ?? {};
    for (const event of events) {
      if (event.browser && !this.seenOf(shopId, event)) newIds.add(event.id);
      if (isAnonymousCustomerId(event.customerId) && !Object.hasOwn(customers, event.customerId)) newVisitors.add(event.customerId);
    }
    const over = () =>
      this.browserIdCount(shopId) + newIds.size > limits.events ||
      this.anonymousOf(shopId).size + newVisitors.size > limits.anonymousVisitors;
    const since = this.now() - (this.limitPrunedAt.get(shopId) ?? -Infinity);
    if (since >= PRUNE_EVERY_MS || (since >= PRUNE_AT_LIMIT_EVERY_MS && over())) this.pruneBrowserTraffic(shopId, limits);
    if (this.browserIdCount(shopId) + newIds.size > limits.events) throw new QuotaExceeded('events', limits.events);
    if (this.anonymousOf(shopId).size + newVisitors.size > limits.anonymousVisitors) {
      throw new QuotaExceeded('anonymousVisitors', limits.anonymousVisitors);
    }
  }

  async checkLimits(shopId: string, events: readonly RecordedEvent[], limits: BrowserLimits): Promise<void> {
    this.enforce(shopId, events, limits);
  }

  async recordEvents(shopId: string, events: readonly RecordedEvent[], decide: Decide, limits?: BrowserLimits, followUp?: FollowUp): Promise<EventOutcome[]> {
    const data = this.db.data;
    const badges = Object.values(data.badges[shopId] ?? {});
    const outcomes: EventOutcome[] = [];
    let counted: CountedBadge[] | undefined;
    let changed = false;
    // Everything from here to the commit is synchronous: no other request can
    // interleave, so each badge is granted at most once per customer.
    const conflicts = this.conflictsOf(shopId, events);
    if (conflicts.length > 0) throw new EventConflict(conflicts);
    if (limits) this.enforce(shopId, events, limits);
    try {
      for (const event of events) {
        const prior = this.seenOf(shopId, event);
        if (prior) {
          outcomes.push({ id: event.id, status: 'duplicate', awards: prior.awards, ...revoked(prior.revocations) });
          continue;
        }
        // The badges with their counts, copied again only after an event changed a count (not per event of a batch).
        if (!counted) {
          const counts = data.awardCounts[shopId] ?? {};
          counted = badges.map((b) => ({ ...b, awardedCount: counts[b.id] ?? 0 }));
        }
        const existing = data.customers[shopId]?.[event.customerId];
        const { update, awards, revocations } = decide(existing, event, counted);
        if (awards.length > 0 || revocations.length > 0) counted = undefined;
        if (existing) this.updateCustomer(shopId, existing, update);
        else this.changeCustomer(shopId, event.customerId, withUpdate(undefined, update));
        this.countAwards(shopId, awards, 1);
        this.countAwards(shopId, revocations, -1);
        const seen: ProcessedEvent = {
          customerId: event.customerId,
          at: this.now(),
          awards,
          ...revoked(revocations),
          ...(event.fingerprint !== undefined && { fp: event.fingerprint }),
        };
        this.change({ op: 'seen', shopId, eventId: event.id, event: seen, ...(event.browser && { browser: true as const }) });
        if (event.browser) this.browserIdCounts.set(shopId, this.browserIdCount(shopId) + 1);
        if (!existing && isAnonymousCustomerId(event.customerId)) this.anonymousOf(shopId).add(event.customerId);
        outcomes.push({ id: event.id, status: 'accepted', awards, ...revoked(revocations) });
        changed = true;
      }
    } catch (error) {
      // What was decided before the failing event is a fact: make it durable, then report.
      if (changed) {
        this.writeFollowUp(shopId, followUp, outcomes);
        await this.commits.commit();
      }
      throw error;
    }
    if (changed) this.writeFollowUp(shopId, followUp, outcomes);
    this.maybePrune();
    // Also with nothing new: a duplicate may name an event whose first flush is
    // still in flight; waiting for the next write makes "duplicate" mean
    // "stored" (and a failed flush fails this call too).
    await this.commits.commit();
    return outcomes;
  }

  /** The outbox document joins the batch's changes: the same flush, the same log line. */
  private writeFollowUp(shopId: string, followUp: FollowUp | undefined, outcomes: readonly EventOutcome[]): void {
    const doc = followUp?.(outcomes);
    if (!doc) return;
    this.declared.check(doc.ref.collection);
    // Kept as handed over (FollowUp): copying the batch's events and outcomes (structuredClone,
    // later a JSON round trip) was 4-6 % of batched ingest CPU, for a document deleted moments later.
    this.change({ op: 'doc', shopId, collection: doc.ref.collection, id: doc.ref.id, value: doc.value });
  }

  async getDocument<T>(shopId: string, ref: DocumentRef): Promise<T | undefined> {
    this.declared.check(ref.collection);
    // Copies: a caller mutating what it read must not change the store behind the log's back.
    return structuredClone(this.db.data.documents[shopId]?.[ref.collection]?.[ref.id]) as T | undefined;
  }

  async listDocuments<T>(shopId: string, collection: string): Promise<T[]> {
    this.declared.check(collection);
    return structuredClone(Object.values(this.db.data.documents[shopId]?.[collection] ?? {})) as T[];
  }

  async findDocuments<T>(lookup: DocumentLookup, query: DocumentQuery): Promise<FoundDocument<T>[]> {
    return this.documentIndex.find(lookup, query).map(([key, shopId, id]) => ({
      shopId,
      id,
      key,
      value: structuredClone(this.db.data.documents[shopId]![lookup.collection]![id]) as T,
    }));
  }

  async claimDocuments<T>(
    lookup: DocumentLookup,
    query: { upTo: string; limit: number },
    claim: (value: T, shopId: string, id: string) => T | undefined,
  ): Promise<FoundDocument<T>[]> {
    // Synchronous from the lookup to the last write: one process, so nothing else claims in between.
    const claimed: FoundDocument<T>[] = [];
    const looked = new Set<string>();
    for (const [key, shopId, id] of this.documentIndex.find(lookup, { upTo: query.upTo })) {
      const docKey = `${shopId}\u0000${id}`;
      if (looked.has(docKey)) continue;
      if (looked.size >= query.limit) break;
      looked.add(docKey);
      const current = structuredClone(this.db.data.documents[shopId]?.[lookup.collection]?.[id]) as T;
      const next = claim(current, shopId, id);
      if (next === undefined) continue;
      this.change({ op: 'doc', shopId, collection: lookup.collection, id, value: next });
      claimed.push({ shopId, id, key, value: structuredClone(next) });
    }
    await this.commits.commit();
    return claimed;
  }

  async updateDocuments<R>(
    shopId: string,
    refs: readonly DocumentRef[],
    update: (current: unknown[]) => DocumentUpdate<R>,
  ): Promise<R> {
    this.declared.checkRefs(refs);
    // Synchronous from read to write: atomic in this single process.
    const current = refs.map((ref) => structuredClone(this.db.data.documents[shopId]?.[ref.collection]?.[ref.id]));
    const { values, result } = update(current);
    if (values.length !== refs.length) throw new Error('updateDocuments: one value per document');
    refs.forEach((ref, i) => {
      if (values[i] === current[i]) return; // untouched
      this.change({ op: 'doc', shopId, collection: ref.collection, id: ref.id, value: values[i] ?? null });
    });
    // Also when untouched: what it read may still be in flight, and shares that write's fate.
    await this.commits.commit();
    return result;
  }

  /**
   * A batch's finished follow-ups (record-events): gone from memory at once, and
   * from the log with the next flush, like updateDocuments to nothing, but without
   * first copying what is deleted (a batch of 100 events and outcomes) and
   * without a commit for the caller to wait on.
   */
  deleteDocumentsLater(shopId: string, refs: readonly DocumentRef[]): void {
    this.declared.checkRefs(refs);
    const docs = this.db.data.documents[shopId];
    for (const ref of refs) {
      if (docs?.[ref.collection]?.[ref.id] === undefined) continue;
      this.change({ op: 'doc', shopId, collection: ref.collection, id: ref.id, value: null });
    }
    // Logged by the next flush, or by one of its own when no other write comes.
    this.commits.commit().catch(() => {});
  }

  async dump(): Promise<StoreRecord[]> {
    const d = this.db.data;
    const out: StoreRecord[] = Object.values(d.shops).map((shop) => ({ kind: 'shop', shop }));
    const shopIds = new Set([...Object.keys(d.shops), ...Object.keys(d.badges), ...Object.keys(d.customers), ...Object.keys(d.documents)]);
    for (const shopId of shopIds) {
      for (const badge of Object.values(d.badges[shopId] ?? {})) out.push({ kind: 'badge', shopId, badge });
      for (const customer of Object.values(d.customers[shopId] ?? {})) out.push({ kind: 'customer', shopId, customer });
      for (const [namespace, browser] of [[d.processedEvents, false], [d.browserEvents, true]] as const) {
        for (const [eventId, e] of Object.entries(namespace[shopId] ?? {})) {
          out.push({
            kind: 'seen',
            shopId,
            eventId,
            customerId: e.customerId,
            at: e.at,
            awards: e.awards,
            ...revoked(e.revocations),
            ...(e.fp !== undefined && { fingerprint: e.fp }),
            ...(browser && { browser: true as const }),
          });
        }
      }
      for (const [badgeId, count] of Object.entries(d.awardCounts[shopId] ?? {})) out.push({ kind: 'awardCount', shopId, badgeId, count });
      for (const [collection, docs] of Object.entries(d.documents[shopId] ?? {})) {
        for (const [id, value] of Object.entries(docs)) out.push({ kind: 'document', shopId, collection, id, value: structuredClone(value) });
      }
    }
    return out;
  }

  async load(records: readonly StoreRecord[]): Promise<void> {
    // Browser ids are kept in the order first seen (pruning stops at the first one still fresh): oldest first, whatever order they came in.
    const browserSeen = (r: StoreRecord) => r.kind === 'seen' && r.browser === true;
    const byAt = (a: StoreRecord, b: StoreRecord) => (a.kind === 'seen' && b.kind === 'seen' ? a.at - b.at : 0);
    // Before any change: a copy holding a collection this Kudos does not declare is refused whole.
    this.declared.checkRefs(records.flatMap((r) => (r.kind === 'document' ? [r] : [])));
    for (const r of [...records.filter((r) => !browserSeen(r)), ...records.filter(browserSeen).sort(byAt)]) {
      if (r.kind === 'shop') {
        this.change({ op: 'shop', shop: structuredClone(r.shop) });
        this.indexKeys(r.shop);
      } else if (r.kind === 'badge') this.change({ op: 'badge', shopId: r.shopId, badge: r.badge });
      // A copy: events change records in place (updateCustomer), and the caller's records are its own.
      else if (r.kind === 'customer') this.change({ op: 'customer', shopId: r.shopId, customer: structuredClone(r.customer) });
      else if (r.kind === 'seen') {
        const event: ProcessedEvent = { customerId: r.customerId, at: r.at, awards: r.awards, ...revoked(r.revocations), ...(r.fingerprint !== undefined && { fp: r.fingerprint }) };
        this.change({ op: 'seen', shopId: r.shopId, eventId: r.eventId, event, ...(r.browser && { browser: true as const }) });
      } else if (r.kind === 'awardCount') this.change({ op: 'awardCount', shopId: r.shopId, badgeId: r.badgeId, count: r.count });
      else this.change({ op: 'doc', shopId: r.shopId, collection: r.collection, id: r.id, value: r.value });
    }
    await this.commits.commit();
  }

  private countAwards(shopId: string, awards: readonly Award[], delta: number): void {
    for (const award of awards) {
      if (award.kind !== 'badge') continue;
      const count = Math.max(0, (this.db.data.awardCounts[shopId]?.[award.id] ?? 0) + delta);
      this.change({ op: 'awardCount', shopId, badgeId: award.id, count });
    }
  }

  private maybePrune(): void {
    if (this.now() - this.lastPrune >= PRUNE_EVERY_MS) this.pruneProcessedEvents();
  }

  private pruneProcessedEvents(): void {
    const cutoff = this.now() - this.retentionMs;
    this.lastPrune = this.now();
    for (const seen of [...Object.values(this.db.data.processedEvents), ...Object.values(this.db.data.browserEvents)]) {
      for (const [id, event] of Object.entries(seen)) if (event.at < cutoff) delete seen[id];
    }
    this.browserIdCounts = new Map();
  }

  async close(): Promise<void> {
    await this.commits.idle();
    this.generation++;
    await this.folding;
    await this.installing;
    if (this.folded) await this.folded.snapshot.discard();
    this.folded = undefined;
    // A clean stop leaves one compact file.
    if (this.log.size > 0) await this.snapshotQuietly();
    await this.log.close();
    this.lock.release();
  }
}
