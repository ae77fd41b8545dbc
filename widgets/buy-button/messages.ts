/**
 * Strings of <kudos-buy-button>: English here, French and German as chunks of
 * their own (messages.fr.ts, messages.de.ts). Refusals are keyed by the API's
 * problem slug (…/problems/<slug>). `who` arrives as an `Intl.ListFormat` list.
 */
import { lazyCatalog, type Fmt } from '../internal/messages.js';

const en = {
  buy: 'Buy now',
  left: (f: Fmt, n: number) => `${f.n(n)} left`,
  upcoming: 'Opens',
  insiders: 'Open to all',
  open: 'Ends',
  /** Before a clock: "Ends in 1:02:03" (a day or more away, Intl.RelativeTimeFormat says "in 3 days"). */
  in: 'in',
  only: (who: string) => `Insiders only: ${who}.`,
  badge: (name: string) => `“${name}” badge holders`,
  tier: (name: string) => `${name} members`,
  'sold-out': 'Sold out',
  'sale-ended': 'Sale ended',
  'not-open-yet': 'Not on sale yet',
  'insiders-only': 'Only insiders can buy yet.',
  'limit-reached': 'Limit per customer reached.',
  'sign-in-to-hold': 'Sign in to buy: the rest is kept for customers.',
};

export type BuyMessages = typeof en;

export const buyCatalog = lazyCatalog(en, {
  fr: () => import('./messages.fr.js'),
  de: () => import('./messages.de.js'),
});
