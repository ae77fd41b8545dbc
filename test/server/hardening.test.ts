// Request ids on every response and log line, and a graceful stop that lets a
// request already inside finish and land on disk.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LowdbStore } from '../../server/store/lowdb-store.js';
import { purchase, startTestServer, type TestServer } from '../helpers/server.js';
import { featureDocuments } from '../../server/features.js';

let t: TestServer;
const logged: string[] = [];
beforeAll(async () => {
  t = await startTestServer({ log: (message) => logged.push(message) });
});
afterAll(() => t.dispose());

describe('request ids', () => {
  it('gives every response an X-Request-Id, and a different one each time', async () => {
    const a = await fetch(`${t.url}/healthz`);
    const b = await t.call('/v1/badges', { key: t.shop.secretKey });
    expect(a.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
    expect(b.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });

  it("keeps a caller's sane request id and replaces one that is not safe to echo", async () => {
    const kept = await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': 'edge-4f2a.9_Z' } });
    expect(kept.headers.get('x-request-id')).toBe('edge-4f2a.9_Z');
    for (const insane of ['a b', 'x'.repeat(65), '../../etc/passwd', '<script>']) {
      const replaced = await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': insane } });
      expect(replaced.headers.get('x-request-id')).not.toBe(insane);
      expect(replaced.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
    }
  });

  it('names the request id in problem bodies, so support can find the log line', async () => {
    const res = await t.call('/v1/badges', { headers: { 'x-request-id': 'support-ticket-42' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ status: 401, requestId: 'support-ticket-42' });
  });

  it('puts the request id in the error log line of an unexpected failure', async () => {
    const original = t.server.store.shopIdsWithOrigin.bind(t.server.store);
    t.server.store.shopIdsWithOrigin = async () => {
      throw new Error('disk on fire');
    };
    try {
      // CORS looks the origin up for any Origin: the failure happens inside a real request.
      const res = await t.call('/v1/badges', { key: t.shop.secretKey, headers: { origin: 'https://shop.example', 'x-request-id': 'boom-1' } });
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ status: 500, requestId: 'boom-1' });
      expect(logged.at(-1)).toContain('boom-1');
    } finally {
      t.server.store.shopIdsWithOrigin = original;
    }
  });
});

describe('graceful stop', () => {
  it('lets a request that is already inside finish, answers it and keeps its event', async () => {
    const s = await startTestServer();
    const { hostname, port } = new URL(s.url);
    const body = JSON.stringify(purchase('in-flight-1', 'c-stop'));
    const req = httpRequest({
      hostname,
      port,
      method: 'POST',
      path: '/v1/events',
      headers: { authorization: `Bearer ${s.shop.secretKey}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
    });
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on('error', reject);
    });
    req.flushHeaders();
    // "100 Continue" means the server has the request in hand; only then stop it.
    await new Promise<void>((resolve) => req.once('continue', () => resolve()));
    const stopped = s.stop();
    req.end(body);
    const answer = await answered;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ results: [{ id: 'in-flight-1', status: 'accepted' }] });
    await stopped;
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
    const store = await LowdbStore.open(s.dataFile, { ...featureDocuments() });
    try {
      expect((await store.getCustomer(s.shop.shopId, 'c-stop'))?.stats.purchase?.count).toBe(1);
    } finally {
      await store.close();
      await s.dispose();
    }
  });
});
