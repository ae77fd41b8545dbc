// Verified email claims: request, confirmation and answer shapes (zod: validation, types, OpenAPI).
import { z } from 'zod';

export const EmailClaimInput = z.strictObject({
  email: z.email('an email address').max(254),
});

export const EmailClaimId = z.string().regex(/^ec_[A-Za-z0-9_-]{21}$/, 'claim ids look like "ec_" + 21 characters');

export const EmailClaimConfirmInput = z.strictObject({
  code: z.string().regex(/^\d{6}$/, 'the 6-digit code from the email'),
});

export const EmailClaimView = z.object({
  id: z.string(),
  expiresAt: z.string(),
});

/** What a confirmed claim gives the browser: an identity the API verifies like one the shop's backend signed. */
export const VerifiedIdentity = z.object({
  customerId: z.string(),
  customerHash: z.string(),
});
