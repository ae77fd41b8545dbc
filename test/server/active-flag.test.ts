// One on/off flag, `active`, on every resource (issue 14): badges said `disabled`
// and webhook endpoints `enabled`. Data written before the rename (a lowdb file,
// a PostgreSQL database at migration 6) opens with the right `active` value, and
// a client still sending an old name hears which one to send instead.
import { readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { NO_DATABASE, dropSchemas, freshSchema } from '../helpers/pg.js';
import { purchase, startTestServer, tempDir, type TestServer } from '../helpers/server.js';
import type { StartOptions } from '../../server/server.js';

type Options = Partial<StartOptions> & { dir: string };

interface Backend {
  name: string;
  skip: boolean;
  fresh(): Promise<Options>;
  /** Rewrites the stopped store as a version before the rename wrote it. */
  downgrade(options: Options): Promise<void>;
}

const badgeBody = (name: string, active?: boolean) => ({ name, criteria: { event: 'purchase', count: 1 }, ...(active !== undefined && { active }) });
const endpointBody = (active: boolean) => ({ url: 'https://hooks.example/kudos', events: ['award.created'], active });

/** A record as 0.1 wrote it: `disabled` only when set, `enabled` always. */
function oldBadge(badge: Record<string, unknown>): Record<string, unknown> {
  const { active, ...rest } = badge;
  return active === false ? { ...rest, disabled: true } : rest;
}
function oldEndpoint(endpoint: Record<string, unknown>): Record<string, unknown> {
  const { active, ...rest } = endpoint;
  return { ...rest, enabled: active };
}

const lowdb: Backend = {
  name: 'lowdb',
  skip: false,
  fresh: async () => ({ dir: tempDir('kudos-active-') }),
  downgrade: async ({ dir }) => {
    // Closing folds the log into the snapshot: the whole state is in kudos.json.
    const file = `${dir}/kudos.json`;
    const data = JSON.parse(readFileSync(file, 'utf8'));
    for (const badges of Object.values<Record<string, any>>(data.badges)) for (const id of Object.keys(badges)) badges[id] = oldBadge(badges[id]);
    for (const collections of Object.values<Record<string, any>>(data.documents)) {
      for (const id of Object.keys(collections.webhooks ?? {})) collections.webhooks[id] = oldEndpoint(collections.webhooks[id]);
    }
    writeFileSync(file, JSON.stringify(data));
  },
};

const pools: pg.Pool[] = [];
const postgres: Backend = {
  name: 'PostgreSQL',
  skip: NO_DATABASE,
  fresh: async () => ({ dir: tempDir('kudos-active-pg-'), databaseUrl: (await freshSchema('active')).url }),
  downgrade: async ({ databaseUrl }) => {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    pools.push(pool);
    for (const row of (await pool.query('SELECT shop_id, id, data FROM badges')).rows) {
      await pool.query('UPDATE badges SET data = $3 WHERE shop_id = $1 AND id = $2', [row.shop_id, row.id, JSON.stringify(oldBadge(row.data))]);
    }
    for (const row of (await pool.query("SELECT shop_id, id, data FROM documents WHERE collection = 'webhooks'")).rows) {
      await pool.query("UPDATE documents SET data = $3 WHERE shop_id = $1 AND collection = 'webhooks' AND id = $2", [row.shop_id, row.id, JSON.stringify(oldEndpoint(row.data))]);
    }
    // The database as it was before the migration that renames the flag.
    await pool.query('DELETE FROM kudos_migrations WHERE version = 7');
  },
};

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});
afterAll(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
  await dropSchemas();
});

async function start(options: Options): Promise<TestServer> {
  const server = await startTestServer(options);
  servers.push(server);
  return server;
}

for (const backend of [lowdb, postgres]) {
  describe.skipIf(backend.skip)(`one active flag, old data upgraded on open (${backend.name})`, () => {
    it('keeps retired badges inactive and paused webhook endpoints inactive', async () => {
      const options = await backend.fresh();
      const first = await start(options);
      const { shop } = first;
      const sk = shop.secretKey;
      const put = (path: string, body: unknown) => first.call(path, { method: 'PUT', key: sk, body });
      expect((await put('/v1/badges/retired', badgeBody('Retired', false))).status).toBe(201);
      expect((await put('/v1/badges/current', badgeBody('Current', true))).status).toBe(201);
      expect((await put('/v1/badges/unflagged', badgeBody('Unflagged'))).status).toBe(201);
      expect((await put('/v1/webhooks/paused', endpointBody(false))).status).toBe(201);
      expect((await put('/v1/webhooks/sending', endpointBody(true))).status).toBe(201);
      await first.stop();
      await backend.downgrade(options);

      const second = await start(options);
      const get = async (path: string, key = sk) => (await second.call(path, { key })).json();
      expect(await get('/v1/badges/retired')).toMatchObject({ id: 'retired', active: false });
      expect(await get('/v1/badges/retired')).not.toHaveProperty('disabled');
      expect(await get('/v1/badges/current')).toMatchObject({ active: true });
      expect(await get('/v1/badges/unflagged')).toMatchObject({ active: true });
      // Shoppers are not offered the retired badge, and nobody earns it.
      const offered = (await get('/v1/badges', shop.publishableKey)).data.map((b: { id: string }) => b.id);
      expect(offered.sort()).toEqual(['current', 'unflagged']);
      const result = await (await second.call('/v1/events', { key: sk, body: purchase('e1', 'c1') })).json();
      expect(result.results[0].awards.map((a: { id: string }) => a.id).sort()).toEqual(['current', 'unflagged']);

      const paused = await get('/v1/webhooks/paused');
      expect(paused).toMatchObject({ id: 'paused', active: false });
      expect(paused).not.toHaveProperty('enabled');
      expect(await get('/v1/webhooks/sending')).toMatchObject({ active: true });
    });
  });
}

describe('the old flag names', () => {
  it('are refused with a problem that names the field to send instead', async () => {
    const server = await start({ dir: tempDir('kudos-active-') });
    const sk = server.shop.secretKey;
    const badge = await server.call('/v1/badges/old', { method: 'PUT', key: sk, body: { ...badgeBody('Old'), disabled: true } });
    expect(badge.status).toBe(400);
    expect((await badge.json()).errors).toEqual([
      { pointer: '/disabled', detail: 'unknown field "disabled": it is now "active", with the opposite value ("disabled": true is "active": false)' },
    ]);
    const endpoint = await server.call('/v1/webhooks/old', { method: 'PUT', key: sk, body: { url: 'https://hooks.example/k', events: ['award.created'], enabled: false } });
    expect(endpoint.status).toBe(400);
    expect((await endpoint.json()).errors).toEqual([{ pointer: '/enabled', detail: 'unknown field "enabled": it is now "active" (same value)' }]);
    expect((await server.call('/v1/badges/old', { key: sk })).status).toBe(404);
  });
});
