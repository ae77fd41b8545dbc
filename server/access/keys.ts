// API keys: made here, shown once, stored as digests. A key is 32 random
// characters after its prefix (about 190 bits), so a plain SHA-256 digest is
// enough: there is nothing to brute-force, and lookup by digest is an index hit.
import { createHash } from 'node:crypto';
import { customAlphabet } from 'nanoid';
import type { ApiKeyRecord } from '../store/store.js';
import type { Scope } from './scopes.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const randomToken = customAlphabet(ALPHABET, 32);
const shortId = customAlphabet(ALPHABET, 16);

export const keyDigest = (key: string) => createHash('sha256').update(key).digest('hex');

const hintOf = (key: string) => `${key.slice(0, 6)}…${key.slice(-4)}`;

export interface NewKey {
  /** The key itself: hand it to the shop once, then forget it. */
  key: string;
  record: ApiKeyRecord;
}

export function newApiKey(
  input: { name: string; kind: 'publishable' | 'secret'; scopes: readonly Scope[]; replaces?: string },
  now: Date,
  value?: string,
): NewKey {
  const key = value ?? `${input.kind === 'publishable' ? 'pk' : 'sk'}_${randomToken()}`;
  return {
    key,
    record: {
      id: `key_${shortId()}`,
      name: input.name,
      kind: input.kind,
      scopes: input.kind === 'publishable' ? [] : [...input.scopes],
      digest: keyDigest(key),
      hint: hintOf(key),
      createdAt: now.toISOString(),
      ...(input.replaces && { replaces: input.replaces }),
    },
  };
}

export const isActive = (item: { expiresAt?: string }, now: Date) => item.expiresAt === undefined || Date.parse(item.expiresAt) > now.getTime();

/** What a listing shows of a key: never its digest. */
export const publicKeyView = (record: ApiKeyRecord, now: Date) => ({
  id: record.id,
  name: record.name,
  kind: record.kind,
  scopes: record.scopes,
  hint: record.hint,
  createdAt: record.createdAt,
  expiresAt: record.expiresAt ?? null,
  active: isActive(record, now),
  ...(record.replaces && { replaces: record.replaces }),
});
