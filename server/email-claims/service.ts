// Verified email claims on top of the store: a claim is one document, its code goes
// to the shop's backend as a webhook (Kudos sends no email: the shop's own mail
// provider does, from the shop's own address), and a confirmed claim yields an
// identity signed exactly like the shop's backend would sign one.
import { currentIdentitySecret, derivationSecretOf } from '../access/secrets.js';
import { openText, sealText } from '../access/seal.js';
import { createHmac, randomInt } from 'node:crypto';
import { nanoid } from 'nanoid';
import { DomainError, problems } from '../http/problem.js';
import { customerHash } from '../identity.js';
import type { Shop, Store } from '../store/store.js';
import { enqueueWebhookFacts, subscribers } from '../webhooks/ports.js';
import { emailIdentity } from '../email-identity.js';
import { attemptClaim, newClaim, normalizeEmail, type EmailClaim } from './engine.js';
import { CLAIMS, CLAIMS_BY_EXPIRY } from './lookups.js';

export { CLAIMS };
const claimRef = (id: string) => ({ collection: CLAIMS, id });
const TYPE = 'email.verification_requested';

export interface EmailClaimDeps {
  store: Store;
  now: () => Date;
  /** Six digits; injectable so tests can read the code the "email" carried. */
  newCode: () => string;
}

export const secureCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

const codeHashOf = (shop: Shop, claimId: string, code: string) =>
  createHmac('sha256', derivationSecretOf(shop)).update(`email-claim\n${claimId}\n${code}`).digest('hex');

/**
 * The customer id of a verified address: the same for every spelling that reaches
 * the same inbox in this shop (ann@, ann+1@, a.nn@ on Gmail: so one person is one
 * member of a group), and telling nothing of the address to anyone without the
 * shop's secret key.
 */
export const emailCustomerId = (shop: Shop, email: string) =>
  `email:${createHmac('sha256', derivationSecretOf(shop)).update(`email-customer\n${emailIdentity(email)}`).digest('base64url').slice(0, 24)}`;

export async function requestEmailClaim(deps: EmailClaimDeps, shop: Shop, rawEmail: string): Promise<{ id: string; expiresAt: string }> {
  if ((await subscribers(deps.store, shop.id, TYPE)).length === 0) {
    throw new DomainError(
      'email-verification-unavailable',
      `This shop has no webhook for "${TYPE}", so no one would send the code.`,
    );
  }
  const email = normalizeEmail(rawEmail);
  const now = deps.now().getTime();
  const code = deps.newCode();
  const id = `ec_${nanoid()}`;
  const claim = newClaim({ id, email, codeHash: codeHashOf(shop, id, code), now });
  // Expired claims still hold an address: they go whenever a new claim is made.
  const expired = (await deps.store.findDocuments<EmailClaim>(CLAIMS_BY_EXPIRY, { shopId: shop.id, upTo: new Date(now).toISOString() })).map((f) => f.value);
  await deps.store.updateDocuments(shop.id, [claimRef(id), ...expired.map((c) => claimRef(c.id))], () => ({
    // The address is sealed at rest (server/access/seal.ts); erased once confirmed.
    values: [{ ...claim, email: sealText(claim.email) }, ...expired.map(() => undefined)],
    result: undefined,
  }));
  await enqueueWebhookFacts(deps.store, deps.now, shop.id, [
    {
      sourceEventId: id,
      type: TYPE,
      subject: '',
      data: { claimId: id, email, code, expiresAt: claim.expiresAt, customerId: emailCustomerId(shop, email) },
    },
  ]);
  return { id, expiresAt: claim.expiresAt };
}

export async function confirmEmailClaim(
  deps: EmailClaimDeps,
  shop: Shop,
  id: string,
  code: string,
): Promise<{ customerId: string; customerHash: string }> {
  const now = deps.now().getTime();
  const outcome = await deps.store.updateDocuments(shop.id, [claimRef(id)], ([current]) => {
    if (!current) throw problems.notFound(`No email claim "${id}" in this shop.`);
    const result = attemptClaim(current as EmailClaim, codeHashOf(shop, id, code), now);
    // A confirmed claim keeps no address: it only stays to answer "used already".
    const kept = result.kind === 'confirmed' ? { ...result.claim, email: '' } : result.claim;
    return { values: [kept], result: { ...result, email: openText((current as EmailClaim).email) } };
  });
  if (outcome.kind === 'wrong-code') {
    throw problems.validation([
      { pointer: '/code', detail: `wrong code; ${outcome.left} ${outcome.left === 1 ? 'try' : 'tries'} left` },
    ]);
  }
  const customerId = emailCustomerId(shop, outcome.email);
  return { customerId, customerHash: customerHash(currentIdentitySecret(shop), customerId) };
}
