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
  {
    version: 8,
    name: 'KPI day aggregates: what each customer contributes, per day and per pair of days, kept by the trigger as deltas',
    sql: `
      -- GET /v1/metrics costs the days of its period, not its orders (issue 20; the
      -- definitions: server/metrics/daily.ts, which the lowdb store keeps in memory).
      -- kpi_items(shop, customer) is what a customer contributes, summed by (kind, a, b):
      --   kind 0-4, pairs of times by (day of a, day of b): 0 previous order -> order,
      --     1 the order two before -> order, 2 and 3 the same over orders not refunded in
      --     full, 4 first order -> earliest later kept order;
      --   kind 10 orders (b: 0 purchases, 1 attributed, 2 recognition, 3 + i source i of
      --     ATTRIBUTION_SOURCES), 11 first orders (b: 0 cohort, 1 repeated within 30 days,
      --     2 not), 12 badges, 13 ledger points (b: earn, redeem, clawback, expire; signed
      --     as engine.ts pointsIn), a being the UTC day.
      -- The trigger writes the difference a record's write makes (a purchase: its order,
      -- its pairs, its ledger entry) to kpi_deltas, insert only, so concurrent writers
      -- never wait on a shared counter row; kpi_fold() moves deltas into kpi_days in the
      -- background. A read adds both: exact whether folded or not.
      CREATE TYPE kpi_cell AS (kind smallint, a integer, b integer, n numeric);
      CREATE TABLE kpi_days (
        shop_id text COLLATE "C" NOT NULL,
        kind smallint NOT NULL,
        a integer NOT NULL,
        b integer NOT NULL,
        n numeric NOT NULL,
        PRIMARY KEY (shop_id, kind, a, b)
      );
      CREATE TABLE kpi_deltas (
        shop_id text COLLATE "C" NOT NULL,
        kind smallint NOT NULL,
        a integer NOT NULL,
        b integer NOT NULL,
        n numeric NOT NULL
      );
      CREATE INDEX kpi_deltas_cell ON kpi_deltas (shop_id, kind, a);

      CREATE FUNCTION kpi_day(t bigint) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT floor(t / 86400000.0)::integer $$;

      -- server/metrics/daily.ts itemsOf, with their times (a, and b for pairs; b is the
      -- component for kinds 10-13). Orders oldest first, ties by order id (engine.ts).
      CREATE FUNCTION kpi_timed_items(s text, c text) RETURNS TABLE (kind smallint, a bigint, b bigint, n numeric) LANGUAGE sql STABLE AS $$
        WITH o AS (
          SELECT at, kept, src, loyalty, lag(at) OVER w AS p1, lag(at, 2) OVER w AS p2, row_number() OVER w AS i
          FROM kpi_orders WHERE shop_id = s AND customer_id = c AND at IS NOT NULL WINDOW w AS (ORDER BY at, order_id)),
        k AS (
          SELECT at, lag(at) OVER w AS p1, lag(at, 2) OVER w AS p2
          FROM kpi_orders WHERE shop_id = s AND customer_id = c AND at IS NOT NULL AND kept WINDOW w AS (ORDER BY at, order_id)),
        f AS (SELECT max(at) FILTER (WHERE i = 1) AS first_at, max(at) FILTER (WHERE i = 2) AS second_at,
                     min(at) FILTER (WHERE i > 1 AND kept) AS kept_later_at FROM o HAVING count(*) > 0)
        SELECT 10::smallint, at, 0::bigint, 1::numeric FROM o
        UNION ALL SELECT 10, at, 1, 1 FROM o WHERE src IS NOT NULL OR loyalty
        UNION ALL SELECT 10, at, 2, 1 FROM o WHERE src IN ('loyalty', 'trophy', 'badge') OR loyalty
        UNION ALL SELECT 10, at, 2 + array_position(ARRAY['directory','group','loyalty','market','trophy','badge'], src), 1 FROM o WHERE src IS NOT NULL
        UNION ALL SELECT 10, at, 2 + 3, 1 FROM o WHERE loyalty AND src IS DISTINCT FROM 'loyalty'
        UNION ALL SELECT 0, p1, at, 1 FROM o WHERE p1 IS NOT NULL
        UNION ALL SELECT 1, p2, at, 1 FROM o WHERE p2 IS NOT NULL
        UNION ALL SELECT 2, p1, at, 1 FROM k WHERE p1 IS NOT NULL
        UNION ALL SELECT 3, p2, at, 1 FROM k WHERE p2 IS NOT NULL
        UNION ALL SELECT 4, first_at, kept_later_at, 1 FROM f WHERE kept_later_at IS NOT NULL
        UNION ALL SELECT 11, first_at, 0, 1 FROM f
        UNION ALL SELECT 11, first_at, CASE WHEN second_at <= first_at + 30 * 86400000::bigint THEN 1 ELSE 2 END, 1 FROM f
        UNION ALL SELECT 12, at, 0, 1 FROM kpi_badges WHERE shop_id = s AND customer_id = c AND at IS NOT NULL
        UNION ALL SELECT 13, at, array_position(ARRAY['earn','redeem','clawback','expire'], kind) - 1,
                         CASE WHEN kind = 'earn' THEN points ELSE 0 - points END
                  FROM kpi_ledger WHERE shop_id = s AND customer_id = c AND at IS NOT NULL
      $$;
      -- The same, summed by cell: UTC days for times.
      CREATE FUNCTION kpi_items(s text, c text) RETURNS SETOF kpi_cell LANGUAGE sql STABLE AS $$
        SELECT kind, kpi_day(a), CASE WHEN kind < 10 THEN kpi_day(b) ELSE b::integer END, sum(n)
        FROM kpi_timed_items(s, c) GROUP BY 1, 2, 3
      $$;

      -- Migration 6's rows, less kpi_customers (what it held is in the day aggregates now).
      CREATE OR REPLACE FUNCTION kpi_sync(s text, c text, d jsonb) RETURNS void LANGUAGE plpgsql SET TimeZone = 'UTC' AS $$
      BEGIN
        IF d IS NULL THEN
          DELETE FROM kpi_orders WHERE shop_id = s AND customer_id = c;
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
      DROP TABLE kpi_customers;

      -- The record's rows, then the difference in what the customer contributes.
      CREATE OR REPLACE FUNCTION kpi_customers_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        s text := CASE WHEN TG_OP = 'DELETE' THEN OLD.shop_id ELSE NEW.shop_id END;
        c text := CASE WHEN TG_OP = 'DELETE' THEN OLD.customer_id ELSE NEW.customer_id END;
        before kpi_cell[];
      BEGIN
        -- The row lock taken by rewriting data with itself changes nothing.
        IF TG_OP = 'UPDATE' AND OLD.data::text IS NOT DISTINCT FROM NEW.data::text THEN
          RETURN NULL;
        END IF;
        before := CASE WHEN TG_OP = 'INSERT' THEN '{}'::kpi_cell[] ELSE ARRAY(SELECT kpi_items(s, c)) END;
        PERFORM kpi_sync(s, c, CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.data::jsonb END);
        INSERT INTO kpi_deltas (shop_id, kind, a, b, n)
        SELECT s, kind, a, b, sum(n) FROM (
          SELECT kind, a, b, 0 - n AS n FROM unnest(before)
          UNION ALL SELECT kind, a, b, n FROM kpi_items(s, c)) x
        GROUP BY kind, a, b HAVING sum(n) <> 0;
        RETURN NULL;
      END $$;

      -- Moves up to \`batch\` deltas into kpi_days (one instance at a time: the others skip); returns how many.
      CREATE FUNCTION kpi_fold(batch integer) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE moved integer;
      BEGIN
        IF NOT pg_try_advisory_xact_lock(hashtext('kudos.kpi_fold.' || current_schema())) THEN
          RETURN 0;
        END IF;
        WITH d AS (
          DELETE FROM kpi_deltas WHERE ctid = ANY (ARRAY(SELECT ctid FROM kpi_deltas LIMIT batch))
          RETURNING shop_id, kind, a, b, n),
        up AS (
          INSERT INTO kpi_days AS k (shop_id, kind, a, b, n)
          SELECT shop_id, kind, a, b, sum(n) FROM d GROUP BY shop_id, kind, a, b
          ON CONFLICT (shop_id, kind, a, b) DO UPDATE SET n = k.n + EXCLUDED.n
          RETURNING 1)
        -- up runs whether read or not (a data-modifying WITH always completes).
        SELECT count(*) INTO moved FROM d;
        RETURN moved;
      END $$;

      -- The records written before this migration.
      INSERT INTO kpi_days (shop_id, kind, a, b, n)
      SELECT c.shop_id, i.kind, i.a, i.b, sum(i.n)
      FROM (SELECT DISTINCT shop_id, customer_id FROM kpi_orders
            UNION SELECT DISTINCT shop_id, customer_id FROM kpi_ledger
            UNION SELECT DISTINCT shop_id, customer_id FROM kpi_badges) c, kpi_items(c.shop_id, c.customer_id) i
      GROUP BY c.shop_id, i.kind, i.a, i.b;
    `,
  },
  {
    version: 9,
    name: 'KPI items of many customers in one pass (a day a period edge cuts is read set-based)',
    sql: `
      -- Migration 8's kpi_timed_items called once per customer active on a day a
      -- period's edge cuts: 5 000 such customers took 18 s. The same definition over
      -- a set of customers, one window pass partitioned by customer; the
      -- trigger keeps migration 8's per-customer form: the same items (test/store/kpis.test.ts
      -- compares both paths with the engine), and planned for one customer, the cheaper per write.
      CREATE FUNCTION kpi_timed_items_of(s text, cs text[]) RETURNS TABLE (customer_id text, kind smallint, a bigint, b bigint, n numeric) LANGUAGE sql STABLE AS $$
        WITH o AS (
          SELECT customer_id AS c, at, kept, src, loyalty, lag(at) OVER w AS p1, lag(at, 2) OVER w AS p2, row_number() OVER w AS i
          FROM kpi_orders WHERE shop_id = s AND customer_id = ANY (cs) AND at IS NOT NULL WINDOW w AS (PARTITION BY customer_id ORDER BY at, order_id)),
        k AS (
          SELECT customer_id AS c, at, lag(at) OVER w AS p1, lag(at, 2) OVER w AS p2
          FROM kpi_orders WHERE shop_id = s AND customer_id = ANY (cs) AND at IS NOT NULL AND kept WINDOW w AS (PARTITION BY customer_id ORDER BY at, order_id)),
        f AS (SELECT c, max(at) FILTER (WHERE i = 1) AS first_at, max(at) FILTER (WHERE i = 2) AS second_at,
                     min(at) FILTER (WHERE i > 1 AND kept) AS kept_later_at FROM o GROUP BY c)
        SELECT c, 10::smallint, at, 0::bigint, 1::numeric FROM o
        UNION ALL SELECT c, 10, at, 1, 1 FROM o WHERE src IS NOT NULL OR loyalty
        UNION ALL SELECT c, 10, at, 2, 1 FROM o WHERE src IN ('loyalty', 'trophy', 'badge') OR loyalty
        UNION ALL SELECT c, 10, at, 2 + array_position(ARRAY['directory','group','loyalty','market','trophy','badge'], src), 1 FROM o WHERE src IS NOT NULL
        UNION ALL SELECT c, 10, at, 2 + 3, 1 FROM o WHERE loyalty AND src IS DISTINCT FROM 'loyalty'
        UNION ALL SELECT c, 0, p1, at, 1 FROM o WHERE p1 IS NOT NULL
        UNION ALL SELECT c, 1, p2, at, 1 FROM o WHERE p2 IS NOT NULL
        UNION ALL SELECT c, 2, p1, at, 1 FROM k WHERE p1 IS NOT NULL
        UNION ALL SELECT c, 3, p2, at, 1 FROM k WHERE p2 IS NOT NULL
        UNION ALL SELECT c, 4, first_at, kept_later_at, 1 FROM f WHERE kept_later_at IS NOT NULL
        UNION ALL SELECT c, 11, first_at, 0, 1 FROM f
        UNION ALL SELECT c, 11, first_at, CASE WHEN second_at <= first_at + 30 * 86400000::bigint THEN 1 ELSE 2 END, 1 FROM f
        UNION ALL SELECT x.customer_id, 12, x.at, 0, 1 FROM kpi_badges x WHERE x.shop_id = s AND x.customer_id = ANY (cs) AND x.at IS NOT NULL
        UNION ALL SELECT x.customer_id, 13, x.at, array_position(ARRAY['earn','redeem','clawback','expire'], x.kind) - 1,
                         CASE WHEN x.kind = 'earn' THEN x.points ELSE 0 - x.points END
                  FROM kpi_ledger x WHERE x.shop_id = s AND x.customer_id = ANY (cs) AND x.at IS NOT NULL
      $$;
    `,
  },
];
