// Signing and verifying trophy credentials with a maintained implementation of
// Data Integrity `eddsa-rdfc-2022` (Digital Bazaar's vc, data-integrity and
// cryptosuite libraries). Canonicalization runs in JSON-LD safe mode, so a term no
// bundled context defines fails the signature instead of being silently dropped.
import { createHash } from 'node:crypto';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { from } from '@digitalbazaar/ed25519-multikey';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { checkStatus, createCredential, createList } from '@digitalbazaar/vc-bitstring-status-list';
import type { IssuerIdentity, IssuerKeyDocument } from './issuer-key.js';
import { offlineLoader, type DocumentLoader } from './jsonld.js';
import { LIST_LENGTH } from './status-list.js';

// Ed25519 is deterministic and the proof date is fixed by the caller, so the same
// input always signs to the same output: a small cache saves the canonicalization.
const CACHE_SIZE = 500;
const cache = new Map<string, Record<string, unknown>>();
function remember(key: string, value: Record<string, unknown>) {
  cache.set(key, value);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return value;
}

/** `credential` signed by the issuer key, the proof dated `created` (ISO date-time). */
export async function signCredential(
  credential: Record<string, unknown>,
  key: IssuerKeyDocument,
  issuer: IssuerIdentity,
  created: string,
): Promise<Record<string, unknown>> {
  const cacheKey = createHash('sha256')
    .update(JSON.stringify([credential, issuer.verificationMethod, key.publicKeyMultibase, created]))
    .digest('base64');
  const hit = cache.get(cacheKey);
  if (hit) return structuredClone(hit);
  const pair = await from({
    id: issuer.verificationMethod,
    controller: issuer.did,
    publicKeyMultibase: key.publicKeyMultibase,
    secretKeyMultibase: key.secretKeyMultibase,
  });
  const suite = new DataIntegrityProof({ signer: pair.signer(), cryptosuite, date: created });
  const signed = await vc.issue({ credential: structuredClone(credential), suite, documentLoader: offlineLoader() });
  return structuredClone(remember(cacheKey, signed));
}

/** The unsigned BitstringStatusListCredential with the given positions set (revoked). */
export async function statusListCredential(url: string, issuerDid: string, revoked: readonly number[]) {
  const list = await createList({ length: LIST_LENGTH });
  for (const position of revoked) list.setStatus(position, true);
  const credential = await createCredential({ id: url, list, statusPurpose: 'revocation' });
  return { ...credential, issuer: issuerDid };
}

export interface Verification {
  /** The proof checks out for the issuer's key. */
  signature: boolean;
  /** The status list says revoked (undefined when it could not be checked). */
  revoked?: boolean;
  error?: string;
}

const messageOf = (error: unknown): string => {
  const e = error as { message?: string; errors?: unknown[] } | undefined;
  if (e?.errors?.length) return messageOf(e.errors[0]);
  return e?.message ?? String(error);
};

/** Verifies a credential offline: bundled contexts, did:key, and what `known(url)` hands in. */
export async function verifyCredential(credential: object, known: (url: string) => unknown | undefined): Promise<Verification> {
  const documentLoader: DocumentLoader = offlineLoader(known);
  const result = await vc.verifyCredential({
    credential,
    suite: new DataIntegrityProof({ cryptosuite }),
    documentLoader,
    checkStatus,
  });
  const status = result.statusResult?.results?.[0]?.status;
  return {
    signature: result.verified,
    ...(result.statusResult?.verified ? { revoked: status === true } : {}),
    ...(result.verified ? {} : { error: messageOf(result.error) }),
  };
}
