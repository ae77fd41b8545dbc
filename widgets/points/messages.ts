/**
 * Strings of <kudos-points>, per language of the shared catalog
 * (widgets/internal/messages.ts resolves the locale; numbers, money and dates go through its `Messages`).
 * Reward names come from the shop, in the shop's words.
 */
import { lazyCatalog } from '../internal/messages.js';

type Forms = readonly [string, string];

const en = {
  heading: 'Your points',
  loading: 'Loading your points…',
  points: ['point', 'points'] as Forms,
  pending: (points: string) => `${points} pending`,
  expires: (date: string) => `Valid until ${date}`,
  tier: (name: string) => `${name} tier`,
  toNext: (amount: string, tier: string) => `${amount} to ${tier}`,
  top: 'Top tier reached',
  rewards: 'Rewards',
  redeem: 'Redeem',
  missing: (points: string) => `${points} to go`,
  code: (reward: string) => `Your code for ${reward}:`,
  copy: 'Copy',
  copied: 'Copied',
  codeSay: (reward: string, code: string) => `${reward} redeemed. Your code is ${code}.`,
  short: 'Not enough points for this reward yet.',
  failed: 'Redeeming failed. Please try again.',
  activity: 'Recent activity',
  noActivity: 'No activity yet.',
  kinds: { earn: 'Earned', clawback: 'Refund', redeem: 'Redeemed', expire: 'Expired' } as Record<string, string>,
  until: (date: string) => `available ${date}`,
  invite: 'Sign in to collect points and get rewards.',
  /** A micro-gift won with an order; its add-on code follows when it has one. */
  gift: (name: string) => `🎁 Your gift: ${name}`,
  /** After opening a guest order's claim link (?kudos_claim=…) signed in. */
  claimed: 'Your guest order now counts: its points are in your balance.',
  claimUsed: 'This order was already claimed.',
  claimExpired: 'This claim link has expired.',
  /** "1 point per €1", "50 points per review" */
  earn: (points: string, per: string) => `${points} per ${per}`,
};

export type PointsMessages = typeof en;

// French and German are chunks of their own: a page downloads only the strings it shows.
export const pointsMessages = lazyCatalog(en, {
  fr: () => import('./messages.fr.js'),
  de: () => import('./messages.de.js'),
});
