// A data file written before keys were digests: the shop's keys, signed shopper
// ids and check-in links keep working after the upgrade at start, and the
// secret key is no longer in the file.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { customerHash } from '../../server/identity.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { tempDir } from '../helpers/server.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

it('upgrades a legacy shop: same keys, same identity hashes, no plain secret key left in the data file', async () => {
  const dir = tempDir();
  mkdirSync(dir, { recursive: true });
  const dataFile = join(dir, 'kudos.json');
  const secretKey = 'sk_LegacyLegacyLegacyLegacyLegacy12';
  const publishableKey = 'pk_PublicPublicPublicPublicPublic34';
  const shop = { id: 'shop_legacy', name: 'Old shop', publishableKey, secretKey, origins: ['https://old.example'], createdAt: '2026-01-01T00:00:00.000Z' };
  writeFileSync(dataFile, JSON.stringify({ version: 1, shops: { shop_legacy: shop }, badges: {}, customers: {}, processedEvents: {}, awardCounts: {}, documents: {} }));

  server = await startServer({ dataFile, port: 0, log: () => {} });
  const call = (path: string, key: string, headers: Record<string, string> = {}) => fetch(`${server!.url}${path}`, { headers: { authorization: `Bearer ${key}`, ...headers } });
  expect((await call('/v1/metrics', secretKey)).status).toBe(200);
  expect((await call('/v1/badges', publishableKey, { origin: 'https://old.example' })).status).toBe(200);
  const signed = { 'x-kudos-customer': 'c_1', 'x-kudos-customer-hash': customerHash(secretKey, 'c_1') };
  expect((await call('/v1/customers/c_1', publishableKey, signed)).status).toBe(200);
  const me = await (await call('/v1/key', secretKey)).json();
  expect(me.key).toMatchObject({ name: 'Secret key', scopes: ['admin'] });
  await server.close();
  server = undefined;

  const raw = readFileSync(dataFile, 'utf8');
  expect(raw).toContain('shop_legacy');
  expect(raw).not.toContain(secretKey.slice(3));
  // Started again, the upgraded shop is left as it is and still works.
  server = await startServer({ dataFile, port: 0, log: () => {} });
  expect((await call('/v1/metrics', secretKey)).status).toBe(200);
  expect((await call('/v1/customers/c_1', publishableKey, signed)).status).toBe(200);
});
