/**
 * Strings of <kudos-trophy-case>, per language of the shared catalog
 * (widgets/internal/messages.ts resolves the locale and formats dates; the
 * shared error and retry strings come from there too). Trophy names and
 * narratives are the shop's own words.
 */
import type { Fmt } from '../internal/messages.js';

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

const fr: TrophyMessages = {
  heading: 'Vos trophées',
  loading: 'Chargement des trophées…',
  empty: 'Aucun trophée à gagner pour le moment. Revenez bientôt !',
  anonymous: 'Connectez-vous ou créez un compte pour gagner des trophées.',
  summary: (f, n) => `${f.n(n)} ${f.p(n, ['trophée gagné', 'trophées gagnés'])}`,
  awarded: (date) => `Décerné le ${date}`,
  howTo: 'Comment l’obtenir :',
  levels: { bronze: 'Bronze', silver: 'Argent', gold: 'Or' },
  share: 'Partager',
  copy: 'Copier le lien',
  copied: 'Lien copié',
  copyFailed: 'Impossible de copier le lien.',
};

const de: TrophyMessages = {
  heading: 'Ihre Trophäen',
  loading: 'Trophäen werden geladen …',
  empty: 'Noch keine Trophäen zu gewinnen. Schauen Sie bald wieder vorbei!',
  anonymous: 'Melden Sie sich an oder erstellen Sie ein Konto, um Trophäen zu gewinnen.',
  summary: (f, n) => `${f.n(n)} ${f.p(n, ['Trophäe', 'Trophäen'])} gewonnen`,
  awarded: (date) => `Verliehen am ${date}`,
  howTo: 'So erhalten Sie sie:',
  levels: { bronze: 'Bronze', silver: 'Silber', gold: 'Gold' },
  share: 'Teilen',
  copy: 'Link kopieren',
  copied: 'Link kopiert',
  copyFailed: 'Der Link konnte nicht kopiert werden.',
};

const catalogs: Record<string, TrophyMessages> = { en, fr, de };

/** The catalog for a locale resolved by the shared machinery (e.g. "fr-CA" → fr). */
export const trophyMessages = (locale: string): TrophyMessages => catalogs[locale.split('-')[0]!.toLowerCase()] ?? en;
