/** Strings of <kudos-launcher>. */
type Forms = readonly [string, string];

const en = { open: 'Rewards', heading: 'Your rewards', close: 'Close', points: ['point', 'points'] as Forms };

export type LauncherMessages = typeof en;

const catalogs: Record<string, LauncherMessages> = {
  en,
  fr: { open: 'Récompenses', heading: 'Vos récompenses', close: 'Fermer', points: ['point', 'points'] },
  de: { open: 'Prämien', heading: 'Ihre Prämien', close: 'Schließen', points: ['Punkt', 'Punkte'] },
};

export const launcherMessages = (locale: string): LauncherMessages => catalogs[locale.split('-')[0]!.toLowerCase()] ?? en;
