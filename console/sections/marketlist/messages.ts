// The market list section's strings. English here; French and German beside it.
import { defineMessages } from '../../i18n.js';
import { t as shared } from '../../messages.js';

export const en = {
  marketList: 'Market list',
  marketListIntro: 'People who left their email at a market stall, with the consent they gave. Each email sent to them should carry their withdrawal link.',
  search: 'Search an email or a stall',
  find: 'Search',
  email: 'Email',
  consent: 'Consent',
  stall: 'Stall',
  day: 'Day',
  withdraw: 'Withdrawal link',
  copyLink: 'Copy',
  copyLinkFor: 'Copy the withdrawal link of {email}',
  more: 'Show more',
  csv: 'Download CSV',
  empty: 'Nobody on the list yet.',
  count: '{n} shown',
};

export type Messages = Record<keyof typeof en, string>;

export const t = defineMessages(en, { fr: () => import('./messages.fr.js'), de: () => import('./messages.de.js') }, shared);
