// The CLI and the server as a person runs them: separate processes on one data file.
import { keyDigest } from '../../server/access/keys.js';
import { execFile, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LowdbStore } from '../../server/store/lowdb-store.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/server.js';
import { featureDocuments } from '../../server/features.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'kudos.js');

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'server', 'cli.js'))) throw new Error('Build first: npm run build');
});

async function kudos(dataFile: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...process.env, KUDOS_DATA: dataFile } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const dirs: string[] = [];
let server: TestServer | undefined;
afterEach(async () => {
  await server?.dispose();
  server = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const newDataFile = () => {
  const dir = tempDir();
  dirs.push(dir);
  return join(dir, 'kudos.json');
};

describe('kudos shop create', { timeout: 60_000 }, () => {
  it('prints one JSON line with the new keys and persists the shop with its origins', async () => {
    const dataFile = newDataFile();
    const { code, stdout } = await kudos(dataFile, 'shop', 'create', '--name', 'Mia’s Ceramics', '--origin', 'https://mia.example/', '--origin', 'http://localhost:3000');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const shop = JSON.parse(lines[0]!);
    expect(Object.keys(shop)).toEqual(['shopId', 'publishableKey', 'secretKey', 'identitySecret']);
    expect(shop.identitySecret).toMatch(/^ids_/);
    expect(shop.publishableKey).toMatch(/^pk_/);
    expect(shop.secretKey).toMatch(/^sk_/);
    const store = await LowdbStore.open(dataFile, { ...featureDocuments() });
    try {
      const saved = await store.findShopByKeyDigest(keyDigest(shop.secretKey));
      expect(saved).toMatchObject({ id: shop.shopId, name: 'Mia’s Ceramics', origins: ['https://mia.example', 'http://localhost:3000'] });
    } finally {
      await store.close();
    }
  });

  it('refuses a missing name or a bad origin with exit code 2 and writes nothing', async () => {
    const dataFile = newDataFile();
    const noName = await kudos(dataFile, 'shop', 'create');
    expect(noName.code).toBe(2);
    expect(noName.stderr).toMatch(/--name is required/);
    const badOrigin = await kudos(dataFile, 'shop', 'create', '--name', 'X', '--origin', 'shop.example');
    expect(badOrigin.code).toBe(2);
    expect(badOrigin.stderr).toMatch(/not a URL/);
    expect(existsSync(dataFile)).toBe(false);
  });

  it('hands the shop to a running server on the same file, which accepts its keys at once', async () => {
    server = await startTestServer();
    const { code, stdout } = await kudos(server.dataFile, 'shop', 'create', '--name', 'Pop-up', '--origin', 'https://popup.example');
    expect(code).toBe(0);
    const shop = JSON.parse(stdout);
    const response = await server.call('/v1/badges', { key: shop.publishableKey, headers: { origin: 'https://popup.example' } });
    expect(response.status).toBe(200);
    const listed = await kudos(server.dataFile, 'shop', 'list');
    const names = listed.stdout.trim().split('\n').map((line) => JSON.parse(line).name);
    expect(names).toContain('Pop-up');
    expect(listed.stdout).not.toContain('sk_');
  });
});

describe('kudos keys and kudos shop origins', { timeout: 60_000 }, () => {
  it('work while a server runs on the file: an added origin and a new key are accepted at once, a revoked key is not', async () => {
    server = await startTestServer();
    const shopId = server.shop.shopId;
    const origin = 'https://market.example';
    expect((await server.call('/v1/badges', { key: server.shop.publishableKey, headers: { origin } })).status).toBe(403);
    const added = await kudos(server.dataFile, 'shop', 'origins', 'add', '--shop', shopId, origin);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout).origins).toContain(origin);
    expect((await server.call('/v1/badges', { key: server.shop.publishableKey, headers: { origin } })).status).toBe(200);
    expect(JSON.parse((await kudos(server.dataFile, 'shop', 'origins', 'list', '--shop', shopId)).stdout).origins).toEqual(['https://shop.example', origin]);

    const made = await kudos(server.dataFile, 'keys', 'create', '--shop', shopId, '--name', 'Market helper', '--scope', 'market');
    expect(made.code).toBe(0);
    const key = JSON.parse(made.stdout);
    expect(key).toMatchObject({ name: 'Market helper', scopes: ['market'] });
    expect((await server.call('/v1/checkins', { key: key.key })).status).toBe(200);
    expect((await server.call('/v1/metrics', { key: key.key })).status).toBe(403);
    const listed = await kudos(server.dataFile, 'keys', 'list', '--shop', shopId);
    expect(listed.stdout).toContain('Market helper');
    expect(listed.stdout).not.toContain(key.key);
    expect((await kudos(server.dataFile, 'keys', 'revoke', '--shop', shopId, key.id)).code).toBe(0);
    expect((await server.call('/v1/checkins', { key: key.key })).status).toBe(401);

    const audit = await (await server.call('/v1/audit', { key: server.shop.secretKey })).json();
    expect(audit.data.map((e: { actor: { keyName: string }; action: string }) => `${e.actor.keyName}: ${e.action}`)).toEqual([
      'kudos CLI (local admin): key.revoked',
      'kudos CLI (local admin): key.created',
      'kudos CLI (local admin): origin.added',
    ]);
  });

  it('work on the file itself with no server, and refuse bad input with exit code 2', async () => {
    const dataFile = newDataFile();
    const shop = JSON.parse((await kudos(dataFile, 'shop', 'create', '--name', 'Offline')).stdout);
    const made = JSON.parse((await kudos(dataFile, 'keys', 'create', '--shop', shop.shopId, '--name', 'Till', '--scope', 'events')).stdout);
    const badScope = await kudos(dataFile, 'keys', 'create', '--shop', shop.shopId, '--name', 'X', '--scope', 'root');
    expect(badScope.code).toBe(2);
    expect(badScope.stderr).toMatch(/scopes/);
    expect((await kudos(dataFile, 'shop', 'origins', 'add', '--shop', shop.shopId, 'not a url')).code).toBe(1);
    server = await startTestServer({ dir: dirname(dataFile) });
    expect((await server.call('/v1/events', { key: made.key, body: { id: 'e1', type: 'purchase', customerId: 'c1', properties: { orderId: 'o1', total: 5, currency: 'EUR' } } })).status).toBe(200);
  });
});

describe('one process per data file', () => {
  it('refuses a second server on the same data file with a clear message', async () => {
    server = await startTestServer();
    const child = spawn(process.execPath, [join(root, 'dist', 'server', 'main.js')], {
      env: { ...process.env, KUDOS_DATA: server.dataFile, PORT: '0' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/Another Kudos process \(pid \d+\) is using .*kudos\.json/);
  });
});
