// What the console's Install and Customers pages read: the live setup check (origins,
// identities, last event requests, kept in small fixed buffers), the identity-signing
// snippets (run here, and the API accepts what they compute), and the paged customer list.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EVENTS, MAX_ORIGINS, MAX_SHOPS, SetupWatch } from '../../server/console/setup-watch.js';
import { identityHeaders, purchase, startTestServer, tempDir, type TestServer } from '../helpers/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.dispose());

const install = async (key = t.shop.secretKey) => (await t.call('/v1/console/install', { key })).json();
const pageView = (id: string) => ({ id, type: 'page_view' });

describe('setup check', () => {
  it('shows origins seen with the keys, whether they are allowed, identities that verify or not, and the last event requests', async () => {
    const pk = t.shop.publishableKey;
    expect((await install()).setup).toMatchObject({ origins: [], events: [], identity: { verified: 0, refused: 0 } });
    await t.call('/v1/events', { key: pk, body: pageView('pv-1'), headers: { origin: 'https://shop.example', ...identityHeaders(t.shop, 'c_1') } });
    const refused = await t.call('/v1/events', { key: pk, body: pageView('pv-2'), headers: { origin: 'https://staging.shop.example' } });
    expect(refused.status).toBe(403);
    await t.call('/v1/events', {
      key: pk,
      body: pageView('pv-3'),
      headers: { origin: 'https://shop.example', 'x-kudos-customer': 'c_1', 'x-kudos-customer-hash': '0'.repeat(64) },
    });
    // Another shop's traffic is not this shop's business.
    await t.call('/v1/events', { key: t.otherShop.publishableKey, body: pageView('pv-4'), headers: { origin: 'https://other.example' } });

    const setup = (await install()).setup;
    expect(setup.origins).toEqual([
      expect.objectContaining({ origin: 'https://shop.example', allowed: true, requests: 2 }),
      expect.objectContaining({ origin: 'https://staging.shop.example', allowed: false, requests: 1 }),
    ]);
    expect(setup.identity).toMatchObject({ verified: 1, refused: 1 });
    expect(setup.identity.lastRefusedAt).toEqual(expect.any(String));
    expect(setup.events.map((e: { status: number; shopper: string; types: string[] }) => [e.status, e.shopper, e.types])).toEqual([
      [403, 'refused', ['page_view']],
      // Refused before its body was read: the types are unknown.
      [403, 'none', []],
      [200, 'customer', ['page_view']],
    ]);
    expect(JSON.stringify((await install(t.otherShop.secretKey)).setup)).not.toContain('shop.example"');
  });

  it('keeps a few origins and events per shop however much traffic comes', async () => {
    const pk = t.shop.publishableKey;
    for (let i = 0; i < MAX_ORIGINS + 5; i++) await t.call('/v1/events', { key: pk, body: pageView(`o-${i}`), headers: { origin: `https://fake${i}.example` } });
    await t.call('/v1/events', { key: t.shop.secretKey, body: { events: [purchase('b-1', 'c_2'), purchase('b-2', 'c_2')] } });
    const setup = (await install()).setup;
    expect(setup.origins).toHaveLength(MAX_ORIGINS);
    expect(setup.origins[0].origin).toBe(`https://fake${MAX_ORIGINS + 4}.example`);
    expect(setup.events).toHaveLength(MAX_EVENTS);
    expect(setup.events[0]).toMatchObject({ types: ['purchase', 'purchase'], count: 2, key: 'secret', origin: null });

    // And a bounded number of shops: the least recently active goes first.
    let clock = 0;
    const watch = new SetupWatch(() => new Date(clock++));
    for (let i = 0; i < MAX_SHOPS + 10; i++) watch.record(`shop-${i}`, { origin: 'https://a.example', allowed: true });
    expect(watch.size).toBe(MAX_SHOPS);
    expect(watch.snapshot('shop-0').origins).toEqual([]);
    expect(watch.snapshot(`shop-${MAX_SHOPS + 9}`).origins).toHaveLength(1);
  });

  it('gives signing snippets whose Node and Python code compute a hash the API accepts', async () => {
    const info = await install();
    const snippets = Object.fromEntries(info.identitySnippets.map((s: { id: string; code: string }) => [s.id, s.code]));
    expect(Object.keys(snippets)).toEqual(['shopify', 'php', 'node', 'python']);
    expect(snippets.shopify).toContain('hmac_sha256');
    expect(snippets.php).toContain("hash_hmac('sha256'");
    for (const code of Object.values(snippets)) expect(code).toContain(`data-key="${t.shop.publishableKey}"`);
    expect(info.identityAttributes).toContain('data-customer-hash');

    const dir = tempDir('kudos-snippets-');
    // Test shops sign identities with their first secret key's value (docs/access.md, identity secret).
    const env = { ...process.env, KUDOS_IDENTITY_SECRET: t.shop.secretKey };
    writeFileSync(join(dir, 'tag.mjs'), `${snippets.node}\nprocess.stdout.write(kudosScriptTag('c_snippet'));\n`);
    writeFileSync(join(dir, 'tag.py'), `${snippets.python}\nprint(kudos_script_tag("c_snippet"), end="")\n`);
    const run = promisify(execFile);
    const tags = [(await run(process.execPath, [join(dir, 'tag.mjs')], { env })).stdout];
    try {
      tags.push((await run('python3', [join(dir, 'tag.py')], { env })).stdout);
    } catch (error) {
      // No Python on this machine: the Node snippet alone is checked.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const tag of tags) {
      const id = /data-customer-id="([^"]+)"/.exec(tag)![1]!;
      const hash = /data-customer-hash="([0-9a-f]{64})"/.exec(tag)![1]!;
      const r = await t.call(`/v1/customers/${id}`, { key: t.shop.publishableKey, headers: { 'x-kudos-customer': id, 'x-kudos-customer-hash': hash } });
      expect(r.status).toBe(200);
    }
    expect(tags.length).toBeGreaterThanOrEqual(1);
  }, 30_000);
});

describe('GET /v1/customers', () => {
  it('pages through the customers in id order and finds them by the start of their id', async () => {
    const sk = t.otherShop.secretKey;
    const ids = ['anna@example.com', 'bob', 'c-001', 'c-002', 'c-003', 'c-010', 'zoe'];
    await t.call('/v1/events', { key: sk, body: { events: ids.map((id, i) => purchase(`l-${i}`, id, 10 + i)) } });
    // An anonymous visitor's record is not a customer.
    await t.call('/v1/events', { key: t.otherShop.publishableKey, body: pageView('anon-1'), headers: { 'x-kudos-anonymous-id': 'anon_visitor_1' } });
    const list = async (query: string) => {
      const r = await t.call(`/v1/customers${query}`, { key: sk });
      return { status: r.status, body: await r.json() };
    };
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { body } = await list(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...body.data.map((c: { customerId: string }) => c.customerId));
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);
    const first = (await list('?q=c-00&limit=2')).body;
    expect(first.data.map((c: { customerId: string }) => c.customerId)).toEqual(['c-001', 'c-002']);
    expect(first.data[0]).toEqual({ customerId: 'c-001', points: expect.any(Number), tier: null, badges: expect.any(Number), createdAt: expect.any(String), lastActivityAt: expect.any(String) });
    const second = (await list(`?q=c-00&limit=2&cursor=${first.nextCursor}`)).body;
    expect(second).toEqual({ data: [expect.objectContaining({ customerId: 'c-003' })], nextCursor: null });
    expect((await list('?q=anna')).body.data.map((c: { customerId: string }) => c.customerId)).toEqual(['anna@example.com']);
    expect((await list('?q=nobody')).body).toEqual({ data: [], nextCursor: null });

    // Strict: an unknown parameter or a bad limit is a 400 at its pointer; the publishable key is refused; shops stay apart.
    const bad = await list('?limit=0&sort=name');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/limit', '/sort']);
    expect((await t.call('/v1/customers', { key: t.otherShop.publishableKey })).status).toBe(403);
    const mine = (await (await t.call('/v1/customers?limit=100', { key: t.shop.secretKey })).json()).data.map((c: { customerId: string }) => c.customerId);
    expect(mine).not.toContain('zoe');
  });

  it('is in the OpenAPI document', async () => {
    const spec = await (await t.call('/openapi.json')).json();
    expect(spec.paths['/v1/customers'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['limit', 'cursor', 'q']);
    expect(spec.components.schemas.CustomerList).toBeDefined();
  });
});
