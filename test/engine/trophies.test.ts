// The trophy rules as pure functions: what an award or a revocation makes of the
// documents it reads. The store runs them atomically (see test/server/trophies.test.ts).
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../server/errors.js';
import { grantAward, identityHashOf, revokeAward, trophyState } from '../../server/trophies/engine.js';
import type { AwardDocument, HolderDocument, TrophyDefinition } from '../../server/trophies/schemas.js';

const at = new Date('2026-01-05T10:00:00Z');
const trophy: TrophyDefinition = {
  id: 'roaster',
  name: 'Community roaster',
  description: 'Helps others',
  criteriaNarrative: 'Awarded for helping',
  levels: [{ level: 'bronze' }, { level: 'gold', name: 'Golden roaster', description: 'The best' }],
  createdAt: at.toISOString(),
  updatedAt: at.toISOString(),
};
const grant = (current: unknown[], input: Record<string, unknown> = {}, awardId = 'a'.repeat(21)) =>
  grantAward(current, { trophy, input: { customerId: 'c1', reason: 'Helpful', ...input }, awardId, salt: 'salt', at });
const status = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as DomainError).status;
  }
  return 'no error';
};

describe('grantAward', () => {
  it('creates the award with a snapshot, the hashed identity and the holder entry', () => {
    const { values, result } = grant([undefined, undefined], { level: 'gold' });
    expect(result.created).toBe(true);
    const award = values[1] as AwardDocument;
    expect(award).toMatchObject({ level: 'gold', awardedAt: '2026-01-05T10:00:00.000Z', customerId: 'c1', salt: 'salt' });
    expect(award.trophy).toMatchObject({ name: 'Community roaster', levelName: 'Golden roaster', levelDescription: 'The best' });
    expect(award.identityHash).toBe(identityHashOf('c1', 'salt'));
    expect(award.identityHash).toMatch(/^[0-9a-f]{64}$/);
    expect((values[0] as HolderDocument).awards).toEqual([{ awardId: award.id, trophyId: 'roaster', level: 'gold' }]);
  });

  it('defaults to the first level and refuses a level the trophy does not have (400) or already held (409)', () => {
    expect((grant([undefined, undefined]).values[1] as AwardDocument).level).toBe('bronze');
    expect(status(() => grant([undefined, undefined], { level: 'silver' }))).toBe(400);
    const holder: HolderDocument = { awards: [{ awardId: 'x', trophyId: 'roaster', level: 'bronze' }] };
    expect(status(() => grant([holder, undefined]))).toBe(409);
    expect(grant([holder, undefined], { level: 'gold' }).result.created).toBe(true);
  });

  it('replays a known request id unchanged, and refuses it for a different award', () => {
    const first = grant([undefined, undefined, undefined], { id: 'r1' });
    const request = first.values[2];
    const replay = grant([first.values[0], undefined, request], { id: 'r1' }, 'b'.repeat(21));
    expect(replay.result).toEqual({ created: false, awardId: 'a'.repeat(21) });
    expect(replay.values).toEqual([first.values[0], undefined, request]);
    expect(status(() => grant([first.values[0], undefined, request], { id: 'r1', reason: 'Other' }))).toBe(409);
  });
});

describe('revokeAward and trophyState', () => {
  it('revokes once, frees the level, and drops it from the earned list', () => {
    const { values } = grant([undefined, undefined]);
    const [holder, award] = values as [HolderDocument, AwardDocument];
    const later = new Date('2026-02-01T00:00:00Z');
    const revoked = revokeAward([award, holder], { trophyId: 'roaster', awardId: award.id, reason: 'Mistake', at: later });
    expect(revoked.result).toMatchObject({ revokedAt: '2026-02-01T00:00:00.000Z', revocationReason: 'Mistake' });
    expect(revoked.values[1]).toEqual({ awards: [] });
    const again = revokeAward([revoked.result, { awards: [] }], { trophyId: 'roaster', awardId: award.id, reason: 'Twice', at });
    expect(again.result.revocationReason).toBe('Mistake');
    expect(status(() => revokeAward([award, holder], { trophyId: 'other', awardId: award.id, reason: 'x', at }))).toBe(404);

    expect(trophyState([trophy], [award], 'https://x').trophies.map((t) => t.url)).toEqual([`https://x/t/${award.id}`]);
    const state = trophyState([trophy], [revoked.result], 'https://x');
    expect(state.trophies).toEqual([]);
    expect(state.lockedTrophies).toEqual([
      { id: 'roaster', name: 'Community roaster', description: 'Helps others', criteriaNarrative: 'Awarded for helping', levels: ['bronze', 'gold'] },
    ]);
  });
});
