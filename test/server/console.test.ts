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
});
