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
  {
    version: 6,
    name: 'KPI roll-ups: orders, ledger entries and badges of customer records as rows, kept by a trigger',
    sql: `
      -- What GET /v1/metrics reads (server/store/pg/kpis.ts), derived from each
      -- customer record by a trigger in the transaction that writes the record:
      -- every write path (events, erasure, pruning, copy) keeps them exact, and a
      -- metrics request reads index ranges of the period instead of parsing every
      -- record's json. Times are milliseconds since the epoch (JavaScript's Date.parse).
      CREATE TABLE kpi_orders (
        shop_id text COLLATE "C" NOT NULL,
        customer_id text COLLATE "C" NOT NULL,
        order_id text COLLATE "C" NOT NULL,
        at bigint,
        -- Not refunded in full (a free order counts unless refunded): engine.ts keptOf.
        kept boolean NOT NULL,
        src text COLLATE "C",
        -- Spent a reward code this customer redeemed.
        loyalty boolean NOT NULL,
        PRIMARY KEY (shop_id, customer_id, order_id)
      );
      CREATE INDEX kpi_orders_at ON kpi_orders (shop_id, at) INCLUDE (customer_id, kept);
      -- Per customer: the first order (oldest, ties by order id), the one after it,
      -- and the earliest later order not refunded in full (retention, repeat in 30 days).
      CREATE TABLE kpi_customers (
        shop_id text COLLATE "C" NOT NULL,
        customer_id text COLLATE "C" NOT NULL,
        first_at bigint,
        second_at bigint,
        kept_later_at bigint,
        PRIMARY KEY (shop_id, customer_id)
      );
      CREATE INDEX kpi_customers_first ON kpi_customers (shop_id, first_at);
      -- A ledger entry by its place in the record's ledger array, a badge by its id:
      -- a write changes only the rows whose values changed (a purchase adds one).
      CREATE TABLE kpi_ledger (
        shop_id text COLLATE "C" NOT NULL,
        customer_id text COLLATE "C" NOT NULL,
        n integer NOT NULL,
        at bigint,
        kind text COLLATE "C" NOT NULL,
        points numeric NOT NULL,
        PRIMARY KEY (shop_id, customer_id, n)
      );
      CREATE INDEX kpi_ledger_at ON kpi_ledger (shop_id, at);
      CREATE TABLE kpi_badges (
        shop_id text COLLATE "C" NOT NULL,
        customer_id text COLLATE "C" NOT NULL,
        badge_id text COLLATE "C" NOT NULL,
        at bigint,
        PRIMARY KEY (shop_id, customer_id, badge_id)
      );
      CREATE INDEX kpi_badges_at ON kpi_badges (shop_id, at);

      -- UTC so that a time without a zone parses as JavaScript's Date.parse does.
      -- Upserts write only rows whose values changed, then rows the record no longer has go.
      CREATE FUNCTION kpi_sync(s text, c text, d jsonb) RETURNS void LANGUAGE plpgsql SET TimeZone = 'UTC' AS $$
      BEGIN
        IF d IS NULL THEN
          DELETE FROM kpi_orders WHERE shop_id = s AND customer_id = c;
          DELETE FROM kpi_customers WHERE shop_id = s AND customer_id = c;
          DELETE FROM kpi_ledger WHERE shop_id = s AND customer_id = c;
          DELETE FROM kpi_badges WHERE shop_id = s AND customer_id = c;
          RETURN;
        END IF;
        INSERT INTO kpi_orders AS k (shop_id, customer_id, order_id, at, kept, src, loyalty)
        SELECT s, c, kv.key, (extract(epoch FROM (kv.value->>'at')::timestamptz) * 1000)::bigint,
               COALESCE((kv.value->>'refunded')::numeric < (kv.value->>'total')::numeric
                 OR ((kv.value->>'total')::numeric = 0 AND (kv.value->>'refunded')::numeric = 0), false),
               NULLIF(kv.value->>'src', ''),
               CASE WHEN NULLIF(kv.value->>'code', '') IS NULL THEN false ELSE EXISTS (
                 SELECT 1 FROM jsonb_array_elements(COALESCE(d->'ledger', '[]'::jsonb)) e
                 WHERE e->>'kind' = 'redeem' AND e->>'code' = kv.value->>'code') END
        FROM jsonb_each(COALESCE(d->'orders', '{}'::jsonb)) kv
        ON CONFLICT (shop_id, customer_id, order_id) DO UPDATE
          SET at = EXCLUDED.at, kept = EXCLUDED.kept, src = EXCLUDED.src, loyalty = EXCLUDED.loyalty
          WHERE (k.at, k.kept, k.src, k.loyalty) IS DISTINCT FROM (EXCLUDED.at, EXCLUDED.kept, EXCLUDED.src, EXCLUDED.loyalty);
        DELETE FROM kpi_orders WHERE shop_id = s AND customer_id = c AND NOT (COALESCE(d->'orders', '{}'::jsonb) ? order_id);
        INSERT INTO kpi_customers AS k (shop_id, customer_id, first_at, second_at, kept_later_at)
        SELECT s, c, max(at) FILTER (WHERE n = 1), max(at) FILTER (WHERE n = 2), min(at) FILTER (WHERE n > 1 AND kept)
        FROM (SELECT at, kept, row_number() OVER (ORDER BY at, order_id) AS n FROM kpi_orders WHERE shop_id = s AND customer_id = c) o
        HAVING count(*) > 0
        ON CONFLICT (shop_id, customer_id) DO UPDATE
          SET first_at = EXCLUDED.first_at, second_at = EXCLUDED.second_at, kept_later_at = EXCLUDED.kept_later_at
          WHERE (k.first_at, k.second_at, k.kept_later_at) IS DISTINCT FROM (EXCLUDED.first_at, EXCLUDED.second_at, EXCLUDED.kept_later_at);
        IF NOT EXISTS (SELECT 1 FROM kpi_orders WHERE shop_id = s AND customer_id = c) THEN
          DELETE FROM kpi_customers WHERE shop_id = s AND customer_id = c;
        END IF;
        INSERT INTO kpi_ledger AS k (shop_id, customer_id, n, at, kind, points)
        SELECT s, c, e.n, (extract(epoch FROM (e.v->>'at')::timestamptz) * 1000)::bigint, e.v->>'kind', (e.v->>'points')::numeric
        FROM jsonb_array_elements(COALESCE(d->'ledger', '[]'::jsonb)) WITH ORDINALITY AS e(v, n)
        WHERE e.v->>'kind' IN ('earn', 'redeem', 'clawback', 'expire')
        ON CONFLICT (shop_id, customer_id, n) DO UPDATE
          SET at = EXCLUDED.at, kind = EXCLUDED.kind, points = EXCLUDED.points
          WHERE (k.at, k.kind, k.points) IS DISTINCT FROM (EXCLUDED.at, EXCLUDED.kind, EXCLUDED.points);
        DELETE FROM kpi_ledger k WHERE k.shop_id = s AND k.customer_id = c AND (
          k.n > jsonb_array_length(COALESCE(d->'ledger', '[]'::jsonb))
          OR (d->'ledger'->(k.n - 1)->>'kind') NOT IN ('earn', 'redeem', 'clawback', 'expire'));
        INSERT INTO kpi_badges AS k (shop_id, customer_id, badge_id, at)
        SELECT s, c, b.key, (extract(epoch FROM (b.value->>'awardedAt')::timestamptz) * 1000)::bigint
        FROM jsonb_each(COALESCE(d->'badges', '{}'::jsonb)) b
        ON CONFLICT (shop_id, customer_id, badge_id) DO UPDATE SET at = EXCLUDED.at WHERE k.at IS DISTINCT FROM EXCLUDED.at;
        DELETE FROM kpi_badges WHERE shop_id = s AND customer_id = c AND NOT (COALESCE(d->'badges', '{}'::jsonb) ? badge_id);
      END $$;

      CREATE FUNCTION kpi_customers_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          PERFORM kpi_sync(OLD.shop_id, OLD.customer_id, NULL);
        -- The row lock taken by rewriting data with itself changes nothing.
        ELSIF TG_OP = 'INSERT' OR OLD.data::text IS DISTINCT FROM NEW.data::text THEN
          PERFORM kpi_sync(NEW.shop_id, NEW.customer_id, NEW.data::jsonb);
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER customers_kpis AFTER INSERT OR UPDATE OR DELETE ON customers
        FOR EACH ROW EXECUTE FUNCTION kpi_customers_changed();

      -- The records written before this migration.
      SELECT kpi_sync(shop_id, customer_id, data::jsonb) FROM customers WHERE data IS NOT NULL;
    `,
  },
  {
    version: 7,
    name: 'one on/off flag: badges and webhook endpoints say active (was disabled, enabled)',
    sql: `
      -- 0.x renamed the flag (issue 14); server/store/renamed-flags.ts does the same to
      -- lowdb files on load. The old field goes, active joins last (as there), and a
      -- record that never had the flag gets active true, its meaning before.
      UPDATE badges SET data = (
        SELECT json_object_agg(k, v ORDER BY n) FROM (
          SELECT e.key AS k, e.value AS v, e.n FROM json_each(badges.data) WITH ORDINALITY AS e(key, value, n) WHERE e.key <> 'disabled'
          UNION ALL
          SELECT 'active', to_json(NOT COALESCE((badges.data->>'disabled')::boolean, false)), 9223372036854775807
        ) flags
      ) WHERE NOT (data::jsonb ? 'active');
      UPDATE documents SET data = (
        SELECT json_object_agg(k, v ORDER BY n) FROM (
          SELECT e.key AS k, e.value AS v, e.n FROM json_each(documents.data) WITH ORDINALITY AS e(key, value, n) WHERE e.key <> 'enabled'
          UNION ALL
          SELECT 'active', to_json(COALESCE((documents.data->>'enabled')::boolean, true)), 9223372036854775807
        ) flags
      ) WHERE collection = 'webhooks' AND data IS NOT NULL AND NOT (data::jsonb ? 'active');
    `,
  },
];
