// Creating a shop: ids, keys, secrets and the browser origins it may call from.
import type { Shop } from './store/store.js';
import { newApiKey, randomToken } from './access/keys.js';
import { sealer } from './access/seal.js';
import { newIdentitySecret } from './access/secrets.js';

export class InvalidOriginError extends Error {}

/** "https://shop.example/" → "https://shop.example"; anything but an http(s) origin is refused. */
export function normalizeOrigin(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new InvalidOriginError(`"${input}" is not a URL; an origin looks like https://shop.example`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidOriginError(`"${input}" is not an http(s) origin`);
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username) {
    throw new InvalidOriginError(`"${input}" has more than an origin; give scheme, host and port only`);
  }
  return url.origin;
}

/** What the shop is told once, at creation: the store keeps none of it readable. */
export interface ShopCredentials {
  shopId: string;
  publishableKey: string;
  secretKey: string;
  /** Present when the shop signs shopper ids with a secret of its own (not the secret key). */
  identitySecret?: string;
}

export interface NewShop {
  shop: Shop;
  credentials: ShopCredentials;
}

/**
 * `identitySecret: true` gives the shop its own identity-signing secret (what
 * `kudos shop create` does). Without it the shop signs shopper ids with its
 * secret key, as every shop did before: that value is then kept sealed as its
 * identity secret until the shop rolls one of its own.
 */
export function newShop(
  input: { name: string; origins: readonly string[]; demo?: boolean; demoKey?: boolean; identitySecret?: boolean },
  now: Date,
): NewShop {
  const publishable = newApiKey({ name: 'Publishable key', kind: 'publishable', scopes: [] }, now);
  const secret = newApiKey({ name: 'Secret key', kind: 'secret', scopes: ['admin'] }, now);
  const identity = input.identitySecret ? newIdentitySecret(now) : undefined;
  const seal = sealer();
  const shop: Shop = {
    id: `shop_${randomToken().slice(0, 16)}`,
    name: input.name,
    publishableKey: publishable.key,
    keys: [publishable.record, secret.record],
    identitySecrets: identity
      ? [identity.record]
      : [{ id: `ids_${randomToken().slice(0, 16)}`, sealed: seal.seal(secret.key), createdAt: now.toISOString(), legacy: true }],
    derivationSecret: seal.seal(randomToken()),
    origins: [...new Set(input.origins.map(normalizeOrigin))],
    createdAt: now.toISOString(),
    ...(input.demo && { demo: true }),
    ...((input.demo || input.demoKey) && { demoSecretKey: seal.seal(secret.key) }),
  };
  return {
    shop,
    credentials: {
      shopId: shop.id,
      publishableKey: publishable.key,
      secretKey: secret.key,
      ...(identity && { identitySecret: identity.secret }),
    },
  };
}
