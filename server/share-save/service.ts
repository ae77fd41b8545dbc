// Share-to-save on top of the store: each change is one `updateDocuments` call
// running a pure engine function, so "exactly once" and "at most N" hold under
// concurrent requests; state changes then become events for badges, KPIs and webhooks.
import { putDefinition } from '../store/put-definition.js';
import { createHash } from 'node:crypto';
import { customAlphabet } from 'nanoid';
import { DomainError, problems, withDocs } from '../http/problem.js';
import { recordEvents } from '../events/record-events.js';
import type { BrowserLimits, RecordedEvent, Store } from '../store/store.js';
import {
  groupView,
  joinGroup,
  membersView,
  spendCode,
  supplyCode,
  startGroup,
  statusOf,
  type Group,
  type Memberships,
  type Transition,
} from './engine.js';
import { GROUP_CODE_ALPHABET, GROUP_CODE_LENGTH, type Campaign, type CampaignInput, type GroupMemberView, type GroupView } from './schemas.js';

export const COLLECTIONS = {
  campaigns: 'shareSaveCampaigns',
  groups: 'shareSaveGroups',
  memberships: 'shareSaveMemberships',
  suppliedCodes: 'shareSaveSuppliedCodes',
};

/** Every campaign of the shop, as stored: the console's Programs tab (share-save has no list route). */
export async function listCampaigns(store: Store, shopId: string): Promise<Campaign[]> {
  return store.listDocuments<Campaign>(shopId, COLLECTIONS.campaigns);
}

/** Every group of the shop, as stored: the KPIs count their members and the orders that spent their codes. */
export async function listGroups(store: Store, shopId: string): Promise<Group[]> {
  return store.listDocuments<Group>(shopId, COLLECTIONS.groups);
}

/** Stores groups formed elsewhere (the demo history), keeping any group already under the same code. */
export async function putGroupsIfAbsent(store: Store, shopId: string, groups: readonly Group[]): Promise<void> {
  await store.updateDocuments(
    shopId,
    groups.map((g) => groupRef(g.code)),
    (current) => ({ values: current.map((c, i) => c ?? groups[i]), result: null }),
  );
}

/** Random strings from `alphabet`; injectable so tests can predict codes. */
export type RandomString = (alphabet: string, size: number) => string;

export const secureRandom: RandomString = (alphabet, size) => customAlphabet(alphabet, size)();

/** Random part of a discount code: 8 characters (~40 bits) that another member of the group cannot guess. */
const DISCOUNT_SECRET_LENGTH = 8;

export interface ShareSaveDeps {
  store: Store;
  now: () => Date;
  random: RandomString;
}

const campaignRef = (id: string) => ({ collection: COLLECTIONS.campaigns, id });
const groupRef = (code: string) => ({ collection: COLLECTIONS.groups, id: code });
const membershipsRef = (campaignId: string, customerId: string) => ({
  collection: COLLECTIONS.memberships,
  id: `${campaignId}/${customerId}`,
});

// Event ids stay inside the EventId alphabet whatever the customer id contains.
const idPart = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 16);

export async function putCampaign(
  deps: ShareSaveDeps,
  shopId: string,
  id: string,
  input: CampaignInput,
): Promise<{ campaign: Campaign; created: boolean }> {
  const { value: campaign, created } = await putDefinition<CampaignInput>(deps.store, deps.now, shopId, campaignRef(id), input);
  return { campaign: campaign as Campaign, created };
}

export async function getCampaign(deps: ShareSaveDeps, shopId: string, id: string): Promise<Campaign> {
  const campaign = await deps.store.getDocument<Campaign>(shopId, campaignRef(id));
  if (!campaign) throw withDocs(problems.notFound(`No share-to-save campaign "${id}" in this shop.`), 'share-save.md');
  return campaign;
}

async function getGroup(deps: ShareSaveDeps, shopId: string, code: string): Promise<Group> {
  const group = await deps.store.getDocument<Group>(shopId, groupRef(code));
  if (!group) throw problems.notFound(`No group "${code}" in this shop.`);
  return group;
}

function groupEvent(type: string, id: string, customerId: string, group: Group, at: string, extra: RecordedEvent['properties'] = {}): RecordedEvent {
  return {
    id,
    type,
    customerId,
    occurredAt: at,
    properties: { group: group.code, campaign: group.campaignId, members: group.members.length, ...extra },
  };
}

export async function createGroup(
  deps: ShareSaveDeps,
  shopId: string,
  input: { campaign: Campaign; ownerId: string; productId: string | null; shareBase: string | null },
  /** A group started with the publishable key: its event counts against the shop's browser events (server/limits). */
  limits?: BrowserLimits,
): Promise<GroupView> {
  const { campaign, ownerId } = input;
  const now = deps.now().getTime();
  // A fresh code that happens to exist (59 bits: practically never) is simply redrawn.
  for (;;) {
    const code = deps.random(GROUP_CODE_ALPHABET, GROUP_CODE_LENGTH);
    const shareUrl = input.shareBase === null ? null : withGroupParam(input.shareBase, code);
    const eventId = `group.created:${code}`;
    // Checked before the group is written, so a group past the quota stores nothing (the event's recording checks again).
    if (limits) {
      await deps.store.checkLimits(shopId, [{ id: eventId, type: 'group.created', customerId: ownerId, occurredAt: new Date(now).toISOString(), properties: {}, browser: true }], limits);
    }
    const group = await deps.store.updateDocuments(
      shopId,
      [groupRef(code), membershipsRef(campaign.id, ownerId)],
      ([existing, memberships]) => {
        if (existing) return { values: [existing, memberships], result: undefined };
        const started = startGroup({
          campaign,
          code,
          ownerId,
          productId: input.productId,
          shareUrl,
          memberships: memberships as Memberships | undefined,
          now,
        });
        return { values: [started.group, started.memberships], result: started.group };
      },
    );
    if (!group) continue;
    await recordEvents(deps.store, deps.now, shopId, [{ ...groupEvent('group.created', eventId, ownerId, group, group.createdAt), ...(limits && { browser: true }) }], { limits });
    return groupView(group, now, ownerId);
  }
}

export function withGroupParam(base: string, code: string): string {
  const url = new URL(base);
  url.searchParams.set('kudos_group', code);
  url.hash = '';
  return url.href;
}

export async function joinGroupAs(deps: ShareSaveDeps, shopId: string, code: string, customerId: string): Promise<GroupView> {
  const found = await getGroup(deps, shopId, code);
  const campaign = await getCampaign(deps, shopId, found.campaignId);
  const purchases = (await deps.store.getCustomer(shopId, customerId))?.stats.purchase?.count ?? 0;
  const now = deps.now().getTime();
  // Codes are drawn before the atomic update so the update itself stays pure.
  const codes = Array.from({ length: found.maxMembers }, () => deps.random(GROUP_CODE_ALPHABET, DISCOUNT_SECRET_LENGTH));
  const codesBy = campaign.codes;
  let drawn = 0;
  const { group, transition } = await deps.store.updateDocuments(
    shopId,
    [groupRef(code), membershipsRef(campaign.id, customerId)],
    ([current, memberships]) => {
      if (!current) throw problems.notFound(`No group "${code}" in this shop.`);
      const joined = joinGroup({
        group: current as Group,
        campaign,
        customerId,
        memberships: memberships as Memberships | undefined,
        purchases,
        now,
        // The group code inside the discount code lets a purchase find its group.
        newDiscountCode: codesBy.issuer === 'shop' ? null : () => `${codesBy.prefix}${code}-${codes[drawn++ % codes.length]}`,
      });
      return { values: [joined.group, joined.memberships], result: joined };
    },
  );
  await recordEvents(deps.store, deps.now, shopId, eventsOfJoin(group, customerId, transition));
  return groupView(group, now, customerId);
}

function eventsOfJoin(group: Group, customerId: string, transition: Transition): RecordedEvent[] {
  const at = group.members.at(-1)!.joinedAt;
  const events = [groupEvent('group.joined', `group.joined:${group.code}:${idPart(customerId)}`, customerId, group, at)];
  if (transition.reached !== undefined) {
    const tier = group.tiers[transition.reached]!;
    const type = transition.firstUnlock ? 'group.unlocked' : 'group.upgraded';
    events.push(
      groupEvent(type, `${type}:${group.code}:${transition.reached}`, customerId, group, at, { percentOff: tier.percentOff }),
    );
  }
  if (transition.codesNeeded.length) {
    // Tells the shop's backend whose codes to make (webhook `group.codes_needed`); one per join.
    const percentOff = group.tiers[group.tierIndex]!.percentOff;
    events.push(
      groupEvent('group.codes_needed', `group.codes_needed:${group.code}:${group.members.length}`, customerId, group, at, {
        percentOff,
        customers: transition.codesNeeded.join(','),
      }),
    );
  }
  return events;
}

/**
 * The group as `viewer` sees it. The first read after a window ended without a
 * tier settles it: `group.expired` is recorded once, whoever reads first.
 */
export async function readGroup(deps: ShareSaveDeps, shopId: string, code: string, viewer: string | undefined): Promise<GroupView> {
  let group = await getGroup(deps, shopId, code);
  const now = deps.now().getTime();
  if (statusOf(group, now) === 'expired' && !group.settledAt) {
    const at = new Date(now).toISOString();
    const settled = await deps.store.updateDocuments(shopId, [groupRef(code)], ([current]) => {
      const g = current as Group;
      if (g.settledAt) return { values: [g], result: undefined };
      return { values: [{ ...g, settledAt: at }], result: { ...g, settledAt: at } };
    });
    if (settled) {
      group = settled;
      await recordEvents(deps.store, deps.now, shopId, [
        groupEvent('group.expired', `group.expired:${code}`, group.ownerId, group, group.expiresAt),
      ]);
    }
  }
  return groupView(group, now, viewer);
}

/** Codes the shop supplied → their group, so a purchase spending one finds it. */
const suppliedCodeRef = (discountCode: string) => ({ collection: COLLECTIONS.suppliedCodes, id: discountCode });

export async function listMembers(deps: ShareSaveDeps, shopId: string, code: string): Promise<GroupMemberView[]> {
  return membersView(await getGroup(deps, shopId, code));
}

/** The shop's backend hands a member the code it made for their discount (campaigns whose codes the shop issues). */
export async function supplyDiscountCode(
  deps: ShareSaveDeps,
  shopId: string,
  code: string,
  customerId: string,
  input: { discountCode: string; percentOff: number },
): Promise<GroupMemberView> {
  const group = await deps.store.updateDocuments(shopId, [groupRef(code), suppliedCodeRef(input.discountCode)], ([current, index]) => {
    if (!current) throw problems.notFound(`No group "${code}" in this shop.`);
    const owner = index as SuppliedCode | undefined;
    if (owner && (owner.group !== code || owner.customerId !== customerId)) {
      throw new DomainError('code-in-use', 'This code was given to another member; codes are single-use.');
    }
    const next = supplyCode(current as Group, customerId, input.discountCode, input.percentOff);
    return { values: [next, { group: code, customerId } satisfies SuppliedCode], result: next };
  });
  return membersView(group).find((m) => m.customerId === customerId)!;
}

interface SuppliedCode {
  group: string;
  customerId: string;
}

/** The group a discount code belongs to, read from the code's shape (`PREFIX` + group code + `-` + secret). */
export function groupCodeOf(discountCode: string): string | undefined {
  const m = new RegExp(`([${GROUP_CODE_ALPHABET}]{${GROUP_CODE_LENGTH}})-[${GROUP_CODE_ALPHABET}]{${DISCOUNT_SECRET_LENGTH}}$`).exec(
    discountCode,
  );
  return m?.[1];
}

/**
 * After purchases are recorded: one whose `discountCode` is a group member's code
 * spends that code (single use) and is attributed to the group (`group.order`).
 */
export async function attributeGroupPurchases(
  deps: Pick<ShareSaveDeps, 'store' | 'now'>,
  shopId: string,
  events: readonly RecordedEvent[],
  outcomes: readonly { status: string }[],
): Promise<void> {
  for (const [i, event] of events.entries()) {
    const discountCode = event.properties?.discountCode;
    const orderId = event.properties?.orderId;
    if (event.type !== 'purchase' || outcomes[i]?.status !== 'accepted') continue;
    if (typeof discountCode !== 'string' || typeof orderId !== 'string') continue;
    const code =
      groupCodeOf(discountCode) ?? (await deps.store.getDocument<SuppliedCode>(shopId, suppliedCodeRef(discountCode)))?.group;
    if (!code) continue;
    const spent = await deps.store.updateDocuments(shopId, [groupRef(code)], ([current]) => {
      const result = current ? spendCode(current as Group, discountCode, orderId) : undefined;
      return { values: [result?.group ?? current], result };
    });
    if (!spent) continue;
    await recordEvents(deps.store, deps.now, shopId, [
      groupEvent('group.order', `group.order:${code}:${idPart(orderId)}`, event.customerId, spent.group, event.occurredAt, {
        orderId,
        ...(typeof event.properties?.total === 'number' && { total: event.properties.total }),
        ...(typeof event.properties?.currency === 'string' && { currency: event.properties.currency }),
        percentOff: spent.member.percentOff ?? null,
      }),
    ]);
  }
}
