// What the access routes answer, as zod: /openapi.json is generated from these and
// test/server/openapi-responses.test.ts checks real answers against them, so a
// field added to a view (keys.ts, secrets.ts, audit.ts) without one here is noticed.
import { z } from 'zod';
import { pageOf } from '../paging.js';

export const KeyView = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['publishable', 'secret']),
  /** Empty for the publishable key. */
  scopes: z.array(z.string()),
  /** The first characters and the last four, to recognize it ("sk_AbC…wxyz"); never the key. */
  hint: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  active: z.boolean(),
  replaces: z.string().optional(),
});
export const KeyList = pageOf(KeyView);
/** The only answer that carries the key itself: shown once, stored as a digest. */
export const KeyCreated = KeyView.extend({ key: z.string() });
export const KeyRolled = KeyCreated.extend({ previous: z.object({ id: z.string(), expiresAt: z.string() }) });
export const WhoAmI = z.object({
  shop: z.object({ id: z.string(), name: z.string() }),
  key: z.object({ id: z.string(), name: z.string(), kind: z.enum(['publishable', 'secret']), scopes: z.array(z.string()) }),
});

export const IdentitySecretView = z.object({
  id: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  active: z.boolean(),
  legacy: z.boolean(),
});
export const IdentitySecretList = pageOf(IdentitySecretView);
/** The only answer that carries the secret itself. */
export const IdentitySecretRolled = IdentitySecretView.extend({ identitySecret: z.string(), previousExpiresAt: z.string() });

/** POST /v1/shop/origins: the origin as registered (normalized: scheme, host, port). */
export const OriginAdded = z.object({ origin: z.string() });
/** GET /v1/shop/origins, in alphabetical order. */
export const OriginPage = pageOf(z.string());

export const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({ keyId: z.string(), keyName: z.string() }),
  action: z.string(),
  target: z.string().optional(),
  customer: z.string().optional(),
  changes: z.unknown().optional(),
});
export const AuditPage = z.object({ data: z.array(AuditEntry), nextCursor: z.string().nullable(), retentionDays: z.number().int() });
export const AuditSettings = z.object({ retentionDays: z.number().int() });
