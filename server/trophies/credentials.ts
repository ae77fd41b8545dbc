// The trophy credentials service: what the public /t routes serve. It gives an award
// its status index when first needed, signs with the shop's issuer key, and builds
// the documents a verifier resolves (status lists, the did:web document).
import type { Shop, Store } from '../store/store.js';
import { AWARDS } from './engine.js';
import { issuerIdentity, issuerKeyOf, type IssuerIdentity } from './issuer-key.js';
import { didDocument } from './jsonld.js';
import { credentialOf } from './public.js';
import type { AwardDocument } from './schemas.js';
import type { Verification } from './signing.js';

// The credential libraries (JSON-LD, RDF canonicalization) load on the first credential,
// not at start: the CLI and servers that never serve one start as fast as before.
const signing = () => import('./signing.js');
import {
  ALLOCATION_REF,
  ListMoved,
  assignStatusIndex,
  listOf,
  revokedRef,
  statusListUrl,
  type AllocationDocument,
  type RevokedDocument,
} from './status-list.js';

/** The award with its status index, giving it the next one if it has none yet. */
export async function withStatusIndex(store: Store, shopId: string, award: AwardDocument): Promise<AwardDocument & { statusIndex: number }> {
  const awardRef = { collection: AWARDS, id: award.id };
  for (let attempt = 0; ; attempt++) {
    if (award.statusIndex !== undefined) return award as AwardDocument & { statusIndex: number };
    const allocation = await store.getDocument<AllocationDocument>(shopId, ALLOCATION_REF);
    const list = listOf(allocation?.next ?? 0);
    try {
      award = await store.updateDocuments(shopId, [awardRef, ALLOCATION_REF, revokedRef(list)], (current) => {
        if (!current[0]) throw new ListMoved('the award is gone');
        return assignStatusIndex(current, list);
      });
    } catch (error) {
      // Another allocation filled the list in between: read the counter again.
      if (!(error instanceof ListMoved) || attempt >= 5) throw error;
    }
  }
}

async function issuerOf(store: Store, shop: Shop, base: string) {
  const key = await issuerKeyOf(store, shop.id);
  return { key, identity: issuerIdentity(base, shop.id, key.publicKeyMultibase) };
}

/** The award's signed Open Badges 3.0 credential. The proof is dated with the award, so it reads the same every time. */
export async function signedCredentialOf(store: Store, shop: Shop, award: AwardDocument, base: string) {
  const indexed = await withStatusIndex(store, shop.id, award);
  const { key, identity } = await issuerOf(store, shop, base);
  return (await signing()).signCredential(credentialOf(indexed, shop, base, identity), key, identity, indexed.awardedAt);
}

/** List `list` of the shop's revocation status lists, signed; undefined past the lists handed out. */
export async function signedStatusListOf(store: Store, shop: Shop, list: number, base: string, now: Date) {
  const allocation = await store.getDocument<AllocationDocument>(shop.id, ALLOCATION_REF);
  if (list > listOf(Math.max((allocation?.next ?? 0) - 1, 0))) return undefined;
  const revoked = await store.getDocument<RevokedDocument>(shop.id, revokedRef(list));
  const { key, identity } = await issuerOf(store, shop, base);
  const { signCredential, statusListCredential } = await signing();
  const unsigned = await statusListCredential(statusListUrl(base, shop.id, list), identity.did, revoked?.indices ?? []);
  // Dated to the hour: a cached signature serves until the list or the hour changes.
  const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000).toISOString();
  return signCredential(unsigned, key, identity, hour);
}

/** The shop's DID document (served for did:web; did:key needs none). */
export async function didDocumentOf(store: Store, shop: Shop, base: string): Promise<{ identity: IssuerIdentity; document: object }> {
  const { key, identity } = await issuerOf(store, shop, base);
  return { identity, document: didDocument(identity.did, identity.verificationMethod, key.publicKeyMultibase) };
}

/** Verifies the award's credential as served, offline, with the same documents a verifier would fetch from Kudos. */
export async function verifyAward(store: Store, shop: Shop, award: AwardDocument, base: string, now: Date): Promise<Verification> {
  const credential = await signedCredentialOf(store, shop, award, base);
  const { identity, document } = await didDocumentOf(store, shop, base);
  const status = credential.credentialStatus as { statusListCredential: string };
  const list = Number(status.statusListCredential.split('/').pop());
  const statusList = await signedStatusListOf(store, shop, list, base, now);
  return (await signing()).verifyCredential(credential, (url) => {
    if (url === status.statusListCredential) return statusList;
    if (url === identity.did) return document;
    if (url === identity.verificationMethod) {
      const method = (document as { verificationMethod: object[] }).verificationMethod[0]!;
      return { '@context': 'https://w3id.org/security/multikey/v1', ...method };
    }
    return undefined;
  });
}
