// The PostgreSQL schema, as numbered migrations applied in order by migrate.ts.
// Never edit one that has shipped: add the next number. (Kept as TypeScript
// strings so the build ships them with the compiled server, no file copying.)
//
// Text keys use the "C" collation so ORDER BY matches JavaScript's string order,
// which the lowdb store and the paged Store lists use. Feature documents and
// customer records are `json` (not `jsonb`): it keeps their key order exactly as
// written, as the lowdb file does; lookups index them through `::jsonb` expressions.
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'shops, badges, customers, seen events, award counts, feature documents',
    sql: `
      CREATE TABLE shops (
        id text COLLATE "C" PRIMARY KEY,
        data json NOT NULL,
        -- Keys are looked up by SHA-256 digest, never stored in an index in clear.
        publishable_key_digest text NOT NULL UNIQUE,
        secret_key_digest text NOT NULL UNIQUE,
        created_seq bigint GENERATED ALWAYS AS IDENTITY
      );
      CREATE TABLE badges (
        shop_id text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        data json NOT NULL,
        created_seq bigint GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (shop_id, id)
      );
      -- data is NULL only inside the transaction that creates the row (the row
      -- is inserted first so that it can be locked); committed rows always have data.
      CREATE TABLE customers (
        shop_id text COLLATE "C" NOT NULL,
        customer_id text COLLATE "C" NOT NULL,
        data json,
        PRIMARY KEY (shop_id, customer_id)
      );
      -- Event ids seen per shop, for de-duplication within the retention window.
      -- outcome is NULL only inside the transaction that claims the id.
      CREATE TABLE processed_events (
        shop_id text COLLATE "C" NOT NULL,
        event_id text COLLATE "C" NOT NULL,
        customer_id text NOT NULL,
        at_ms bigint NOT NULL,
        outcome json,
        PRIMARY KEY (shop_id, event_id)
      );
      CREATE INDEX processed_events_at ON processed_events (at_ms);
      CREATE TABLE award_counts (
        shop_id text COLLATE "C" NOT NULL,
        badge_id text COLLATE "C" NOT NULL,
        count integer NOT NULL CHECK (count >= 0),
        PRIMARY KEY (shop_id, badge_id)
      );
      CREATE TABLE documents (
        shop_id text COLLATE "C" NOT NULL,
        collection text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        data json,
        created_seq bigint GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (shop_id, collection, id)
      );
      CREATE INDEX documents_in_order ON documents (shop_id, collection, created_seq);
      -- Field lookups (Store.findDocuments): containment on the document's JSON.
      CREATE INDEX documents_fields ON documents USING gin ((data::jsonb) jsonb_path_ops);
    `,
  },
  {
    version: 2,
    name: 'shared rate and velocity limits',
    sql: `
      -- Sliding-window velocity limits: one row per counted attempt, pruned per key.
      CREATE TABLE limiter_hits (
        key text COLLATE "C" NOT NULL,
        at_ms bigint NOT NULL
      );
      CREATE INDEX limiter_hits_key_at ON limiter_hits (key, at_ms);
      -- Fixed-window rate limits: one counter per key and window.
      CREATE TABLE rate_windows (
        key text COLLATE "C" NOT NULL,
        window_start bigint NOT NULL,
        count integer NOT NULL,
        PRIMARY KEY (key, window_start)
      );
      CREATE INDEX rate_windows_start ON rate_windows (window_start);
    `,
  },
  {
    version: 3,
    name: 'fingerprints of seen events, browser ids apart, anonymous customers indexed (quotas)',
    sql: `
      -- The event's canonical hash: the same id with another one is a conflict.
      ALTER TABLE processed_events ADD COLUMN fingerprint text;
      -- Publishable-key ids: kept one day and counted against the shop's quota.
      ALTER TABLE processed_events ADD COLUMN browser boolean NOT NULL DEFAULT false;
      CREATE INDEX processed_events_browser ON processed_events (shop_id, at_ms) WHERE browser;
      CREATE INDEX customers_anonymous ON customers (shop_id, customer_id) WHERE customer_id LIKE '~anon:%';
    `,
  },
  {
    version: 4,
    name: 'API keys as records: every key digest of a shop in one index (scoped keys, rolls)',
    sql: `
      CREATE TABLE shop_keys (
        digest text COLLATE "C" PRIMARY KEY,
        shop_id text COLLATE "C" NOT NULL REFERENCES shops (id)
      );
      CREATE INDEX shop_keys_shop ON shop_keys (shop_id);
      INSERT INTO shop_keys (digest, shop_id) SELECT publishable_key_digest, id FROM shops;
      INSERT INTO shop_keys (digest, shop_id) SELECT secret_key_digest, id FROM shops;
      ALTER TABLE shops DROP COLUMN publishable_key_digest, DROP COLUMN secret_key_digest;
    `,
  },
  {
    version: 5,
    name: 'indexed lookups: shops by origin (CORS), feature documents by declared keys',
    sql: `
      CREATE TABLE shop_origins (
        origin text COLLATE "C" NOT NULL,
        shop_id text COLLATE "C" NOT NULL REFERENCES shops (id),
        PRIMARY KEY (origin, shop_id)
      );
      CREATE INDEX shop_origins_shop ON shop_origins (shop_id);
      INSERT INTO shop_origins (origin, shop_id)
        SELECT DISTINCT o, id FROM shops, json_array_elements_text(COALESCE(data->'origins', '[]'::json)) AS o;
      -- The keys each declared lookup (server/store/lookups.ts) gives each document,
      -- written with the document. Filled per lookup on open (document_lookups
      -- records which lookup versions are built), so a new lookup needs no migration.
      CREATE TABLE document_keys (
        lookup text COLLATE "C" NOT NULL,
        shop_id text COLLATE "C" NOT NULL,
        key text COLLATE "C" NOT NULL,
        collection text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        PRIMARY KEY (lookup, shop_id, key, id)
      );
      CREATE INDEX document_keys_across_shops ON document_keys (lookup, key, shop_id, id);
      CREATE INDEX document_keys_document ON document_keys (shop_id, collection, id);
      CREATE TABLE document_lookups (
        name text COLLATE "C" PRIMARY KEY,
        version integer NOT NULL
      );
      -- Nothing queries it (lookups go through document_keys), and every document write paid for it.
      DROP INDEX IF EXISTS documents_fields;
    `,
  },
];
