// What shoppers and shop backends notice of the PostgreSQL read cache with two API
// instances on one database: a key revoked through one instance stops working on the
// other once that instance has the notice (it may have answered from its cache until
// then: docs/operations-postgres.md "The read cache and its invalidation").
// test/store/pg-read-cache.test.ts covers the cache itself (documents, races, a
// dropped listener). Waits are for the instance's own notice event, never for time.
import { afterAll, describe, expect, it } from 'vitest';
import type { PgStore } from '../../server/store/pg/pg-store.js';
import type { CacheNotice } from '../../server/store/pg/read-cache.js';
import { NO_DATABASE, dropSchemas, freshSchema } from '../helpers/pg.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const noticeAbout = (server: TestServer, shopId: string, collection?: string) =>
  (server.server.store as PgStore).cache!.nextNotice((n: CacheNotice) => 'shop' in n && n.shop === shopId && n.collection === collection);

describe.skipIf(NO_DATABASE)('read cache across two API instances on PostgreSQL', () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.dispose()));
    await dropSchemas();
  });

  it('a key revoked through one instance answers 401 on the other once its notice arrived', async () => {
    const { url } = await freshSchema('cache_http');
    const a = await startTestServer({ databaseUrl: url });
    const b = await startTestServer({ databaseUrl: url });
    servers.push(a, b);
    const shopId = a.shop.shopId;
    const created = noticeAbout(b, shopId);
    const made = (await (await a.call('/v1/keys', { key: a.shop.secretKey, body: { name: 'Till', scopes: ['staff'] } })).json()) as { id: string; key: string };
    await created;
    // B authenticates it (and keeps its shop in its cache from now on).
    expect((await b.call('/v1/customers/c_1', { key: made.key })).status).toBe(200);
    expect((await b.call('/v1/customers/c_1', { key: made.key })).status).toBe(200);
    expect((b.server.store as PgStore).cache!.size.shops).toBeGreaterThan(0);
    const noticed = noticeAbout(b, shopId);
    expect((await a.call(`/v1/keys/${made.id}`, { key: a.shop.secretKey, method: 'DELETE' })).status).toBe(200);
    // The instance that revoked it refuses it at once.
    expect((await a.call('/v1/customers/c_1', { key: made.key })).status).toBe(401);
    await noticed;
    expect((await b.call('/v1/customers/c_1', { key: made.key })).status).toBe(401);
    // The shop's other keys still work there.
    expect((await b.call('/v1/customers/c_1', { key: a.shop.secretKey })).status).toBe(200);
  });
});
