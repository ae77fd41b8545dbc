/**
 * Strings of <kudos-share-save>, per language of the shared catalog
 * (widgets/internal/messages.ts resolves the locale and formats numbers; the
 * shared error and retry strings come from there too). Percentages arrive
 * already formatted by `Intl` ("10%", "10 %").
 */
import { lazyCatalog, type Fmt } from '../internal/messages.js';

const en = {
  heading: 'Share & save',
  offer: (f: Fmt, hours: number) => `Start a group: if friends join within ${f.n(hours)} h, everyone saves.`,
  tier: (f: Fmt, n: number, pct: string) => `${f.n(n)} people: −${pct}`,
  loading: 'Loading…',
  start: 'Start a group',
  signIn: 'Sign in to start or join a group.',
  invited: 'A friend invited you to save together.',
  join: 'Join the group',
  inGroup: 'You’re in this group.',
  people: (f: Fmt, n: number) => `${f.n(n)} joined`,
  next: (f: Fmt, k: number, pct: string) => `${f.n(k)} more for −${pct}`,
  endsIn: 'Ends in',
  link: 'Group link',
  share: 'Share link',
  copyLink: 'Copy link',
  email: 'Email',
  shareText: 'Join my group and we all save:',
  code: (pct: string) => `Your code for −${pct}:`,
  codeSoon: (pct: string) => `−${pct} unlocked: your code is on its way.`,
  copyCode: 'Copy code',
  copied: 'Copied!',
  used: 'Used',
  unlocked: (pct: string) => `Unlocked: −${pct} for everyone!`,
  // Keyed by the API's problem slug (…/problems/<slug>) so refusals need no mapping.
  'group-full': 'This group is full.',
  'group-window-over': 'This group’s time is up.',
  'new-customers-only': 'This offer is for new customers.',
  'rate-limited': 'Too many tries. Try again later.',
  'campaign-not-active': 'This offer has ended.',
};

export type ShareSaveMessages = typeof en;

// Other languages are separate chunks: a page downloads only the strings it shows.
export const shareSaveCatalog = lazyCatalog(en, {
  fr: () => import('./messages.fr.js'),
  de: () => import('./messages.de.js'),
});

/** The catalog for a locale resolved by the shared machinery (e.g. "fr-CA" → fr); undefined while it is loading. */
export const shareSaveMessages = shareSaveCatalog.get;

/** Fetches the catalog of `locale` once; `shareSaveMessages` has it afterwards. */
export const loadShareSaveMessages = shareSaveCatalog.load;

/**
 * A whole percent below 1 000 ("10%", "10 %" with a no-break space) as Intl writes it for a
 * resolved locale (en, de or fr) with at most a region, checked against Intl for every region code
 * (kudos-share-save.test.ts), without making an Intl object: the first one of a page loads ICU data
 * (18-22 ms of the widget's first render, for its tiers). Anything else goes to Intl.
 */
export const percent = (locale: string, x: number) =>
  /^..(-..)? \d{1,3}$/.test(`${locale} ${x}`)
    ? x + (/^en-(AT|DE|DK|FI|NO|SE)|^de(?!-CH|-LI)|^fr(?!-CH)/.test(locale) ? '\u00a0%' : '%')
    : new Intl.NumberFormat(locale, { style: 'percent' }).format(x / 100);
