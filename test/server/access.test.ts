// A shop's access over HTTP: scoped keys shown once and stored as digests,
// rolls with an overlap on an injected clock, identity secrets, origins that
// take effect for CORS at once, and the audit log of all of it.
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customerHash } from '../../server/identity.js';
import { appHarness, type AppHarness } from '../helpers/app-harness.js';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const HOUR = 3_600_000;

let h: AppHarness;
beforeEach(async () => {
  h = await appHarness({ t0: T0, app: { rateLimit: false } });
});
afterEach(() => h.close());

const admin = (path: string, init: { method?: string; body?: unknown; key?: string } = {}) => h.call(path, { key: h.shop.secretKey, ...init });
const json = async (response: Response, status = 200) => {
  expect(response.status).toBe(status);
  return (await response.json()) as any;
};
const awardBody = { customerId: 'c_1', reason: 'Helped at the stall' };

describe('scoped keys', () => {
  it('creates a key shown once, lists it without its value, and a revoked key gets 401 at once', async () => {
    const made = await json(await admin('/v1/keys', { body: { name: 'Saturday staff', scopes: ['staff'] } }), 201);
    expect(made).toMatchObject({ name: 'Saturday staff', scopes: ['staff'], kind: 'secret', active: true });
    expect(made.key).toMatch(/^sk_/);
    const listed = await json(await admin('/v1/keys'));
    expect(listed.nextCursor).toBeNull();
    expect(listed.data.map((k: any) => k.name)).toEqual(['Saturday staff', 'Secret key', 'Publishable key']);
    expect(JSON.stringify(listed)).not.toContain(made.key);
    expect(listed.data[0].hint).toBe(`${made.key.slice(0, 6)}…${made.key.slice(-4)}`);

    const me = await json(await h.call('/v1/key', { key: made.key }));
    expect(me.key).toMatchObject({ name: 'Saturday staff', kind: 'secret', scopes: ['staff'] });
    // Staff may look a customer up, not change the program.
    expect((await h.call('/v1/customers/c_1', { key: made.key })).status).toBe(200);
    const refused = await json(await h.call('/v1/badges/regular', { key: made.key, method: 'PUT', body: { name: 'x', criteria: { event: 'purchase', count: 1 } } }), 403);
    expect(refused).toMatchObject({ scope: 'admin', type: 'https://kudos.dev/problems/missing-scope' });

    expect((await json(await admin(`/v1/keys/${made.id}`, { method: 'DELETE' }))).active).toBe(false);
    expect((await h.call('/v1/customers/c_1', { key: made.key })).status).toBe(401);
  });

  it('validates input, and never lets the last admin key go', async () => {
    const bad = await json(await admin('/v1/keys', { body: { name: '', scopes: ['root'], extra: 1 } }), 400);
    expect(bad.errors.map((e: any) => e.pointer).sort()).toEqual(['/extra', '/name', '/scopes/0']);
    const keys = (await json(await admin('/v1/keys'))).data;
    const secret = keys.find((k: any) => k.name === 'Secret key');
    expect((await admin(`/v1/keys/${secret.id}`, { method: 'DELETE' })).status).toBe(409);
    const pk = keys.find((k: any) => k.kind === 'publishable');
    expect((await admin(`/v1/keys/${pk.id}`, { method: 'DELETE' })).status).toBe(409);
    // Another shop's key id is not found here.
    const otherKeys = (await json(await h.call('/v1/keys', { key: h.other.secretKey }))).data;
    expect((await admin(`/v1/keys/${otherKeys[0].id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('stores keys only as digests: the raw data file holds no key value', async () => {
    const made = await json(await admin('/v1/keys', { body: { name: 'Till', scopes: ['events'] } }), 201);
    // What is on disk now: the snapshot (if one was written yet) and the write-ahead log.
    const raw = [h.dataFile, `${h.dataFile}.wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(raw).toContain(h.shop.id);
    for (const key of [made.key, h.shop.secretKey, h.other.secretKey]) expect(raw).not.toContain(key.slice(3));
  });
});

describe('rolling with an overlap', () => {
  it('secret key: both work during the overlap, the old one answers 401 after', async () => {
    const keys = (await json(await admin('/v1/keys'))).data;
    const secret = keys.find((k: any) => k.name === 'Secret key');
    const rolled = await json(await admin(`/v1/keys/${secret.id}/roll`, { body: { overlapHours: 2 } }), 201);
    expect(rolled.key).toMatch(/^sk_/);
    expect(rolled.previous).toEqual({ id: secret.id, expiresAt: new Date(T0 + 2 * HOUR).toISOString() });
    h.clock.t = T0 + 2 * HOUR - 1;
    expect((await h.call('/v1/metrics', { key: h.shop.secretKey })).status).toBe(200);
    expect((await h.call('/v1/metrics', { key: rolled.key })).status).toBe(200);
    h.clock.t = T0 + 2 * HOUR;
    const old = await json(await h.call('/v1/metrics', { key: h.shop.secretKey }), 401);
    expect(old.detail).toContain('stopped working');
    expect((await h.call('/v1/metrics', { key: rolled.key })).status).toBe(200);
    // The new key keeps the old one's scopes: it can roll again.
    expect((await h.call(`/v1/keys/${secret.id}/roll`, { key: rolled.key, body: {} })).status).toBe(409);
  });

  it('publishable key: the install snippet shows the new one at once, the old one works until the overlap ends', async () => {
    const pk = (await json(await admin('/v1/keys'))).data.find((k: any) => k.kind === 'publishable');
    const rolled = await json(await admin(`/v1/keys/${pk.id}/roll`, { body: { overlapHours: 24 } }), 201);
    expect(rolled.key).toMatch(/^pk_/);
    const install = await json(await admin('/v1/console/install'));
    expect(install.publishableKey).toBe(rolled.key);
    expect((await h.call('/v1/badges', { key: h.shop.publishableKey })).status).toBe(200);
    h.clock.t = T0 + 24 * HOUR;
    expect((await h.call('/v1/badges', { key: h.shop.publishableKey })).status).toBe(401);
    expect((await h.call('/v1/badges', { key: rolled.key })).status).toBe(200);
  });

  it('identity secret: hashes signed with the secret key, then the new secret, verify during the overlap only', async () => {
    const signed = (secret: string) => ({ 'x-kudos-customer': 'c_9', 'x-kudos-customer-hash': customerHash(secret, 'c_9') });
    const asShopper = (secret: string) => h.call('/v1/customers/c_9', { headers: signed(secret) });
    // A shop without its own identity secret signs with its secret key.
    expect((await asShopper(h.shop.secretKey)).status).toBe(200);
    const rolled = await json(await admin('/v1/identity-secrets/roll', { body: { overlapHours: 1 } }), 201);
    expect(rolled.identitySecret).toMatch(/^ids_/);
    expect((await asShopper(rolled.identitySecret)).status).toBe(200);
    expect((await asShopper(h.shop.secretKey)).status).toBe(200);
    h.clock.t = T0 + HOUR;
    expect((await asShopper(h.shop.secretKey)).status).toBe(403);
    expect((await asShopper(rolled.identitySecret)).status).toBe(200);
    const listed = (await json(await admin('/v1/identity-secrets'))).data;
    expect(listed.map((s: any) => [s.active, s.legacy])).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(JSON.stringify(listed)).not.toContain(rolled.identitySecret);
  });

  it('refuses an overlap beyond 30 days or below zero', async () => {
    for (const overlapHours of [-1, 24 * 31, 'soon']) {
      expect((await admin('/v1/identity-secrets/roll', { body: { overlapHours } })).status).toBe(400);
    }
  });
});

describe('origins', () => {
  it('an added origin is allowed for CORS at once; a removed one is refused with a pointer to the command', async () => {
    const origin = 'https://new-shop.example';
    const fromPage = () => h.call('/v1/badges', { headers: { origin } });
    const before = await json(await fromPage(), 403);
    expect(before.detail).toContain(`kudos shop origins add --shop ${h.shop.id} ${origin}`);
    // Registered as the origin a page sends (no trailing slash); the same origin again changes nothing.
    expect(await json(await admin('/v1/shop/origins', { body: { origin: 'https://new-shop.example/' } }), 201)).toEqual({ origin });
    expect(await json(await admin('/v1/shop/origins', { body: { origin } }), 200)).toEqual({ origin });
    expect((await json(await admin('/v1/shop/origins'))).data).toEqual(['https://new-shop.example', 'https://shop.example']);
    const after = await fromPage();
    expect(after.status).toBe(200);
    expect(after.headers.get('access-control-allow-origin')).toBe(origin);
    const preflight = await fetch(`${h.url}/v1/badges`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET' } });
    expect(preflight.status).toBe(204);
    expect((await admin(`/v1/shop/origins/${encodeURIComponent(origin)}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fromPage()).status).toBe(403);
    expect((await json(await admin('/v1/shop/origins'))).data).toEqual(['https://shop.example']);
    const bad = await json(await admin('/v1/shop/origins', { body: { origin: 'javascript:alert(1)' } }), 400);
    expect(bad.errors[0].pointer).toBe('/origin');
  });
});

describe('audit log', () => {
  it('records key events, origin edits, configuration, manual awards and exports with the key name, and no personal data', async () => {
    const staff = await json(await admin('/v1/keys', { body: { name: 'Counter staff', scopes: ['staff'] } }), 201);
    await admin('/v1/shop/origins', { body: { origin: 'https://a.example' } });
    expect((await admin('/v1/trophies/helper', { method: 'PUT', body: { name: 'Helper', description: 'Helps.', criteriaNarrative: 'Awarded by the shop', levels: [{ level: 'bronze' }] } })).status).toBe(201);
    await json(await admin('/v1/badges/regular', { method: 'PUT', body: { name: 'Regular', criteria: { event: 'purchase', count: 3 } } }), 201);
    expect((await h.call('/v1/trophies/helper/awards', { key: staff.key, body: { ...awardBody, customerId: 'jane@example.com' } })).status).toBe(201);
    expect((await admin('/v1/customers/jane@example.com/export')).status).toBe(200);
    expect((await admin('/v1/market-list.csv')).status).toBe(200);
    h.clock.t = T0 + HOUR;
    await admin(`/v1/keys/${staff.id}`, { method: 'DELETE' });

    const page = await json(await admin('/v1/audit?limit=50'));
    const exported = page.data.find((e: any) => e.action === 'GET /customers/:customerId/export');
    expect(exported.customer).toMatch(/^[0-9a-f]{20}$/);
    const actions = page.data.map((e: any) => `${e.actor.keyName}: ${e.action}`);
    expect(actions).toEqual(expect.arrayContaining([
      'Secret key: key.created',
      'Secret key: origin.added',
      'Secret key: PUT /badges/:id',
      'Secret key: GET /customers/:customerId/export',
      'Secret key: GET /market-list.csv',
      'Secret key: key.revoked',
      'Counter staff: POST /trophies/:id/awards',
    ]));
    const award = page.data.find((e: any) => e.action === 'POST /trophies/:id/awards');
    expect(award).toMatchObject({ target: 'helper', customer: exported.customer });
    expect(page.data[0]).toMatchObject({ action: 'key.revoked', at: new Date(T0 + HOUR).toISOString(), target: staff.id });
    const badge = page.data.find((e: any) => e.action === 'PUT /badges/:id');
    expect(badge).toMatchObject({ target: 'regular', changes: { name: 'Regular', criteria: { event: 'purchase', count: 3 } } });
    expect(JSON.stringify(page)).not.toContain('jane@example.com');

    // Filtered by action, key name or target.
    const keyEvents = await json(await admin('/v1/audit?q=KEY.'));
    expect(keyEvents.data.map((e: any) => e.action)).toEqual(['key.revoked', 'key.created']);
    expect((await json(await admin('/v1/audit?q=counter%20staff'))).data.map((e: any) => e.action)).toEqual(['POST /trophies/:id/awards']);

    // Paged newest first, with a cursor.
    const first = await json(await admin('/v1/audit?limit=2'));
    expect(first.data).toHaveLength(2);
    const second = await json(await admin(`/v1/audit?limit=2&cursor=${first.nextCursor}`));
    expect(second.data[0].id).not.toBe(first.data[1].id);
    expect([...first.data, ...second.data].map((e: any) => e.id)).toEqual(page.data.slice(0, 4).map((e: any) => e.id));

    const exportResponse = await admin('/v1/audit/export');
    expect(exportResponse.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await exportResponse.text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0].action).toBe('audit.exported');
    expect(lines.length).toBe(page.data.length + 1);
  });

  it('stores the entry before the answer leaves, and never answers success for a change it could not record', async () => {
    const badge = { name: 'Regular', criteria: { event: 'purchase', count: 3 } };
    // Each audit write is slowed by a few turns of the event loop: an entry written after
    // the answer (the old 'finish' hook) is not in the store yet when the answer arrives.
    const update = h.store.updateDocuments.bind(h.store);
    let failAudit = false;
    h.store.updateDocuments = (async (shopId: string, refs: any[], change: any) => {
      if (refs[0]?.collection === 'audit') {
        for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
        if (failAudit) throw new Error('disk full');
      }
      return update(shopId, refs, change);
    }) as typeof h.store.updateDocuments;
    const auditDays = async () => JSON.stringify(await h.store.getDocument(h.shop.id, { collection: 'audit', id: `day-${new Date(T0).toISOString().slice(0, 10)}` }));

    expect((await admin('/v1/badges/regular', { method: 'PUT', body: badge })).status).toBe(201);
    expect(await auditDays()).toContain('PUT /badges/:id');

    failAudit = true;
    const refused = await admin('/v1/trophies/helper', { method: 'PUT', body: { name: 'Helper', description: 'Helps.', criteriaNarrative: 'Awarded by the shop', levels: [{ level: 'bronze' }] } });
    expect(refused.status).toBe(500);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await refused.json()).toMatchObject({ type: 'https://kudos.dev/problems/audit-not-recorded' });
    // A failed call is not audited, and is answered at once.
    expect((await admin('/v1/badges/regular', { method: 'PUT', body: { name: '' } })).status).toBe(400);
  });

  it('never copies a credential from a configuration body', async () => {
    const secret = 'shpss_platform_signing_secret_123';
    expect((await admin('/v1/connections/shopify', { method: 'PUT', body: { platform: 'shopify', secret } })).status).toBeLessThan(300);
    const page = await json(await admin('/v1/audit'));
    expect(page.data[0]).toMatchObject({ action: 'PUT /connections/:id', target: 'shopify', changes: { platform: 'shopify', secret: '[redacted]' } });
    expect(JSON.stringify(page)).not.toContain(secret);
  });

  it('keeps entries for the retention period the shop sets', async () => {
    await json(await admin('/v1/audit/settings', { method: 'PUT', body: { retentionDays: 2 } }));
    await admin('/v1/shop/origins', { body: { origin: 'https://old.example' } });
    h.clock.t = T0 + 3 * 24 * HOUR;
    await admin('/v1/shop/origins', { body: { origin: 'https://new.example' } });
    const page = await json(await admin('/v1/audit'));
    expect(page.retentionDays).toBe(2);
    expect(page.data.map((e: any) => e.target)).toEqual(['https://new.example']);
    expect((await admin('/v1/audit/settings', { method: 'PUT', body: { retentionDays: 0 } })).status).toBe(400);
  });
});
