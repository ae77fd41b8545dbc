// The start-up pass that leaves nothing plain or stale at rest: values written before
// their field was sealed (webhook and connection secrets, credential issuer keys,
// check-in emails) are sealed, and values sealed under a previous KUDOS_SEALING_KEY are
// re-sealed under the current one. Reads already accept both forms (openText), so the
// pass may run while requests are served, and twice is harmless. A shop records the
// key and version it was last sealed with, so later starts skip it without a scan.
import { CONNECTIONS } from '../connectors/service.js';
import type { Connection } from '../connectors/schemas.js';
import { COLLECTIONS } from '../checkins/service.js';
import type { Visit } from '../checkins/schemas.js';
import type { DocumentRef, Shop, Store } from '../store/store.js';
import { ISSUER_KEY_REF, type IssuerKeyDocument } from '../trophies/issuer-key.js';
import type { WebhookEndpoint } from '../webhooks/engine.js';
import { ENDPOINTS, endpointRef } from '../webhooks/outbox.js';
import { needsSealing, resealed, sealer } from './seal.js';

/** Bump when a new field starts being sealed: every shop is walked once more. */
const SEALING_VERSION = 1;
const MARKER: DocumentRef = { collection: 'sealing', id: 'state' };

interface SealingState {
  keyId: string;
  version: number;
}

const resealShop = (shop: Shop): Shop => ({
  ...shop,
  identitySecrets: shop.identitySecrets.map((s) => (needsSealing(s.sealed) ? { ...s, sealed: resealed(s.sealed) } : s)),
  derivationSecret: needsSealing(shop.derivationSecret) ? resealed(shop.derivationSecret) : shop.derivationSecret,
  ...(shop.demoSecretKey && needsSealing(shop.demoSecretKey) && { demoSecretKey: resealed(shop.demoSecretKey) }),
});

const shopNeedsIt = (shop: Shop) =>
  shop.identitySecrets.some((s) => needsSealing(s.sealed)) || needsSealing(shop.derivationSecret) || (shop.demoSecretKey !== undefined && needsSealing(shop.demoSecretKey));

/** Re-reads each document inside its update, so a concurrent write is never overwritten with an older value. */
async function resealDocument<T>(store: Store, shopId: string, ref: DocumentRef, change: (doc: T) => T | undefined): Promise<boolean> {
  return store.updateDocuments(shopId, [ref], ([current]) => {
    const next = current === undefined ? undefined : change(current as T);
    return next === undefined ? { values: [current], result: false } : { values: [next], result: true };
  });
}

/** Returns how many documents (and shops' own secrets) were sealed or re-sealed. */
export async function sealAtRest(store: Store): Promise<number> {
  const keyId = sealer().keyId;
  let changed = 0;
  for (const listed of await store.listShops()) {
    const shopId = listed.id;
    const state = await store.getDocument<SealingState>(shopId, MARKER);
    if (state?.keyId === keyId && state.version >= SEALING_VERSION) continue;

    if (shopNeedsIt(listed)) {
      await store.updateShop(shopId, (shop) => (shopNeedsIt(shop) ? resealShop(shop) : shop));
      changed++;
    }
    for (const endpoint of await store.listDocuments<WebhookEndpoint>(shopId, ENDPOINTS)) {
      if (!endpoint.secrets?.some((s) => needsSealing(s.secret))) continue;
      const done = await resealDocument<WebhookEndpoint>(store, shopId, endpointRef(endpoint.id), (e) =>
        e.secrets.some((s) => needsSealing(s.secret)) ? { ...e, secrets: e.secrets.map((s) => (needsSealing(s.secret) ? { ...s, secret: resealed(s.secret) } : s)) } : undefined,
      );
      if (done) changed++;
    }
    for (const connection of await store.listDocuments<Connection>(shopId, CONNECTIONS)) {
      if (!needsSealing(connection.secret)) continue;
      const ref = { collection: CONNECTIONS, id: connection.id };
      if (await resealDocument<Connection>(store, shopId, ref, (c) => (needsSealing(c.secret) ? { ...c, secret: resealed(c.secret) } : undefined))) changed++;
    }
    const issuer = await store.getDocument<IssuerKeyDocument>(shopId, ISSUER_KEY_REF);
    if (issuer && needsSealing(issuer.secretKeyMultibase)) {
      const done = await resealDocument<IssuerKeyDocument>(store, shopId, ISSUER_KEY_REF, (k) =>
        needsSealing(k.secretKeyMultibase) ? { ...k, secretKeyMultibase: resealed(k.secretKeyMultibase) } : undefined,
      );
      if (done) changed++;
    }
    for (const visit of await store.listDocuments<Visit>(shopId, COLLECTIONS.visits)) {
      if (!needsSealing(visit.email)) continue;
      const ref = { collection: COLLECTIONS.visits, id: visit.visitId };
      if (await resealDocument<Visit>(store, shopId, ref, (v) => (needsSealing(v.email) ? { ...v, email: resealed(v.email) } : undefined))) changed++;
    }
    await store.updateDocuments(shopId, [MARKER], () => ({ values: [{ keyId, version: SEALING_VERSION } satisfies SealingState], result: undefined }));
  }
  return changed;
}
