// Share-to-save rules with an injected clock: tiers, deadline edges, upgrades, abuse rules.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../server/errors.js';
import { groupView, joinGroup, spendCode, startGroup, statusOf, supplyCode, type Group, type Memberships } from '../../server/share-save/engine.js';
import { CampaignInput, type Campaign } from '../../server/share-save/schemas.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const HOUR = 3_600_000;

const campaign = (over: Partial<Campaign> = {}): Campaign => ({
  id: 'duo',
  name: 'Share & save',
  scope: { kind: 'product', productId: 'mug' },
  tiers: [
    { members: 2, percentOff: 10 },
    { members: 4, percentOff: 20 },
  ],
  windowHours: 24,
  maxMembers: 5,
  newCustomersOnly: false,
  maxOpenGroupsPerCustomer: 2,
  codes: { issuer: 'kudos', prefix: '' },
  createdAt: '',
  updatedAt: '',
  ...over,
});

function codes() {
  let n = 0;
  return () => `CODE${++n}`;
}

function start(c = campaign(), owner = 'owner', memberships?: Memberships, now = T0) {
  return startGroup({ campaign: c, code: 'GRP', ownerId: owner, productId: 'mug', shareUrl: null, memberships, now }).group;
}

function join(group: Group, who: string, opts: { now?: number; c?: Campaign; purchases?: number; memberships?: Memberships; next?: (() => string) | null } = {}) {
  return joinGroup({
    group,
    campaign: opts.c ?? campaign(),
    customerId: who,
    memberships: opts.memberships,
    purchases: opts.purchases ?? 0,
    now: opts.now ?? T0 + HOUR,
    newDiscountCode: opts.next === undefined ? codes() : opts.next,
  });
}

function refusal(fn: () => unknown): { status: number; slug: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return { status: e.status, slug: e.slug };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('share-to-save tiers', () => {
  it('starts open with the owner alone, the first tier next, and the window from the clock', () => {
    const g = start();
    expect(g.expiresAt).toBe(new Date(T0 + 24 * HOUR).toISOString());
    const v = groupView(g, T0, 'owner');
    expect(v).toMatchObject({ status: 'open', members: 1, tier: null, nextTier: { members: 2, percentOff: 10, needed: 1 } });
    expect(v.you).toMatchObject({ role: 'owner', discountCode: null });
  });

  it('unlocks the first tier when the second person joins: each member gets a distinct code', () => {
    const { group, transition } = join(start(), 'alice');
    expect(transition).toEqual({ joined: true, reached: 0, firstUnlock: true, codesNeeded: [] });
    const owner = groupView(group, T0 + HOUR, 'owner').you!;
    const alice = groupView(group, T0 + HOUR, 'alice').you!;
    expect(owner).toMatchObject({ percentOff: 10 });
    expect(alice).toMatchObject({ percentOff: 10, role: 'member' });
    expect(owner.discountCode).toBeTruthy();
    expect(owner.discountCode).not.toBe(alice.discountCode);
    expect(groupView(group, T0 + HOUR, 'alice')).toMatchObject({ status: 'unlocked', nextTier: { members: 4, needed: 2 } });
  });

  it('never shows another member’s code, nor who the members are', () => {
    const { group } = join(start(), 'alice');
    const stranger = groupView(group, T0 + HOUR, 'mallory');
    expect(stranger.you).toBeUndefined();
    expect(JSON.stringify(stranger)).not.toMatch(/alice|owner|CODE/);
    expect(JSON.stringify(groupView(group, T0 + HOUR, undefined))).not.toMatch(/CODE/);
  });

  it('upgrades every member to a new code for the higher tier; a third member alone changes nothing but gets the current tier', () => {
    const next = codes();
    let g = join(start(), 'a', { next }).group;
    const third = join(g, 'b', { next });
    expect(third.transition.reached).toBeUndefined();
    expect(groupView(third.group, T0, 'b').you).toMatchObject({ percentOff: 10 });
    expect(groupView(third.group, T0, 'a').you!.discountCode).toBe(groupView(g, T0, 'a').you!.discountCode);
    const fourth = join(third.group, 'c', { next });
    expect(fourth.transition).toEqual({ joined: true, reached: 1, firstUnlock: false, codesNeeded: [] });
    g = fourth.group;
    const all = ['owner', 'a', 'b', 'c'].map((w) => groupView(g, T0, w).you!);
    expect(all.map((y) => y.percentOff)).toEqual([20, 20, 20, 20]);
    expect(new Set(all.map((y) => y.discountCode)).size).toBe(4);
    expect(groupView(g, T0, 'a').you!.discountCode).not.toBe(groupView(third.group, T0, 'a').you!.discountCode);
    expect(groupView(g, T0, 'a').nextTier).toBeNull();
  });

  it('keeps a spent code as it was on an upgrade (single use: the order already used it)', () => {
    const next = codes();
    let g = join(start(), 'a', { next }).group;
    const ownerCode = groupView(g, T0, 'owner').you!.discountCode!;
    g = spendCode(g, ownerCode, 'order-1')!.group;
    g = join(join(g, 'b', { next }).group, 'c', { next }).group;
    expect(groupView(g, T0, 'owner').you).toMatchObject({ discountCode: ownerCode, percentOff: 10, used: true });
    expect(groupView(g, T0, 'a').you).toMatchObject({ percentOff: 20, used: false });
  });
});

describe('share-to-save deadline', () => {
  const expiry = T0 + 24 * HOUR;

  it('accepts a join 1 ms before the deadline', () => {
    expect(join(start(), 'alice', { now: expiry - 1 }).group.members).toHaveLength(2);
  });

  it('refuses a join at the deadline and after it (410), expired with no discount', () => {
    expect(refusal(() => join(start(), 'alice', { now: expiry }))).toEqual({ status: 410, slug: 'group-window-over' });
    expect(refusal(() => join(start(), 'alice', { now: expiry + 1 }))).toEqual({ status: 410, slug: 'group-window-over' });
    expect(groupView(start(), expiry, 'owner')).toMatchObject({ status: 'expired', tier: null, nextTier: null });
  });

  it('closes at the tier reached: codes stay, no next tier', () => {
    const g = join(start(), 'alice').group;
    expect(statusOf(g, expiry - 1)).toBe('unlocked');
    expect(groupView(g, expiry, 'alice')).toMatchObject({ status: 'closed', tier: { percentOff: 10 }, nextTier: null });
    expect(groupView(g, expiry, 'alice').you!.discountCode).toBeTruthy();
  });

  it('refuses to start a group before the campaign starts or once it ended', () => {
    const c = campaign({ startsAt: new Date(T0 + 1).toISOString(), endsAt: new Date(T0 + 10).toISOString() });
    expect(refusal(() => start(c, 'o', undefined, T0))).toEqual({ status: 409, slug: 'campaign-not-active' });
    expect(start(c, 'o', undefined, T0 + 1).members).toHaveLength(1);
    expect(refusal(() => start(c, 'o', undefined, T0 + 10))).toEqual({ status: 409, slug: 'campaign-not-active' });
  });
});

describe('share-to-save abuse rules', () => {
  it('one membership per identity: the owner cannot join, a member cannot join twice', () => {
    const g = join(start(), 'alice').group;
    expect(refusal(() => join(g, 'owner'))).toEqual({ status: 409, slug: 'already-member' });
    expect(refusal(() => join(g, 'alice'))).toEqual({ status: 409, slug: 'already-member' });
  });

  it('a full group takes nobody else', () => {
    let g = start(campaign({ maxMembers: 4 }));
    for (const w of ['a', 'b', 'c']) g = join(g, w).group;
    expect(statusOf(g, T0)).toBe('full');
    expect(refusal(() => join(g, 'd'))).toEqual({ status: 409, slug: 'group-full' });
  });

  it('"new customers only" refuses a joiner with a recorded purchase', () => {
    const c = campaign({ newCustomersOnly: true });
    expect(refusal(() => join(start(c), 'loyal', { c, purchases: 1 }))).toEqual({ status: 403, slug: 'new-customers-only' });
    expect(join(start(c), 'fresh', { c, purchases: 0 }).group.members).toHaveLength(2);
  });

  it('a customer is in at most N open groups of a campaign; closed ones stop counting', () => {
    const c = campaign({ maxOpenGroupsPerCustomer: 2 });
    let m: Memberships | undefined;
    m = startGroup({ campaign: c, code: 'G1', ownerId: 'x', productId: 'mug', shareUrl: null, memberships: m, now: T0 }).memberships;
    m = join(start(c, 'y'), 'x', { c, memberships: m, now: T0 }).memberships;
    expect(refusal(() => startGroup({ campaign: c, code: 'G3', ownerId: 'x', productId: 'mug', shareUrl: null, memberships: m, now: T0 }))).toEqual({
      status: 409,
      slug: 'too-many-open-groups',
    });
    expect(refusal(() => join(start(c, 'z'), 'x', { c, memberships: m, now: T0 }))).toEqual({ status: 409, slug: 'too-many-open-groups' });
    const later = T0 + 24 * HOUR;
    const again = startGroup({ campaign: c, code: 'G4', ownerId: 'x', productId: 'mug', shareUrl: null, memberships: m, now: later });
    expect(again.memberships.groups.map((g) => g.code)).toEqual(['G4']);
  });

  it('a code is spent once: another order with it is not attributed', () => {
    const g = join(start(), 'alice').group;
    const code = groupView(g, T0, 'alice').you!.discountCode!;
    const first = spendCode(g, code, 'o1')!;
    expect(spendCode(first.group, code, 'o1')?.group).toBe(first.group);
    expect(spendCode(first.group, code, 'o2')).toBeUndefined();
    expect(spendCode(g, 'NOT-A-CODE', 'o3')).toBeUndefined();
  });
});

describe('campaign validation', () => {
  const base = { name: 'Duo', scope: { kind: 'cart' }, tiers: [{ members: 2, percentOff: 10 }], windowHours: 24, maxMembers: 3 };

  it('accepts a minimal campaign and fills the defaults', () => {
    expect(CampaignInput.parse(base)).toMatchObject({ newCustomersOnly: false, maxOpenGroupsPerCustomer: 3, codes: { issuer: 'kudos' } });
  });

  it('refuses tiers out of order, a max below the top tier, and unknown fields', () => {
    const bad = CampaignInput.safeParse({
      ...base,
      tiers: [
        { members: 3, percentOff: 10 },
        { members: 2, percentOff: 15 },
      ],
      maxMembers: 2,
      extra: true,
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('/'));
    expect(paths).toEqual(['', 'tiers/1']);
    expect(bad.error!.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['extra'] });
    const small = CampaignInput.safeParse({ ...base, tiers: [{ members: 4, percentOff: 10 }], maxMembers: 3 });
    expect(small.error!.issues.map((i) => i.path.join('/'))).toEqual(['maxMembers']);
  });
});

describe('share-to-save codes the shop issues', () => {
  const byShop = { next: null };

  it('makes every member due the tier’s discount, with no code, and names exactly the newly due', () => {
    const first = join(start(), 'a', byShop);
    expect(first.transition.codesNeeded).toEqual(['owner', 'a']);
    expect(groupView(first.group, T0 + HOUR, 'a').you).toMatchObject({ percentOff: 10, discountCode: null, codePending: true });
    // A newcomer to an unlocked group below the next tier: only they are newly due.
    const wide = campaign({ tiers: [{ members: 2, percentOff: 10 }, { members: 4, percentOff: 20 }] });
    const third = join(first.group, 'b', { ...byShop, c: wide });
    expect(third.transition.codesNeeded).toEqual(['b']);
    // Reaching the next tier: every member is due the larger discount again.
    const fourth = join(third.group, 'c', { ...byShop, c: wide });
    expect(fourth.transition.codesNeeded).toEqual(['owner', 'a', 'b', 'c']);
    expect(fourth.group.members.every((m) => m.percentOff === 20 && m.discountCode === undefined)).toBe(true);
  });

  it('takes a supplied code for the discount due, idempotently, and refuses stale, second and shared codes', () => {
    const { group } = join(start(), 'a', byShop);
    const withCode = supplyCode(group, 'a', 'SHOP-1', 10);
    expect(groupView(withCode, T0 + HOUR, 'a').you).toMatchObject({ discountCode: 'SHOP-1', codePending: false });
    expect(supplyCode(withCode, 'a', 'SHOP-1', 10)).toBe(withCode);
    expect(refusal(() => supplyCode(withCode, 'a', 'SHOP-2', 10))).toEqual({ status: 409, slug: 'code-not-due' });
    expect(refusal(() => supplyCode(withCode, 'owner', 'SHOP-1', 10))).toEqual({ status: 409, slug: 'code-in-use' });
    expect(refusal(() => supplyCode(withCode, 'owner', 'SHOP-3', 20))).toEqual({ status: 409, slug: 'code-not-due' });
    expect(refusal(() => supplyCode(withCode, 'nobody', 'SHOP-3', 10))).toEqual({ status: 404, slug: 'not-found' });
    expect(refusal(() => supplyCode(start(), 'owner', 'SHOP-3', 10))).toEqual({ status: 409, slug: 'code-not-due' });
  });
});
