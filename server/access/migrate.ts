// Shops written before keys were records kept both keys in plain text. At start
// each becomes the new shape: its keys as digests (the same values keep
// working: the secret key is the admin key), and the old secret key's value,
// sealed, as its identity secret and derivation secret, so signed shopper ids,
// printed check-in QR codes and gift codes stay valid. The plain key is gone
// from the data file at the next snapshot.
import { demoPartnerShopId } from '../products/ports.js';
import type { Shop, Store } from '../store/store.js';
import { newApiKey } from './keys.js';
import { sealer } from './seal.js';

interface LegacyShop {
  id: string;
  publishableKey: string;
  secretKey?: string;
  keys?: unknown;
  createdAt: string;
}

export function upgradedShop(legacy: LegacyShop & Record<string, unknown>, demoBackend = false): Shop {
  const { secretKey, ...rest } = legacy;
  if (!secretKey) throw new Error(`shop ${legacy.id} has neither keys nor a secret key`);
  const created = new Date(legacy.createdAt);
  const publishable = newApiKey({ name: 'Publishable key', kind: 'publishable', scopes: [] }, created, legacy.publishableKey);
  const secret = newApiKey({ name: 'Secret key', kind: 'secret', scopes: ['admin'] }, created, secretKey);
  const sealed = sealer().seal(secretKey);
  return {
    ...(rest as unknown as Shop),
    keys: [publishable.record, secret.record],
    identitySecrets: [{ id: `ids_legacy_${legacy.id.slice(5, 13)}`, sealed, createdAt: legacy.createdAt, legacy: true }],
    derivationSecret: sealed,
    ...((demoBackend || (rest as { demo?: boolean }).demo) && { demoSecretKey: sealed }),
  };
}

/** Returns how many shops were upgraded. */
export async function upgradeLegacyShops(store: Store): Promise<number> {
  let upgraded = 0;
  const shops = await store.listShops();
  // The demo pages play the backend of the demo shops (the coffee shop and its directory partner).
  const demoBackends = new Set<string>();
  for (const shop of shops.filter((s) => s.demo)) {
    const partner = await demoPartnerShopId(store, shop.id);
    if (partner) demoBackends.add(partner);
  }
  for (const shop of shops) {
    if (Array.isArray((shop as { keys?: unknown }).keys)) continue;
    await store.updateShop(shop.id, (current) => upgradedShop(current as unknown as LegacyShop & Record<string, unknown>, demoBackends.has(shop.id)));
    upgraded++;
  }
  return upgraded;
}
