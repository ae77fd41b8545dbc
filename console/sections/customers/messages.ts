// The Customers section's strings. English here; French and German beside it
// (messages.fr.ts, messages.de.ts). `t` also knows the shared strings (console/messages.ts).
import { defineMessages } from '../../i18n.js';
import { t as shared } from '../../messages.js';

export const en = {
  customers: 'Customers',
  lookup: 'Look up a customer',
  find: 'Find',
  notFound: 'Kudos holds nothing about “{id}”.',
  pointsBalance: '{points} points',
  tier: 'Tier: {tier}',
  noTier: 'No tier',
  ledger: 'Points ledger',
  date: 'Date',
  kind: 'What happened',
  order: 'Order',
  groups: 'Groups',
  surveyAnswers: 'Survey answers',
  score: 'Score',
  comment: 'Comment',
  exportJson: 'Download all their data (JSON)',
  erase: 'Erase this customer',
  eraseTitle: 'Erase {id}?',
  eraseWarning: 'This deletes their record, points, badges, trophies and survey answers, and anonymises their group memberships. It cannot be undone.',
  eraseConfirmLabel: 'Type the customer id to confirm',
  eraseConfirm: 'Erase for good',
  erased: '{id} was erased.',
  searchLabel: 'Customer id or email',
  searchHint: 'Type the start of an id (an email used as id works too): the list narrows as you type. Enter opens that exact customer.',
  allCustomers: 'All customers',
  matching: 'Customers whose id starts with “{q}”',
  noMatch: 'No customer id starts with “{q}”.',
  noCustomers: 'No customers yet: they appear after their first purchase or visit.',
  tierCol: 'Tier',
  lastActivity: 'Last activity',
  pages: 'Pages of customers',
  previousPage: 'Previous',
  nextPage: 'Next',
  pageN: 'Page {n}',
  ledgerEarn: 'earned',
  ledgerClawback: 'taken back after a refund',
  ledgerRedeem: 'spent on a reward',
  ledgerExpire: 'expired',
};

export type Messages = Record<keyof typeof en, string>;

export const t = defineMessages(en, { fr: () => import('./messages.fr.js'), de: () => import('./messages.de.js') }, shared);
