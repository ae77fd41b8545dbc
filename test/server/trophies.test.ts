// Trophies over HTTP: definitions, manual awards, revocation, the public page and
// its Open Badges 3.0 credential, validated against the official JSON Schema.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { identityHeaders, startTestServer, type TestServer } from '../helpers/server.js';

// The official schema travels with the repository (see its README for source and licence),
// so a fresh clone can run this test with nothing beside it.
const schemaFile = join(import.meta.dirname, '..', 'fixtures', 'open-badges-3.0', 'achievementcredential.schema.json');

function credentialValidator() {
  if (!existsSync(schemaFile)) {
    throw new Error(`The Open Badges 3.0 schema is missing: expected ${schemaFile} (test/fixtures/open-badges-3.0).`);
  }
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  (addFormats as unknown as (a: Ajv2019) => void)(ajv);
  return ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
}

const TROPHY = {
  name: 'Community roaster',
  description: 'For coffee lovers who help other coffee lovers.',
  image: 'https://cdn.example/roaster.png',
  criteriaNarrative: 'Awarded by the shop for helping other coffee lovers',
  levels: [{ level: 'bronze' }, { level: 'silver', name: 'Silver roaster' }, { level: 'gold' }],
};

let t: TestServer;
let clock = new Date('2026-03-01T10:00:00Z');
beforeAll(async () => {
  t = await startTestServer({ now: () => clock });
  const put = await t.call('/v1/trophies/roaster', { method: 'PUT', key: t.shop.secretKey, body: TROPHY });
  expect(put.status).toBe(201);
});
afterAll(() => t.dispose());

async function problem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return response.json();
}
const pointers = (body: { errors?: { pointer: string }[] }) => body.errors?.map((e) => e.pointer);

async function award(customerId: string, extra: Record<string, unknown> = {}, trophy = 'roaster') {
  return t.call(`/v1/trophies/${trophy}/awards`, {
    key: t.shop.secretKey,
    body: { customerId, reason: 'Answered ten brewing questions', ...extra },
  });
}

describe('trophy definitions', () => {
  it('creates (201), replaces (200) and reads with either key', async () => {
    const body = { ...TROPHY, name: 'Helper', levels: [{ level: 'gold' }] };
    expect((await t.call('/v1/trophies/helper', { method: 'PUT', key: t.shop.secretKey, body })).status).toBe(201);
    clock = new Date('2026-03-02T10:00:00Z');
    const replaced = await t.call('/v1/trophies/helper', { method: 'PUT', key: t.shop.secretKey, body: { ...body, name: 'Helper II' } });
    expect(replaced.status).toBe(200);
    const def = await replaced.json();
    expect(def).toMatchObject({ id: 'helper', name: 'Helper II', createdAt: '2026-03-01T10:00:00.000Z', updatedAt: '2026-03-02T10:00:00.000Z' });
    for (const key of [t.shop.publishableKey, t.shop.secretKey]) {
      expect(await (await t.call('/v1/trophies/helper', { key })).json()).toEqual(def);
      const list = await (await t.call('/v1/trophies', { key })).json();
      // Oldest first; created in the same instant, by id.
      expect(list.data.map((x: { id: string }) => x.id)).toEqual(['helper', 'roaster']);
    }
  });

  it('rejects bad definitions with pointers to each field', async () => {
    const bad = await t.call('/v1/trophies/bad', {
      method: 'PUT',
      key: t.shop.secretKey,
      body: {
        name: '',
        description: 'x',
        image: 'http://insecure.example/a.png',
        criteriaNarrative: 'x',
        levels: [{ level: 'gold' }, { level: 'bronze' }],
        extra: 1,
      },
    });
    const body = await problem(bad, 400);
    expect(pointers(body)).toEqual(expect.arrayContaining(['/name', '/image', '/levels/1/level', '/extra']));
    const noLevels = await problem(
      await t.call('/v1/trophies/bad', { method: 'PUT', key: t.shop.secretKey, body: { ...TROPHY, levels: [] } }),
      400,
    );
    expect(pointers(noLevels)).toEqual(['/levels']);
    const tooMany = { ...TROPHY, levels: [{ level: 'bronze' }, { level: 'silver' }, { level: 'gold' }, { level: 'gold' }] };
    expect(pointers(await problem(await t.call('/v1/trophies/bad', { method: 'PUT', key: t.shop.secretKey, body: tooMany }), 400))).toContain('/levels');
    expect(pointers(await problem(await t.call('/v1/trophies/Bad!', { method: 'PUT', key: t.shop.secretKey, body: TROPHY }), 400))).toEqual(['/id']);
    expect((await t.call('/v1/trophies/bad', { key: t.shop.secretKey })).status).toBe(404);
  });
});

describe('auth matrix', () => {
  it('every trophy route: no key 401, publishable key writes 403, another shop 404', async () => {
    const created = await (await award('c-matrix')).json();
    const awardPath = `/v1/trophies/roaster/awards/${created.awardId}`;
    const routes: { method: string; path: string; body?: unknown; write: boolean }[] = [
      { method: 'GET', path: '/v1/trophies', write: false },
      { method: 'GET', path: '/v1/trophies/roaster', write: false },
      { method: 'PUT', path: '/v1/trophies/roaster', body: TROPHY, write: true },
      { method: 'POST', path: '/v1/trophies/roaster/awards', body: { customerId: 'c-x', reason: 'r' }, write: true },
      { method: 'GET', path: awardPath, write: true },
      { method: 'DELETE', path: awardPath, write: true },
      { method: 'POST', path: `${awardPath}/revocation`, body: { reason: 'r' }, write: true },
    ];
    for (const r of routes) {
      const init = { method: r.method, body: r.body };
      expect((await problem(await t.call(r.path, init), 401)).status, `${r.method} ${r.path} without key`).toBe(401);
      const pk = await t.call(r.path, { ...init, key: t.shop.publishableKey, headers: identityHeaders(t.shop, 'c-matrix') });
      expect(pk.status, `${r.method} ${r.path} with pk`).toBe(r.write ? 403 : 200);
      if (r.method === 'GET' && r.path === '/v1/trophies') {
        expect((await (await t.call(r.path, { key: t.otherShop.secretKey })).json()).data).toEqual([]);
        continue;
      }
      // PUT creates in the other shop's own namespace; everything else is 404 there.
      if (r.method === 'PUT') continue;
      for (const key of [t.otherShop.secretKey, t.otherShop.publishableKey]) {
        const other = await t.call(r.path, { ...init, key });
        expect(other.status, `${r.method} ${r.path} with the other shop's ${key.slice(0, 3)}`).toBe(key.startsWith('pk') && r.write ? 403 : 404);
      }
    }
    // Nothing above changed the award.
    const still = await (await t.call(awardPath, { key: t.shop.secretKey })).json();
    expect(still.revokedAt).toBeUndefined();
    // The other shop writing its own "roaster" did not touch ours.
    await t.call('/v1/trophies/roaster', { method: 'PUT', key: t.otherShop.secretKey, body: { ...TROPHY, name: 'Theirs' } });
    expect((await (await t.call('/v1/trophies/roaster', { key: t.shop.secretKey })).json()).name).toBe('Community roaster');
  });
});

describe('manual awards', () => {
  it('awards the first level by default, with an unguessable id and its public URLs', async () => {
    const response = await award('c-first');
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body).toMatchObject({ trophyId: 'roaster', level: 'bronze', reason: 'Answered ten brewing questions' });
    expect(body.awardId).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect(body.url).toBe(`${t.url}/t/${body.awardId}`);
    expect(body.credentialUrl).toBe(`${t.url}/t/${body.awardId}.json`);
    expect(JSON.stringify(body)).not.toContain('c-first');
  });

  it('validates award requests', async () => {
    const body = await problem(
      await t.call('/v1/trophies/roaster/awards', { key: t.shop.secretKey, body: { customerId: 'no spaces', level: 'platinum', reason: '', more: 1 } }),
      400,
    );
    expect(pointers(body)).toEqual(expect.arrayContaining(['/customerId', '/level', '/reason', '/more']));
    const helper = await problem(await award('c-lvl', { level: 'bronze' }, 'helper'), 400);
    expect(pointers(helper)).toEqual(['/level']);
    expect((await problem(await award('c-lvl', {}, 'nope'), 404)).detail).toContain('nope');
  });

  it('holds each level at most once per customer: 20 concurrent awards → one 201, the rest 409', async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, () => award('c-race', { level: 'silver' })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const conflict = await problem(responses.find((r) => r.status === 409)!, 409);
    expect(conflict.detail).toContain('silver');
    // Another level is still open.
    expect((await award('c-race', { level: 'gold' })).status).toBe(201);
    const state = await (await t.call('/v1/customers/c-race', { key: t.shop.secretKey })).json();
    expect(state.trophies.map((x: { level: string }) => x.level).sort()).toEqual(['gold', 'silver']);
  });

  it('makes retries with the same request id idempotent, also concurrently', async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, () => award('c-retry', { id: 'req-1', level: 'gold' })));
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(bodies.map((b) => b.awardId)).size).toBe(1);
    const reused = await problem(await award('c-retry', { id: 'req-1', level: 'silver' }), 409);
    expect(reused.detail).toContain('req-1');
    const state = await (await t.call('/v1/customers/c-retry', { key: t.shop.secretKey })).json();
    expect(state.trophies).toHaveLength(1);
  });
});

describe('customer state', () => {
  it('lists earned trophies (newest first) and the locked ones with how to earn them', async () => {
    clock = new Date('2026-04-01T09:00:00Z');
    await award('c-state', { level: 'bronze' });
    clock = new Date('2026-04-02T09:00:00Z');
    const silver = await (await award('c-state', { level: 'silver', reason: 'Ran a cupping' })).json();
    const headers = identityHeaders(t.shop, 'c-state');
    const state = await (await t.call('/v1/customers/c-state', { key: t.shop.publishableKey, headers })).json();
    expect(state.trophies).toEqual([
      {
        id: 'roaster',
        awardId: silver.awardId,
        name: 'Community roaster',
        description: TROPHY.description,
        image: TROPHY.image,
        level: 'silver',
        levelName: 'Silver roaster',
        awardedAt: '2026-04-02T09:00:00.000Z',
        url: `${t.url}/t/${silver.awardId}`,
      },
      expect.objectContaining({ id: 'roaster', level: 'bronze', awardedAt: '2026-04-01T09:00:00.000Z' }),
    ]);
    expect(state.lockedTrophies).toEqual([
      { id: 'helper', name: 'Helper II', description: TROPHY.description, image: TROPHY.image, criteriaNarrative: TROPHY.criteriaNarrative, levels: ['gold'] },
    ]);
    const fresh = await (await t.call('/v1/customers/c-nobody', { key: t.shop.secretKey })).json();
    expect(fresh.trophies).toEqual([]);
    expect(fresh.lockedTrophies.map((x: { id: string }) => x.id)).toEqual(['roaster', 'helper']);
  });
});

describe('revocation', () => {
  it('revokes with a reason: gone from the customer, said on the page and in the credential, level free again', async () => {
    const first = await (await award('c-revoke', { level: 'gold' })).json();
    clock = new Date('2026-05-01T12:00:00Z');
    const revoked = await t.call(`/v1/trophies/roaster/awards/${first.awardId}/revocation`, {
      key: t.shop.secretKey,
      body: { reason: 'Awarded by mistake' },
    });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ awardId: first.awardId, revokedAt: '2026-05-01T12:00:00.000Z', revocationReason: 'Awarded by mistake' });
    // Revoking again keeps the first revocation.
    const again = await (await t.call(`/v1/trophies/roaster/awards/${first.awardId}`, { method: 'DELETE', key: t.shop.secretKey })).json();
    expect(again.revocationReason).toBe('Awarded by mistake');

    const state = await (await t.call('/v1/customers/c-revoke', { key: t.shop.secretKey })).json();
    expect(state.trophies).toEqual([]);
    expect(state.lockedTrophies.map((x: { id: string }) => x.id)).toContain('roaster');

    const page = await (await fetch(`${t.url}/t/${first.awardId}`)).text();
    expect(page).toContain('This trophy was revoked');
    expect(page).toContain('Awarded by mistake');
    const credential = await (await fetch(`${t.url}/t/${first.awardId}.json`)).json();
    // The credential stays as issued; its status list entry says revoked (trophy-credentials.test.ts checks the bit).
    expect(credential.credentialStatus).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation' });
    expect(credentialValidator()(credential)).toBe(true);

    expect((await award('c-revoke', { level: 'gold' })).status).toBe(201);
  });

  it('DELETE (deprecated for POST …/revocation) works without a body and says it is deprecated; unknown or foreign award ids are 404; a bad reason is 400', async () => {
    const a = await (await award('c-del')).json();
    const del = await t.call(`/v1/trophies/roaster/awards/${a.awardId}`, { method: 'DELETE', key: t.shop.secretKey });
    expect(del.status).toBe(200);
    expect(del.headers.get('deprecation')).toMatch(/^@\d+$/);
    expect(del.headers.get('link')).toBe(`</v1/trophies/roaster/awards/${a.awardId}/revocation>; rel="successor-version"`);
    const spec = await (await t.call('/openapi.json')).json();
    expect(spec.paths['/v1/trophies/{id}/awards/{awardId}'].delete.deprecated).toBe(true);
    expect(spec.paths['/v1/trophies/{id}/awards/{awardId}/revocation'].post.deprecated).toBeUndefined();
    expect((await del.json()).revokedAt).toEqual(expect.any(String));
    await problem(await t.call(`/v1/trophies/roaster/awards/${'x'.repeat(21)}`, { method: 'DELETE', key: t.shop.secretKey }), 404);
    await problem(await t.call(`/v1/trophies/helper/awards/${a.awardId}`, { method: 'DELETE', key: t.shop.secretKey }), 404);
    expect(pointers(await problem(await t.call(`/v1/trophies/roaster/awards/short`, { method: 'DELETE', key: t.shop.secretKey }), 400))).toEqual(['/awardId']);
    const b = await (await award('c-del2')).json();
    const noReason = await problem(await t.call(`/v1/trophies/roaster/awards/${b.awardId}/revocation`, { key: t.shop.secretKey, body: {} }), 400);
    expect(pointers(noReason)).toEqual(['/reason']);
  });
});

describe('public page and credential', () => {
  it('serves an HTML page with Open Graph and Twitter meta, a strict CSP and no customer id', async () => {
    const a = await (await award('c-page-secret-id', { level: 'silver', reason: 'Helped at the tasting' })).json();
    const response = await fetch(`${t.url}/t/${a.awardId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toMatch(/script-src/);
    const html = await response.text();
    const meta = (attr: string, key: string) => new RegExp(`<meta ${attr}="${key}" content="([^"]*)">`).exec(html)?.[1];
    expect(meta('property', 'og:title')).toBe('Community roaster (Silver roaster) · Test Shop');
    expect(meta('property', 'og:description')).toBe('Awarded by Test Shop: Helped at the tasting');
    // Social networks show no SVG and crop odd sizes: og:image is always our 1200×630 PNG card.
    expect(meta('property', 'og:image')).toBe(`${t.url}/t/${a.awardId}.png`);
    expect(meta('property', 'og:image:type')).toBe('image/png');
    expect(meta('property', 'og:image:width')).toBe('1200');
    expect(meta('property', 'og:image:height')).toBe('630');
    expect(meta('property', 'og:url')).toBe(`${t.url}/t/${a.awardId}`);
    expect(meta('property', 'og:type')).toBe('website');
    expect(meta('name', 'twitter:card')).toBe('summary_large_image');
    expect(meta('name', 'twitter:title')).toBe('Community roaster (Silver roaster) · Test Shop');
    expect(meta('name', 'twitter:image')).toBe(`${t.url}/t/${a.awardId}.png`);
    // The trophy's own picture is still the one on the page.
    expect(html).toContain(`<img src="${TROPHY.image}"`);
    // A way back to the shop that gave it: its registered site.
    expect(html).toContain('<a class="shop" href="https://shop.example">Visit Test Shop</a>');
    expect(html).toContain('<h1>Community roaster</h1>');
    expect(html).toContain('Helped at the tasting');
    expect(html).toContain('Test Shop');
    expect(html).toMatch(/<time datetime="[^"]+">[A-Z][a-z]+ \d{1,2}, 2026<\/time>/);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('c-page-secret-id');
  });

  it('escapes what the shop typed: a trophy named <script> renders as text', async () => {
    const evil = '<script>alert(1)</script>"&\'';
    await t.call('/v1/trophies/evil', {
      method: 'PUT',
      key: t.shop.secretKey,
      body: { ...TROPHY, name: evil, description: '<img src=x onerror=alert(1)>', levels: [{ level: 'bronze' }] },
    });
    const a = await (await award('c-evil', { reason: '</title><script>x()</script>' }, 'evil')).json();
    const html = await (await fetch(`${t.url}/t/${a.awardId}`)).text();
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('<h1>&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&#39;</h1>');
    expect(html).toContain('<meta property="og:title" content="&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&#39; (Bronze) · Test Shop">');
    // A drawn image stands in when the trophy has none.
    await t.call('/v1/trophies/plain', { method: 'PUT', key: t.shop.secretKey, body: { ...TROPHY, image: undefined } });
    const p = await (await award('c-plain', {}, 'plain')).json();
    const plain = await (await fetch(`${t.url}/t/${p.awardId}`)).text();
    expect(plain).toContain(`<img src="${t.url}/t/${p.awardId}.svg"`);
    const svg = await fetch(`${t.url}/t/${p.awardId}.svg`);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await svg.text()).toContain('BRONZE');
  });

  it('og:image is a 1200×630 PNG drawn for the award, also for a revoked one', async () => {
    const a = await (await award('c-og-image', { level: 'gold', reason: 'Wrote the brewing guide' })).json();
    const size = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });
    const response = await fetch(`${t.url}/t/${a.awardId}.png`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await response.arrayBuffer());
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(size(png)).toEqual({ width: 1200, height: 630 });
    // Drawn, not blank: a flat 1200×630 PNG compresses to a few hundred bytes.
    expect(png.length).toBeGreaterThan(10_000);
    await t.call(`/v1/trophies/roaster/awards/${a.awardId}/revocation`, { key: t.shop.secretKey, body: { reason: 'Wrong account' } });
    const revoked = Buffer.from(await (await fetch(`${t.url}/t/${a.awardId}.png`)).arrayBuffer());
    expect(size(revoked)).toEqual({ width: 1200, height: 630 });
    expect(revoked.equals(png)).toBe(false);
    expect((await fetch(`${t.url}/t/${'x'.repeat(21)}.png`)).status).toBe(404);
  });

  it('serves an OpenBadgeCredential that validates against the official Open Badges 3.0 schema', async () => {
    const a = await (await award('c-credential-secret', { level: 'gold', reason: 'Wrote the brewing guide' })).json();
    const response = await fetch(`${t.url}/t/${a.awardId}.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const credential = await response.json();
    const validate = credentialValidator();
    expect(validate(credential), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(credential['@context']).toContain('https://www.w3.org/ns/credentials/v2');
    expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(credential.id).toBe(`${t.url}/t/${a.awardId}.json`);
    // The issuer id is the DID whose key signs (did:key over http); its profile page is `url`.
    expect(credential.issuer).toEqual({
      id: expect.stringMatching(/^did:key:z6Mk/),
      type: ['Profile'],
      name: 'Test Shop',
      url: `${t.url}/t/issuers/${t.shop.shopId}`,
    });
    const { achievement, identifier } = credential.credentialSubject;
    expect(credential.credentialSubject.type).toEqual(['AchievementSubject']);
    expect(achievement).toMatchObject({
      type: ['Achievement'],
      name: 'Community roaster (Gold)',
      description: TROPHY.description,
      criteria: { narrative: TROPHY.criteriaNarrative },
      image: { id: TROPHY.image, type: 'Image' },
    });
    // The recipient is sha256(customerId + salt): a verifier who knows the id can check it; nobody can read it.
    const [identity] = identifier;
    expect(identity).toMatchObject({ type: 'IdentityObject', hashed: true });
    const { createHash } = await import('node:crypto');
    const expected = createHash('sha256').update('c-credential-secret' + identity.salt).digest('hex');
    expect(identity.identityHash).toBe(`sha256$${expected}`);
    expect(JSON.stringify(credential)).not.toContain('c-credential-secret');
    expect(credential.credentialStatus).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation' });
    expect(credential.proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', proofPurpose: 'assertionMethod' });
    // The issuer's profile page resolves to the shop's profile, as JSON-LD.
    const profile = await fetch(credential.issuer.url);
    expect(profile.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    expect(await profile.json()).toMatchObject({ type: ['Profile'], name: 'Test Shop', id: credential.issuer.id });
  });

  it('the schema check can fail: a credential without an issuer is refused', () => {
    const validate = credentialValidator();
    expect(validate({ '@context': ['x'], id: 'x', type: ['VerifiableCredential'], name: 'x' })).toBe(false);
  });

  it('unknown award ids: 404 problem for .json, a small HTML page otherwise', async () => {
    const json = await fetch(`${t.url}/t/${'A'.repeat(21)}.json`);
    await problem(json, 404);
    const page = await fetch(`${t.url}/t/${'A'.repeat(21)}`);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('Trophy not found');
    expect((await fetch(`${t.url}/t/%3Cscript%3E`)).status).toBe(404);
  });

  it('uses the configured public URL (KUDOS_PUBLIC_URL) for public links when set', async () => {
    const p = await startTestServer({ now: () => clock, publicUrl: loadConfig({ KUDOS_PUBLIC_URL: 'https://rewards.example.com/' }).publicUrl });
    try {
      expect((await p.call('/v1/trophies/roaster', { method: 'PUT', key: p.shop.secretKey, body: TROPHY })).status).toBe(201);
      const response = await p.call('/v1/trophies/roaster/awards', { key: p.shop.secretKey, body: { customerId: 'c-public-url', reason: 'Helped' } });
      const a = await response.json();
      expect(a.url).toBe(`https://rewards.example.com/t/${a.awardId}`);
      const html = await (await fetch(`${p.url}/t/${a.awardId}`)).text();
      expect(html).toContain(`<meta property="og:url" content="https://rewards.example.com/t/${a.awardId}">`);
      const credential = await (await fetch(`${p.url}/t/${a.awardId}.json`)).json();
      expect(credential.id).toBe(`https://rewards.example.com/t/${a.awardId}.json`);
    } finally {
      await p.dispose();
    }
  });

});
