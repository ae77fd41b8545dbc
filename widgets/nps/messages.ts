/**
 * Strings of <kudos-nps>: English here, French and German in messages.fr.ts and
 * messages.de.ts. The locale is resolved by widgets/internal/messages.ts (`this.msg`).
 * The question and follow-ups themselves come from the survey, in the shop's words.
 */
import { lazyCatalog } from '../internal/messages.js';

const en = {
  announce: (question: string) => `Quick survey: ${question}`,
  low: 'Not likely',
  high: 'Very likely',
  next: 'Next',
  pick: 'Choose a score from 0 to 10.',
  detractor: 'What could we do better?',
  passive: 'What would make it even better?',
  promoter: 'What do you like most?',
  optional: 'Optional',
  send: 'Send',
  notNow: 'Not now',
  thanks: 'Thank you for your feedback!',
  closed: 'Survey closed.',
  failed: 'Your answer couldn’t be sent. Please try again.',
};

export type NpsMessages = typeof en;

// Other languages are separate chunks: only a page that shows French or German
// downloads them, while it asks the server whether to show the survey at all.
const catalog = lazyCatalog(en, {
  fr: () => import('./messages.fr.js'),
  de: () => import('./messages.de.js'),
});

/** The catalog for a locale resolved by the shared machinery (e.g. "fr-CA" → fr); English until it has loaded. */
export const npsMessages = (locale: string): NpsMessages => catalog.get(locale) ?? en;

/** Fetches the catalog of `locale` once (English if it cannot be fetched). */
export const loadNpsMessages = catalog.load;

/** The survey's text in the reader's language: exact tag, then language, then English, then the first given. */
export function pickText(texts: Record<string, string> | undefined, locale: string): string | undefined {
  if (!texts) return undefined;
  return texts[locale] ?? texts[locale.split('-')[0]!] ?? texts.en ?? Object.values(texts)[0];
}
