// Trophy rules as pure functions: what an award or a revocation makes of the
// documents it touches. Routes hand these to store.updateDocuments, which runs
// them with no other write in between, so "one award per customer, trophy and
// level" and "a retried request awards once" hold under concurrency.
import { createHash } from 'node:crypto';
import { problems } from '../errors.js';
import type { DocumentUpdate } from '../events/records.js';
import type {
  AwardDocument,
  AwardInput,
  AwardRequestDocument,
  AwardResponse,
  HolderDocument,
  TrophyDefinition,
  TrophyInput,
  TrophyLevel,
} from './schemas.js';
import { ListMoved, listOf, markRevoked, type RevokedDocument } from './status-list.js';
import type { LockedTrophyView, TrophyView } from './view.js';

export const TROPHIES = 'trophies';
export const AWARDS = 'trophy-awards';
export const HOLDERS = 'trophy-holders';
export const AWARD_REQUESTS = 'trophy-award-requests';

const conflict = problems.conflict;

/** The definition a PUT stores, keeping the creation date of the one it replaces. */
export function trophyDefinition(id: string, input: TrophyInput, existing: TrophyDefinition | undefined, at: Date): TrophyDefinition {
  const iso = at.toISOString();
  return { id, ...input, createdAt: existing?.createdAt ?? iso, updatedAt: iso };
}

/** OB 3.0 IdentityHash: hex sha256 over the identifier with the salt appended. */
export const identityHashOf = (customerId: string, salt: string) =>
  createHash('sha256').update(customerId + salt, 'utf8').digest('hex');

/** What makes two award requests "the same" for idempotent retries. */
const fingerprintOf = (trophyId: string, input: AwardInput, level: TrophyLevel) =>
  JSON.stringify([trophyId, input.customerId, level, input.reason]);

export interface GrantParams {
  trophy: TrophyDefinition;
  input: AwardInput;
  /** Fresh, unguessable id for the award if one is created. */
  awardId: string;
  salt: string;
  at: Date;
}

export type GrantResult = { created: true; award: AwardDocument } | { created: false; awardId: string };

/**
 * Documents: [holder of input.customerId, the new award, the request record (only when input.id is set)].
 * Throws a 409 problem when the customer already holds this level, or when the
 * client id was used for a different award.
 */
export function grantAward(current: unknown[], p: GrantParams): DocumentUpdate<GrantResult> {
  const [holderValue, , requestValue] = current as [HolderDocument | undefined, unknown, AwardRequestDocument | undefined];
  const { trophy, input } = p;
  const level = input.level ?? trophy.levels[0]!.level;
  const levelDef = trophy.levels.find((l) => l.level === level);
  if (!levelDef) {
    throw problems.validation([
      { pointer: '/level', detail: `this trophy has the levels ${trophy.levels.map((l) => l.level).join(', ')}` },
    ]);
  }
  const fingerprint = fingerprintOf(trophy.id, input, level);
  if (requestValue) {
    if (requestValue.fingerprint !== fingerprint) {
      throw conflict(`The award request id "${input.id}" was already used for a different award.`);
    }
    return { values: current, result: { created: false, awardId: requestValue.awardId } };
  }
  const holder: HolderDocument = holderValue ?? { awards: [] };
  if (holder.awards.some((a) => a.trophyId === trophy.id && a.level === level)) {
    throw conflict(`This customer already holds "${trophy.name}" at the ${level} level.`);
  }
  const award: AwardDocument = {
    id: p.awardId,
    trophyId: trophy.id,
    level,
    customerId: input.customerId,
    reason: input.reason,
    awardedAt: p.at.toISOString(),
    identityHash: identityHashOf(input.customerId, p.salt),
    salt: p.salt,
    ...(input.id ? { requestId: input.id } : {}),
    trophy: {
      name: trophy.name,
      description: trophy.description,
      ...(trophy.image ? { image: trophy.image } : {}),
      criteriaNarrative: trophy.criteriaNarrative,
      ...(levelDef.name ? { levelName: levelDef.name } : {}),
      ...(levelDef.description ? { levelDescription: levelDef.description } : {}),
    },
  };
  const values: unknown[] = [{ awards: [...holder.awards, { awardId: award.id, trophyId: trophy.id, level }] }, award];
  if (current.length > 2) values.push({ awardId: award.id, fingerprint } satisfies AwardRequestDocument);
  return { values, result: { created: true, award } };
}

/**
 * Documents: [the award, its customer's holder, and revoked-<list> when the award has
 * a status index in `list`]. Revoking frees the level (it can be awarded again) and
 * sets the award's bit in its status list. Revoking twice keeps the first revocation.
 * Throws ListMoved when the award's index is not in `list` (it got one meanwhile): read again.
 */
export function revokeAward(
  current: unknown[],
  p: { trophyId: string; awardId: string; reason: string; at: Date; list?: number },
): DocumentUpdate<AwardDocument> {
  const [award, holder, revokedList] = current as [AwardDocument | undefined, HolderDocument | undefined, RevokedDocument | undefined];
  if (!award || award.trophyId !== p.trophyId) throw problems.notFound(`No award "${p.awardId}" of trophy "${p.trophyId}" in this shop.`);
  if (award.revokedAt) return { values: current, result: award };
  const inList = award.statusIndex === undefined ? undefined : listOf(award.statusIndex);
  if (inList !== p.list) throw new ListMoved();
  const revoked: AwardDocument = { ...award, revokedAt: p.at.toISOString(), revocationReason: p.reason };
  const awards = (holder?.awards ?? []).filter((a) => a.awardId !== award.id);
  const values: unknown[] = [revoked, { awards }];
  if (award.statusIndex !== undefined) values.push(markRevoked(revokedList, award.statusIndex));
  return { values, result: revoked };
}

export const awardPageUrl = (base: string, awardId: string) => `${base}/t/${awardId}`;

export function awardResponse(award: AwardDocument, base: string): AwardResponse {
  return {
    awardId: award.id,
    trophyId: award.trophyId,
    level: award.level,
    reason: award.reason,
    awardedAt: award.awardedAt,
    url: awardPageUrl(base, award.id),
    credentialUrl: `${awardPageUrl(base, award.id)}.json`,
    ...(award.revokedAt ? { revokedAt: award.revokedAt, revocationReason: award.revocationReason } : {}),
  };
}

const LEVEL_RANK: Record<TrophyLevel, number> = { bronze: 0, silver: 1, gold: 2 };

/** Earned trophies (newest first; higher level first on the same date) and the ones not held at any level. */
export function trophyState(
  definitions: readonly TrophyDefinition[],
  awards: readonly AwardDocument[],
  base: string,
): { trophies: TrophyView[]; lockedTrophies: LockedTrophyView[] } {
  const live = awards.filter((a) => !a.revokedAt);
  const trophies = live
    .map((a): TrophyView => {
      // Shown as the shop describes it now; as awarded if the trophy was deleted.
      const d = definitions.find((t) => t.id === a.trophyId);
      const image = d ? d.image : a.trophy.image;
      return {
        id: a.trophyId,
        awardId: a.id,
        name: d?.name ?? a.trophy.name,
        description: d?.description ?? a.trophy.description,
        ...(image ? { image } : {}),
        level: a.level,
        ...(a.trophy.levelName ? { levelName: a.trophy.levelName } : {}),
        awardedAt: a.awardedAt,
        url: awardPageUrl(base, a.id),
      };
    })
    .sort((x, y) => y.awardedAt.localeCompare(x.awardedAt) || LEVEL_RANK[y.level] - LEVEL_RANK[x.level]);
  const held = new Set(live.map((a) => a.trophyId));
  const lockedTrophies = definitions
    .filter((d) => !held.has(d.id))
    .map((d) => ({
      id: d.id,
      name: d.name,
      description: d.description,
      ...(d.image ? { image: d.image } : {}),
      criteriaNarrative: d.criteriaNarrative,
      levels: d.levels.map((l) => l.level),
    }));
  return { trophies, lockedTrophies };
}
