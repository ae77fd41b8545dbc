// Verified email claims, pure: a shopper without an account proves they read an
// inbox by typing back a 6-digit code. No clock and no randomness here (callers
// pass them), so expiry and the attempt cap are exact in tests and atomic in the store.
import { DomainError } from '../errors.js';

export const CLAIM_TTL_MS = 10 * 60_000;
export const MAX_ATTEMPTS = 5;

export interface EmailClaim {
  id: string;
  /** Blanked once confirmed; an expired claim is deleted by the shop's next request (service.ts). */
  email: string;
  /** HMAC of the code: the store never holds a code someone could read back. */
  codeHash: string;
  createdAt: string;
  expiresAt: string;
  attempts: number;
  confirmedAt?: string;
}

export function newClaim(input: { id: string; email: string; codeHash: string; now: number }): EmailClaim {
  return {
    id: input.id,
    email: input.email,
    codeHash: input.codeHash,
    createdAt: new Date(input.now).toISOString(),
    expiresAt: new Date(input.now + CLAIM_TTL_MS).toISOString(),
    attempts: 0,
  };
}

export type ConfirmOutcome = { kind: 'confirmed'; claim: EmailClaim } | { kind: 'wrong-code'; claim: EmailClaim; left: number };

/**
 * One attempt at the code. A wrong code is counted (the caller stores the claim and
 * answers 400), so guessing 10⁶ codes takes 200 000 claims, each rate-limited.
 * A claim is single-use: confirmed, expired or out of attempts, it answers 410.
 */
export function attemptClaim(claim: EmailClaim, codeHash: string, now: number): ConfirmOutcome {
  if (claim.confirmedAt) throw gone('This code was used already; ask for a new one.');
  if (now >= Date.parse(claim.expiresAt)) throw gone('This code expired; ask for a new one.');
  if (claim.attempts >= MAX_ATTEMPTS) throw gone('Too many wrong codes; ask for a new one.');
  if (claim.codeHash === codeHash) return { kind: 'confirmed', claim: { ...claim, confirmedAt: new Date(now).toISOString() } };
  const attempts = claim.attempts + 1;
  return { kind: 'wrong-code', claim: { ...claim, attempts }, left: MAX_ATTEMPTS - attempts };
}

const gone = (detail: string) => new DomainError('email-claim-over', detail);

/** The address the code is sent to, as people retype it (identity comparisons use server/email-identity.ts). */
export { normalizeEmailAddress as normalizeEmail } from '../email-identity.js';
