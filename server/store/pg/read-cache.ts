// A per-process cache of what every request reads and almost nothing writes: shops
// (by id and by key digest) and the documents of the collections a feature marks
// `cached` (a program, trophy rules, gift and webhook endpoint definitions). On this
// machine each statement costs a request ~150 µs of Node CPU whatever it does (the
// driver's socket writes), and these reads were most of a single event's statements.
//
// Several instances share the database, so each listens on a PostgreSQL channel of
// its own schema (one dedicated connection). A write of a shop or of a cached
// collection NOTIFYs in its own transaction: the notice is delivered at commit, and
// every listening instance drops what it names. Until it arrives another instance
// may answer from what it held: staleness across instances lasts as long as a notice
// takes (milliseconds), never longer, because:
// - the writing instance drops its own entries when its transaction ends
//   (read-your-writes in one process, without waiting for its own notice);
// - a fill (a read that will be kept) in flight when a notice names it is not kept:
//   it may have read the row before that commit (each fill is marked stale by any
//   invalidation that could concern it, and checked when it returns);
// - while the listening connection is not up (start-up, a dropped connection) a
//   notice could be missed: the cache is cleared and bypassed (every read goes to the
//   database) until it listens again, and it reconnects on its own.
// Entries are bounded (least recently used out first): a flood of shops or keys
// costs reads, not memory. Nothing a transaction's correctness rests on is cached:
// customers, counters, rate windows, processed events, award counts, budgets and
// reservations are read under row locks as before.
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Shop } from '../store.js';

/** What a notice names: a shop (its record and keys), one cached collection of a shop, or everything. */
export type CacheNotice = { shop: string; collection?: string } | { all: true };

/** A cached collection's documents with their ids, in created order. */
export type CachedRow = { id: string; data: unknown };

export interface ReadCacheOptions {
  /** Shops kept (each with its key digests); default 1000. */
  maxShops?: number;
  /** Collections kept (one entry per shop and collection); default 5000. */
  maxCollections?: number;
  /** First wait before listening again after the connection dropped; doubles up to 30 s. Default 500 ms. */
  retryMs?: number;
}

/** Insertion-ordered map used as a least-recently-used list: a hit moves to the end, the front goes first. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: string, value: V, evicted?: (key: string, value: V) => void): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) {
      const [oldest, old] = this.map.entries().next().value as [string, V];
      this.map.delete(oldest);
      evicted?.(oldest, old);
    }
  }
  /** The value without counting as a use. */
  peek(key: string): V | undefined {
    return this.map.get(key);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  clear(): void {
    this.map.clear();
  }
  get size(): number {
    return this.map.size;
  }
  keys(): IterableIterator<string> {
    return this.map.keys();
  }
}

/** A read under way whose result is to be kept, unless an invalidation that may concern it comes first. */
interface Fill {
  /** The shop it reads; undefined for a lookup by key digest (any shop's invalidation concerns it). */
  shop?: string;
  /** The collection it reads (a shop read has none). */
  collection?: string;
  stale: boolean;
}

const docKey = (shopId: string, collection: string) => `${shopId}\u0000${collection}`;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Events: 'notice' (a CacheNotice applied, from this or another instance),
 * 'listening' (the cache is in use), 'down' (the listening connection is gone:
 * cleared and bypassed until 'listening').
 */
export class ReadCache extends EventEmitter {
  private readonly shops: Lru<Shop>;
  /** Key digest → shop id (the shop itself is in `shops`). */
  private readonly digests: Lru<string>;
  private readonly docs: Lru<CachedRow[]>;
  private readonly fills = new Set<Fill>();
  private client: pg.Client | undefined;
  private live = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly firstRetryMs: number;
  private retryMs: number;
  private pid: number | undefined;

  constructor(
    private readonly url: string,
    /** The channel of this schema: stores on other schemas of the database are not concerned. */
    readonly channel: string,
    readonly collections: ReadonlySet<string>,
    options: ReadCacheOptions = {},
  ) {
    super();
    this.shops = new Lru(options.maxShops ?? 1000);
    this.digests = new Lru(4 * (options.maxShops ?? 1000));
    this.docs = new Lru(options.maxCollections ?? 5000);
    this.firstRetryMs = this.retryMs = options.retryMs ?? 500;
  }

  /** Whether reads are served from (and kept in) the cache: only while the listener is connected. */
  get listening(): boolean {
    return this.live;
  }

  /** The listening connection's backend process id (pg_stat_activity, pg_terminate_backend), while it is up. */
  get listenerPid(): number | undefined {
    return this.live ? this.pid : undefined;
  }

  /** Entries held now: shops and collections. */
  get size(): { shops: number; collections: number } {
    return { shops: this.shops.size, collections: this.docs.size };
  }

  /** Resolves when the cache listens (at once if it does). */
  ready(): Promise<void> {
    return this.live ? Promise.resolve() : new Promise((resolve) => this.once('listening', () => resolve()));
  }

  /** Resolves with the next applied notice that `match` accepts (subscribe before the write that sends it). */
  nextNotice(match: (notice: CacheNotice) => boolean = () => true): Promise<CacheNotice> {
    return new Promise((resolve) => {
      const on = (notice: CacheNotice) => {
        if (!match(notice)) return;
        this.off('notice', on);
        resolve(notice);
      };
      this.on('notice', on);
    });
  }

  start(): void {
    void this.connect();
  }

  /** Listens again now rather than when the retry timer fires. */
  reconnect(): void {
    if (this.stopped || this.client) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.live = false;
    this.clear();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.url });
    this.client = client;
    const lost = () => this.lost(client);
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      if (this.client === client && message.channel === this.channel) this.applyPayload(message.payload);
    });
    try {
      await client.connect();
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await client.query(`LISTEN ${client.escapeIdentifier(this.channel)}`);
      if (this.client !== client || this.stopped) return;
      this.pid = rows[0]!.pid;
      // Notices sent while nobody listened are lost: what was kept before is dropped.
      this.clear();
      this.live = true;
      this.retryMs = this.firstRetryMs;
      this.emit('listening');
    } catch {
      lost();
    }
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    const wasLive = this.live;
    this.live = false;
    this.pid = undefined;
    this.clear();
    client.end().catch(() => {});
    if (wasLive) this.emit('down');
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, 30_000);
  }

  private applyPayload(payload: string | undefined): void {
    let notice: CacheNotice;
    try {
      const parsed = JSON.parse(payload ?? '') as { s?: unknown; c?: unknown };
      notice = typeof parsed.s === 'string' ? { shop: parsed.s, ...(typeof parsed.c === 'string' && { collection: parsed.c }) } : { all: true };
    } catch {
      // Not ours to read: the safe reading is "anything may have changed".
      notice = { all: true };
    }
    this.invalidate([notice]);
  }

  /** The payload a writer sends for `notice` (pg_notify's limit is 8000 bytes: ids are short). */
  static payload(notice: CacheNotice): string {
    return JSON.stringify('all' in notice ? {} : { s: notice.shop, ...(notice.collection !== undefined && { c: notice.collection }) });
  }

  /** Drops what the notices name, and marks fills they may concern stale. Synchronous. */
  invalidate(notices: readonly CacheNotice[]): void {
    for (const notice of notices) {
      if ('all' in notice) this.clear();
      else if (notice.collection === undefined) {
        this.shops.delete(notice.shop);
        for (const digest of [...this.digests.keys()]) if (this.digests.peek(digest) === notice.shop) this.digests.delete(digest);
        for (const fill of this.fills) if (fill.collection === undefined && (fill.shop === undefined || fill.shop === notice.shop)) fill.stale = true;
      } else {
        this.docs.delete(docKey(notice.shop, notice.collection));
        for (const fill of this.fills) if (fill.shop === notice.shop && fill.collection === notice.collection) fill.stale = true;
      }
      this.emit('notice', notice);
    }
  }

  private clear(): void {
    this.shops.clear();
    this.digests.clear();
    this.docs.clear();
    for (const fill of this.fills) fill.stale = true;
  }

  /** `load` once, kept with `keep` unless invalidated meanwhile (or not listening). */
  private async fill<T>(fill: Omit<Fill, 'stale'>, load: () => Promise<T>, keep: (value: T) => void): Promise<T> {
    if (!this.live) return load();
    const entry: Fill = { ...fill, stale: false };
    this.fills.add(entry);
    try {
      const value = await load();
      if (!entry.stale && this.live) keep(value);
      return value;
    } finally {
      this.fills.delete(entry);
    }
  }

  private keepShop(shop: Shop): void {
    this.shops.set(shop.id, shop, (id) => {
      for (const digest of [...this.digests.keys()]) if (this.digests.peek(digest) === id) this.digests.delete(digest);
    });
  }

  /** A shop by id. Shops come back deep-frozen, as the lowdb store hands them out: a caller cannot change the cached one. */
  async shop(shopId: string, load: () => Promise<Shop | undefined>): Promise<Shop | undefined> {
    const hit = this.live ? this.shops.get(shopId) : undefined;
    if (hit) return hit;
    // Absence is not kept: a shop created later names itself only.
    return deepFreeze(await this.fill({ shop: shopId }, load, (shop) => shop && this.keepShop(shop)));
  }

  /** The shop holding the key of this digest. A digest no shop holds is not kept (a new key's shop's notice would not name it). */
  async shopByDigest(digest: string, load: () => Promise<Shop | undefined>): Promise<Shop | undefined> {
    if (this.live) {
      const id = this.digests.get(digest);
      const hit = id === undefined ? undefined : this.shops.get(id);
      if (hit) return hit;
    }
    return deepFreeze(
      await this.fill({}, load, (shop) => {
        if (!shop?.keys?.some((k) => k.digest === digest)) return;
        this.keepShop(shop);
        this.digests.set(digest, shop.id);
      }),
    );
  }

  /** A cached collection's documents (the caller copies what it hands out). */
  async collection(shopId: string, collection: string, load: () => Promise<CachedRow[]>): Promise<readonly CachedRow[]> {
    const hit = this.live ? this.docs.get(docKey(shopId, collection)) : undefined;
    if (hit) return hit;
    return this.fill({ shop: shopId, collection }, load, (rows) => this.docs.set(docKey(shopId, collection), rows));
  }
}
