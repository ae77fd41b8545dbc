// Rate and velocity limits with several instances on one PostgreSQL database: the
// counts live in the database, so a client spreading its requests over the
// instances behind a proxy still meets one limit, not one per instance.
import { afterAll, describe, expect, it } from 'vitest';
import { PgStore } from '../../server/store/pg/pg-store.js';
import { NO_DATABASE, dropSchemas, freshSchema } from '../helpers/pg.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { featureDocuments } from '../../server/features.js';

describe.skipIf(NO_DATABASE)('limits shared through PostgreSQL', () => {
  const servers: TestServer[] = [];
  const stores: PgStore[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.dispose()));
    await Promise.all(stores.map((s) => s.close()));
    await dropSchemas();
  });

  it('holds the /v1 rate limit of a key and address across two instances', async () => {
    const { url } = await freshSchema('ratelimit');
    const options = { databaseUrl: url, rateLimit: { publishable: 5, secret: 1000, windowMs: 60_000 } };
    const a = await startTestServer(options);
    const b = await startTestServer(options);
    servers.push(a, b);
    const key = a.shop.publishableKey;
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await (i % 2 ? b : a).call('/v1/badges', { key })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    // Another key has its own room.
    expect((await b.call('/v1/badges', { key: a.otherShop.publishableKey })).status).toBe(200);
  });

  it('counts concurrent fixed-window hits of two instances once each, as if they came one by one', async () => {
    const { url } = await freshSchema('windows');
    const one = await PgStore.open(url, { ...featureDocuments() });
    const two = await PgStore.open(url, { ...featureDocuments() });
    stores.push(one, two);
    const t0 = 1_000_000;
    // 80 hits at once over two keys and two windows (t0 and t0 + 60 s), split between the instances.
    const hits = Array.from({ length: 80 }, (_, i) => ({ key: i % 4 < 2 ? 'rl:key:a' : 'rl:key:b', now: t0 + (i % 2) * 60_000 }));
    const counts = await Promise.all(hits.map((h, i) => (i % 3 ? one : two).limits.windowHit(h.key, 60_000, h.now)));
    const perWindow = new Map<string, number[]>();
    hits.forEach((h, i) => {
      const id = `${h.key}@${counts[i]!.resetAt}`;
      perWindow.set(id, [...(perWindow.get(id) ?? []), counts[i]!.count]);
    });
    expect(perWindow.size).toBe(4);
    // Each window's hits got 1, 2 … 20: none counted twice, none lost, whatever batch it went in.
    for (const got of perWindow.values()) expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await one.limits.windowHit('rl:key:a', 60_000, t0)).count).toBe(21);
  });

  it('counts a sliding-window velocity limit once across store instances, then frees it as the window slides', async () => {
    const { url } = await freshSchema('velocity');
    const one = await PgStore.open(url, { ...featureDocuments() });
    const two = await PgStore.open(url, { ...featureDocuments() });
    stores.push(one, two);
    const t0 = 1_000_000;
    const hits = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).limits.slidingHit('join:ip:1.2.3.4', 4, 60_000, t0 + i)));
    expect(hits.filter((w) => w === 0)).toHaveLength(4);
    // The ten hits are stamped t0 … t0 + 9 but race in any order: a refused one waits until the
    // oldest admitted hit leaves the window, a minute after it, give or take those 9 ms.
    expect(hits.filter((w) => w > 0).every((w) => w >= 60_000 - 9 && w <= 60_000 + 9)).toBe(true);
    expect(await one.limits.slidingHit('join:ip:5.6.7.8', 4, 60_000, t0)).toBe(0);
    expect(await two.limits.slidingHit('join:ip:1.2.3.4', 4, 60_000, t0 + 60_010)).toBe(0);
  });
});
