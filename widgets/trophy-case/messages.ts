/**
 * Strings of <kudos-trophy-case>, per language of the shared catalog
 * (widgets/internal/messages.ts resolves the locale and formats dates; the
 * shared error and retry strings come from there too). French and German are
 * separate chunks that only French and German pages download. Trophy names and
 * narratives are the shop's own words.
 */
import { lazyCatalog, type Fmt } from '../internal/messages.js';

type Level = 'bronze' | 'silver' | 'gold';

const en = {
  heading: 'Your trophies',
  loading: 'Loading trophies…',
  empty: 'No trophies to win yet. Check back soon!',
  anonymous: 'Sign in or create an account to win trophies.',
  summary: (f: Fmt, n: number) => `${f.n(n)} ${f.p(n, ['trophy', 'trophies'])} won`,
  awarded: (date: string) => `Awarded ${date}`,
  howTo: 'How to earn it:',
  levels: { bronze: 'Bronze', silver: 'Silver', gold: 'Gold' } as Record<Level, string>,
  share: 'Share',
  copy: 'Copy link',
  copied: 'Link copied',
  copyFailed: 'Couldn’t copy the link.',
};

export type TrophyMessages = typeof en;

// Other languages are separate chunks: a page downloads only the strings it shows,
// alongside its first API call.
export const trophyMessages = lazyCatalog(en, {
  fr: () => import('./messages.fr.js'),
  de: () => import('./messages.de.js'),
});
