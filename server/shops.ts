// Creating a shop: ids, keys and the browser origins it may call from.
import { customAlphabet } from 'nanoid';
import type { Shop } from './store/store.js';

const token = customAlphabet('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 32);

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

export function newShop(input: { name: string; origins: readonly string[]; demo?: boolean }, now: Date): Shop {
  return {
    id: `shop_${token().slice(0, 16)}`,
    name: input.name,
    publishableKey: `pk_${token()}`,
    secretKey: `sk_${token()}`,
    origins: [...new Set(input.origins.map(normalizeOrigin))],
    createdAt: now.toISOString(),
    ...(input.demo && { demo: true }),
  };
}

export const shopCredentials = (shop: Shop) => ({
  shopId: shop.id,
  publishableKey: shop.publishableKey,
  secretKey: shop.secretKey,
});
