// Browser-side helpers for web-test-runner tests: real shops, purchases and network
// conditions through the kudos-server plugin (test/web/kudos-server-plugin.mjs).
import { executeServerCommand } from '@web/test-runner-commands';
import { installRuntime } from '../../sdk/runtime.js';
import type { BadgeCriteria, EventResult, KudosInit, KudosRuntime } from '../../sdk/types.js';

export interface TestShop {
  api: string;
  shopId: string;
  publishableKey: string;
  /** Absent for an anonymous shop (`customerId: null`). */
  customerId?: string;
  customerHash?: string;
}

export interface BadgeSpec {
  id: string;
  name: string;
  description?: string;
  icon?: string;
  criteria: BadgeCriteria;
}

/**
 * A fresh shop with the test page's origins registered. `customerId: null` → no identity (anonymous visitor);
 * `unregistered: true` → the page's origin is not one of the shop's (a setup mistake).
 */
export const createShop = (options: { badges?: BadgeSpec[]; customerId?: string | null; unregistered?: boolean } = {}) =>
  executeServerCommand<TestShop, typeof options>('kudos-shop', options);

/** Identity headers for another customer of `shop` (hash computed in Node). */
export const identityFor = (shop: TestShop, customerId: string) =>
  executeServerCommand<{ customerId: string; customerHash: string }, unknown>('kudos-identity', {
    publishableKey: shop.publishableKey,
    customerId,
  });

/** Create or replace a badge definition (secret key, in Node). */
export const putBadge = (shop: TestShop, badge: BadgeSpec) =>
  executeServerCommand<unknown, unknown>('kudos-badge', { publishableKey: shop.publishableKey, badge });

/** Record a purchase for `customerId` (default: the shop's test customer) with the secret key. */
export const purchase = (shop: TestShop, total: number, options: { customerId?: string; currency?: string } = {}) =>
  executeServerCommand<EventResult, unknown>('kudos-purchase', {
    publishableKey: shop.publishableKey,
    customerId: options.customerId ?? shop.customerId,
    total,
    currency: options.currency,
  });

/** An API origin that accepts connections and never answers. */
export const hangingApi = () => executeServerCommand<{ api: string }, unknown>('kudos-hanging-api').then((r) => r.api);

/** An API origin where nothing listens (connection refused: status 0). */
export const deadApi = () => executeServerCommand<{ api: string }, unknown>('kudos-dead-api').then((r) => r.api);

/** A TCP pass-through to the real API that can be switched off (connections reset) and on. */
export async function createGate(up = false) {
  const { gate, api } = await executeServerCommand<{ gate: string; api: string }, unknown>('kudos-gate', {
    action: 'create',
    up,
  });
  return {
    api,
    up: () => executeServerCommand('kudos-gate', { action: 'up', gate }),
    down: () => executeServerCommand('kudos-gate', { action: 'down', gate }),
  };
}

/** Remove `window.Kudos` (installRuntime keeps an installed runtime, so each test starts clean). */
export function removeRuntime(): void {
  delete (window as unknown as { Kudos?: unknown }).Kudos;
}

/** A fresh `window.Kudos` for `init`. */
export function useRuntime(init: KudosInit): KudosRuntime {
  removeRuntime();
  return installRuntime(init);
}

/** A fresh `window.Kudos` for a test shop's publishable key and customer. */
export function useShop(shop: TestShop, extra: Partial<KudosInit> = {}): KudosRuntime {
  return useRuntime({
    api: shop.api,
    key: shop.publishableKey,
    customerId: shop.customerId,
    customerHash: shop.customerHash,
    ...extra,
  });
}
