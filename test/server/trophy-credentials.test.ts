// Trophy credentials checked by a verifier Kudos did not write: Digital Bazaar's
// @digitalbazaar/vc with the eddsa-rdfc-2022 cryptosuite, did:key resolved by
// @digitalbazaar/did-method-key, revocation by @digitalbazaar/vc-bitstring-status-list.
// Offline: the loader knows the bundled contexts and what the test fetched from Kudos
// itself, and throws for anything else. Canonicalization runs in JSON-LD safe mode,
// so a term no context defines fails verification.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as DidKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { checkStatus } from '@digitalbazaar/vc-bitstring-status-list';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

const repoRoot = join(import.meta.dirname, '..', '..');
// The W3C context as the credentials-context package ships it (not Kudos's copy), and the OB 3.0.3 context Kudos bundles.
const CONTEXTS = new Map<string, unknown>([
  ['https://www.w3.org/ns/credentials/v2', JSON.parse(readFileSync(join(repoRoot, 'node_modules/@digitalbazaar/credentials-context/contexts/v2.jsonld'), 'utf8'))],
  [
    'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    JSON.parse(readFileSync(join(repoRoot, 'server/trophies/contexts/ob-context-3.0.3.json'), 'utf8')),
  ],
]);

const didKeyDriver = DidKey.driver();
didKeyDriver.use({ multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from });

/** An offline loader: contexts, did:key, and the documents in `fetched` (URL → JSON the test got from Kudos). */
function loaderWith(fetched: Map<string, unknown>) {
  return async (url: string) => {
    const known = CONTEXTS.get(url) ?? fetched.get(url) ?? (url.startsWith('did:key:') ? await didKeyDriver.get({ url }) : undefined);
    if (known === undefined) throw new Error(`The test loader does not fetch ${url}`);
    return { contextUrl: null, documentUrl: url, document: known };
  };
}

let t: TestServer;
let clock = new Date('2026-04-01T09:00:00Z');
beforeAll(async () => {
  t = await startTestServer({ now: () => clock });
  const put = await t.call('/v1/trophies/barista', {
    method: 'PUT',
    key: t.shop.secretKey,
    body: {
      name: 'Home barista',
      description: 'Brews like a pro.',
      criteriaNarrative: 'Awarded for a perfect flat white',
      levels: [{ level: 'bronze' }, { level: 'gold', name: 'Master barista' }],
    },
  });
  expect(put.status).toBe(201);
});
afterAll(() => t.dispose());

async function awardTo(customerId: string, level = 'bronze') {
  const response = await t.call('/v1/trophies/barista/awards', { key: t.shop.secretKey, body: { customerId, level, reason: 'Poured a rosetta' } });
  expect(response.status).toBe(201);
  return (await response.json()) as { awardId: string; credentialUrl: string };
}

/** Fetches a Kudos document (the server's public URL is its own origin here). */
async function fetchFromKudos(url: string) {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  return { response, json: await response.json() };
}

async function verify(credential: Record<string, unknown>) {
  const status = credential.credentialStatus as { statusListCredential: string };
  const fetched = new Map<string, unknown>([[status.statusListCredential, (await fetchFromKudos(status.statusListCredential)).json]]);
  return vc.verifyCredential({ credential, suite: new DataIntegrityProof({ cryptosuite }), documentLoader: loaderWith(fetched), checkStatus });
}

describe('signed trophy credentials', () => {
  it('an issued credential verifies offline with an independent verifier and is not revoked', async () => {
    const a = await awardTo('c-verify');
    const { response, json: credential } = await fetchFromKudos(a.credentialUrl);
    expect(response.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    expect(credential.issuer.id).toMatch(/^did:key:z6Mk/);
    expect(credential.proof.verificationMethod).toBe(`${credential.issuer.id}#${credential.issuer.id.slice('did:key:'.length)}`);
    const result = await verify(credential);
    expect(result.error, JSON.stringify(result.error)).toBeUndefined();
    expect(result.verified).toBe(true);
    expect(result.statusResult.results[0].status).toBe(false);
  });

  it('tampering with one field, or adding an undefined term, fails verification', async () => {
    const a = await awardTo('c-tamper');
    const { json: credential } = await fetchFromKudos(a.credentialUrl);
    const renamed = structuredClone(credential);
    renamed.credentialSubject.achievement.name = 'Home barista (Platinum)';
    expect((await verify(renamed)).verified).toBe(false);
    const otherDate = structuredClone(credential);
    otherDate.validFrom = '2020-01-01T00:00:00.000Z';
    expect((await verify(otherDate)).verified).toBe(false);
    // The old custom fields would now be undefined terms: safe mode refuses them.
    const undefinedTerm = { ...structuredClone(credential), revoked: false };
    expect((await verify(undefinedTerm)).verified).toBe(false);
    // The untouched one still verifies: the failures above are the tampering.
    expect((await verify(credential)).verified).toBe(true);
  });

  it('one shop cannot sign for another: a proof from a different key fails', async () => {
    const a = await awardTo('c-keys');
    const { json: mine } = await fetchFromKudos(a.credentialUrl);
    const other = await t.call('/v1/trophies/barista', {
      method: 'PUT',
      key: t.otherShop.secretKey,
      body: { name: 'Other', description: 'x', criteriaNarrative: 'x', levels: [{ level: 'bronze' }] },
    });
    expect(other.status).toBe(201);
    const otherAward = await (await t.call('/v1/trophies/barista/awards', { key: t.otherShop.secretKey, body: { customerId: 'c-x', reason: 'x' } })).json();
    const { json: theirs } = await fetchFromKudos(otherAward.credentialUrl);
    expect(theirs.issuer.id).not.toBe(mine.issuer.id);
    expect((await verify({ ...mine, proof: theirs.proof })).verified).toBe(false);
  });

  it('a revoked credential still verifies its signature, and its status list says revoked', async () => {
    const a = await awardTo('c-revoked', 'gold');
    const before = await (await fetch(a.credentialUrl)).text();
    clock = new Date('2026-04-02T09:00:00Z');
    const revoke = await t.call(`/v1/trophies/barista/awards/${a.awardId}/revocation`, { key: t.shop.secretKey, body: { reason: 'Duplicate' } });
    expect(revoke.status).toBe(200);
    // The credential itself is unchanged; the list carries the news.
    expect(await (await fetch(a.credentialUrl)).text()).toBe(before);
    const result = await verify(JSON.parse(before));
    expect(result.statusResult.results[0].status).toBe(true);
    // Others on the same list are not affected.
    const other = await awardTo('c-still-fine');
    expect((await verify((await fetchFromKudos(other.credentialUrl)).json)).statusResult.results[0].status).toBe(false);
  });

  it('an award revoked before its credential was ever fetched is revoked in the list too', async () => {
    const a = await awardTo('c-revoked-early');
    const revoke = await t.call(`/v1/trophies/barista/awards/${a.awardId}`, { method: 'DELETE', key: t.shop.secretKey });
    expect(revoke.status).toBe(200);
    const { json: credential } = await fetchFromKudos(a.credentialUrl);
    const result = await verify(credential);
    expect(result.statusResult.results[0].status).toBe(true);
  });

  it('status list, achievement and issuer profile resolve with their media types', async () => {
    const a = await awardTo('c-resolve', 'gold');
    const { json: credential } = await fetchFromKudos(a.credentialUrl);
    const list = await fetchFromKudos(credential.credentialStatus.statusListCredential);
    expect(list.response.headers.get('content-type')).toMatch(/^application\/vc/);
    expect(list.json.type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential']);
    const achievement = await fetchFromKudos(credential.credentialSubject.achievement.id);
    expect(achievement.response.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    expect(achievement.json).toMatchObject({ id: credential.credentialSubject.achievement.id, type: ['Achievement'], name: 'Home barista (Master barista)' });
    expect(achievement.json['@context']).toContain('https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json');
    const profile = await fetchFromKudos(credential.issuer.url);
    expect(profile.response.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    expect(profile.json).toMatchObject({ id: credential.issuer.id, type: ['Profile'] });
    expect((await fetch(`${t.url}/t/achievements/${t.shop.shopId}/barista/silver`)).status).toBe(404);
    expect((await fetch(`${t.url}/t/status/${t.shop.shopId}/7`)).status).toBe(404);
  });

  it('with an https public URL the issuer is a did:web whose document Kudos serves', async () => {
    const publicBase = 'https://rewards.example.com';
    const p = await startTestServer({ now: () => clock, publicUrl: publicBase });
    try {
      const body = { name: 'Web', description: 'x', criteriaNarrative: 'x', levels: [{ level: 'bronze' }] };
      expect((await p.call('/v1/trophies/web', { method: 'PUT', key: p.shop.secretKey, body })).status).toBe(201);
      const a = await (await p.call('/v1/trophies/web/awards', { key: p.shop.secretKey, body: { customerId: 'c-web', reason: 'x' } })).json();
      const fromP = async (url: string) => {
        const response = await fetch(url.replace(publicBase, p.url));
        expect(response.status, url).toBe(200);
        return { response, json: await response.json() };
      };
      const { json: credential } = await fromP(a.credentialUrl);
      const did = `did:web:rewards.example.com:t:issuers:${p.shop.shopId}`;
      expect(credential.issuer.id).toBe(did);
      // did:web → https://rewards.example.com/t/issuers/<shop>/did.json
      const doc = await fromP(`${publicBase}/t/issuers/${p.shop.shopId}/did.json`);
      expect(doc.response.headers.get('content-type')).toMatch(/^application\/did\+ld\+json/);
      const method = doc.json.verificationMethod[0];
      const fetched = new Map<string, unknown>([
        [did, doc.json],
        [method.id, { '@context': 'https://w3id.org/security/multikey/v1', ...method }],
        [credential.credentialStatus.statusListCredential, (await fromP(credential.credentialStatus.statusListCredential)).json],
      ]);
      const result = await vc.verifyCredential({ credential, suite: new DataIntegrityProof({ cryptosuite }), documentLoader: loaderWith(fetched), checkStatus });
      expect(result.error, JSON.stringify(result.error)).toBeUndefined();
      expect(result.verified).toBe(true);
    } finally {
      await p.dispose();
    }
  });
});

describe('the public trophy page', () => {
  it('offers verify and download; the verify page says valid, then revoked', async () => {
    const a = await awardTo('c-page-verify', 'gold');
    const page = await (await fetch(`${t.url}/t/${a.awardId}`)).text();
    expect(page).toContain(`<a href="${t.url}/t/${a.awardId}/verify">Verify this trophy</a>`);
    expect(page).toContain(`<a href="${t.url}/t/${a.awardId}.json" download="trophy-${a.awardId}.json"`);
    const valid = await fetch(`${t.url}/t/${a.awardId}/verify`);
    expect(valid.status).toBe(200);
    const validHtml = await valid.text();
    expect(validHtml).toContain('<h1>Valid trophy</h1>');
    expect(validHtml).toContain('Not revoked');
    await t.call(`/v1/trophies/barista/awards/${a.awardId}`, { method: 'DELETE', key: t.shop.secretKey });
    const revokedHtml = await (await fetch(`${t.url}/t/${a.awardId}/verify`)).text();
    expect(revokedHtml).toContain('<h1>Not a valid trophy</h1>');
    expect(revokedHtml).toContain('Revoked by the issuer');
    expect((await fetch(`${t.url}/t/${'B'.repeat(21)}/verify`)).status).toBe(404);
  });
});
