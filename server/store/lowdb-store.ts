// The embedded default store: lowdb's JSON file as the snapshot, kept in memory,
// plus a write-ahead log. Changes are applied synchronously in memory (so each
// engine step is atomic in this single process) and made durable by group
// commit: one appended, fsync'd batch of log lines serves every request that
// changed data while the previous flush ran. The snapshot is rewritten only when
// the log has grown, at start and at clean shutdown.
import { createHash } from 'node:crypto';
import { Low } from 'lowdb';
import type { CustomerRecord } from '../engine/customer.js';
import type { Award, BadgeDefinition } from '../schemas.js';
import { DurableJSONFile } from './durable-json-file.js';
import { GroupCommit } from './group-commit.js';
import { ProcessLock } from './process-lock.js';
import type { Decide, DocumentRef, DocumentUpdate, EventOutcome, LocalOwner, RecordedEvent, Shop, Store, StoreRecord } from './store.js';
import { WriteAheadLog } from './write-ahead-log.js';

interface ProcessedEvent {
  customerId: string;
  at: number;
  awards: Award[];
  revocations?: Award[];
}

interface Data {
  version: 1;
  shops: Record<string, Shop>;
  badges: Record<string, Record<string, BadgeDefinition>>;
  customers: Record<string, Record<string, CustomerRecord>>;
  /** Event ids seen per shop, kept for the retention window so replays are recognized. */
  processedEvents: Record<string, Record<string, ProcessedEvent>>;
  /** shopId → badgeId → customers holding it. */
  awardCounts: Record<string, Record<string, number>>;
  /** shopId → collection → id → feature document. */
  documents: Record<string, Record<string, Record<string, unknown>>>;
}

/** Log entries set a value (never increment), so replaying one twice is harmless. */
type Change =
  | { op: 'shop'; shop: Shop }
  | { op: 'badge'; shopId: string; badge: BadgeDefinition }
  | { op: 'customer'; shopId: string; customer: CustomerRecord }
  | { op: 'customerDeleted'; shopId: string; customerId: string }
  | { op: 'seen'; shopId: string; eventId: string; event: ProcessedEvent }
  | { op: 'doc'; shopId: string; collection: string; id: string; value: unknown }
  | { op: 'awardCount'; shopId: string; badgeId: string; count: number };

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
  strip(data.awardCounts, 2);
  strip(data.documents, 3);
  return data;
}

const emptyData = (): Data => ({
  version: 1,
  shops: dict(),
  badges: dict(),
  customers: dict(),
  processedEvents: dict(),
  awardCounts: dict(),
  documents: dict(),
});

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
    case 'seen':
      (data.processedEvents[change.shopId] ??= dict())[change.eventId] = change.event;
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
  /** Fold the log into the snapshot once it is this big. */
  snapshotAfterBytes?: number;
}

const DAY_MS = 86_400_000;

/** Only mention revocations when there are some. */
const revoked = (revocations: Award[] | undefined) => (revocations?.length ? { revocations } : {});
const PRUNE_EVERY_MS = 3_600_000;

const keyDigest = (key: string) => createHash('sha256').update(key).digest('hex');

export class LowdbStore implements Store {
  private readonly commits: GroupCommit;
  // Keys are looked up by digest so lookup time says nothing about a guessed key.
  private readonly shopIdByKeyDigest = new Map<string, string>();
  private pending: string[] = [];
  private lastPrune = 0;
  /** Flushes so far: with group commit, far fewer than the requests they served. */
  readonly stats = { flushes: 0, snapshots: 0 };

  private constructor(
    private readonly db: Low<Data>,
    private readonly adapter: DurableJSONFile<Data>,
    private readonly log: WriteAheadLog,
    readonly lock: ProcessLock,
    private readonly now: () => number,
    private readonly retentionMs: number,
    private readonly snapshotAfterBytes: number,
  ) {
    this.commits = new GroupCommit(() => this.flush());
    for (const shop of Object.values(db.data.shops)) this.indexKeys(shop);
  }

  get local(): LocalOwner {
    const lock = this.lock;
    return { adminToken: lock.adminToken, advertise: (url) => lock.advertise(url) };
  }

  /** Snapshot plus log, as a restart would see them. */
  private static async load(
    file: string,
  ): Promise<{ db: Low<Data>; adapter: DurableJSONFile<Data>; log: WriteAheadLog; replayed: number }> {
    const adapter = new DurableJSONFile<Data>(file);
    const db = new Low<Data>(adapter, emptyData());
    await db.read();
    db.data = withoutPrototypes({ ...emptyData(), ...db.data });
    const log = new WriteAheadLog(`${file}.wal`);
    const changes = await log.readEntries<Change>();
    for (const change of changes) applyChange(db.data, change);
    return { db, adapter, log, replayed: changes.length };
  }

  /** Read-only look at the shops, without the lock: works while a server owns the file. */
  static async readShops(file: string): Promise<Shop[]> {
    return Object.values((await LowdbStore.load(file)).db.data.shops);
  }

  static async open(file: string, options: LowdbStoreOptions = {}): Promise<LowdbStore> {
    const lock = ProcessLock.acquire(file);
    try {
      const { db, adapter, log, replayed } = await LowdbStore.load(file);
      const store = new LowdbStore(
        db,
        adapter,
        log,
        lock,
        options.now ?? Date.now,
        (options.eventRetentionDays ?? 7) * DAY_MS,
        options.snapshotAfterBytes ?? 16 * 1024 * 1024,
      );
      store.pruneProcessedEvents();
      if (replayed > 0) await store.snapshot();
      return store;
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Apply in memory now; durable at the next flush. */
  private change(change: Change): void {
    applyChange(this.db.data, change);
    this.pending.push(JSON.stringify(change) + '\n');
  }

  private async flush(): Promise<void> {
    const lines = this.pending;
    this.pending = [];
    if (lines.length > 0) {
      this.stats.flushes++;
      try {
        await this.log.append(lines);
      } catch (error) {
        // Not durable: keep them for the next flush, and let the callers hear it.
        this.pending = lines.concat(this.pending);
        throw error;
      }
    }
    // Rewriting the snapshot costs its size: wait until the log is at least twice
    // as big, so the cost per logged byte stays constant as the shop grows.
    if (this.log.size >= Math.max(this.snapshotAfterBytes, 2 * this.adapter.lastWriteBytes)) await this.snapshot();
  }

  private async snapshot(): Promise<void> {
    // The snapshot serializes everything applied so far, including changes still
    // pending for the next flush; replaying those later is harmless.
    await this.db.write();
    await this.log.clear();
    this.stats.snapshots++;
  }

  private indexKeys(shop: Shop): void {
    this.shopIdByKeyDigest.set(keyDigest(shop.publishableKey), shop.id);
    this.shopIdByKeyDigest.set(keyDigest(shop.secretKey), shop.id);
  }

  async createShop(shop: Shop): Promise<void> {
    if (this.db.data.shops[shop.id]) throw new Error(`shop ${shop.id} exists`);
    this.change({ op: 'shop', shop });
    this.indexKeys(shop);
    await this.commits.commit();
  }

  async getShop(shopId: string): Promise<Shop | undefined> {
    return this.db.data.shops[shopId];
  }

  async findShopByKey(key: string): Promise<Shop | undefined> {
    const id = this.shopIdByKeyDigest.get(keyDigest(key));
    return id === undefined ? undefined : this.db.data.shops[id];
  }

  async listShops(): Promise<Shop[]> {
    return Object.values(this.db.data.shops);
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
    if (existed) this.change({ op: 'customerDeleted', shopId, customerId });
    await (existed ? this.commits.commit() : this.commits.idle());
    return existed;
  }

  async recordEvents(shopId: string, events: readonly RecordedEvent[], decide: Decide): Promise<EventOutcome[]> {
    const data = this.db.data;
    const badges = Object.values(data.badges[shopId] ?? {});
    const outcomes: EventOutcome[] = [];
    let changed = false;
    // Everything from here to the commit is synchronous: no other request can
    // interleave, so each badge is granted at most once per customer.
    try {
      for (const event of events) {
        const prior = data.processedEvents[shopId]?.[event.id];
        if (prior) {
          outcomes.push({ id: event.id, status: 'duplicate', awards: prior.awards, ...revoked(prior.revocations) });
          continue;
        }
        const counts = data.awardCounts[shopId] ?? {};
        const counted = badges.map((b) => ({ ...b, awardedCount: counts[b.id] ?? 0 }));
        const { customer, awards, revocations } = decide(data.customers[shopId]?.[event.customerId], event, counted);
        this.countAwards(shopId, awards, 1);
        this.countAwards(shopId, revocations, -1);
        const seen: ProcessedEvent = { customerId: event.customerId, at: this.now(), awards, ...revoked(revocations) };
        this.change({ op: 'customer', shopId, customer });
        this.change({ op: 'seen', shopId, eventId: event.id, event: seen });
        outcomes.push({ id: event.id, status: 'accepted', awards, ...revoked(revocations) });
        changed = true;
      }
    } catch (error) {
      // What was decided before the failing event is a fact: make it durable, then report.
      if (changed) await this.commits.commit();
      throw error;
    }
    this.maybePrune();
    // A duplicate may name an event whose first flush is still in flight: wait
    // for it too, so "duplicate" also means "stored".
    await (changed ? this.commits.commit() : this.commits.idle());
    return outcomes;
  }

  async getDocument<T>(shopId: string, ref: DocumentRef): Promise<T | undefined> {
    // Copies: a caller mutating what it read must not change the store behind the log's back.
    return structuredClone(this.db.data.documents[shopId]?.[ref.collection]?.[ref.id]) as T | undefined;
  }

  async listDocuments<T>(shopId: string, collection: string): Promise<T[]> {
    return structuredClone(Object.values(this.db.data.documents[shopId]?.[collection] ?? {})) as T[];
  }

  async updateDocuments<R>(
    shopId: string,
    refs: readonly DocumentRef[],
    update: (current: unknown[]) => DocumentUpdate<R>,
  ): Promise<R> {
    // Synchronous from read to write: atomic in this single process.
    const current = refs.map((ref) => structuredClone(this.db.data.documents[shopId]?.[ref.collection]?.[ref.id]));
    const { values, result } = update(current);
    if (values.length !== refs.length) throw new Error('updateDocuments: one value per document');
    let changed = false;
    refs.forEach((ref, i) => {
      if (values[i] === current[i]) return; // untouched
      this.change({ op: 'doc', shopId, collection: ref.collection, id: ref.id, value: values[i] ?? null });
      changed = true;
    });
    await (changed ? this.commits.commit() : this.commits.idle());
    return result;
  }

  async dump(): Promise<StoreRecord[]> {
    const d = this.db.data;
    const out: StoreRecord[] = Object.values(d.shops).map((shop) => ({ kind: 'shop', shop }));
    const shopIds = new Set([...Object.keys(d.shops), ...Object.keys(d.badges), ...Object.keys(d.customers), ...Object.keys(d.documents)]);
    for (const shopId of shopIds) {
      for (const badge of Object.values(d.badges[shopId] ?? {})) out.push({ kind: 'badge', shopId, badge });
      for (const customer of Object.values(d.customers[shopId] ?? {})) out.push({ kind: 'customer', shopId, customer });
      for (const [eventId, e] of Object.entries(d.processedEvents[shopId] ?? {})) {
        out.push({ kind: 'seen', shopId, eventId, customerId: e.customerId, at: e.at, awards: e.awards, ...revoked(e.revocations) });
      }
      for (const [badgeId, count] of Object.entries(d.awardCounts[shopId] ?? {})) out.push({ kind: 'awardCount', shopId, badgeId, count });
      for (const [collection, docs] of Object.entries(d.documents[shopId] ?? {})) {
        for (const [id, value] of Object.entries(docs)) out.push({ kind: 'document', shopId, collection, id, value: structuredClone(value) });
      }
    }
    return out;
  }

  async load(records: readonly StoreRecord[]): Promise<void> {
    for (const r of records) {
      if (r.kind === 'shop') {
        this.change({ op: 'shop', shop: r.shop });
        this.indexKeys(r.shop);
      } else if (r.kind === 'badge') this.change({ op: 'badge', shopId: r.shopId, badge: r.badge });
      else if (r.kind === 'customer') this.change({ op: 'customer', shopId: r.shopId, customer: r.customer });
      else if (r.kind === 'seen') {
        this.change({ op: 'seen', shopId: r.shopId, eventId: r.eventId, event: { customerId: r.customerId, at: r.at, awards: r.awards, ...revoked(r.revocations) } });
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
    for (const seen of Object.values(this.db.data.processedEvents)) {
      for (const [id, event] of Object.entries(seen)) if (event.at < cutoff) delete seen[id];
    }
  }

  async close(): Promise<void> {
    await this.commits.idle();
    // A clean stop leaves one compact file.
    if (this.log.size > 0) await this.snapshot();
    await this.log.close();
    this.lock.release();
  }
}
