// The JSON-LD document loader for signing and verifying trophy credentials. It never
// fetches: contexts are bundled (contexts/README.md says where each comes from), a
// did:key is resolved from the key itself, and anything else must be handed in by
// the caller (a shop's own did:web document, its status list).
import credentialsV2 from './contexts/credentials-v2.json' with { type: 'json' };
import obContext303 from './contexts/ob-context-3.0.3.json' with { type: 'json' };

export const CREDENTIALS_V2 = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const DID_V1 = 'https://www.w3.org/ns/did/v1';
export const MULTIKEY_V1 = 'https://w3id.org/security/multikey/v1';

const BUNDLED = new Map<string, unknown>([
  [CREDENTIALS_V2, credentialsV2],
  [OB_CONTEXT, obContext303],
]);

export type Loaded = { contextUrl: null; documentUrl: string; document: unknown };
export type DocumentLoader = (url: string) => Promise<Loaded>;

/** A verification method and the DID document of its controller. */
export function didDocument(did: string, verificationMethod: string, publicKeyMultibase: string) {
  const method = { id: verificationMethod, type: 'Multikey', controller: did, publicKeyMultibase };
  return {
    '@context': [DID_V1, MULTIKEY_V1],
    id: did,
    verificationMethod: [method],
    assertionMethod: [verificationMethod],
    authentication: [verificationMethod],
  };
}

/** did:key:z6Mk… names its own Ed25519 key: its document needs no lookup. */
function didKeyDocument(url: string): unknown | undefined {
  const match = /^did:key:(z6Mk[1-9A-HJ-NP-Za-km-z]+)(?:#(.*))?$/.exec(url);
  if (!match) return undefined;
  const [, multibase, fragment] = match;
  const did = `did:key:${multibase}`;
  const doc = didDocument(did, `${did}#${multibase}`, multibase!);
  if (fragment === undefined) return doc;
  return fragment === multibase ? { '@context': MULTIKEY_V1, ...doc.verificationMethod[0] } : undefined;
}

/**
 * Loader over the bundled contexts, did:key, and `extra(url)` for documents the
 * caller knows (e.g. its own did:web document or status list). Throws for anything
 * else, so a credential naming an unknown context fails instead of going online.
 */
export function offlineLoader(extra: (url: string) => unknown | undefined = () => undefined): DocumentLoader {
  return async (url: string) => {
    const document = BUNDLED.get(url) ?? didKeyDocument(url) ?? extra(url);
    if (document === undefined) throw new Error(`Refusing to fetch "${url}": not a bundled context or a known document.`);
    return { contextUrl: null, documentUrl: url, document };
  };
}
