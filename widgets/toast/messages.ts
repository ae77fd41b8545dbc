/** Strings of <kudos-toast>; the award's name comes from the shop. */
const en = { badge: 'New badge', trophy: 'New trophy', gift: 'Surprise gift', dismiss: 'Dismiss', label: 'Rewards news' };

export type ToastMessages = typeof en;

const catalogs: Record<string, ToastMessages> = {
  en,
  fr: { badge: 'Nouveau badge', trophy: 'Nouveau trophée', gift: 'Cadeau surprise', dismiss: 'Fermer', label: 'Nouveautés fidélité' },
  de: { badge: 'Neues Abzeichen', trophy: 'Neue Trophäe', gift: 'Überraschungsgeschenk', dismiss: 'Schließen', label: 'Prämien-Neuigkeiten' },
};

export const toastMessages = (locale: string): ToastMessages => catalogs[locale.split('-')[0]!.toLowerCase()] ?? en;
