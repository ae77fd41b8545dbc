// Revocation as a W3C Bitstring Status List: each award gets an index in one of
// its shop's lists the first time its credential is needed; revoking sets that bit.
// The pure functions here are what store.updateDocuments runs.
import type { DocumentUpdate } from '../store/store.js';
import type { AwardDocument } from './schemas.js';

export const STATUS = 'trophy-status';
/** 131,072 entries (16 KB): the size the spec recommends so one bit hides among many. */
export const LIST_LENGTH = 131_072;

export const ALLOCATION_REF = { collection: STATUS, id: 'allocation' } as const;
export const revokedRef = (list: number) => ({ collection: STATUS, id: `revoked-${list}` });

/** `trophy-status/allocation`: the next index to hand out, across the shop's lists. */
export interface AllocationDocument {
  next: number;
}
/** `trophy-status/revoked-<n>`: the revoked positions of list n. */
export interface RevokedDocument {
  indices: number[];
}

export const listOf = (statusIndex: number) => Math.floor(statusIndex / LIST_LENGTH);
export const statusListUrl = (base: string, shopId: string, list: number) => `${base}/t/status/${encodeURIComponent(shopId)}/${list}`;

/** Thrown when another allocation moved the counter to the next list between the read and the write: read again. */
export class ListMoved extends Error {}

const withIndex = (revoked: RevokedDocument | undefined, position: number): RevokedDocument => {
  const indices = revoked?.indices ?? [];
  return indices.includes(position) ? { indices } : { indices: [...indices, position].sort((a, b) => a - b) };
};

/**
 * Documents: [the award, the allocation, revoked-<list>]. Gives the award the next
 * index if it has none (in `list`, else ListMoved); an award revoked before it had
 * an index is marked in its list at once.
 */
export function assignStatusIndex(current: unknown[], list: number): DocumentUpdate<AwardDocument> {
  const [award, allocation, revoked] = current as [AwardDocument, AllocationDocument | undefined, RevokedDocument | undefined];
  if (award.statusIndex !== undefined) return { values: current, result: award };
  const next = allocation?.next ?? 0;
  if (listOf(next) !== list) throw new ListMoved();
  const assigned: AwardDocument = { ...award, statusIndex: next };
  const marked = award.revokedAt ? withIndex(revoked, next % LIST_LENGTH) : revoked;
  return { values: [assigned, { next: next + 1 }, marked], result: assigned };
}

/** The revoked list after revoking the award at `statusIndex`. */
export const markRevoked = (revoked: RevokedDocument | undefined, statusIndex: number): RevokedDocument =>
  withIndex(revoked, statusIndex % LIST_LENGTH);

export function statusEntry(base: string, shopId: string, statusIndex: number) {
  const list = statusListUrl(base, shopId, listOf(statusIndex));
  const position = String(statusIndex % LIST_LENGTH);
  return {
    id: `${list}#${position}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: position,
    statusListCredential: list,
  };
}
