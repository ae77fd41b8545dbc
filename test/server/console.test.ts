// The console page and its API helpers, over HTTP.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDir, type TestServer } from '../helpers/server.js';

let t: TestServer;
let unbuilt: TestServer;
beforeAll(async () => {
  const publicDir = tempDir('kudos-public-');
  mkdirSync(join(publicDir, 'console'));
  writeFileSync(join(publicDir, 'console', 'index.html'), '<!doctype html><title>Kudos console</title>');
  writeFileSync(join(publicDir, 'console', 'console.js'), 'export {};');
  t = await startTestServer({ publicDir });
  unbuilt = await startTestServer({ publicDir: tempDir('kudos-empty-') });
});
afterAll(async () => {
  await t.dispose();
  await unbuilt.dispose();
});

describe('/console', () => {
  it('serves the page and its bundle with a strict CSP, never framed', async () => {
    for (const path of ['/console', '/console/']) {
      const page = await t.call(path);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Kudos console');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(page.headers.get('x-frame-options')).toBe('DENY');
    }
    const js = await t.call('/console/console.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect((await t.call('/console/nope.js')).status).toBe(404);
  });

  it('says how to build it when it is not built', async () => {
    const page = await unbuilt.call('/console');
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('npm run build');
  });

  it('lists campaigns and products for the Programs tab, with the secret key only', async () => {
    const sk = t.shop.secretKey;
    const put = await t.call('/v1/products/mug', {
      method: 'PUT',
      key: sk,
      body: { name: 'Mug', price: 12, currency: 'EUR', checkoutUrl: 'https://shop.example/mug' },
    });
    expect(put.status).toBe(201);
    expect((await (await t.call('/v1/console/products', { key: sk })).json()).products).toEqual([expect.objectContaining({ id: 'mug', name: 'Mug' })]);
    expect((await (await t.call('/v1/console/products', { key: t.otherShop.secretKey })).json()).products).toEqual([]);
    expect((await (await t.call('/v1/console/campaigns', { key: sk })).json()).campaigns).toEqual([]);
    expect((await t.call('/v1/console/products', { key: t.shop.publishableKey })).status).toBe(403);
  });

  it('checks a console form without saving it: every refused field at once, at its pointer', async () => {
    const sk = t.shop.secretKey;
    const check = async (kind: string, body: unknown, key = sk) => {
      const r = await t.call(`/v1/console/check/${kind}`, { method: 'POST', key, body });
      return { status: r.status, body: await r.json() };
    };
    // Three faults in one badge, and a bad id: all four come back in one answer.
    const bad = await check('badges', { id: 'Not a slug!', body: { name: '', icon: 'a very long icon text', criteria: { event: 'purchase', count: 0 } } });
    expect(bad.status).toBe(200);
    const pointers = bad.body.errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/name', '/icon', '/criteria/count', '/id']));
    expect(bad.body.errors.find((e: { pointer: string }) => e.pointer === '/icon').detail).toContain('emoji or short text');
    // Nothing was written.
    expect((await t.call('/v1/badges', { key: sk }).then((r) => r.json())).data).toEqual([]);
    expect((await check('badges', { body: { name: 'Owl', criteria: { event: 'purchase', count: 2 } } })).body).toEqual({ errors: [] });
    expect((await check('gifts', { body: { name: 'Tote', gift: { kind: 'code', prefix: 'tote-' }, rule: { kind: 'firstOrder' } } })).body.errors).toEqual([
      expect.objectContaining({ pointer: '/gift/prefix' }),
    ]);
    // An unknown form is a 404 naming the known ones; the publishable key is refused; the envelope is strict.
    expect((await check('nope', { body: {} })).status).toBe(404);
    expect((await check('badges', { body: {} }, t.shop.publishableKey)).status).toBe(403);
    expect((await check('badges', { body: {}, extra: 1 })).status).toBe(400);
  });
});
