// The CLI and the server as a person runs them: separate processes on one data file.
import { execFile, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LowdbStore } from '../../server/store/lowdb-store.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/server.js';

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

describe('kudos shop create', () => {
  it('prints one JSON line with the new keys and persists the shop with its origins', async () => {
    const dataFile = newDataFile();
    const { code, stdout } = await kudos(dataFile, 'shop', 'create', '--name', 'Mia’s Ceramics', '--origin', 'https://mia.example/', '--origin', 'http://localhost:3000');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const shop = JSON.parse(lines[0]!);
    expect(Object.keys(shop)).toEqual(['shopId', 'publishableKey', 'secretKey']);
    expect(shop.publishableKey).toMatch(/^pk_/);
    expect(shop.secretKey).toMatch(/^sk_/);
    const store = await LowdbStore.open(dataFile);
    try {
      const saved = await store.findShopByKey(shop.secretKey);
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
