// Share-to-save rules: pure functions over a group, its campaign and a member's
// open groups. No I/O and no clock: callers pass `now` (ms) and a code generator,
// so tests are exact and `updateDocuments` can run them atomically.
import { DomainError, type ProblemSlug } from '../errors.js';
import type { Campaign, GroupMemberView, GroupStatus, GroupView, Tier } from './schemas.js';

export interface Member {
  customerId: string;
  joinedAt: string;
  discountCode?: string;
  percentOff?: number;
  /** Order that spent the code (single use). */
  usedOrderId?: string;
}

export interface Group {
  code: string;
  campaignId: string;
  productId: string | null;
  shareUrl: string | null;
  ownerId: string;
  createdAt: string;
  expiresAt: string;
  // Copied from the campaign when the group starts: editing a campaign never
  // changes what an open group was promised.
  tiers: Tier[];
  maxMembers: number;
  members: Member[];
  /** Index into `tiers` of the tier reached; -1 before the first unlock. */
  tierIndex: number;
  unlockedAt?: string;
  /** Set once the window is over and its outcome recorded (group.expired), so that happens once. */
  settledAt?: string;
}

/** Per customer and campaign: the groups they are in, to cap how many are open at once. */
export interface Memberships {
  groups: { code: string; expiresAt: string }[];
}

/** What a change did, for the events the caller records. */
export interface Transition {
  joined: boolean;
  /** Members now due a code the shop's backend must supply (issuer "shop"). */
  codesNeeded: string[];
  /** Tier index newly reached (first unlock or an upgrade). */
  reached?: number;
  firstUnlock: boolean;
}

const problem = (slug: ProblemSlug, detail: string) => new DomainError(slug, detail);

export const shareSaveProblems = {
  campaignInactive: (detail: string) => problem('campaign-not-active', detail),
  windowOver: (status: 'closed' | 'expired') =>
    problem('group-window-over', status === 'closed'
        ? 'This group closed at its deadline; it no longer takes members.'
        : 'This group expired before enough people joined; start a new one.',
    ),
  full: () => problem('group-full', 'This group has reached its maximum number of members.'),
  alreadyMember: (owner: boolean) =>
    problem('already-member', owner ? 'You started this group: share the link with friends instead.' : 'You have already joined this group.',
    ),
  tooManyOpen: (max: number) =>
    problem('too-many-open-groups', `A customer can be in at most ${max} open ${max === 1 ? 'group' : 'groups'} of this campaign at a time.`,
    ),
  newCustomersOnly: () =>
    problem('new-customers-only', 'This offer is for people who have not ordered from this shop before.'),
};

export const msOf = (iso: string) => Date.parse(iso);

export function campaignActive(campaign: Pick<Campaign, 'startsAt' | 'endsAt'>, now: number): boolean {
  return !(campaign.startsAt && now < msOf(campaign.startsAt)) && !(campaign.endsAt && now >= msOf(campaign.endsAt));
}

/** The window is half-open: a join at `expiresAt - 1 ms` counts, one at `expiresAt` does not. */
export function statusOf(group: Group, now: number): GroupStatus {
  if (now >= msOf(group.expiresAt)) return group.tierIndex >= 0 ? 'closed' : 'expired';
  if (group.members.length >= group.maxMembers) return 'full';
  return group.tierIndex >= 0 ? 'unlocked' : 'open';
}

/** Highest tier whose size `count` reaches, or -1. */
export function tierFor(tiers: readonly Tier[], count: number): number {
  let reached = -1;
  tiers.forEach((t, i) => {
    if (count >= t.members) reached = i;
  });
  return reached;
}

const openIn = (m: Memberships | undefined, now: number) => (m?.groups ?? []).filter((g) => msOf(g.expiresAt) > now);

function admit(memberships: Memberships | undefined, code: string, expiresAt: string, max: number, now: number): Memberships {
  const open = openIn(memberships, now);
  if (open.length >= max) throw shareSaveProblems.tooManyOpen(max);
  // Closed groups are dropped here, so the document stays small.
  return { groups: [...open, { code, expiresAt }] };
}

export function startGroup(input: {
  campaign: Campaign;
  code: string;
  ownerId: string;
  productId: string | null;
  shareUrl: string | null;
  memberships: Memberships | undefined;
  now: number;
}): { group: Group; memberships: Memberships } {
  const { campaign, code, ownerId, now } = input;
  if (!campaignActive(campaign, now)) throw shareSaveProblems.campaignInactive('This campaign is not running now.');
  const at = new Date(now).toISOString();
  const expiresAt = new Date(now + campaign.windowHours * 3_600_000).toISOString();
  const memberships = admit(input.memberships, code, expiresAt, campaign.maxOpenGroupsPerCustomer, now);
  return {
    memberships,
    group: {
      code,
      campaignId: campaign.id,
      productId: input.productId,
      shareUrl: input.shareUrl,
      ownerId,
      createdAt: at,
      expiresAt,
      tiers: campaign.tiers,
      maxMembers: campaign.maxMembers,
      members: [{ customerId: ownerId, joinedAt: at }],
      tierIndex: -1,
    },
  };
}

/**
 * Add `customerId` to the group. When that reaches a tier, every member gets a
 * fresh single-use code for its discount (an upgrade replaces lower-tier codes
 * that were not spent yet). Throws the 4xx that says why a join is refused.
 */
export function joinGroup(input: {
  group: Group;
  campaign: Campaign;
  customerId: string;
  memberships: Memberships | undefined;
  /** Orders this shopper has placed with the shop (for "new customers only"). */
  purchases: number;
  now: number;
  /** Null when the shop's backend issues codes: members are then due a code for `percentOff` until it supplies one. */
  newDiscountCode: (() => string) | null;
}): { group: Group; memberships: Memberships; transition: Transition } {
  const { group, campaign, customerId, now } = input;
  const existing = group.members.find((m) => m.customerId === customerId);
  if (existing) throw shareSaveProblems.alreadyMember(customerId === group.ownerId);
  const status = statusOf(group, now);
  if (status === 'closed' || status === 'expired') throw shareSaveProblems.windowOver(status);
  if (status === 'full') throw shareSaveProblems.full();
  if (campaign.newCustomersOnly && input.purchases > 0) throw shareSaveProblems.newCustomersOnly();
  const memberships = admit(input.memberships, group.code, group.expiresAt, campaign.maxOpenGroupsPerCustomer, now);
  const at = new Date(now).toISOString();
  const members: Member[] = [...group.members.map((m) => ({ ...m })), { customerId, joinedAt: at }];
  const reached = tierFor(group.tiers, members.length);
  const next: Group = { ...group, members, tierIndex: Math.max(group.tierIndex, reached) };
  const transition: Transition = { joined: true, firstUnlock: false, codesNeeded: [] };
  if (reached > group.tierIndex) {
    transition.reached = reached;
    transition.firstUnlock = group.tierIndex < 0;
    if (transition.firstUnlock) next.unlockedAt = at;
  }
  // Every member holds a code for the current tier: new ones on a tier change,
  // and the newcomer's own when joining an already unlocked group.
  const percentOff = next.tierIndex >= 0 ? next.tiers[next.tierIndex]!.percentOff : undefined;
  if (percentOff !== undefined) {
    for (const m of members) {
      if (m.usedOrderId || m.percentOff === percentOff) continue;
      m.percentOff = percentOff;
      if (input.newDiscountCode) m.discountCode = input.newDiscountCode();
      else delete m.discountCode;
    }
  }
  // Newly due only: members already waiting for a code of this size were announced before.
  const wasDue = (m: Member) => group.members.some((o) => o.customerId === m.customerId && codePending(o) && o.percentOff === m.percentOff);
  transition.codesNeeded = members.filter((m) => codePending(m) && !wasDue(m)).map((m) => m.customerId);
  return { group: next, memberships, transition };
}

/** Due a discount whose code the shop has not supplied yet. */
export const codePending = (m: Member) => m.percentOff !== undefined && m.discountCode === undefined && !m.usedOrderId;

/**
 * The shop's backend supplies a member's code. Idempotent for the same code; refused
 * (409) when the member is due another discount by now, or already holds a code.
 */
export function supplyCode(group: Group, customerId: string, discountCode: string, percentOff: number): Group {
  const i = group.members.findIndex((m) => m.customerId === customerId);
  const member = group.members[i];
  if (!member) throw problem('not-found', `No member "${customerId}" in group "${group.code}".`);
  if (member.discountCode === discountCode && member.percentOff === percentOff) return group;
  if (!codePending(member)) {
    throw problem('code-not-due', member.discountCode ? 'This member already holds a code for their discount.' : 'This member is not due a discount yet.');
  }
  if (member.percentOff !== percentOff) {
    throw problem('code-not-due', `This member is due −${member.percentOff}% now, not −${percentOff}%: the group moved to another tier.`);
  }
  if (group.members.some((m) => m.discountCode === discountCode)) {
    throw problem('code-in-use', 'Another member of this group holds this code; codes are single-use.');
  }
  return { ...group, members: group.members.map((m, j) => (j === i ? { ...m, discountCode } : m)) };
}

/** What the shop (secret key) sees of each member. */
export function membersView(group: Group): GroupMemberView[] {
  return group.members.map((m) => ({
    customerId: m.customerId,
    role: m.customerId === group.ownerId ? 'owner' : 'member',
    joinedAt: m.joinedAt,
    percentOff: m.percentOff ?? null,
    discountCode: m.discountCode ?? null,
    codePending: codePending(m),
    usedOrderId: m.usedOrderId ?? null,
  }));
}

/** The group as `viewer` may see it: progress for anyone, a code only for its own member. */
export function groupView(group: Group, now: number, viewer: string | undefined): GroupView {
  const status = statusOf(group, now);
  const open = status === 'open' || status === 'unlocked';
  const nextTier = open ? group.tiers[group.tierIndex + 1] : undefined;
  const me = viewer === undefined ? undefined : group.members.find((m) => m.customerId === viewer);
  return {
    code: group.code,
    campaign: group.campaignId,
    productId: group.productId,
    shareUrl: group.shareUrl,
    createdAt: group.createdAt,
    expiresAt: group.expiresAt,
    status,
    members: group.members.length,
    maxMembers: group.maxMembers,
    tiers: group.tiers,
    tier: group.tierIndex >= 0 ? group.tiers[group.tierIndex]! : null,
    nextTier: nextTier && nextTier.members <= group.maxMembers ? { ...nextTier, needed: nextTier.members - group.members.length } : null,
    ...(me && {
      you: {
        role: me.customerId === group.ownerId ? ('owner' as const) : ('member' as const),
        joinedAt: me.joinedAt,
        discountCode: me.discountCode ?? null,
        percentOff: me.percentOff ?? null,
        used: Boolean(me.usedOrderId),
        codePending: codePending(me),
      },
    }),
  };
}

/** Mark a member's code spent by `orderId`; undefined when the code is not this group's or already spent elsewhere. */
export function spendCode(group: Group, discountCode: string, orderId: string): { group: Group; member: Member } | undefined {
  const i = group.members.findIndex((m) => m.discountCode === discountCode);
  const member = group.members[i];
  if (!member || (member.usedOrderId && member.usedOrderId !== orderId)) return undefined;
  if (member.usedOrderId === orderId) return { group, member };
  const members = group.members.map((m, j) => (j === i ? { ...m, usedOrderId: orderId } : m));
  return { group: { ...group, members }, member: members[i]! };
}
