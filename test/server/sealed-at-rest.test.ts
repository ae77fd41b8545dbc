// A copied data file reveals no usable secret and no email address: the raw lowdb
// file and the raw PostgreSQL rows are read and searched for every plaintext a shop
// hands Kudos (webhook signing secrets, Shopify/WooCommerce connection secrets,
// check-in emails, credential issuer private keys, identity secrets, API keys).
// Everything still works after a restart; data written before sealing (plain) is
// sealed at the next start; a rotated KUDOS_SEALING_KEY re-seals under the new key.
import { createHash, createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openText, newSealKeyText } from '../../server/access/seal.js';
import { checkInPerson, getCheckin, linkByEmail } from '../../server/checkins/service.js';
import { rekeyCheckinEmails } from '../../server/checkins/rekey-emails.js';
import { emailIdentity } from '../../server/email-identity.js';
import type { StartOptions } from '../../server/server.js';
import type { Store } from '../../server/store/store.js';
import { issuerKeyOf, ISSUER_KEY_REF, type IssuerKeyDocument } from '../../server/trophies/issuer-key.js';
import type { WebhookEndpoint } from '../../server/webhooks/engine.js';
import { endpointRef } from '../../server/webhooks/outbox.js';
import { NO_DATABASE, TEST_DATABASE_URL, dropSchemas, freshSchema } from '../helpers/pg.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/server.js';

const EMAIL = 'ana.sealed@example.com';
const CLAIM_EMAIL = 'bo.claims@example.com';
const PLATFORM_SECRET = 'shpss_platform_plaintext_0123456789';
const POINT = {
  name: 'Saturday market',
  place: 'Stand 12',
  from: '2026-03-07T08:00:00+01:00',
  until: '2026-03-08T14:00:00+01:00',
  timeZone: 'Europe/Paris',
  points: 20,
  consentText: 'news about our next markets',
};

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});
afterAll(() => dropSchemas());

interface Backend {
  name: string;
  skip: boolean;
  /** A fresh place for the data: the options every start of one test uses. */
  fresh(): Promise<Partial<StartOptions> & { dir: string }>;
  /** Every byte the store holds, as text. */
  raw(options: Partial<StartOptions> & { dir: string }): Promise<string>;
}

const lowdb: Backend = {
  name: 'lowdb',
  skip: false,
  fresh: async () => ({ dir: tempDir('kudos-sealed-') }),
  raw: async ({ dir }) =>
    ['kudos.json', 'kudos.json.wal']
      .map((f) => join(dir, f))
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n'),
};

const postgres: Backend = {
  name: 'PostgreSQL',
  skip: NO_DATABASE,
  fresh: async () => {
    const { url } = await freshSchema('sealed');
    return { dir: tempDir('kudos-sealed-pg-'), databaseUrl: url };
  },
  raw: async ({ databaseUrl }) => {
    const schema = new URL(databaseUrl!).searchParams.get('options')!.replace('-c search_path=', '');
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const tables = await client.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]);
      expect(tables.rows.length).toBeGreaterThan(0);
      const dumps: string[] = [];
      for (const { table_name } of tables.rows) {
        const rows = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${schema}."${table_name}" t`);
        dumps.push(...rows.rows.map((r) => r.row));
      }
      return dumps.join('\n');
    } finally {
      await client.end();
    }
  },
};

const sign = (raw: string, secret: string) => createHmac('sha256', secret).update(raw).digest('base64');

async function start(options: Partial<StartOptions> & { dir: string }) {
  const s = await startTestServer({ ...options, seedDemo: false, webhooks: { allowPrivate: true } });
  servers.push(s);
  return s;
}

/** Calls a connection the way Shopify does, with a topic Kudos ignores: 200 when the signature verifies. */
// startTestServer makes two new shops at every start: calls name the first start's shop.
type Shop = TestServer['shop'];

const shopifyPing = (s: TestServer, shop: Shop, secret: string) => {
  const raw = JSON.stringify({ id: 1 });
  return fetch(`${s.url}/v1/connect/shopify/${shop.shopId}/shop`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-topic': 'shop/update', 'x-shopify-hmac-sha256': sign(raw, secret) },
    body: raw,
  });
};

async function marketEmails(s: TestServer, shop: Shop): Promise<string[]> {
  const r = await s.call('/v1/market-list', { key: shop.secretKey });
  expect(r.status).toBe(200);
  return ((await r.json()) as { data: { email: string }[] }).data.map((row) => row.email);
}

/**
 * A plain SHA-256 of an address, in every spelling an id could take (hex, base64url, and the
 * prefixes ids are cut to): what anyone holding a list of addresses could look for in a copied store.
 */
function plainDigests(email: string): string[] {
  return [email, emailIdentity(email)].flatMap((e) => {
    const digest = createHash('sha256').update(e).digest();
    const hex = digest.toString('hex');
    const b64 = digest.toString('base64url');
    return [hex, hex.slice(0, 16), b64, b64.slice(0, 16)];
  });
}

const plainDigestIn = (raw: string, email: string) => plainDigests(email).find((d) => raw.includes(d)) ?? 'absent';

const webhookSecretOf = async (store: Store, shopId: string) =>
  openText((await store.getDocument<WebhookEndpoint>(shopId, endpointRef('crm')))!.secrets[0]!.secret);

for (const backend of [lowdb, postgres]) {
  describe.skipIf(backend.skip)(`secrets sealed at rest (${backend.name})`, () => {
    it('the raw store holds no secret, key or email, and all of them work after a restart', async () => {
      const options = await backend.fresh();
      const first = await start(options);
      const shop = first.shop;
      const sk = first.shop.secretKey;
      const hook = await first.call('/v1/webhooks/crm', { method: 'PUT', key: sk, body: { url: 'https://hooks.example/kudos', events: ['award.created', 'email.verification_requested'] } });
      expect(hook.status).toBe(201);
      const whsec = ((await hook.json()) as { secret: string }).secret;
      expect(whsec).toMatch(/^whsec_/);
      expect((await first.call('/v1/connections/shop', { method: 'PUT', key: sk, body: { platform: 'shopify', secret: PLATFORM_SECRET } })).status).toBe(201);
      expect((await first.call('/v1/checkins/saturday', { method: 'PUT', key: sk, body: POINT })).status).toBe(201);
      const point = await getCheckin(first.server.store, first.shop.shopId, 'saturday');
      const consent = { text: POINT.consentText, at: '2026-03-07T09:00:00.000Z', locale: 'en' };
      await checkInPerson(first.server.store, () => new Date('2026-03-07T09:00:00Z'), first.shop.shopId, point, { day: '2026-03-07', anonymousId: 'anon-ana', email: EMAIL, consent });
      // A pending email claim: the claim and the webhook delivery that carries its code both hold the address.
      const claimed = await first.call('/v1/email-verifications', { key: first.shop.publishableKey, body: { email: CLAIM_EMAIL }, headers: { origin: 'https://shop.example' } });
      expect(claimed.status).toBe(201);
      const issuer = await issuerKeyOf(first.server.store, first.shop.shopId);
      expect(issuer.secretKeyMultibase).toMatch(/^z/);
      const made = (await (await first.call('/v1/keys', { key: sk, body: { name: 'Till', scopes: ['events'] } })).json()) as { key: string };
      const rolled = (await (await first.call('/v1/identity-secrets/roll', { key: sk, body: { overlapHours: 1 } })).json()) as { identitySecret: string };

      // Working before the restart: the email is listed, the connection verifies.
      expect(await marketEmails(first, shop)).toEqual([EMAIL]);
      expect((await shopifyPing(first, shop, PLATFORM_SECRET)).status).toBe(200);
      await first.stop();

      const raw = await backend.raw(options);
      expect(raw).toContain(first.shop.shopId);
      const plaintexts = { whsec, PLATFORM_SECRET, EMAIL, CLAIM_EMAIL, issuerKey: issuer.secretKeyMultibase, apiKey: made.key, shopKey: sk, identitySecret: rolled.identitySecret };
      for (const [name, value] of Object.entries(plaintexts)) expect(raw.includes(value) ? name : 'absent').toBe('absent');
      expect(raw).not.toContain('ana.sealed');
      // Nor a plain hash of an address: the check-in's email pointer is keyed by the shop's secret.
      expect(plainDigestIn(raw, EMAIL)).toBe('absent');
      expect(plainDigestIn(raw, CLAIM_EMAIL)).toBe('absent');

      // A restart with the same sealing key (the key file beside the data) opens every one of them.
      const again = await start(options);
      expect(await marketEmails(again, shop)).toEqual([EMAIL]);
      expect((await shopifyPing(again, shop, PLATFORM_SECRET)).status).toBe(200);
      expect((await shopifyPing(again, shop, 'shpss_wrong_secret_0000000000')).status).toBe(401);
      expect(await webhookSecretOf(again.server.store, shop.shopId)).toBe(whsec);
      expect((await issuerKeyOf(again.server.store, shop.shopId)).secretKeyMultibase).toBe(issuer.secretKeyMultibase);
    });

    it('seals data written before sealing at the next start, and re-seals under a rotated KUDOS_SEALING_KEY', async () => {
      const options = await backend.fresh();
      const first = await start(options);
      const store = first.server.store;
      const shop = first.shop;
      const shopId = first.shop.shopId;
      const sk = first.shop.secretKey;
      expect((await first.call('/v1/checkins/saturday', { method: 'PUT', key: sk, body: POINT })).status).toBe(201);
      // What an older version wrote: every one of these in plain text.
      const at = '2026-03-01T00:00:00.000Z';
      const legacy: WebhookEndpoint = { id: 'crm', url: 'https://hooks.example/kudos', events: ['award.created'], active: true, createdAt: at, updatedAt: at, secrets: [{ secret: 'whsec_legacy_plaintext_0123456789', createdAt: at }] };
      const issuerPlain: IssuerKeyDocument = { type: 'Multikey', publicKeyMultibase: 'z6MkLegacyPublic', secretKeyMultibase: 'zLegacyIssuerSecretPlaintext', createdAt: at };
      await store.updateDocuments(shopId, [endpointRef('crm'), { collection: 'connections', id: 'shop' }, ISSUER_KEY_REF], () => ({
        values: [legacy, { id: 'shop', platform: 'shopify', secret: PLATFORM_SECRET, createdAt: at, updatedAt: at }, issuerPlain],
        result: undefined,
      }));
      await store.updateDocuments(shopId, [{ collection: 'checkinVisits', id: 'v_legacy' }], () => ({
        values: [{ visitId: 'v_legacy', checkinId: 'saturday', day: '2026-03-07', at, anonymousId: 'anon-old', customerKey: 'anon:anon-old', email: EMAIL, consent: { text: 'news', at, locale: 'en' } }],
        result: undefined,
      }));
      // Read as they are, before any restart.
      expect(await marketEmails(first, shop)).toEqual([EMAIL]);
      expect((await shopifyPing(first, shop, PLATFORM_SECRET)).status).toBe(200);
      await first.stop();
      expect(await backend.raw(options)).toContain(EMAIL);

      const second = await start(options);
      expect(await marketEmails(second, shop)).toEqual([EMAIL]);
      expect((await shopifyPing(second, shop, PLATFORM_SECRET)).status).toBe(200);
      expect(await webhookSecretOf(second.server.store, shopId)).toBe('whsec_legacy_plaintext_0123456789');
      expect((await issuerKeyOf(second.server.store, shopId)).secretKeyMultibase).toBe('zLegacyIssuerSecretPlaintext');
      await second.stop();
      const sealedRaw = await backend.raw(options);
      for (const plain of [EMAIL, PLATFORM_SECRET, 'whsec_legacy_plaintext', 'zLegacyIssuerSecretPlaintext']) expect(sealedRaw.includes(plain) ? plain : 'absent').toBe('absent');

      // Rotation: the new key with the old one as previous re-seals everything; then the new key alone opens it all.
      const oldKey = readFileSync(join(options.dir, 'kudos-secret.key'), 'utf8').trim();
      const newKey = newSealKeyText();
      const oldId = /sealed:v1:([0-9a-f]{8}):/.exec(sealedRaw)![1]!;
      const rotating = await start({ ...options, sealing: { key: newKey, previous: [oldKey], from: 'KUDOS_SEALING_KEY' } });
      expect(await marketEmails(rotating, shop)).toEqual([EMAIL]);
      await rotating.stop();
      const rotatedRaw = await backend.raw(options);
      expect(rotatedRaw).toContain('sealed:v1:');
      expect(rotatedRaw).not.toContain(`sealed:v1:${oldId}:`);
      const rotated = await start({ ...options, sealing: { key: newKey, previous: [], from: 'KUDOS_SEALING_KEY' } });
      expect(await marketEmails(rotated, shop)).toEqual([EMAIL]);
      expect((await shopifyPing(rotated, shop, PLATFORM_SECRET)).status).toBe(200);
      expect(await webhookSecretOf(rotated.server.store, shopId)).toBe('whsec_legacy_plaintext_0123456789');
    });

    it('renames email pointers named by a plain hash at the next start: the check-in made before is still found', async () => {
      const options = await backend.fresh();
      const first = await start(options);
      const store = first.server.store;
      const shopId = first.shop.shopId;
      expect((await first.call('/v1/checkins/saturday', { method: 'PUT', key: first.shop.secretKey, body: POINT })).status).toBe(201);
      // What an older version wrote: the email pointer's id a plain SHA-256 (base64url, cut to 32) of the address.
      const at = '2026-03-07T09:00:00.000Z';
      const legacyId = `saturday/e/${createHash('sha256').update(EMAIL).digest('base64url').slice(0, 32)}`;
      const keys = ['saturday/a/anon-old', legacyId];
      await store.updateDocuments(shopId, [{ collection: 'checkinVisits', id: 'v_legacy0000000a' }, ...keys.map((id) => ({ collection: 'checkinPersons', id }))], () => ({
        values: [
          { visitId: 'v_legacy0000000a', checkinId: 'saturday', day: '2026-03-07', at, anonymousId: 'anon-old', customerKey: '~anon:anon-old', email: EMAIL, consent: { text: 'news', at, locale: 'en' }, keys },
          { visitId: 'v_legacy0000000a' },
          { visitId: 'v_legacy0000000a' },
        ],
        result: undefined,
      }));
      await first.stop();
      expect(plainDigestIn(await backend.raw(options), EMAIL)).not.toBe('absent');

      const second = await start(options);
      // Renamed at start: a second pass (or start) finds nothing left to do.
      expect(await rekeyCheckinEmails(second.server.store)).toBe(0);
      const point = await getCheckin(second.server.store, shopId, 'saturday');
      const consent = { text: POINT.consentText, at, locale: 'en' };
      // Another phone, the same inbox in another spelling: the check-in before the rename is found.
      const again = await checkInPerson(second.server.store, () => new Date(at), shopId, point, { day: '2026-03-07', anonymousId: 'anon-new', email: 'ANA.Sealed@example.com', consent });
      expect(again).toMatchObject({ status: 'already-email', visit: { visitId: 'v_legacy0000000a' } });
      const linked = await linkByEmail(second.server.store, () => new Date(at), shopId, 'c_ana', EMAIL);
      expect(linked.linked.map((l) => l.visitId)).toEqual(['v_legacy0000000a']);
      await second.stop();
      expect(plainDigestIn(await backend.raw(options), EMAIL)).toBe('absent');

      // Idempotent across starts: the visit is still found by its email.
      const third = await start(options);
      const point3 = await getCheckin(third.server.store, shopId, 'saturday');
      const once = await checkInPerson(third.server.store, () => new Date(at), shopId, point3, { day: '2026-03-07', anonymousId: 'anon-third', email: EMAIL, consent });
      expect(once.status).toBe('already-email');
    });
  });
}
