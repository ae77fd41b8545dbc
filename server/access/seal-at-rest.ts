// The start-up pass that leaves nothing plain or stale at rest: values written before
// their field was sealed (webhook and connection secrets, credential issuer keys,
// check-in emails) are sealed, and values sealed under a previous KUDOS_SEALING_KEY are
// re-sealed under the current one. Reads already accept both forms (openText), so the
// pass may run while requests are served, and twice is harmless. A shop records the
// key and version it was last sealed with, so later starts skip it without a scan.
import { resealVisitEmails } from '../checkins/ports.js';
import { resealConnectionSecrets } from '../connectors/ports.js';
import type { DocumentRef, Shop, Store } from '../store/store.js';
import { resealIssuerKey } from '../trophies/ports.js';
import { resealEndpointSecrets } from '../webhooks/ports.js';
import { needsSealing, resealed, sealer } from './seal.js';

/** Bump when a new field starts being sealed: every shop is walked once more. */
const SEALING_VERSION = 1;
export const SEALING = 'sealing';
const MARKER: DocumentRef = { collection: SEALING, id: 'state' };

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
    // Each feature seals its own documents (through its ports.ts): this pass only walks the shops.
    changed += await resealEndpointSecrets(store, shopId);
    changed += await resealConnectionSecrets(store, shopId);
    changed += await resealIssuerKey(store, shopId);
    changed += await resealVisitEmails(store, shopId);
    await store.updateDocuments(shopId, [MARKER], () => ({ values: [{ keyId, version: SEALING_VERSION } satisfies SealingState], result: undefined }));
  }
  return changed;
}
