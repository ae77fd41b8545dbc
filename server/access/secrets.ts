// The secrets a shop's server-side code signs with, read back from their sealed
// form: identity secrets (shopper ids, signed orders in) and the derivation
// secret (check-in links, gift codes, email-claim digests).
import type { SealedSecret, Shop } from '../store/store.js';
import { isActive, randomToken } from './keys.js';
import { sealer } from './seal.js';

export function newIdentitySecret(now: Date): { secret: string; record: SealedSecret } {
  const secret = `ids_${randomToken()}${randomToken()}`;
  return { secret, record: { id: `idk_${randomToken().slice(0, 16)}`, sealed: sealer().seal(secret), createdAt: now.toISOString() } };
}

/**
 * A shop's secrets, opened once per sealed value. Every widget request of a signed-in shopper
 * verifies its identity with them, and opening one (a new AES-GCM decipher) was a sixth of such
 * a request's CPU (issue 20, `node bench/reads.mjs`: 440 -> 365 us). The sealing key is in this
 * process's memory anyway, so a plain copy here exposes nothing more; the data file stays
 * sealed. A rotated secret is another sealed value. Bounded: shops come and go.
 */
const opened = new Map<string, string>();
const MAX_OPENED = 10_000;
function openSecret(sealed: string): string {
  let plain = opened.get(sealed);
  if (plain === undefined) {
    plain = sealer().open(sealed);
    if (opened.size >= MAX_OPENED) opened.clear();
    opened.set(sealed, plain);
  }
  return plain;
}

/** Every identity secret that verifies now: the current one, and one being rolled out during its overlap. */
export const identitySecretsOf = (shop: Shop, now: Date): string[] =>
  shop.identitySecrets.filter((s) => isActive(s, now)).map((s) => openSecret(s.sealed));

/** The one to sign with (the newest): what Kudos itself signs identities with (email claims, demo pages). */
export function currentIdentitySecret(shop: Shop): string {
  const newest = shop.identitySecrets[0];
  if (!newest) throw new Error(`shop ${shop.id} has no identity secret`);
  return openSecret(newest.sealed);
}

/** Never leaves the server: keys HMACs of the shop's own derived tokens. */
export const derivationSecretOf = (shop: Shop): string => openSecret(shop.derivationSecret);

/** The demo shops' admin key, for the demo pages that play their backend. */
export function demoKeyOf(shop: Shop): string {
  if (!shop.demoSecretKey) throw new Error(`shop ${shop.id} is not a demo shop`);
  return sealer().open(shop.demoSecretKey);
}

/** Metadata only (the value is shown once, when made). */
export const publicIdentitySecretView = (secret: SealedSecret, now: Date) => ({
  id: secret.id,
  createdAt: secret.createdAt,
  expiresAt: secret.expiresAt ?? null,
  active: isActive(secret, now),
  legacy: secret.legacy === true,
});
