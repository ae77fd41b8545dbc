// The embedded default store: one JSON file through lowdb, kept in memory.
// Changes are applied synchronously in memory (so each engine step is atomic in
// this single process) and made durable by group commit: one fsync'd file write
// serves every request that changed data while the previous write was running.
import { createHash } from 'node:crypto';
import { Low } from 'lowdb';
import type { CustomerRecord } from '../engine/badges.js';
import type { Award, BadgeDefinition } from '../schemas.js';
import { DurableJSONFile } from './durable-json-file.js';
import { GroupCommit } from './group-commit.js';
import { ProcessLock } from './process-lock.js';
import type { Decide, EventOutcome, RecordedEvent, Shop, Store } from './store.js';

interface ProcessedEvent {
  customerId: string;
  at: number;
  awards: Award[];
}

interface Data {
  version: 1;
  shops: Record<string, Shop>;
  badges: Record<string, Record<string, BadgeDefinition>>;
  customers: Record<string, Record<string, CustomerRecord>>;
  /** Event ids seen per shop, kept for the retention window so replays are recognized. */
  processedEvents: Record<string, Record<string, ProcessedEvent>>;
}

const emptyData = (): Data => ({ version: 1, shops: {}, badges: {}, customers: {}, processedEvents: {} });

export interface LowdbStoreOptions {
  now?: () => number;
  /** How long an event id is remembered for de-duplication. */
  eventRetentionDays?: number;
}

const DAY_MS = 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

const keyDigest = (key: string) => createHash('sha256').update(key).digest('hex');

export class LowdbStore implements Store {
  private readonly commits: GroupCommit;
  // Keys are looked up by digest so lookup time says nothing about a guessed key.
  private readonly shopIdByKeyDigest = new Map<string, string>();
  private lastPrune = 0;
  /** File writes so far: with group commit, far fewer than the requests they served. */
  readonly stats = { writes: 0 };

  private constructor(
    private readonly db: Low<Data>,
    readonly lock: ProcessLock,
    private readonly now: () => number,
    private readonly retentionMs: number,
  ) {
    this.commits = new GroupCommit(async () => {
      this.stats.writes++;
      await this.db.write();
    });
    for (const shop of Object.values(db.data.shops)) this.indexKeys(shop);
  }

  static async open(file: string, options: LowdbStoreOptions = {}): Promise<LowdbStore> {
    const lock = ProcessLock.acquire(file);
    try {
      const db = new Low<Data>(new DurableJSONFile<Data>(file), emptyData());
      await db.read();
      db.data = { ...emptyData(), ...db.data };
      const store = new LowdbStore(db, lock, options.now ?? Date.now, (options.eventRetentionDays ?? 35) * DAY_MS);
      store.pruneProcessedEvents();
      return store;
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  private indexKeys(shop: Shop): void {
    this.shopIdByKeyDigest.set(keyDigest(shop.publishableKey), shop.id);
    this.shopIdByKeyDigest.set(keyDigest(shop.secretKey), shop.id);
  }

  async createShop(shop: Shop): Promise<void> {
    if (this.db.data.shops[shop.id]) throw new Error(`shop ${shop.id} exists`);
    this.db.data.shops[shop.id] = shop;
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
    const badges = (this.db.data.badges[shopId] ??= {});
    const created = !badges[badge.id];
    badges[badge.id] = badge;
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

  async recordEvents(shopId: string, events: readonly RecordedEvent[], decide: Decide): Promise<EventOutcome[]> {
    const data = this.db.data;
    const seen = (data.processedEvents[shopId] ??= {});
    const customers = (data.customers[shopId] ??= {});
    const badges = Object.values(data.badges[shopId] ?? {});
    const outcomes: EventOutcome[] = [];
    let changed = false;
    // Everything from here to the commit is synchronous: no other request can
    // interleave, so each badge is granted at most once per customer.
    for (const event of events) {
      const prior = seen[event.id];
      if (prior) {
        outcomes.push({ id: event.id, status: 'duplicate', awards: prior.awards });
        continue;
      }
      const { customer, awards } = decide(customers[event.customerId], event, badges);
      customers[event.customerId] = customer;
      seen[event.id] = { customerId: event.customerId, at: this.now(), awards };
      outcomes.push({ id: event.id, status: 'accepted', awards });
      changed = true;
    }
    this.maybePrune();
    // A duplicate may name an event whose first write is still in flight: wait
    // for it too, so "duplicate" also means "stored".
    await (changed ? this.commits.commit() : this.commits.idle());
    return outcomes;
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
    this.lock.release();
  }
}
