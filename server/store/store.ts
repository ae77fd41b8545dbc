// The one persistence interface. Every store (lowdb today, PostgreSQL later)
// passes test/store/contract.ts. A store persists; it never decides awards.
import type { Decision } from '../loyalty/engine/apply.js';
import type { CountedBadge } from '../loyalty/engine/badges.js';
import type { CustomerRecord, CustomerUpdate } from '../loyalty/engine/customer.js';
import type { CustomerPoints, Window } from '../metrics/engine.js';
import type { Award } from '../schemas.js';
import type { BadgeDefinition } from '../loyalty/schemas.js';
import type { DocumentUpdate, EventOutcome, RecordedEvent } from '../events/records.js';

export type { DocumentUpdate, EventOutcome, RecordedEvent } from '../events/records.js';

/**
 * An API key as stored: its digest (hex SHA-256 of the key), never the key. Stores
 * index every digest of every shop's `keys` for findShopByKeyDigest.
 */
export interface ApiKeyRecord {
  /** Public handle ("key_…") to list, roll and revoke it by. */
  id: string;
  name: string;
  kind: 'publishable' | 'secret';
  /** What a secret key may do (server/access/scopes.ts); empty for publishable keys. */
  scopes: string[];
  digest: string;
  /** The first characters and the last four, to recognize it in a list ("sk_AbC…wxyz"). */
  hint: string;
  createdAt: string;
  /** Rolled or revoked: it answers 401 from this instant. */
  expiresAt?: string;
  /** The key rolled into this one, when it came from a roll. */
  replaces?: string;
}

/** A secret the server reads back (identity secret), sealed at rest (server/access/seal.ts). */
export interface SealedSecret {
  id: string;
  sealed: string;
  createdAt: string;
  expiresAt?: string;
  /** The value of the shop's first secret key, kept (sealed) for shops that sign identities with it. */
  legacy?: boolean;
}

export interface Shop {
  id: string;
  name: string;
  /** The current publishable key (public by design: it is in every page's script tag). */
  publishableKey: string;
  /** Every API key of the shop, active or expired, as digests. */
  keys: ApiKeyRecord[];
  /** Identity-signing secrets, newest first; more than one while a roll overlaps. */
  identitySecrets: SealedSecret[];
  /** Sealed key for the shop's own derived tokens (check-in links, gift codes): never shown. */
  derivationSecret: string;
  /** Browser origins allowed to call the API with this shop's keys (CORS). */
  origins: string[];
  createdAt: string;
  /** The shop `npm start` seeds for the demo pages. */
  demo?: boolean;
  /** Demo shop only: its admin key, sealed, so the demo pages can act as its backend. */
  demoSecretKey?: string;
  /** How long audit entries are kept (server/access/audit.ts default when absent). */
  auditRetentionDays?: number;
}


/**
 * Per-shop bounds for publishable-key traffic, handed to recordEvents by the
 * service (the shop's settings, see docs/limits.md). The store enforces them
 * atomically with recording.
 */
export interface BrowserLimits {
  /** Browser event ids remembered at once (so: browser events per `idRetentionMs`). */
  events: number;
  /** How long a browser event id is remembered for de-duplication. */
  idRetentionMs: number;
  /** Anonymous customer records (ids starting with ANONYMOUS_CUSTOMER_PREFIX) kept at once. */
  anonymousVisitors: number;
  /** An anonymous record without activity for this long is forgotten. */
  anonymousIdleMs: number;
}

/** The same event id came back with different content: nothing of the batch was recorded. */
export class EventConflict extends Error {
  constructor(readonly indexes: number[]) {
    super(`event ids reused with different content at ${indexes.join(', ')}`);
  }
}

/**
 * A change could not be made durable (disk full, I/O error): nothing of the
 * request was applied and its event ids stay unseen, so a retry records them.
 * Answered 503.
 */
export class StoreWriteError extends Error {
  constructor(override readonly cause: unknown) {
    super(`the store could not write: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'StoreWriteError';
  }
}

/**
 * The store is closing (the server is shutting down): this request could not be
 * served, and what it had not committed was not kept. Answered 503 with
 * Retry-After: another instance, or this one restarted, takes the retry.
 */
export class StoreClosed extends Error {
  constructor() {
    super('the store is closing');
    this.name = 'StoreClosed';
  }
}

/** A browser limit is reached for this shop: nothing of the batch was recorded. */
export class QuotaExceeded extends Error {
  constructor(
    readonly quota: 'events' | 'anonymousVisitors',
    readonly limit: number,
  ) {
    super(`quota ${quota} (${limit}) reached`);
  }
}


/**
 * The engine step the store runs atomically for each new event. The store counts
 * the badge awards and revocations it returns, per shop and badge.
 */
export type Decide = (customer: CustomerRecord | undefined, event: RecordedEvent, badges: readonly CountedBadge[]) => Decision;

/**
 * The document recordEvents writes in the batch's own commit (see Store.recordEvents).
 * The value is handed over: the store may keep it as it is (no copy per batch), so the
 * caller must not change it, or anything in it, afterwards.
 */
export type FollowUp = (outcomes: readonly EventOutcome[]) => { ref: DocumentRef; value: unknown } | undefined;

/** Where a feature document lives: e.g. {collection: 'surveys', id: 'checkout'}. */
export interface DocumentRef {
  collection: string;
  id: string;
}


/**
 * A way to find feature documents without reading their whole collection: the
 * store keeps, for every document of `collection`, the values `keys` gives it
 * (an index, kept in step with every write), and `findDocuments` answers from
 * that index. Features declare theirs with their collections (server/features.ts);
 * the store is opened with them (createStore's `lookups`) and answers no other.
 */
export interface DocumentLookup {
  /** Stable name: the index is stored under it. */
  readonly name: string;
  /** Bump when `keys` changes meaning: stores rebuild the index on open. */
  readonly version: number;
  readonly collection: string;
  /**
   * The values the document is found under (none: not findable). Must be pure and
   * depend on the document alone. Range queries compare them as JavaScript
   * compares strings (ISO times sort as times).
   */
  keys(value: unknown, id: string): readonly string[];
}

/** Which documents of a lookup: one key, or every key up to a bound; in one shop or in all. */
export type DocumentQuery = ({ equals: string } | { upTo: string }) & {
  /** Omit to search every shop (award ids are unique across shops; the webhook worker serves all). */
  shopId?: string;
  /** At most this many matches, the smallest keys first (default: all). */
  limit?: number;
};

/** A document found through a lookup: one per matching key, smallest key first, then the oldest document. */
export interface FoundDocument<T> {
  shopId: string;
  id: string;
  key: string;
  value: T;
}

export interface Store {
  createShop(shop: Shop): Promise<void>;
  getShop(shopId: string): Promise<Shop | undefined>;
  /**
   * The shop one of whose `keys` has this digest (expired ones included: the
   * caller decides), through an index: never a scan over shops.
   */
  findShopByKeyDigest(digest: string): Promise<Shop | undefined>;
  /**
   * Read-modify-write of a shop (keys, origins, secrets): `update` sees the
   * current record with no other update of that shop in between; its result
   * replaces it durably (and the digest index follows) before this resolves.
   * `update` must be pure: throw to change nothing. Undefined when no such shop.
   */
  updateShop(shopId: string, update: (shop: Shop) => Shop): Promise<Shop | undefined>;
  listShops(): Promise<Shop[]>;
  /**
   * Ids of the shops whose `origins` include this one, through an index (CORS asks
   * on every request with an Origin header): never a scan over shops.
   */
  shopIdsWithOrigin(origin: string): Promise<string[]>;

  /** Creates or replaces; tells which. */
  putBadge(shopId: string, badge: BadgeDefinition): Promise<{ created: boolean }>;
  getBadge(shopId: string, badgeId: string): Promise<BadgeDefinition | undefined>;
  listBadges(shopId: string): Promise<BadgeDefinition[]>;

  getCustomer(shopId: string, customerId: string): Promise<CustomerRecord | undefined>;

  /**
   * A shop's customers in customerId order, one page at a time (for KPIs and
   * exports): pass the last id of a page as `after` to get the next. `limit`
   * defaults to 1000.
   */
  listCustomers(shopId: string, page?: { after?: string; limit?: number }): Promise<CustomerRecord[]>;

  /**
   * Forgets a customer's record (erasure); true when there was one. Event ids
   * already seen stay seen (for the de-duplication window), so a retried old
   * event does not bring the record back. Durable before it resolves.
   */
  deleteCustomer(shopId: string, customerId: string): Promise<boolean>;

  /**
   * Records events in order. If `decide` throws for an event, that event changes
   * nothing, the events before it stay recorded, and the error is rethrown. For each one whose id this shop has seen before the
   * outcome is `duplicate` with the awards of the first time, and nothing changes.
   * Otherwise `decide` runs on the customer's current record with no other write
   * to that customer in between, and its result is kept. Resolves only when every
   * change is durable.
   *
   * Before anything is recorded: if an event's id was seen (before, or earlier in
   * the batch) with another `fingerprint`, nothing is recorded and EventConflict
   * (with the batch indexes) is thrown. With `limits` (publishable-key traffic):
   * browser ids older than `idRetentionMs` are forgotten and anonymous records
   * idle for `anonymousIdleMs` deleted (at the store's pace, at the latest when a
   * limit would be hit); then if the new browser ids or new anonymous customers
   * of the batch would exceed a limit, nothing is recorded and QuotaExceeded is
   * thrown. Limits are per shop: one shop at its quota never fails another's write.
   *
   * With `followUp`: once the batch's events are decided, it is handed the
   * outcomes (those before a refused event, when `decide` throws) and the
   * document it returns is written in the same commit as the events (the
   * after-record outbox: what must still happen because of them survives a crash).
   * Called only when at least one event was accepted.
   */
  recordEvents(shopId: string, events: readonly RecordedEvent[], decide: Decide, limits?: BrowserLimits, followUp?: FollowUp): Promise<EventOutcome[]>;

  /**
   * The quota check `recordEvents` makes with `limits`, without recording: throws
   * QuotaExceeded when these events' new browser ids or new anonymous customers
   * would pass a limit. For a feature that stores its own documents before it
   * records the events (a check-in, a group, a survey answer), so a request past
   * the quota stores nothing. Not atomic with a later write: pass the same limits
   * to that `recordEvents` too.
   */
  checkLimits(shopId: string, events: readonly RecordedEvent[], limits: BrowserLimits): Promise<void>;

  /**
   * Feature documents of a shop (surveys, campaigns, groups, rewards…), each a
   * JSON value under a collection and id. Collections are the features' own;
   * the store knows nothing of their shape.
   */
  getDocument<T>(shopId: string, ref: DocumentRef): Promise<T | undefined>;
  listDocuments<T>(shopId: string, collection: string): Promise<T[]>;

  /**
   * Documents found through one of the lookups the store was opened with (an
   * index, never a scan of the collection). A lookup the store was not given
   * throws. Reads what is committed; documents change meanwhile, so a caller that
   * acts on one re-reads it in updateDocuments.
   */
  findDocuments<T>(lookup: DocumentLookup, query: DocumentQuery): Promise<FoundDocument<T>[]>;

  /**
   * Work claiming, safe across instances: looks at up to `limit` documents of
   * `lookup` whose key is at most `upTo` (smallest first, across shops) that no
   * concurrent claim holds. Held ones are skipped, not waited for, so workers in
   * several processes share a queue without queueing on each other. `claim` sees
   * each one's current value (only while its current keys still make it due: one
   * claimed meanwhile by another is not handed over) and returns what to store instead (typically with a
   * lease whose end becomes its key, so it is not due again meanwhile), or
   * undefined to leave it. The new values are durable, and returned, before this
   * resolves.
   */
  claimDocuments<T>(
    lookup: DocumentLookup,
    query: { upTo: string; limit: number },
    claim: (value: T, shopId: string, id: string) => T | undefined,
  ): Promise<FoundDocument<T>[]>;

  /**
   * Read-modify-write of several documents at once: `update` sees their current
   * values (undefined when absent) with no other write to them in between, and
   * its values replace them together, durably, before this resolves. `update`
   * must be pure: throw to change nothing.
   */
  updateDocuments<R>(
    shopId: string,
    refs: readonly DocumentRef[],
    update: (current: unknown[]) => DocumentUpdate<R>,
  ): Promise<R>;

  /**
   * Deletes these documents in a commit the store makes anyway (the next batch of
   * events, or a flush shortly after), not in one the caller waits for
   * (PostgreSQL: a synchronous commit each; lowdb: without copying what it
   * deletes first). Not durable when it returns: a crash before may leave them, so only for
   * documents whose reappearance is harmless (a batch's finished follow-ups,
   * which run again idempotently).
   */
  deleteDocumentsLater(shopId: string, refs: readonly DocumentRef[]): void;

  /**
   * Set by a store that belongs to one process (lowdb): lets a CLI on the same
   * machine ask the server that owns the store to act (POST /internal/shops), since
   * it cannot open the store itself meanwhile. Shared stores (PostgreSQL) leave it
   * unset: any process may open them.
   */
  readonly local?: LocalOwner;

  /**
   * Set by a store several processes share (PostgreSQL): rate and velocity limits
   * counted in the store, so they hold across every instance. Unset (lowdb, one
   * process): the limits count in this process's memory.
   */
  readonly limits?: SharedLimits;

  /**
   * Set by a store that can aggregate customer records where they lie
   * (PostgreSQL, in SQL): the KPIs' customer figures without loading every record
   * into the process. Unset (lowdb, whose records are in memory already): the
   * metrics engine computes them from the records.
   */
  readonly kpis?: KpiQueries;

  /**
   * Set by a store that holds its customer records in this process (lowdb): every
   * change to one, told synchronously as it is applied in memory, so the KPI
   * roll-ups kept beside the store (server/metrics/rollup.ts) never miss one.
   */
  readonly customerChanges?: CustomerChanges;

  /**
   * Everything the store holds, as records (`kudos store copy`). Run on a store no
   * server is writing to; the order is shops first, then each shop's data.
   */
  dump(): Promise<StoreRecord[]>;
  /** Adds dumped records to this store, durably, in one go (the copy's destination must be empty). */
  load(records: readonly StoreRecord[]): Promise<void>;

  close(): Promise<void>;
}

/** One fact of a store, as `kudos store copy` moves it between stores. */
export type StoreRecord =
  | { kind: 'shop'; shop: Shop }
  | { kind: 'badge'; shopId: string; badge: BadgeDefinition }
  | { kind: 'customer'; shopId: string; customer: CustomerRecord }
  | {
      kind: 'seen';
      shopId: string;
      /** As the sender's namespace knows it: a browser id is the visitor-scoped key the events route made (`~b:…`). */
      eventId: string;
      customerId: string;
      at: number;
      awards: Award[];
      revocations?: Award[];
      /** The event's canonical hash, when known: a reuse of the id with other content stays a 409 conflict after the copy. */
      fingerprint?: string;
      /** A publishable-key (browser) id: its own namespace, its own retention and quota. */
      browser?: true;
    }
  | { kind: 'awardCount'; shopId: string; badgeId: string; count: number }
  | { kind: 'document'; shopId: string; collection: string; id: string; value: unknown };

/** What the KPIs' customer figures need from feature documents (the metrics service reads them). */
export interface KpiContext {
  /** Orders a share-to-save group recorded as spending a member's code. */
  groupOrders: readonly { customerId: string; orderId: string }[];
  /** Customer id → times (ms) of their check-ins at a market stall. */
  marketVisits?: ReadonlyMap<string, readonly number[]>;
}

export interface KpiQueries {
  /** server/metrics/engine.ts customerPointsIn, for these windows (metricWindows), computed by the store. */
  customerPoints(shopId: string, windows: readonly Window[], now: number, context: KpiContext): Promise<CustomerPoints[]>;
  /**
   * Moves what writers set aside for the KPIs (PostgreSQL: kpi_deltas) into the day
   * rows a request reads. Reads are exact either way; folding keeps them short.
   */
  fold?(): Promise<void>;
}

/**
 * A customer's new record (undefined: deleted), or `reset`: everything was reloaded (a failed write rolled back).
 * `update`: the record was changed in place by this update (orders and ledger added to), so a listener
 * can read only what it touched; absent, the record is new or replaced whole.
 */
export type CustomerChange = { shopId: string; customerId: string; record: CustomerRecord | undefined; update?: CustomerUpdate } | 'reset';

export interface CustomerChanges {
  /** Called synchronously with each change, in the order they apply; returns the unsubscribe. */
  subscribe(listener: (change: CustomerChange) => void): () => void;
  /** The shop's records as held now, in no particular order (no sort, no copy: read only). */
  customers(shopId: string): Iterable<CustomerRecord>;
}

export interface SharedLimits {
  /**
   * Sliding window: counts one attempt under `key` unless `limit` attempts already
   * fell in the `windowMs` before `now`; resolves 0 when counted, else the ms until
   * one is allowed again (http/velocity.ts has the same semantics in memory).
   */
  slidingHit(key: string, limit: number, windowMs: number, now: number): Promise<number>;
  /** Fixed window: counts one hit in the `windowMs`-long window holding `now`; its count so far and when it ends. */
  windowHit(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }>;
  /** Takes back one hit of the window holding `now` (express-rate-limit's skip options). */
  windowUndo(key: string, windowMs: number, now: number): Promise<void>;
}

export interface LocalOwner {
  /** The token /internal routes take; the CLI reads it from the lock file (mode 0600). */
  readonly adminToken: string;
  /** Where the owning server listens, for that CLI. */
  advertise(url: string): void;
}
