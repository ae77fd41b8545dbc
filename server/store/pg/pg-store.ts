// The PostgreSQL store: the same Store contract as lowdb, shared by any number of
// API processes. A group of recordEvents calls (a shop's calls that arrived while
// its previous group was being written: group commit) is one transaction; rows are
// locked in one fixed order so concurrent transactions can wait on each other but
// never deadlock:
//
//   1. the group's event ids' rows in processed_events (claimed by inserting them), in id order,
//   2. the rows of the customers of its new events, in customer id order,
//   3. award_counts rows of capped badges, in badge id order (read for the cap),
//   4. award_counts rows of other badges the group changes, in badge id order,
//   5. its new after-record documents (new ids), and finished ones deleted (deleteDocumentsLater).
//
// Each step locks its rows in one statement, ordered by COLLATE "C" (the same
// order whatever the database's collation).
//
// Feature documents lock their rows in (collection, id) order. A row that does
// not exist yet is inserted empty first (data NULL) so that it can be locked too;
// a rollback takes it away again, so readers never see an empty row.
import pg from 'pg';
import type { CountedBadge } from '../../loyalty/engine/badges.js';
import { ANONYMOUS_CUSTOMER_PREFIX, isAnonymousCustomerId, withUpdate, type CustomerRecord } from '../../loyalty/engine/customer.js';
import type { Award } from '../../schemas.js';
import type { BadgeDefinition } from '../../loyalty/schemas.js';
import {
  EventConflict,
  QuotaExceeded,
  StoreClosed,
  StoreWriteError,
  type BrowserLimits,
  type Decide,
  type DocumentLookup,
  type DocumentQuery,
  type DocumentRef,
  type DocumentUpdate,
  type EventOutcome,
  type FollowUp,
  type FoundDocument,
  type KpiQueries,
  type RecordedEvent,
  type SharedLimits,
  type Shop,
  type Store,
  type StoreRecord,
} from '../store.js';
import { keysOf } from '../document-index.js';
import { checkedLookups, DeclaredCollections, undeclaredLookup } from '../lookups.js';
import { PgKpis, kpiChangeJson, noteKpiChange, type KpiChange } from './kpis.js';
import { migrate } from './migrate.js';
import { ReadCache, type CacheNotice, type CachedRow, type ReadCacheOptions } from './read-cache.js';
import { WindowHits } from './window-hits.js';
import { inline } from './inline.js';

export interface PgStoreOptions {
  now?: () => number;
  /** How long an event id is remembered for de-duplication (retries after that count again). */
  eventRetentionDays?: number;
  /** Connections per process (default 10). */
  poolSize?: number;
  /**
   * Connections opened at start-up and kept while idle (default none; the server asks
   * for create-store.ts SERVER_WARM_CONNECTIONS): a request reading several lists at once would open a
   * backend for each otherwise.
   */
  warmConnections?: number;
  /** Run pending migrations on open (default true; `kudos migrate` runs them alone). */
  migrate?: boolean;
  /**
   * Document lookups to index: the server passes what its features declare
   * (server/features.ts). No default: the index is kept in the database, and a
   * store that wrote documents without indexing a lookup would leave it stale for
   * the next one that reads it.
   */
  lookups: readonly DocumentLookup[];
  /**
   * The document collections it may read and write (the features declare them,
   * server/features.ts); any other is refused.
   */
  collections: readonly string[];
  /**
   * Collections read on every request and rarely written (the features mark them,
   * server/features.ts): kept in this process's read cache, invalidated across
   * instances by LISTEN/NOTIFY (server/store/pg/read-cache.ts). Shops are always cached.
   */
  cached?: readonly string[];
  /** The read cache's bounds and reconnect delay; false: no cache (every read goes to the database). */
  readCache?: ReadCacheOptions | false;
}

/** Advisory lock class for building lookups ("kdlk"); the second key is the schema, as for migrations. */
const LOOKUP_LOCK_CLASS = 0x6b646c6b;
/** Documents read per round trip while a lookup is built. */
const BUILD_PAGE = 2000;

const DAY_MS = 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;
/** At a browser limit, look for expired ids and idle visitors at most this often per shop (per process). */
const PRUNE_AT_LIMIT_EVERY_MS = 60_000;
/** Browser ids live in their own namespace of processed_events: no backend id starts so. */
const BROWSER_KEY_PREFIX = '~browser:';
const seenKey = (event: Pick<RecordedEvent, 'id' | 'browser'>) => (event.browser ? `${BROWSER_KEY_PREFIX}${event.id}` : event.id);
// Spelled out in the SQL below so the partial index customers_anonymous (same predicate) serves it.
const ANONYMOUS_LIKE = `customer_id LIKE '${ANONYMOUS_CUSTOMER_PREFIX}%'`;

const revoked = (revocations: Award[] | undefined) => (revocations?.length ? { revocations } : {});

/** Indexes of events whose id was seen (before: `seen`, or earlier in the batch) with another fingerprint. */
function conflictsIn(events: readonly RecordedEvent[], keys: readonly string[], seen: ReadonlyMap<string, string | undefined>): number[] {
  const conflicts: number[] = [];
  const inBatch = new Map<string, string | undefined>();
  events.forEach((event, i) => {
    const key = keys[i]!;
    const known = seen.has(key) || inBatch.has(key);
    const fp = seen.has(key) ? seen.get(key) : inBatch.get(key);
    if (known && fp !== undefined && event.fingerprint !== undefined && fp !== event.fingerprint) conflicts.push(i);
    if (!known) inBatch.set(key, event.fingerprint);
  });
  return conflicts;
}
const json = (value: unknown) => JSON.stringify(value);

interface StoredOutcome {
  awards: Award[];
  revocations?: Award[];
}

type Client = pg.PoolClient;

type BatchResult = { outcomes: EventOutcome[]; refused?: { error: unknown } };
/** One recordEvents call waiting for its shop's next group commit. */
interface Queued {
  events: readonly RecordedEvent[];
  keys: readonly string[];
  decide: Decide;
  followUp?: FollowUp;
  resolve: (result: BatchResult) => void;
  reject: (error: unknown) => void;
}
/** A document to delete in a later commit (deleteDocumentsLater). */
interface SettledRef {
  shopId: string;
  collection: string;
  id: string;
}
/** Events one group commit takes at most; calls queued behind them go in the next. */
const GROUP_MAX_EVENTS = 200;
/** A shop's groups being written at once per process (each holds a connection of the pool's 10). */
const GROUPS_IN_FLIGHT = 3;
/** Events waiting behind a group that earn a group of their own beside it, rather than waiting to be the next. */
const PARALLEL_GROUP_EVENTS = 50;
const waitingEvents = (queue: readonly Queued[]) => queue.reduce((n, item) => n + item.events.length, 0);
/** Settled documents no group commit took within this long are deleted on their own. */
const SETTLE_FLUSH_MS = 250;
/** A row of the claim: an id this group inserted ('e'), or a customer it locked ('c') with its record. */
type ClaimedRow = { kind: 'e' | 'c'; id: string; data: CustomerRecord | null };
/** lookup, shop_id, key, collection, id */
type KeyRow = [string, string, string, string, string];

export class PgStore implements Store {
  private lastPrune = 0;
  private closing = false;
  /** Callers waiting for a connection: close() turns them away (StoreClosed) rather than leave them to a pool that has ended. */
  private readonly waiting = new Set<(error: unknown) => void>();
  private readonly limitPrunedAt = new Map<string, number>();
  /** Per shop, the recordEvents calls of this process waiting for a group, and how many of its groups are being written. */
  private readonly lines = new Map<string, { queue: Queued[]; writing: number }>();
  private settled: SettledRef[] = [];
  private settleTimer: NodeJS.Timeout | undefined;
  /** Rate and velocity limits counted in the database: they hold across instances. */
  readonly limits: SharedLimits = {
    slidingHit: (key, limit, windowMs, now) =>
      this.tx(async (client) => {
        // One attempt at a time per key (a hash collision only makes two keys take turns).
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
        await client.query('DELETE FROM limiter_hits WHERE key = $1 AND at_ms <= $2', [key, now - windowMs]);
        const { rows } = await client.query<{ n: number; oldest: string | null }>(
          'SELECT count(*)::int AS n, min(at_ms) AS oldest FROM limiter_hits WHERE key = $1',
          [key],
        );
        if (rows[0]!.n >= limit) return Number(rows[0]!.oldest) + windowMs - now;
        await client.query('INSERT INTO limiter_hits (key, at_ms) VALUES ($1, $2)', [key, now]);
        return 0;
      }, this.counters),
    windowHit: async (key, windowMs, now) => {
      const start = now - (now % windowMs);
      return { count: await this.windowHits.hit(key, start), resetAt: start + windowMs };
    },
    windowUndo: async (key, windowMs, now) => {
      await this.query('UPDATE rate_windows SET count = GREATEST(0, count - 1) WHERE key = $1 AND window_start = $2', [key, now - (now % windowMs)], this.counters);
    },
  };

  /** A statement per batch of hits, not per request; rows in one order (COLLATE "C"), so two instances' batches never deadlock. */
  private readonly windowHits = new WindowHits(async (keys, starts, counts) => {
    const { rows } = await this.query<{ key: string; start: string; count: number }>(
      `INSERT INTO rate_windows (key, window_start, count)
       SELECT k, s, n FROM unnest($1::text[], $2::bigint[], $3::int[]) AS h(k, s, n) ORDER BY k COLLATE "C", s
       ON CONFLICT (key, window_start) DO UPDATE SET count = rate_windows.count + EXCLUDED.count
       RETURNING key, window_start AS start, count`,
      [keys, starts, counts],
      this.counters,
    );
    return rows.map((r) => ({ key: r.key, start: Number(r.start), count: r.count }));
  });

  private readonly lookupsByCollection = new Map<string, DocumentLookup[]>();
  /** KPIs' customer figures aggregated in SQL (server/store/pg/kpis.ts). */
  readonly kpis: KpiQueries = new PgKpis(() => this.connect());
  /** Shops and cached collections, per process, invalidated by NOTIFY (undefined: opened without one). */
  readonly cache: ReadCache | undefined;

  private constructor(
    readonly pool: pg.Pool,
    /**
     * Rate and velocity limit counters: commits that do not wait for the disk
     * (synchronous_commit off). Every request counts a hit, and waiting for an
     * fsync each would cost a request more than its event's own share of a group
     * commit. A PostgreSQL crash (not an instance's) may forget the last fraction
     * of a second of hits: a few requests more let through, never an event lost.
     */
    private readonly counters: pg.Pool,
    private readonly now: () => number,
    private readonly retentionMs: number,
    private readonly lookups: readonly DocumentLookup[],
    private readonly declared: DeclaredCollections,
    cache: ReadCache | undefined,
  ) {
    this.cache = cache;
    for (const lookup of lookups) this.lookupsByCollection.set(lookup.collection, [...(this.lookupsByCollection.get(lookup.collection) ?? []), lookup]);
  }

  static async open(url: string, options: PgStoreOptions): Promise<PgStore> {
    const max = options.poolSize ?? 10;
    // Warm connections stay open while idle (pg closes idle ones after 10 s): see open's end.
    const warmth = Math.min(options.warmConnections ?? 0, max);
    const pool = new pg.Pool({ connectionString: url, max, min: warmth });
    const counters = new pg.Pool({ connectionString: url, max: 3, min: warmth > 0 ? 1 : 0 });
    // An idle connection the server dropped must not crash the process.
    pool.on('error', () => {});
    counters.on('error', () => {});
    counters.on('connect', (client) => void client.query('SET synchronous_commit TO off').catch(() => {}));
    try {
      if (options.migrate !== false) await migrate(pool);
      const declared = new DeclaredCollections(options.collections, options.lookups);
      for (const c of options.cached ?? []) declared.check(c);
      let cache: ReadCache | undefined;
      if (options.readCache !== false) {
        // One channel per schema: stores of other schemas in this database are not concerned.
        const { rows } = await pool.query<{ schema: string }>('SELECT current_schema() AS schema');
        cache = new ReadCache(url, `kudos_cache ${rows[0]!.schema}`.slice(0, 63), new Set(options.cached ?? []), options.readCache);
      }
      const store = new PgStore(pool, counters, options.now ?? Date.now, (options.eventRetentionDays ?? 7) * DAY_MS, checkedLookups(options.lookups), declared, cache);
      try {
        await store.buildLookups();
        await store.pruneProcessedEvents();
        // A request that reads several lists at once (GET /v1/metrics: six) would open a
        // backend for each: a fork, authentication and a cold catalog cache apiece, 280 ms
        // of a first GET /v1/metrics at load 13 (docs/operations-postgres.md). Opened now;
        // every request's rate limit goes through counters: one of its connections too.
        if (warmth > 0) {
          const warm = await Promise.all([...Array.from({ length: warmth }, () => pool.connect()), counters.connect()]);
          for (const client of warm) client.release();
        }
        if (cache) {
          cache.start();
          // Serving does not wait for it: until it listens, reads go to the database.
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([cache.ready(), new Promise((resolve) => (timer = setTimeout(resolve, 5000).unref()))]);
          clearTimeout(timer);
        }
      } catch (error) {
        await cache?.stop();
        throw error;
      }
      return store;
    } catch (error) {
      await Promise.all([pool.end(), counters.end()]);
      throw error;
    }
  }

  /**
   * A connection from the pool, unless the store is closing: then (and for a
   * request still waiting for one when close() starts) StoreClosed, which
   * answers 503 with Retry-After, never pg's "Cannot use a pool after calling
   * end on the pool" (a 500).
   */
  private connect(pool: pg.Pool = this.pool): Promise<Client> {
    if (this.closing) return Promise.reject(new StoreClosed());
    return new Promise<Client>((resolve, reject) => {
      const fail = (error: unknown) => {
        this.waiting.delete(fail);
        reject(error);
      };
      this.waiting.add(fail);
      pool.connect().then(
        (client) => {
          // Given up on (the store is closing): back to the pool, which ends it.
          if (!this.waiting.delete(fail)) client.release();
          else resolve(client);
        },
        (error: unknown) => fail(this.closing ? new StoreClosed() : error),
      );
    });
  }

  /** One statement on a connection of its own (the gated pool.query). */
  private async query<R extends pg.QueryResultRow>(sql: string, params?: unknown[], pool?: pg.Pool): Promise<pg.QueryResult<R>> {
    const client = await this.connect(pool);
    try {
      return await client.query<R>(sql, params);
    } finally {
      client.release();
    }
  }

  /**
   * Runs `work` in one transaction; rolls back and rethrows when it throws. What
   * `work` reports in `changed` (a shop, a cached collection) is announced to every
   * instance's read cache by a NOTIFY in this transaction (delivered at commit) and
   * dropped from this process's at once when the transaction ends, committed or not
   * (an unknown outcome is treated as a change).
   *
   * Round trips are what a statement costs this process most (a socket write and a
   * wake-up each: issue 15), so the statements that need no answer before the next
   * travel together, in one message of the simple protocol (statements without
   * parameters: server/store/pg/inline.ts writes them in):
   * - `first`, when given: statements sent with BEGIN; `work` gets their results, in order;
   * - `last`, which `work` fills: statements sent with the NOTIFY and the COMMIT, in
   *   order, after everything `work` ran itself. One failing fails the transaction
   *   (PostgreSQL runs nothing of the message after it), as any statement of `work` would.
   */
  private async tx<T>(
    work: (client: Client, changed: CacheNotice[], first: pg.QueryResult[], last: string[]) => Promise<T>,
    pool?: pg.Pool,
    first: readonly string[] = [],
  ): Promise<T> {
    const client = await this.connect(pool);
    const changed: CacheNotice[] = [];
    try {
      // One statement answers with its result, several with an array of them (BEGIN's first).
      const begun = await client.query(['BEGIN', ...first].join(';\n'));
      const firstResults = first.length === 0 ? [] : (begun as unknown as pg.QueryResult[]).slice(1);
      const last: string[] = [];
      const result = await work(client, changed, firstResults, last);
      if (changed.length > 0 && this.cache) {
        last.push(inline('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', [this.cache.channel, [...new Set(changed.map(ReadCache.payload))]]));
      }
      await client.query([...last, 'COMMIT'].join(';\n'));
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
      if (changed.length > 0) this.cache?.invalidate(changed);
    }
  }

  /** `changed` gains a notice for each cached collection among `collections` (of `shopId`). */
  private noteCached(changed: CacheNotice[], shopId: string, collections: Iterable<string>): void {
    if (!this.cache) return;
    for (const collection of new Set(collections)) if (this.cache.collections.has(collection)) changed.push({ shop: shopId, collection });
  }

  async createShop(shop: Shop): Promise<void> {
    await this.tx(async (client, changed) => {
      changed.push({ shop: shop.id });
      const result = await client.query(`INSERT INTO shops (id, data) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, [shop.id, json(shop)]);
      if (result.rowCount === 0) throw new Error(`shop ${shop.id} exists`);
      await this.indexKeys(client, shop);
    });
  }

  /** The digest and origin indexes follow the shop's keys and origins (shops written before key records have no keys). */
  private async indexKeys(client: Client, shop: Shop): Promise<void> {
    await client.query('DELETE FROM shop_keys WHERE shop_id = $1', [shop.id]);
    const digests = (shop.keys ?? []).map((k) => k.digest);
    if (digests.length > 0) {
      await client.query('INSERT INTO shop_keys (digest, shop_id) SELECT unnest($1::text[]), $2', [digests, shop.id]);
    }
    await client.query('DELETE FROM shop_origins WHERE shop_id = $1', [shop.id]);
    const origins = [...new Set(shop.origins ?? [])];
    if (origins.length > 0) {
      await client.query('INSERT INTO shop_origins (origin, shop_id) SELECT unnest($1::text[]), $2', [origins, shop.id]);
    }
  }

  async shopIdsWithOrigin(origin: string): Promise<string[]> {
    const { rows } = await this.query<{ shop_id: string }>('SELECT shop_id FROM shop_origins WHERE origin = $1 ORDER BY shop_id', [origin]);
    return rows.map((r) => r.shop_id);
  }

  /**
   * Fills document_keys for every lookup whose version this database has not built
   * (a new lookup, a changed one). Instances opening at once queue on an advisory
   * lock; the first builds, the others find it done.
   */
  private async buildLookups(): Promise<void> {
    if (this.lookups.length === 0) return;
    await this.tx(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [LOOKUP_LOCK_CLASS]);
      const { rows } = await client.query<{ name: string; version: number }>('SELECT name, version FROM document_lookups');
      const built = new Map(rows.map((r) => [r.name, r.version]));
      for (const lookup of this.lookups) {
        if (built.get(lookup.name) === lookup.version) continue;
        await client.query('DELETE FROM document_keys WHERE lookup = $1', [lookup.name]);
        let after: [string, string] = ['', ''];
        for (;;) {
          const page = await client.query<{ shop_id: string; id: string; data: unknown }>(
            `SELECT shop_id, id, data FROM documents WHERE collection = $1 AND data IS NOT NULL AND (shop_id, id) > ($2, $3)
             ORDER BY shop_id, id LIMIT ${BUILD_PAGE}`,
            [lookup.collection, after[0], after[1]],
          );
          const keys: KeyRow[] = [];
          for (const r of page.rows) for (const key of keysOf(lookup, r.data, r.id)) keys.push([lookup.name, r.shop_id, key, lookup.collection, r.id]);
          await this.insertKeys(client, keys);
          if (page.rows.length < BUILD_PAGE) break;
          const last = page.rows[page.rows.length - 1]!;
          after = [last.shop_id, last.id];
        }
        await client.query('INSERT INTO document_lookups (name, version) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET version = $2', [
          lookup.name,
          lookup.version,
        ]);
      }
    });
  }

  private async insertKeys(client: Client, keys: readonly KeyRow[]): Promise<void> {
    if (keys.length === 0) return;
    await client.query(
      `INSERT INTO document_keys (lookup, shop_id, key, collection, id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])`,
      [0, 1, 2, 3, 4].map((i) => keys.map((k) => k[i])),
    );
  }

  /** document_keys follows documents written in this transaction (undefined: deleted). */
  private async reindexDocuments(client: Client, shopId: string, docs: readonly { collection: string; id: string; value: unknown }[]): Promise<void> {
    const indexed = docs.filter((d) => this.lookupsByCollection.has(d.collection));
    if (indexed.length === 0) return;
    await client.query(
      `DELETE FROM document_keys k USING unnest($2::text[], $3::text[]) AS t(c, i) WHERE k.shop_id = $1 AND k.collection = t.c AND k.id = t.i`,
      [shopId, indexed.map((d) => d.collection), indexed.map((d) => d.id)],
    );
    const keys: KeyRow[] = [];
    for (const d of indexed) {
      for (const lookup of this.lookupsByCollection.get(d.collection)!) {
        for (const key of keysOf(lookup, d.value, d.id)) keys.push([lookup.name, shopId, key, d.collection, d.id]);
      }
    }
    await this.insertKeys(client, keys);
  }

  async findDocuments<T>(lookup: DocumentLookup, query: DocumentQuery): Promise<FoundDocument<T>[]> {
    if (!this.lookups.includes(lookup)) throw undeclaredLookup(lookup);
    const params: unknown[] = [lookup.name];
    const where = ['k.lookup = $1'];
    if (query.shopId !== undefined) where.push(`k.shop_id = $${params.push(query.shopId)}`);
    if ('equals' in query) where.push(`k.key = $${params.push(query.equals)}`);
    else where.push(`k.key <= $${params.push(query.upTo)}`);
    const limit = query.limit === undefined ? '' : ` LIMIT $${params.push(query.limit)}`;
    const { rows } = await this.query<{ shop_id: string; id: string; key: string; data: T }>(
      `SELECT k.shop_id, k.id, k.key, d.data FROM document_keys k
       JOIN documents d ON d.shop_id = k.shop_id AND d.collection = k.collection AND d.id = k.id
       WHERE ${where.join(' AND ')} ORDER BY k.key, d.created_seq${limit}`,
      params,
    );
    return rows.map((r) => ({ shopId: r.shop_id, id: r.id, key: r.key, value: r.data }));
  }

  async updateShop(shopId: string, update: (shop: Shop) => Shop): Promise<Shop | undefined> {
    return this.tx(async (client, changed) => {
      changed.push({ shop: shopId });
      const { rows } = await client.query<{ data: Shop }>('SELECT data FROM shops WHERE id = $1 FOR UPDATE', [shopId]);
      const before = rows[0]?.data;
      if (!before) return undefined;
      const after = update(before);
      if (after.id !== shopId) throw new Error('updateShop: the id cannot change');
      await client.query('UPDATE shops SET data = $2 WHERE id = $1', [shopId, json(after)]);
      await this.indexKeys(client, after);
      return after;
    });
  }

  async getShop(shopId: string): Promise<Shop | undefined> {
    const load = async () => (await this.query<{ data: Shop }>('SELECT data FROM shops WHERE id = $1', [shopId])).rows[0]?.data;
    return this.cache ? this.cache.shop(shopId, load) : load();
  }

  async findShopByKeyDigest(digest: string): Promise<Shop | undefined> {
    const load = async () =>
      (await this.query<{ data: Shop }>('SELECT s.data FROM shop_keys k JOIN shops s ON s.id = k.shop_id WHERE k.digest = $1', [digest])).rows[0]?.data;
    return this.cache ? this.cache.shopByDigest(digest, load) : load();
  }

  async listShops(): Promise<Shop[]> {
    const { rows } = await this.query<{ data: Shop }>('SELECT data FROM shops ORDER BY created_seq');
    return rows.map((r) => r.data);
  }

  async putBadge(shopId: string, badge: BadgeDefinition): Promise<{ created: boolean }> {
    // xmax = 0 only for a row this statement inserted (not one it updated).
    const { rows } = await this.query<{ created: boolean }>(
      `INSERT INTO badges (shop_id, id, data) VALUES ($1, $2, $3)
       ON CONFLICT (shop_id, id) DO UPDATE SET data = EXCLUDED.data
       RETURNING (xmax = 0) AS created`,
      [shopId, badge.id, json(badge)],
    );
    return { created: rows[0]!.created };
  }

  async getBadge(shopId: string, badgeId: string): Promise<BadgeDefinition | undefined> {
    const { rows } = await this.query<{ data: BadgeDefinition }>('SELECT data FROM badges WHERE shop_id = $1 AND id = $2', [shopId, badgeId]);
    return rows[0]?.data;
  }

  async listBadges(shopId: string): Promise<BadgeDefinition[]> {
    const { rows } = await this.query<{ data: BadgeDefinition }>('SELECT data FROM badges WHERE shop_id = $1 ORDER BY created_seq', [shopId]);
    return rows.map((r) => r.data);
  }

  async getCustomer(shopId: string, customerId: string): Promise<CustomerRecord | undefined> {
    const { rows } = await this.query<{ data: CustomerRecord }>(
      'SELECT data FROM customers WHERE shop_id = $1 AND customer_id = $2 AND data IS NOT NULL',
      [shopId, customerId],
    );
    return rows[0]?.data;
  }

  async listCustomers(shopId: string, page: { after?: string; limit?: number } = {}): Promise<CustomerRecord[]> {
    const { rows } = await this.query<{ data: CustomerRecord }>(
      `SELECT data FROM customers WHERE shop_id = $1 AND data IS NOT NULL AND ($2::text IS NULL OR customer_id > $2)
       ORDER BY customer_id LIMIT $3`,
      [shopId, page.after ?? null, page.limit ?? 1000],
    );
    return rows.map((r) => r.data);
  }

  async deleteCustomer(shopId: string, customerId: string): Promise<boolean> {
    const result = await this.query('DELETE FROM customers WHERE shop_id = $1 AND customer_id = $2', [shopId, customerId]);
    return (result.rowCount ?? 0) > 0;
  }

  async checkLimits(shopId: string, events: readonly RecordedEvent[], limits: BrowserLimits): Promise<void> {
    const keys = events.map(seenKey);
    const { rows } = await this.query<{ event_id: string }>(
      'SELECT event_id FROM processed_events WHERE shop_id = $1 AND event_id = ANY($2::text[])',
      [shopId, keys],
    );
    await this.enforce(shopId, events, keys, new Map(rows.map((r) => [r.event_id, undefined])), limits);
  }

  async recordEvents(shopId: string, events: readonly RecordedEvent[], decide: Decide, limits?: BrowserLimits, followUp?: FollowUp): Promise<EventOutcome[]> {
    const keys = events.map(seenKey);
    if (limits) {
      // Conflicts first (an id reused with other content records nothing of the
      // batch), then quotas. Quotas are checked before the batch's transaction:
      // concurrent batches of one shop may pass a limit by what they bring together.
      const { rows } = await this.query<{ event_id: string; fingerprint: string | null }>(
        'SELECT event_id, fingerprint FROM processed_events WHERE shop_id = $1 AND event_id = ANY($2::text[])',
        [shopId, keys],
      );
      const seen = new Map(rows.map((r) => [r.event_id, r.fingerprint ?? undefined]));
      const conflicts = conflictsIn(events, keys, seen);
      if (conflicts.length > 0) throw new EventConflict(conflicts);
      await this.enforce(shopId, events, keys, seen, limits);
    }
    if (this.closing) throw new StoreClosed();
    const done = await new Promise<BatchResult>((resolve, reject) => this.enqueue(shopId, { events, keys, decide, followUp, resolve, reject }));
    void this.maybePrune();
    if (done.refused) throw done.refused.error;
    return done.outcomes;
  }

  /**
   * Group commit: a shop's calls wait while GROUPS_IN_FLIGHT of its groups are
   * being written, and go together as the next group (one transaction, one
   * synchronous commit for all of them). A call finding room starts at once, so a
   * quiet shop waits for nothing; a busy one pays one commit per group, not per
   * call. Several groups at once when there is much to write (PARALLEL_GROUP_EVENTS
   * waiting): each group's database work (the customers' writes and their KPI
   * triggers) runs in one backend, and a single one in flight left the database's
   * other cores idle under batches. Not for a few single events: a group of its own
   * each costs the process the same eight statements as a group of many (each
   * ~150 µs of its CPU here), and under single events the process is what runs out
   * first (issue 15: 8 connections of single events made groups of 1.9 events with
   * three in flight; with one, 28–72 % more events/s at 40 % less CPU per event).
   */
  private enqueue(shopId: string, item: Queued): void {
    let line = this.lines.get(shopId);
    if (!line) this.lines.set(shopId, (line = { queue: [], writing: 0 }));
    line.queue.push(item);
    this.pump(shopId, line);
  }

  private pump(shopId: string, line: { queue: Queued[]; writing: number }): void {
    const { queue } = line;
    while (queue.length > 0 && (line.writing === 0 || (line.writing < GROUPS_IN_FLIGHT && waitingEvents(queue) >= PARALLEL_GROUP_EVENTS))) {
      let events = 0;
      let size = 0;
      while (size < queue.length && (size === 0 || events + queue[size]!.events.length <= GROUP_MAX_EVENTS)) events += queue[size++]!.events.length;
      line.writing++;
      void this.commitGroup(shopId, queue.splice(0, size), true).finally(() => {
        line.writing--;
        if (line.writing === 0 && queue.length === 0) this.lines.delete(shopId);
        else this.pump(shopId, line);
      });
    }
  }

  /** One group in one transaction; each call is answered after the commit that holds its events. */
  private async commitGroup(shopId: string, group: readonly Queued[], withSettled: boolean): Promise<void> {
    const settled = withSettled ? this.takeSettled() : [];
    let results: (BatchResult | { error: unknown })[];
    try {
      // Badge definitions once per group, as lowdb reads them per batch (capped counts are read
      // under lock), and the claim of the group's ids and customers: both in BEGIN's round trip.
      const claim = this.claimStatement(shopId, group);
      results = await this.tx(
        async (client, changed, [badges, claimed], last) =>
          this.recordGroup(client, shopId, group, (badges!.rows as { data: BadgeDefinition }[]).map((r) => r.data), claim, claimed!.rows as ClaimedRow[], settled, changed, last),
        undefined,
        [inline('SELECT data FROM badges WHERE shop_id = $1 ORDER BY created_seq', [shopId]), claim.sql],
      );
    } catch (error) {
      this.settled.push(...settled);
      if (settled.length > 0) this.scheduleSettle();
      if (group.length > 1 && !(error instanceof StoreClosed)) {
        // Nothing of the group was committed. One call's failure must fail no other:
        // each alone, as before coalescing, and only the failing one is refused.
        for (const item of group) await this.commitGroup(shopId, [item], false);
        return;
      }
      // Nothing of the batch was committed: a retry with the same ids records it.
      for (const item of group) item.reject(error instanceof StoreClosed ? error : new StoreWriteError(error));
      return;
    }
    results.forEach((result, i) => ('error' in result ? group[i]!.reject(result.error) : group[i]!.resolve(result)));
  }

  deleteDocumentsLater(shopId: string, refs: readonly DocumentRef[]): void {
    this.declared.checkRefs(refs);
    for (const ref of refs) this.settled.push({ shopId, collection: ref.collection, id: ref.id });
    this.scheduleSettle();
  }

  private takeSettled(): SettledRef[] {
    const taken = this.settled;
    this.settled = [];
    return taken;
  }

  /** Settled documents no group took meanwhile are deleted in a commit of their own. */
  private scheduleSettle(): void {
    if (this.settleTimer || this.closing) return;
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      void this.flushSettled().catch(() => {});
    }, SETTLE_FLUSH_MS);
    this.settleTimer.unref();
  }

  private async flushSettled(): Promise<void> {
    const settled = this.takeSettled();
    if (settled.length === 0) return;
    try {
      await this.tx(async (_client, changed, _first, last) => this.writeDocuments([], settled, changed, last));
    } catch (error) {
      // Left for the next group or flush (and harmless if never: they run again idempotently).
      this.settled.push(...settled);
      throw error;
    }
  }

  /**
   * New documents of one shop (upserted) and settled ones of any shop (deleted),
   * with their lookup keys, in one statement (after a lock of the settled ones), sent with the COMMIT (tx's `last`).
   */
  private writeDocuments(
    docs: readonly { shopId: string; ref: DocumentRef; value: unknown }[],
    settled: readonly SettledRef[],
    changed: CacheNotice[],
    last: string[],
  ): void {
    const id = (s: string, c: string, i: string) => `${s}\u0000${c}\u0000${i}`;
    const written = new Set(docs.map((d) => id(d.shopId, d.ref.collection, d.ref.id)));
    // A settled document written again in this commit is replaced, not deleted.
    const gone = settled.filter((s) => !written.has(id(s.shopId, s.collection, s.id)));
    if (docs.length === 0 && gone.length === 0) return;
    // Follow-up documents are no cached collection today; were one, its readers would hear of it.
    for (const d of docs) this.noteCached(changed, d.shopId, [d.ref.collection]);
    for (const d of gone) this.noteCached(changed, d.shopId, [d.collection]);
    const indexed = [...docs.map((d) => ({ shopId: d.shopId, collection: d.ref.collection, id: d.ref.id })), ...gone].filter((d) => this.lookupsByCollection.has(d.collection));
    if (gone.length > 0) {
      // Two instances may forget the same documents, named in any order: locked in key order
      // first (a DELETE locks in the order its plan meets the rows), nobody waits in a cycle.
      last.push(
        inline(
          `SELECT 1 FROM documents d JOIN unnest($1::text[], $2::text[], $3::text[]) AS t(s, c, i) ON d.shop_id = t.s AND d.collection = t.c AND d.id = t.i
           ORDER BY d.shop_id, d.collection, d.id FOR UPDATE OF d`,
          [gone.map((d) => d.shopId), gone.map((d) => d.collection), gone.map((d) => d.id)],
        ),
      );
    }
    const keys: KeyRow[] = [];
    for (const d of docs) {
      for (const lookup of this.lookupsByCollection.get(d.ref.collection) ?? []) {
        for (const key of keysOf(lookup, d.value, d.ref.id)) keys.push([lookup.name, d.shopId, key, d.ref.collection, d.ref.id]);
      }
    }
    // One statement: the sub-statements of a WITH run in no set order, so the old keys
    // deleted are only those the documents no longer have, and a key they keep is
    // inserted again as nothing (ON CONFLICT DO NOTHING) rather than raced.
    last.push(
      inline(
        `WITH nk AS (
           SELECT * FROM unnest($11::text[], $12::text[], $13::text[], $14::text[], $15::text[]) AS t(lookup, s, key, c, i)),
         k AS (
           DELETE FROM document_keys k USING unnest($1::text[], $2::text[], $3::text[]) AS t(s, c, i) WHERE k.shop_id = t.s AND k.collection = t.c AND k.id = t.i
             AND NOT EXISTS (SELECT 1 FROM nk WHERE nk.lookup = k.lookup AND nk.s = k.shop_id AND nk.key = k.key AND nk.i = k.id)),
         ki AS (
           INSERT INTO document_keys (lookup, shop_id, key, collection, id) SELECT lookup, s, key, c, i FROM nk ON CONFLICT DO NOTHING),
         g AS (
           DELETE FROM documents d USING unnest($4::text[], $5::text[], $6::text[]) AS t(s, c, i) WHERE d.shop_id = t.s AND d.collection = t.c AND d.id = t.i)
         INSERT INTO documents (shop_id, collection, id, data) SELECT s, c, i, v::json FROM unnest($7::text[], $8::text[], $9::text[], $10::text[]) AS t(s, c, i, v)
         ON CONFLICT (shop_id, collection, id) DO UPDATE SET data = EXCLUDED.data`,
        [
          indexed.map((d) => d.shopId),
          indexed.map((d) => d.collection),
          indexed.map((d) => d.id),
          gone.map((d) => d.shopId),
          gone.map((d) => d.collection),
          gone.map((d) => d.id),
          docs.map((d) => d.shopId),
          docs.map((d) => d.ref.collection),
          docs.map((d) => d.ref.id),
          docs.map((d) => json(d.value)),
          ...[0, 1, 2, 3, 4].map((i) => keys.map((k) => k[i])),
        ],
      ),
    );
  }

  /**
   * 1. Claim the group's ids by inserting them: a concurrent claim of the same id waits here for that commit.
   * 2. (same statement) The customers of the new events (every event of the group under
   *    an id this group claimed, whichever call it is in), created empty if new, locked
   *    and read. The claim is complete before any customer is locked: the customers'
   *    rows are sorted (COLLATE "C"), which reads every claimed id first, so the lock
   *    order stays ids, then customers.
   * Written inline: it goes in BEGIN's round trip (tx's `first`).
   */
  private claimStatement(shopId: string, group: readonly Queued[]): { sql: string; unique: string[] } {
    const first = new Map<string, RecordedEvent>();
    for (const item of group) {
      item.keys.forEach((key, i) => {
        if (!first.has(key)) first.set(key, item.events[i]!);
      });
    }
    const unique = [...first.keys()];
    const pairs = [...new Set(group.flatMap((item) => item.events.map((e, i) => `${item.keys[i]!}\u0000${e.customerId}`)))].map((p) => p.split('\u0000') as [string, string]);
    const sql = inline(
      `WITH claimed AS (
         INSERT INTO processed_events (shop_id, event_id, customer_id, at_ms, fingerprint, browser)
           SELECT $1, k, c, $2, f, b FROM unnest($3::text[], $4::text[], $5::text[], $6::bool[]) AS t(k, c, f, b) ORDER BY k COLLATE "C"
           ON CONFLICT DO NOTHING RETURNING event_id),
       locked AS (
         INSERT INTO customers (shop_id, customer_id)
           SELECT $1, c FROM (SELECT DISTINCT e.c FROM unnest($7::text[], $8::text[]) AS e(k, c) JOIN claimed ON claimed.event_id = e.k) AS u ORDER BY c COLLATE "C"
           ON CONFLICT (shop_id, customer_id) DO UPDATE SET kpi_change = customers.kpi_change RETURNING customer_id, data)
       SELECT 'e' AS kind, event_id AS id, NULL::json AS data FROM claimed
       UNION ALL SELECT 'c', customer_id, data FROM locked`,
      [
        shopId,
        this.now(),
        unique,
        unique.map((k) => first.get(k)!.customerId),
        unique.map((k) => first.get(k)!.fingerprint ?? null),
        unique.map((k) => first.get(k)!.browser === true),
        pairs.map((p) => p[0]),
        pairs.map((p) => p[1]),
      ],
    );
    return { sql, unique };
  }

  /**
   * A group of calls in one transaction (one commit, two round trips whatever its
   * size, more only for ids seen before and badge counts), each call's events decided in turn as if the calls ran
   * one after the other: a later call sees what an earlier one recorded (its ids
   * are duplicates, its customers' records changed). Rows are locked a whole step
   * at a time, each step's rows in one fixed order (COLLATE "C"), so two groups
   * naming the same ids or customers in any order wait for each other and never
   * deadlock. What fails one call fails it alone: an id reused with other content
   * (EventConflict) records nothing of that call; when `decide` throws for an
   * event (a rule refusal, e.g. too few points), the call's events before it are
   * committed, the ones from it on are not, and the refusal is handed to that
   * caller (the contract's "the events before it stay recorded"). Ids and
   * customers claimed for what was not recorded are given back.
   */
  private async recordGroup(
    client: Client,
    shopId: string,
    group: readonly Queued[],
    badges: readonly BadgeDefinition[],
    { unique }: { unique: readonly string[] },
    claimedRows: readonly ClaimedRow[],
    settled: readonly SettledRef[],
    notices: CacheNotice[],
    last: string[],
  ): Promise<(BatchResult | { error: unknown })[]> {
    const ours = new Set(claimedRows.filter((r) => r.kind === 'e').map((r) => r.id));
    const customers = new Map<string, CustomerRecord | undefined>();
    for (const r of claimedRows) if (r.kind === 'c') customers.set(r.id, r.data ?? undefined);
    const customerIds = [...customers.keys()];
    // Ids seen before (committed by now: the claim waited): their first outcome, and their fingerprint for conflicts.
    // A statement of its own: the claim's snapshot predates the commits it waited for.
    const prior = new Map<string, { outcome: StoredOutcome | null; fingerprint: string | null }>();
    const others = unique.filter((k) => !ours.has(k));
    if (others.length > 0) {
      const { rows } = await client.query<{ event_id: string; outcome: StoredOutcome | null; fingerprint: string | null }>(
        'SELECT event_id, outcome, fingerprint FROM processed_events WHERE shop_id = $1 AND event_id = ANY($2::text[])',
        [shopId, others],
      );
      for (const r of rows) prior.set(r.event_id, r);
    }
    // 3. Capped badges: their holder counts, read under lock so the cap holds across customers and batches.
    const capped = new Set(badges.filter((b) => b.maxAwards !== undefined).map((b) => b.id));
    const counts = customerIds.length > 0 ? await this.lockCounts(client, shopId, [...capped]) : new Map<string, number>();
    // The engine, call by call and event by event, on what the earlier ones made.
    const fingerprints = new Map([...prior].map(([k, p]) => [k, p.fingerprint ?? undefined]));
    const accepted = new Map<string, { outcome: StoredOutcome; event: RecordedEvent }>();
    const touched = new Set<string>();
    const deltas = new Map<string, number[]>();
    const kpiChanges = new Map<string, KpiChange>();
    const cappedChanged = new Set<string>();
    const docs: { shopId: string; ref: DocumentRef; value: unknown }[] = [];
    const results: (BatchResult | { error: unknown })[] = [];
    for (const item of group) {
      const conflicts = conflictsIn(item.events, item.keys, fingerprints);
      if (conflicts.length > 0) {
        results.push({ error: new EventConflict(conflicts) });
        continue;
      }
      const outcomes: EventOutcome[] = [];
      let refused: { error: unknown } | undefined;
      for (const [i, event] of item.events.entries()) {
        const key = item.keys[i]!;
        const again = accepted.get(key)?.outcome ?? (ours.has(key) ? undefined : (prior.get(key)?.outcome ?? { awards: [] }));
        if (again) {
          outcomes.push({ id: event.id, status: 'duplicate', awards: again.awards, ...revoked(again.revocations) });
          continue;
        }
        const counted: CountedBadge[] = badges.map((b) => ({ ...b, awardedCount: counts.get(b.id) ?? 0 }));
        let decision: ReturnType<Decide>;
        try {
          decision = item.decide(customers.get(event.customerId), event, counted);
        } catch (error) {
          refused = { error };
          break;
        }
        const { update, awards, revocations } = decision;
        noteKpiChange(kpiChanges, event.customerId, customers.get(event.customerId), update);
        customers.set(event.customerId, withUpdate(customers.get(event.customerId), update));
        touched.add(event.customerId);
        const outcome: StoredOutcome = { awards, ...revoked(revocations) };
        accepted.set(key, { outcome, event });
        fingerprints.set(key, event.fingerprint);
        outcomes.push({ id: event.id, status: 'accepted', ...outcome });
        const count = (badgeId: string, delta: number) => {
          if (capped.has(badgeId)) {
            counts.set(badgeId, Math.max(0, (counts.get(badgeId) ?? 0) + delta));
            cappedChanged.add(badgeId);
          } else deltas.set(badgeId, [...(deltas.get(badgeId) ?? []), delta]);
        };
        for (const a of awards) if (a.kind === 'badge') count(a.id, 1);
        for (const r of revocations ?? []) if (r.kind === 'badge') count(r.id, -1);
      }
      // The after-record outbox document of this call, in the same commit.
      const doc = outcomes.some((o) => o.status === 'accepted') ? item.followUp?.(outcomes) : undefined;
      if (doc) this.declared.check(doc.ref.collection);
      if (doc) docs.push({ shopId, ...doc });
      results.push({ outcomes, ...(refused && { refused }) });
    }
    // 5. Holder counts that changed: uncapped ones locked now (after the capped ones), each
    //    taken one award at a time from its current value, never below 0. Before the writes
    //    below, which lock nothing new (the rows they write were locked by the claim and here).
    const changed = new Map<string, number>();
    for (const id of cappedChanged) changed.set(id, counts.get(id)!);
    if (deltas.size > 0) {
      const current = await this.lockCounts(client, shopId, [...deltas.keys()]);
      for (const [id, list] of deltas) changed.set(id, list.reduce((n, d) => Math.max(0, n + d), current.get(id) ?? 0));
    }
    // From here on, statements that need no answer: sent with the COMMIT, in one round trip (tx's `last`).
    // Give back what was claimed for events not recorded (refused, or in a conflicting call).
    const unused = [...ours].filter((k) => !accepted.has(k));
    const untouched = customerIds.filter((c) => !touched.has(c));
    if (unused.length > 0) last.push(inline('DELETE FROM processed_events WHERE shop_id = $1 AND event_id = ANY($2::text[])', [shopId, unused]));
    if (untouched.length > 0) {
      last.push(inline('DELETE FROM customers WHERE shop_id = $1 AND customer_id = ANY($2::text[]) AND data IS NULL', [shopId, untouched]));
    }
    // 4. Every record and every outcome in one statement (an id's customer and fingerprint are its recorded event's).
    //    Never a named (prepared) statement: after five runs PostgreSQL may plan one
    //    generically, without the arrays, and that plan joined every stored event of the shop
    //    (measured: batches of 50 at 10 events/s instead of 190 at 10 k stored events).
    //    Inline, every run is planned with its values.
    if (accepted.size > 0) {
      const records = [...touched];
      const outcomeKeys = [...accepted.keys()];
      last.push(
        inline(
          `WITH c AS (
             UPDATE customers AS t SET data = u.data::json, kpi_change = u.k::jsonb FROM unnest($2::text[], $3::text[], $8::text[]) AS u(id, data, k)
             WHERE t.shop_id = $1 AND t.customer_id = u.id)
           UPDATE processed_events AS p SET outcome = u.outcome::json, customer_id = u.c, fingerprint = u.f
           FROM unnest($4::text[], $5::text[], $6::text[], $7::text[]) AS u(k, outcome, c, f)
           WHERE p.shop_id = $1 AND p.event_id = u.k`,
          [
            shopId,
            records,
            records.map((c) => json(customers.get(c))),
            outcomeKeys,
            outcomeKeys.map((k) => json(accepted.get(k)!.outcome)),
            outcomeKeys.map((k) => accepted.get(k)!.event.customerId),
            outcomeKeys.map((k) => accepted.get(k)!.event.fingerprint ?? null),
            records.map((c) => kpiChangeJson(kpiChanges.get(c), customers.get(c))),
          ],
        ),
      );
    }
    if (changed.size > 0) {
      last.push(
        inline(`UPDATE award_counts AS a SET count = u.n FROM unnest($2::text[], $3::int[]) AS u(b, n) WHERE a.shop_id = $1 AND a.badge_id = u.b`, [
          shopId,
          [...changed.keys()],
          [...changed.values()],
        ]),
      );
    }
    // 6. The after-record outbox documents (new ids: no one else locks them), and the
    //    finished ones of earlier batches deleted in this same commit.
    this.writeDocuments(docs, settled, notices, last);
    return results;
  }

  /** award_counts rows of these badges, created at 0 if absent, locked in badge id order, and their counts. */
  private async lockCounts(client: Client, shopId: string, badgeIds: readonly string[]): Promise<Map<string, number>> {
    if (badgeIds.length === 0) return new Map();
    const { rows } = await client.query<{ badge_id: string; count: number }>(
      `INSERT INTO award_counts (shop_id, badge_id, count) SELECT $1, b, 0 FROM unnest($2::text[]) AS b ORDER BY b COLLATE "C"
       ON CONFLICT (shop_id, badge_id) DO UPDATE SET count = award_counts.count RETURNING badge_id, count`,
      [shopId, badgeIds],
    );
    return new Map(rows.map((r) => [r.badge_id, r.count]));
  }

  private async browserCounts(shopId: string): Promise<{ ids: number; visitors: number }> {
    const { rows } = await this.query<{ ids: string; visitors: string }>(
      `SELECT (SELECT count(*) FROM processed_events WHERE shop_id = $1 AND browser) AS ids,
              (SELECT count(*) FROM customers WHERE shop_id = $1 AND ${ANONYMOUS_LIKE} AND data IS NOT NULL) AS visitors`,
      [shopId],
    );
    return { ids: Number(rows[0]!.ids), visitors: Number(rows[0]!.visitors) };
  }

  /** Throws QuotaExceeded when the batch's new browser ids or anonymous visitors would pass this shop's limits. */
  private async enforce(
    shopId: string,
    events: readonly RecordedEvent[],
    keys: readonly string[],
    seen: ReadonlyMap<string, unknown>,
    limits: BrowserLimits,
  ): Promise<void> {
    const newIds = new Set(keys.filter((key, i) => events[i]!.browser && !seen.has(key)));
    const anonymous = [...new Set(events.map((e) => e.customerId).filter(isAnonymousCustomerId))];
    const { rows: known } = await this.query<{ customer_id: string }>(
      'SELECT customer_id FROM customers WHERE shop_id = $1 AND customer_id = ANY($2::text[]) AND data IS NOT NULL',
      [shopId, anonymous],
    );
    const newVisitors = anonymous.length - known.length;
    let counts = await this.browserCounts(shopId);
    const over = () => counts.ids + newIds.size > limits.events || counts.visitors + newVisitors > limits.anonymousVisitors;
    const since = this.now() - (this.limitPrunedAt.get(shopId) ?? -Infinity);
    if (since >= PRUNE_EVERY_MS || (since >= PRUNE_AT_LIMIT_EVERY_MS && over())) {
      this.limitPrunedAt.set(shopId, this.now());
      await this.query('DELETE FROM processed_events WHERE shop_id = $1 AND browser AND at_ms < $2', [shopId, this.now() - limits.idRetentionMs]);
      await this.query(
        `DELETE FROM customers WHERE shop_id = $1 AND ${ANONYMOUS_LIKE} AND data IS NOT NULL
           AND COALESCE(data->>'lastActivityAt', data->>'updatedAt') < $2`,
        [shopId, new Date(this.now() - limits.anonymousIdleMs).toISOString()],
      );
      counts = await this.browserCounts(shopId);
    }
    if (counts.ids + newIds.size > limits.events) throw new QuotaExceeded('events', limits.events);
    if (counts.visitors + newVisitors > limits.anonymousVisitors) throw new QuotaExceeded('anonymousVisitors', limits.anonymousVisitors);
  }

  /** A cached collection's rows, from the cache or read whole (the collections cached are a shop's few definitions). */
  private cachedRows(shopId: string, collection: string): Promise<readonly CachedRow[]> {
    return this.cache!.collection(shopId, collection, async () => {
      const { rows } = await this.query<CachedRow>(
        'SELECT id, data FROM documents WHERE shop_id = $1 AND collection = $2 AND data IS NOT NULL ORDER BY created_seq',
        [shopId, collection],
      );
      return rows;
    });
  }

  async getDocument<T>(shopId: string, ref: DocumentRef): Promise<T | undefined> {
    this.declared.check(ref.collection);
    if (this.cache?.collections.has(ref.collection)) {
      // Copies, as lowdb hands them out: a caller changing what it read must not change the cache.
      const row = (await this.cachedRows(shopId, ref.collection)).find((r) => r.id === ref.id);
      return row && (structuredClone(row.data) as T);
    }
    const { rows } = await this.query<{ data: T }>(
      'SELECT data FROM documents WHERE shop_id = $1 AND collection = $2 AND id = $3 AND data IS NOT NULL',
      [shopId, ref.collection, ref.id],
    );
    return rows[0]?.data;
  }

  async listDocuments<T>(shopId: string, collection: string): Promise<T[]> {
    this.declared.check(collection);
    if (this.cache?.collections.has(collection)) return (await this.cachedRows(shopId, collection)).map((r) => structuredClone(r.data) as T);
    const { rows } = await this.query<{ data: T }>(
      'SELECT data FROM documents WHERE shop_id = $1 AND collection = $2 AND data IS NOT NULL ORDER BY created_seq',
      [shopId, collection],
    );
    return rows.map((r) => r.data);
  }

  async claimDocuments<T>(
    lookup: DocumentLookup,
    query: { upTo: string; limit: number },
    claim: (value: T, shopId: string, id: string) => T | undefined,
  ): Promise<FoundDocument<T>[]> {
    if (!this.lookups.includes(lookup)) throw undeclaredLookup(lookup);
    return this.tx(async (client, changed) => {
      // SKIP LOCKED: a document another instance is claiming right now is passed
      // over, not waited for. A row claimed and committed by another between this
      // statement's snapshot and the lock comes back as its latest version with
      // the snapshot's (stale) key: its keys are worked out again from that
      // version below, and it is left unless it is still due.
      const { rows } = await client.query<{ shop_id: string; id: string; key: string; data: T }>(
        `SELECT d.shop_id, d.id, k.key, d.data FROM document_keys k
         JOIN documents d ON d.shop_id = k.shop_id AND d.collection = k.collection AND d.id = k.id
         WHERE k.lookup = $1 AND k.key <= $2 AND d.data IS NOT NULL
         ORDER BY k.key, d.created_seq LIMIT $3
         FOR UPDATE OF d SKIP LOCKED`,
        [lookup.name, query.upTo, query.limit],
      );
      const claimed: FoundDocument<T>[] = [];
      const seen = new Set<string>();
      for (const row of rows) {
        const docKey = `${row.shop_id}\u0000${row.id}`;
        if (seen.has(docKey)) continue;
        seen.add(docKey);
        if (!keysOf(lookup, row.data, row.id).some((k) => k <= query.upTo)) continue;
        const next = claim(row.data, row.shop_id, row.id);
        if (next === undefined) continue;
        await client.query('UPDATE documents SET data = $4 WHERE shop_id = $1 AND collection = $2 AND id = $3', [row.shop_id, lookup.collection, row.id, json(next)]);
        await this.reindexDocuments(client, row.shop_id, [{ collection: lookup.collection, id: row.id, value: next }]);
        this.noteCached(changed, row.shop_id, [lookup.collection]);
        claimed.push({ shopId: row.shop_id, id: row.id, key: row.key, value: next });
      }
      return claimed;
    });
  }

  async updateDocuments<R>(shopId: string, refs: readonly DocumentRef[], update: (current: unknown[]) => DocumentUpdate<R>): Promise<R> {
    this.declared.checkRefs(refs);
    const key = (r: DocumentRef) => `${r.collection}\u0000${r.id}`;
    const unique = [...new Map(refs.map((r) => [key(r), r])).values()].sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    return this.tx(async (client, changed) => {
      const collections = unique.map((r) => r.collection);
      const ids = unique.map((r) => r.id);
      await client.query(
        `INSERT INTO documents (shop_id, collection, id)
         SELECT $1, c, i FROM unnest($2::text[], $3::text[]) AS t(c, i) ORDER BY c COLLATE "C", i COLLATE "C"
         ON CONFLICT DO NOTHING`,
        [shopId, collections, ids],
      );
      const { rows } = await client.query<{ collection: string; id: string; data: unknown }>(
        `SELECT collection, id, data FROM documents
         WHERE shop_id = $1 AND (collection, id) IN (SELECT * FROM unnest($2::text[], $3::text[]))
         ORDER BY collection, id FOR UPDATE`,
        [shopId, collections, ids],
      );
      const found = new Map(rows.map((r) => [key(r), r.data ?? undefined]));
      const current = refs.map((r) => found.get(key(r)));
      const { values, result } = update(current);
      if (values.length !== refs.length) throw new Error('updateDocuments: one value per document');
      // The last value given for a document wins, as in the lowdb store.
      const writes = new Map<string, unknown>();
      refs.forEach((ref, i) => {
        if (values[i] !== current[i]) writes.set(key(ref), values[i]);
      });
      const upsert = unique.filter((r) => writes.has(key(r)) && writes.get(key(r)) !== undefined && writes.get(key(r)) !== null);
      const remove = unique.filter((r) => !writes.has(key(r)) ? found.get(key(r)) === undefined : writes.get(key(r)) == null);
      if (upsert.length > 0) {
        await client.query(
          `UPDATE documents d SET data = t.data::json FROM unnest($2::text[], $3::text[], $4::text[]) AS t(c, i, data)
           WHERE d.shop_id = $1 AND d.collection = t.c AND d.id = t.i`,
          [shopId, upsert.map((r) => r.collection), upsert.map((r) => r.id), upsert.map((r) => json(writes.get(key(r))))],
        );
      }
      // Deleted documents, and the empty rows this transaction made for documents left absent.
      if (remove.length > 0) {
        await client.query(
          `DELETE FROM documents d USING unnest($2::text[], $3::text[]) AS t(c, i) WHERE d.shop_id = $1 AND d.collection = t.c AND d.id = t.i`,
          [shopId, remove.map((r) => r.collection), remove.map((r) => r.id)],
        );
      }
      await this.reindexDocuments(client, shopId, [
        ...upsert.map((r) => ({ ...r, value: writes.get(key(r)) })),
        ...remove.filter((r) => found.get(key(r)) !== undefined).map((r) => ({ ...r, value: undefined })),
      ]);
      this.noteCached(changed, shopId, [...upsert, ...remove.filter((r) => found.get(key(r)) !== undefined)].map((r) => r.collection));
      return result;
    });
  }

  async dump(): Promise<StoreRecord[]> {
    const q = async <T extends pg.QueryResultRow>(sql: string) => (await this.query<T>(sql)).rows;
    const out: StoreRecord[] = [];
    for (const r of await q<{ data: Shop }>('SELECT data FROM shops ORDER BY created_seq')) out.push({ kind: 'shop', shop: r.data });
    for (const r of await q<{ shop_id: string; data: BadgeDefinition }>('SELECT shop_id, data FROM badges ORDER BY shop_id, created_seq')) {
      out.push({ kind: 'badge', shopId: r.shop_id, badge: r.data });
    }
    for (const r of await q<{ shop_id: string; data: CustomerRecord }>('SELECT shop_id, data FROM customers WHERE data IS NOT NULL ORDER BY shop_id, customer_id')) {
      out.push({ kind: 'customer', shopId: r.shop_id, customer: r.data });
    }
    const seen = await q<{ shop_id: string; event_id: string; customer_id: string; at_ms: string; outcome: StoredOutcome; fingerprint: string | null; browser: boolean }>(
      'SELECT shop_id, event_id, customer_id, at_ms, outcome, fingerprint, browser FROM processed_events WHERE outcome IS NOT NULL ORDER BY shop_id, event_id',
    );
    for (const r of seen) {
      out.push({
        kind: 'seen',
        shopId: r.shop_id,
        // The browser namespace's prefix is this store's own way of keeping it apart.
        eventId: r.browser ? r.event_id.slice(BROWSER_KEY_PREFIX.length) : r.event_id,
        customerId: r.customer_id,
        at: Number(r.at_ms),
        awards: r.outcome.awards,
        ...revoked(r.outcome.revocations),
        ...(r.fingerprint !== null && { fingerprint: r.fingerprint }),
        ...(r.browser && { browser: true as const }),
      });
    }
    for (const r of await q<{ shop_id: string; badge_id: string; count: number }>('SELECT shop_id, badge_id, count FROM award_counts ORDER BY shop_id, badge_id')) {
      out.push({ kind: 'awardCount', shopId: r.shop_id, badgeId: r.badge_id, count: r.count });
    }
    const docs = await q<{ shop_id: string; collection: string; id: string; data: unknown }>(
      'SELECT shop_id, collection, id, data FROM documents WHERE data IS NOT NULL ORDER BY shop_id, collection, created_seq',
    );
    for (const r of docs) out.push({ kind: 'document', shopId: r.shop_id, collection: r.collection, id: r.id, value: r.data });
    return out;
  }

  async load(records: readonly StoreRecord[]): Promise<void> {
    // Before any write: a copy holding a collection this Kudos does not declare is refused whole.
    this.declared.checkRefs(records.flatMap((r) => (r.kind === 'document' ? [r] : [])));
    await this.tx(async (client, changed) => {
      // Whatever this copy holds: every instance drops what it keeps.
      changed.push({ all: true });
      for (const r of records) {
        if (r.kind === 'shop') {
          await client.query('INSERT INTO shops (id, data) VALUES ($1, $2)', [r.shop.id, json(r.shop)]);
          await this.indexKeys(client, r.shop);
        } else if (r.kind === 'badge') await client.query('INSERT INTO badges (shop_id, id, data) VALUES ($1, $2, $3)', [r.shopId, r.badge.id, json(r.badge)]);
        else if (r.kind === 'customer') {
          await client.query('INSERT INTO customers (shop_id, customer_id, data) VALUES ($1, $2, $3)', [r.shopId, r.customer.customerId, json(r.customer)]);
        } else if (r.kind === 'seen') {
          await client.query('INSERT INTO processed_events (shop_id, event_id, customer_id, at_ms, outcome, fingerprint, browser) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
            r.shopId,
            seenKey({ id: r.eventId, browser: r.browser }),
            r.customerId,
            r.at,
            json({ awards: r.awards, ...revoked(r.revocations) }),
            r.fingerprint ?? null,
            r.browser === true,
          ]);
        } else if (r.kind === 'awardCount') {
          await client.query('INSERT INTO award_counts (shop_id, badge_id, count) VALUES ($1, $2, $3)', [r.shopId, r.badgeId, r.count]);
        } else {
          await client.query('INSERT INTO documents (shop_id, collection, id, data) VALUES ($1, $2, $3, $4)', [r.shopId, r.collection, r.id, json(r.value)]);
          await this.reindexDocuments(client, r.shopId, [{ collection: r.collection, id: r.id, value: r.value }]);
        }
      }
    });
  }

  private async maybePrune(): Promise<void> {
    if (this.now() - this.lastPrune >= PRUNE_EVERY_MS) await this.pruneProcessedEvents().catch(() => {});
  }

  private async pruneProcessedEvents(): Promise<void> {
    this.lastPrune = this.now();
    await this.query('DELETE FROM processed_events WHERE at_ms < $1', [this.now() - this.retentionMs]);
    // Limit windows are minutes to hours long: a day-old one is over.
    await this.query('DELETE FROM rate_windows WHERE window_start < $1', [Date.now() - DAY_MS]);
    await this.query('DELETE FROM limiter_hits WHERE at_ms < $1', [this.now() - DAY_MS]);
  }

  /**
   * No new work: callers still waiting for a connection get StoreClosed at once;
   * transactions already running finish (up to `graceMs`), then the pool ends.
   */
  async close({ graceMs = 5000 } = {}): Promise<void> {
    if (this.closing) return;
    // Finished follow-ups not deleted yet: now, so the next start does not run them again
    // (at most a second: with every connection busy, they run again later, which is harmless).
    clearTimeout(this.settleTimer);
    this.settleTimer = undefined;
    let wait: NodeJS.Timeout | undefined;
    await Promise.race([this.flushSettled().catch(() => {}), new Promise((resolve) => (wait = setTimeout(resolve, Math.min(graceMs, 1000)).unref()))]);
    clearTimeout(wait);
    this.closing = true;
    for (const fail of [...this.waiting]) fail(new StoreClosed());
    // Calls queued behind a group being written are turned away like those waiting for a connection.
    for (const line of this.lines.values()) for (const item of line.queue.splice(0)) item.reject(new StoreClosed());
    await this.cache?.stop();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all([this.pool.end(), this.counters.end()]), new Promise((resolve) => (timer = setTimeout(resolve, graceMs).unref()))]);
    clearTimeout(timer);
  }
}
