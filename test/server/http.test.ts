import { LowdbStore } from '../../server/store/lowdb-store.js';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashCopy, identityHeaders, purchase, startTestServer, type TestServer } from '../helpers/server.js';
import { featureDocuments } from '../../server/features.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  await t.call('/v1/badges/first-order', {
    method: 'PUT',
    key: t.shop.secretKey,
    body: { name: 'First order', icon: '🎉', criteria: { event: 'purchase', count: 1 } },
  });
  await t.call('/v1/badges/explorer', {
    method: 'PUT',
    key: t.shop.secretKey,
    body: { name: 'Explorer', criteria: { event: 'product_view', count: 2 } },
  });
});
afterAll(() => t.dispose());

async function problem(response: Response) {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = await response.json();
  expect(body).toMatchObject({ type: expect.any(String), title: expect.any(String), status: response.status });
  return body;
}

const pointers = (body: { errors?: { pointer: string }[] }) => body.errors?.map((e) => e.pointer);

describe('keys and roles', () => {
  it('answers 401 without a key, and 401 for an unknown key without echoing it', async () => {
    expect(await problem(await t.call('/v1/badges'))).toMatchObject({ status: 401 });
    const response = await t.call('/v1/badges', { key: 'sk_not_a_real_key_123' });
    expect(response.status).toBe(401);
    expect(JSON.stringify(await problem(response))).not.toContain('sk_not_a_real_key_123');
  });

  it('refuses purchases and refunds sent with the publishable key (403), and stores nothing', async () => {
    const shopper = identityHeaders(t.shop, 'c-pk');
    for (const event of [purchase('pk-1', 'c-pk'), { id: 'pk-2', type: 'refund', properties: { orderId: 'o', amount: 5 } }]) {
      const response = await t.call('/v1/events', { key: t.shop.publishableKey, headers: shopper, body: event });
      expect(response.status).toBe(403);
      expect((await problem(response)).detail).toMatch(/secret key/);
    }
    const state = await (await t.call('/v1/customers/c-pk', { key: t.shop.secretKey })).json();
    expect(state.badges).toEqual([]);
  });

  it('refuses config writes with the publishable key', async () => {
    const response = await t.call('/v1/badges/sneaky', {
      method: 'PUT',
      key: t.shop.publishableKey,
      body: { name: 'Free stuff', criteria: { event: 'page_view', count: 1 } },
    });
    expect(response.status).toBe(403);
    expect((await t.call('/v1/badges/sneaky', { key: t.shop.secretKey })).status).toBe(404);
  });

  it('lets the browser record safe events for the verified shopper', async () => {
    const headers = identityHeaders(t.shop, 'c-browser');
    const response = await t.call('/v1/events', {
      key: t.shop.publishableKey,
      headers,
      body: { events: [{ id: 'pv-1', type: 'product_view' }, { id: 'pv-2', type: 'product_view' }] },
    });
    expect(response.status).toBe(200);
    const { results } = await response.json();
    expect(results[1].awards.map((a: { name: string }) => a.name)).toEqual(['Explorer']);
    const state = await (await t.call('/v1/customers/c-browser', { key: t.shop.publishableKey, headers })).json();
    expect(state.badges.map((b: { id: string }) => b.id)).toEqual(['explorer']);
  });

  it('refuses a forged identity hash (403) and records nothing', async () => {
    const forged = { 'x-kudos-customer': 'c-victim', 'x-kudos-customer-hash': 'ab'.repeat(32) };
    const response = await t.call('/v1/events', { key: t.shop.publishableKey, headers: forged, body: { id: 'f-1', type: 'product_view' } });
    expect(await problem(response)).toMatchObject({ status: 403, type: expect.stringContaining('identity') });
    const read = await t.call('/v1/customers/c-victim', { key: t.shop.publishableKey, headers: forged });
    expect(read.status).toBe(403);
    const state = await (await t.call('/v1/customers/c-victim', { key: t.shop.secretKey })).json();
    expect(state.lockedBadges.find((b: { id: string }) => b.id === 'explorer').progress.current).toBe(0);
  });

  it("refuses an identity signed with another shop's secret", async () => {
    const headers = identityHeaders(t.otherShop, 'c-x');
    const response = await t.call('/v1/customers/c-x', { key: t.shop.publishableKey, headers });
    expect(response.status).toBe(403);
  });

  it('lets a page read only the shopper it is identified as', async () => {
    const headers = identityHeaders(t.shop, 'c-me');
    expect((await t.call('/v1/customers/c-me', { key: t.shop.publishableKey, headers })).status).toBe(200);
    expect((await t.call('/v1/customers/c-someone-else', { key: t.shop.publishableKey, headers })).status).toBe(403);
    expect((await t.call('/v1/customers/c-me', { key: t.shop.publishableKey })).status).toBe(403);
  });

  it('refuses a browser event naming another customer than the verified one', async () => {
    const response = await t.call('/v1/events', {
      key: t.shop.publishableKey,
      headers: identityHeaders(t.shop, 'c-me'),
      body: { id: 'x-1', type: 'page_view', customerId: 'c-other' },
    });
    expect(response.status).toBe(403);
  });

  it('records anonymous visitors apart from customers, and needs some shopper', async () => {
    const anon = { 'x-kudos-anonymous-id': 'V1StGXR8_Z5jdHi6B-myT' };
    const ok = await t.call('/v1/events', { key: t.shop.publishableKey, headers: anon, body: { id: 'a-1', type: 'page_view' } });
    expect(ok.status).toBe(200);
    const none = await t.call('/v1/events', { key: t.shop.publishableKey, body: { id: 'a-2', type: 'page_view' } });
    expect(none.status).toBe(403);
    const bad = await t.call('/v1/events', {
      key: t.shop.publishableKey,
      headers: { 'x-kudos-anonymous-id': 'x' },
      body: { id: 'a-3', type: 'page_view' },
    });
    expect(bad.status).toBe(400);
  });
});

describe('tenant isolation', () => {
  it("never shows one shop's badges or customers to another shop's key", async () => {
    await t.call('/v1/events', { key: t.shop.secretKey, body: purchase('iso-1', 'c-shared') });
    expect((await t.call('/v1/badges/first-order', { key: t.otherShop.secretKey })).status).toBe(404);
    expect((await (await t.call('/v1/badges', { key: t.otherShop.publishableKey })).json()).data).toEqual([]);
    const theirs = await (await t.call('/v1/customers/c-shared', { key: t.otherShop.secretKey })).json();
    expect(theirs.badges).toEqual([]);
    const ours = await (await t.call('/v1/customers/c-shared', { key: t.shop.secretKey })).json();
    expect(ours.badges.map((b: { id: string }) => b.id)).toEqual(['first-order']);
  });
});

describe('validation', () => {
  const post = (body: unknown, init = {}) => t.call('/v1/events', { key: t.shop.secretKey, body, ...init });

  it('answers malformed JSON with 400 malformed-json', async () => {
    const response = await t.call('/v1/events', { key: t.shop.secretKey, rawBody: '{"id": "e1", "type": ' });
    expect(await problem(response)).toMatchObject({ status: 400, type: expect.stringContaining('malformed-json') });
  });

  it('points at unknown fields, wrong types and missing properties', async () => {
    const response = await post({
      events: [
        { id: 'v-1', type: 'purchase', customerId: 'c1', properties: { orderId: 'o', total: 'ten', currency: 'EUR' } },
        { id: 'v-2', type: 'page_view', customerId: 'c1', colour: 'red' },
        { id: 'v-3', type: 'purchase', customerId: 'c1' },
      ],
    });
    const body = await problem(response);
    expect(response.status).toBe(400);
    expect(pointers(body)).toEqual(
      expect.arrayContaining(['/events/0/properties/total', '/events/1/colour', '/events/2/properties/orderId']),
    );
    // Nothing of a rejected batch is kept, not even its valid parts.
    const retry = await post({ id: 'v-1', type: 'page_view', customerId: 'c1' });
    expect((await retry.json()).results[0].status).toBe('accepted');
  });

  it('requires a customer for secret-key events', async () => {
    const body = await problem(await post({ id: 'nc-1', type: 'review' }));
    expect(pointers(body)).toEqual(['/customerId']);
  });

  it('caps batches at 100 events and refuses empty ones', async () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ id: `b-${i}`, type: 'page_view', customerId: 'c1' }));
    expect(pointers(await problem(await post({ events: many })))).toEqual(['/events']);
    expect(pointers(await problem(await post({ events: [] })))).toEqual(['/events']);
  });

  it('answers 413 for a body over the limit', async () => {
    const huge = { id: 'h-1', type: 'page_view', customerId: 'c1', properties: { blob: 'x'.repeat(300_000) } };
    expect(await problem(await post(huge))).toMatchObject({ status: 413 });
  });

  it('answers 415 for a body that is not JSON', async () => {
    const response = await t.call('/v1/events', {
      key: t.shop.secretKey,
      rawBody: 'id=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(await problem(response)).toMatchObject({ status: 415 });
  });

  it('rejects bad badge definitions with pointers', async () => {
    const put = (id: string, body: unknown) => t.call(`/v1/badges/${id}`, { method: 'PUT', key: t.shop.secretKey, body });
    const both = await problem(await put('both', { name: 'X', criteria: { event: 'purchase', count: 2, sumOf: 'total', atLeast: 5 } }));
    expect(pointers(both)).toEqual(['/criteria']);
    const half = await problem(await put('half', { name: 'X', criteria: { event: 'purchase', sumOf: 'total' } }));
    expect(pointers(half)).toEqual(['/criteria/atLeast']);
    const script = await problem(await put('img', { name: 'X', icon: 'javascript:alert(1)', criteria: { event: 'purchase', count: 1 } }));
    expect(pointers(script)).toEqual(['/icon']);
    expect((await put('Bad Id!', { name: 'X', criteria: { event: 'purchase', count: 1 } })).status).toBe(400);
  });

  it('answers unknown routes with a 404 problem', async () => {
    expect(await problem(await t.call('/v1/nothing-here', { key: t.shop.secretKey }))).toMatchObject({ status: 404 });
  });
});

describe('events', () => {
  it('reports a replayed id as duplicate with the same awards and changes nothing', async () => {
    const event = purchase('replay-1', 'c-replay', 30);
    const first = (await (await t.call('/v1/events', { key: t.shop.secretKey, body: event })).json()).results[0];
    expect(first).toMatchObject({ status: 'accepted', awards: [{ kind: 'badge', id: 'first-order', name: 'First order' }] });
    const again = (await (await t.call('/v1/events', { key: t.shop.secretKey, body: event })).json()).results[0];
    expect(again).toEqual({ ...first, status: 'duplicate' });
    const state = await (await t.call('/v1/customers/c-replay', { key: t.shop.secretKey })).json();
    expect(state.badges).toHaveLength(1);
  });

  it('has the event on disk when it answers 200 (a crash right then keeps it)', async () => {
    await t.call('/v1/events', { key: t.shop.secretKey, body: purchase('disk-1', 'c-disk') });
    const afterCrash = await LowdbStore.open(crashCopy(t.dataFile), { ...featureDocuments() });
    try {
      expect((await afterCrash.getCustomer(t.shop.shopId, 'c-disk'))?.stats.purchase?.count).toBe(1);
    } finally {
      await afterCrash.close();
    }
  });

  it('grants exactly one badge when 100 concurrent requests cross its threshold', async () => {
    await t.call('/v1/badges/fifty', {
      method: 'PUT',
      key: t.shop.secretKey,
      body: { name: 'Fifty', criteria: { event: 'purchase', count: 50 } },
    });
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => t.call('/v1/events', { key: t.shop.secretKey, body: purchase(`race-${i}`, 'c-race') })),
    );
    const results = await Promise.all(responses.map(async (r) => (await r.json()).results[0]));
    const fifty = results.flatMap((r) => r.awards).filter((a: { id: string }) => a.id === 'fifty');
    expect(fifty).toHaveLength(1);
    const state = await (await t.call('/v1/customers/c-race', { key: t.shop.secretKey })).json();
    expect(state.badges.map((b: { id: string }) => b.id).sort()).toEqual(['fifty', 'first-order']);
  });
});

describe('CORS', () => {
  it("answers a preflight from a shop's registered origin, and one from an unknown origin without letting its request through", async () => {
    const ok = await t.call('/v1/events', {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/X-Kudos-Customer-Hash/);
    // An unknown origin's preflight is answered so that the page can read why its request is
    // refused (test/server/first-hour.test.ts); the request itself never reaches a route.
    const bad = await t.call('/v1/events', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(bad.status).toBe(204);
    const refused = await t.call('/v1/events', {
      key: t.shop.publishableKey,
      headers: { origin: 'https://evil.example' },
      body: { id: 'evil-1', type: 'page_view' },
    });
    expect(refused.status).toBe(403);
    expect((await t.call('/v1/customers/c-evil', { key: t.shop.secretKey })).status).toBe(200);
  });

  it("refuses a key used from another shop's origin", async () => {
    const response = await t.call('/v1/badges', { key: t.shop.publishableKey, headers: { origin: 'https://other.example' } });
    expect(response.status).toBe(403);
    const own = await t.call('/v1/badges', { key: t.shop.publishableKey, headers: { origin: 'https://shop.example' } });
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBe('https://shop.example');
  });
});

describe('restart', () => {
  it('keeps shops, badges, customers and seen ids after a restart on the same file', async () => {
    const s = await startTestServer();
    await s.call('/v1/badges/first-order', {
      method: 'PUT',
      key: s.shop.secretKey,
      body: { name: 'First order', criteria: { event: 'purchase', count: 1 } },
    });
    await s.call('/v1/events', { key: s.shop.secretKey, body: purchase('r-1', 'c-r') });
    await s.stop();
    const again = await startTestServer({ dir: s.dir });
    try {
      const state = await (await again.call('/v1/customers/c-r', { key: s.shop.secretKey })).json();
      expect(state.badges.map((b: { id: string }) => b.id)).toEqual(['first-order']);
      const replay = await (await again.call('/v1/events', { key: s.shop.secretKey, body: purchase('r-1', 'c-r') })).json();
      expect(replay.results[0].status).toBe('duplicate');
    } finally {
      await again.dispose();
    }
  });
});

describe('health and docs', () => {
  it('serves /healthz and an OpenAPI document generated from the schemas', async () => {
    expect(await (await t.call('/healthz')).json()).toEqual({ ok: true });
    const doc = await (await t.call('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/events',
        '/v1/customers/{customerId}',
        '/v1/badges/{id}',
        '/v1/program',
        '/v1/customers/{customerId}/redemptions',
        '/v1/order-claims/{token}/accept',
        '/v1/trophies/{id}/awards',
        '/v1/surveys/{id}/responses',
        '/v1/groups/{code}/join',
      ]),
    );
    // Every schema a path refers to is in the document.
    const refs = [...JSON.stringify(doc.paths).matchAll(/#\/components\/schemas\/(\w+)/g)].map((m) => m[1]);
    for (const ref of refs) expect(doc.components.schemas, ref).toHaveProperty(ref!);
    expect(doc.components.schemas.EventInput.properties.type).toBeDefined();
  });
});

/** A raw GET (fetch would negotiate and decompress on its own): status, headers and the bytes as sent. */
function rawGet(url: string, acceptEncoding: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((done, fail) => {
    request(url, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', fail)
      .end();
  });
}

describe('static assets', () => {
  it('sends the loader and widget chunks brotli- or gzip-compressed to browsers that accept it, and plain to others', async () => {
    const plain = await rawGet(`${t.url}/kudos.js`, 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    const chunk = /chunks\/lit-[\w-]+\.js/.exec(plain.body.toString())?.[0] ?? /"\.\/(chunks\/[\w-]+\.js)"/.exec(plain.body.toString())?.[1];
    for (const path of ['/kudos.js', '/widgets/kudos-badges.js', ...(chunk ? [`/widgets/${chunk}`] : [])]) {
      const identity = await rawGet(`${t.url}${path}`, 'identity');
      const br = await rawGet(`${t.url}${path}`, 'gzip, deflate, br');
      expect(br.status, path).toBe(200);
      expect(br.headers['content-encoding'], path).toBe('br');
      expect(br.headers['content-type'], path).toMatch(/^(text|application)\/javascript/);
      expect(br.headers.vary, path).toMatch(/accept-encoding/i);
      expect(brotliDecompressSync(br.body).equals(identity.body), path).toBe(true);
      expect(br.body.length, path).toBeLessThan(identity.body.length / 2);
      const gz = await rawGet(`${t.url}${path}`, 'gzip');
      expect(gz.headers['content-encoding'], path).toBe('gzip');
      expect(gunzipSync(gz.body).equals(identity.body), path).toBe(true);
    }
  });

  it('answers a missing widget chunk with a 404 problem that names no server path', async () => {
    for (const path of ['/widgets/chunks/lit-gone.js', '/widgets/kudos-nothing.js']) {
      const r = await t.call(path);
      expect(r.status).toBe(404);
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(JSON.stringify(await r.json())).not.toMatch(/dist|ENOENT|\/work/);
    }
  });
});
