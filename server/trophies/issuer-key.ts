// A shop's credential issuer: its Ed25519 key (created on first use, kept in the
// store, its secret half sealed) and the DID that names it. issuerKeyOf is the one
// place that reads or writes the secret key.
import { needsSealing, openText, resealed, sealText } from '../access/seal.js';
import type { Store } from '../store/store.js';
import { updateOne } from '../store/update-one.js';

export const ISSUER_KEY_REF = { collection: 'issuer-keys', id: 'ed25519' } as const;

export interface IssuerKeyDocument {
  type: 'Multikey';
  publicKeyMultibase: string;
  /** Sealed in the store (plain in data written before sealing); issuerKeyOf returns it open. */
  secretKeyMultibase: string;
  createdAt: string;
}

const opened = (doc: IssuerKeyDocument): IssuerKeyDocument => ({ ...doc, secretKeyMultibase: openText(doc.secretKeyMultibase) });

/** The shop's issuer key; the first caller creates it, concurrent first callers agree on one. */
export async function issuerKeyOf(store: Store, shopId: string, now: () => Date = () => new Date()): Promise<IssuerKeyDocument> {
  const existing = await store.getDocument<IssuerKeyDocument>(shopId, ISSUER_KEY_REF);
  if (existing) return opened(existing);
  const { generate } = await import('@digitalbazaar/ed25519-multikey');
  const pair = await generate();
  const fresh: IssuerKeyDocument = {
    type: 'Multikey',
    publicKeyMultibase: pair.publicKeyMultibase,
    secretKeyMultibase: sealText(pair.secretKeyMultibase!),
    createdAt: now().toISOString(),
  };
  return store.updateDocuments(shopId, [ISSUER_KEY_REF], ([current]) => {
    const kept = (current as IssuerKeyDocument | undefined) ?? fresh;
    return { values: [kept], result: opened(kept) };
  });
}

export interface IssuerIdentity {
  did: string;
  verificationMethod: string;
  /** Where a did:web document is served; undefined for did:key. */
  didDocumentUrl?: string;
}

/**
 * did:web when the public URL is https (a verifier resolves it at
 * `<base>/t/issuers/<shop>/did.json`), else did:key, which resolves offline from the key itself.
 */
export function issuerIdentity(base: string, shopId: string, publicKeyMultibase: string): IssuerIdentity {
  const url = new URL(base);
  if (url.protocol !== 'https:') {
    const did = `did:key:${publicKeyMultibase}`;
    return { did, verificationMethod: `${did}#${publicKeyMultibase}` };
  }
  const path = url.pathname.split('/').filter(Boolean).map(encodeURIComponent);
  const did = ['did:web', encodeURIComponent(url.host), ...path, 't', 'issuers', encodeURIComponent(shopId)].join(':');
  return { did, verificationMethod: `${did}#key-1`, didDocumentUrl: `${base}/t/issuers/${encodeURIComponent(shopId)}/did.json` };
}

/** Seals the issuer key when written plain or under a previous sealing key (server/access/seal-at-rest.ts); 1 when it changed. */
export async function resealIssuerKey(store: Store, shopId: string): Promise<number> {
  const issuer = await store.getDocument<IssuerKeyDocument>(shopId, ISSUER_KEY_REF);
  if (!issuer || !needsSealing(issuer.secretKeyMultibase)) return 0;
  const done = await updateOne<IssuerKeyDocument>(store, shopId, ISSUER_KEY_REF, (k) =>
    needsSealing(k.secretKeyMultibase) ? { ...k, secretKeyMultibase: resealed(k.secretKeyMultibase) } : undefined,
  );
  return done ? 1 : 0;
}
