// Hardened HTTP: rate limits per key + IP (429 problem+json with Retry-After), proxy
// handling (KUDOS_TRUST_PROXY), security headers that fit each kind of response, and
// structured access logs (server/http/).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessLogLine } from '../../server/http/log.js';
import { loadConfig } from '../../server/config.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const servers: TestServer[] = [];
const start = async (options: Parameters<typeof startTestServer>[0]) => {
  const t = await startTestServer(options);
  servers.push(t);
  return t;
};
afterAll(() => Promise.all(servers.map((t) => t.dispose())));

const events = (t: TestServer, key: string, headers: Record<string, string> = {}) =>
  t.call('/v1/events', { key, headers, body: { id: `e-${Math.random()}`, type: 'page_view', customerId: 'c1' } });

describe('rate limits', () => {
  it('answers 429 problem+json with Retry-After once a key exceeds its limit from one address, others unaffected', async () => {
    const t = await start({ rateLimit: { windowMs: 60_000, publishable: 3, secret: 5 } });
    for (let i = 0; i < 3; i++) expect((await t.call('/v1/badges', { key: t.shop.publishableKey })).status).toBe(200);
    const limited = await t.call('/v1/badges', { key: t.shop.publishableKey, headers: { origin: t.url } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // A browser can read both the answer and how long to wait.
    expect(limited.headers.get('access-control-expose-headers')).toMatch(/Retry-After/);
    expect(await limited.json()).toMatchObject({ status: 429, type: 'https://kudos.dev/problems/rate-limited' });

    // Another key (another shop, or the shop's backend with its secret key) has its own budget.
    expect((await t.call('/v1/badges', { key: t.otherShop.publishableKey })).status).toBe(200);
    expect((await t.call('/v1/badges', { key: t.shop.secretKey })).status).toBe(200);
  });

  it('limits signed orders in per shop and address too', async () => {
    const t = await start({ rateLimit: { publishable: 2 } });
    const order = () =>
      fetch(`${t.url}/v1/webhooks/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'kudos-shop': t.shop.shopId, 'kudos-signature': 't=1,v1=00' },
        body: '{}',
      });
    const statuses = [(await order()).status, (await order()).status, (await order()).status];
    expect(statuses[0]).not.toBe(429);
    expect(statuses[2]).toBe(429);
  });

  it('gives the secret key (a shop backend) more room than a publishable key', async () => {
    const t = await start({ rateLimit: { publishable: 2, secret: 6 } });
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await events(t, t.shop.secretKey)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
  });

  it('ignores X-Forwarded-For unless KUDOS_TRUST_PROXY says a proxy sets it', async () => {
    const direct = await start({ rateLimit: { publishable: 2 } });
    const spoofed = [];
    for (let i = 0; i < 3; i++) spoofed.push((await direct.call('/v1/badges', { key: direct.shop.publishableKey, headers: { 'x-forwarded-for': `203.0.113.${i}` } })).status);
    expect(spoofed, 'a client cannot dodge the limit with a made-up header').toEqual([200, 200, 429]);

    const proxied = await start({ rateLimit: { publishable: 2 }, trustProxy: 'loopback' });
    const visitor = (ip: string) => proxied.call('/v1/badges', { key: proxied.shop.publishableKey, headers: { 'x-forwarded-for': ip } });
    expect([(await visitor('203.0.113.7')).status, (await visitor('203.0.113.7')).status, (await visitor('203.0.113.7')).status]).toEqual([200, 200, 429]);
    expect((await visitor('198.51.100.9')).status, 'another visitor behind the same proxy').toBe(200);
  });

  it('can be turned off, and has defaults generous enough for a busy storefront', async () => {
    const off = await start({ rateLimit: false });
    for (let i = 0; i < 50; i++) expect((await off.call('/v1/badges', { key: off.shop.publishableKey })).status).toBe(200);
    const defaults = await start({});
    const answers = await Promise.all(Array.from({ length: 300 }, () => defaults.call('/v1/badges', { key: defaults.shop.publishableKey })));
    expect(answers.every((a) => a.status == 200)).toBe(true);
  });

  it('reads KUDOS_TRUST_PROXY: off by default, hop counts, true, or trusted addresses', () => {
    const trustProxy = (value: string | undefined) => loadConfig({ KUDOS_TRUST_PROXY: value }).trustProxy;
    expect(trustProxy(undefined)).toBe(false);
    expect(trustProxy('off')).toBe(false);
    expect(trustProxy('1')).toBe(1);
    expect(trustProxy('true')).toBe(true);
    expect(trustProxy('loopback, 10.0.0.0/8')).toBe('loopback, 10.0.0.0/8');
  });
});

describe('security headers', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await start({ seedDemo: true });
  });

  it('locks API answers down: nosniff, no framing, a CSP that loads nothing', async () => {
    const res = await t.call('/v1/badges', { key: t.shop.publishableKey });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it("sends helmet's whole set on API answers, events and problems alike", async () => {
    const expected = {
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'origin-agent-cluster': '?1',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-dns-prefetch-control': 'off',
      'x-download-options': 'noopen',
      'x-frame-options': 'SAMEORIGIN',
      'x-permitted-cross-domain-policies': 'none',
      'x-xss-protection': '0',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    };
    const event = await t.call('/v1/events', {
      method: 'POST',
      key: t.shop.secretKey,
      body: { id: 'headers-1', type: 'purchase', customerId: 'c-headers', properties: { orderId: 'o-h', total: 5, currency: 'EUR' } },
    });
    const problem = await t.call('/v1/events', { method: 'POST', key: t.shop.secretKey, body: { id: 'headers-2' } });
    expect([event.status, problem.status]).toEqual([200, 400]);
    for (const res of [event, problem]) {
      expect(Object.fromEntries(Object.keys(expected).map((name) => [name, res.headers.get(name)]))).toEqual(expected);
    }
  });

  it('serves the loader short-cached and hashed chunks immutable, both embeddable cross-origin', async () => {
    const loader = await fetch(`${t.url}/kudos.js`);
    expect(loader.status).toBe(200);
    expect(loader.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(loader.headers.get('cache-control')).toBe('public, max-age=300');
    const chunk = `${/chunks\/runtime-[\w-]+/.exec(await loader.text())![0]}.js`;
    const queue = await fetch(`${t.url}/widgets/${chunk}`);
    expect(queue.status).toBe(200);
    expect(queue.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(queue.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('keeps the demo storefront page its own CSP', async () => {
    const page = await fetch(`${t.url}/examples/storefront.html`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('access log', () => {
  it('writes one JSON line per request: id, method, path without the query, status, duration, shop', async () => {
    const lines: AccessLogLine[] = [];
    const t = await start({ accessLog: (line) => lines.push(line) });
    await t.call('/v1/badges?limit=10', { key: t.shop.publishableKey, headers: { 'x-request-id': 'log-me-1' } });
    // Lists refuse unknown query fields (400), and the refused request is logged without its query too.
    await t.call('/v1/badges?token=secret-in-query', { key: t.shop.publishableKey, headers: { 'x-request-id': 'log-me-2' } });
    await fetch(`${t.url}/healthz`);
    const line = lines.find((l) => l.requestId == 'log-me-1')!;
    expect(line).toMatchObject({ level: 'info', msg: 'request', method: 'GET', path: '/v1/badges', status: 200, shopId: t.shop.shopId });
    expect(lines.find((l) => l.requestId == 'log-me-2')).toMatchObject({ path: '/v1/badges', status: 400 });
    expect(line.durationMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(lines)).not.toContain('secret-in-query');
    expect(JSON.stringify(lines)).not.toContain(t.shop.publishableKey);
    expect(lines.find((l) => l.path == '/healthz')).toMatchObject({ status: 200 });
  });
});
