/**
 * Strings of <kudos-badges>. Locale resolution, plurals, numbers, money, dates
 * and the shared error strings come from widgets/internal/messages.ts; French
 * and German are separate chunks that only French and German pages download.
 */
import { lazyCatalog, type Fmt } from '../internal/messages.js';

const en = {
  badgesHeading: 'Your badges',
  badgesLoading: 'Loading badges…',
  badgesEmpty: 'No badges to collect yet. Check back soon!',
  badgesAnonymous: 'Sign in or create an account to start earning badges.',
  badgesSummary: (f: Fmt, earned: number, total: number) =>
    `You’ve earned ${f.n(earned)} of ${f.n(total)} ${f.p(total, ['badge', 'badges'])}`,
  badgeEarned: (date: string) => `Earned ${date}`,
  badgeAnnounce: (name: string) => `You earned “${name}”!`,
  badgeNew: 'New',
  /** "2 of 3 purchases" */
  progressCount: (f: Fmt, current: number, target: number, event: string) =>
    `${f.n(current)} of ${f.n(target)} ${f.unit(event, target)}`,
  /** "€60 of €100 spent" (money) or "60 of 100" */
  progressSum: (current: string, target: string, money: boolean) =>
    `${current} of ${target}${money ? ' spent' : ''}`,
  goalCount: (f: Fmt, target: number, event: string) => `Unlock with ${f.n(target)} ${f.unit(event, target)}`,
  /** "2 of 4 weeks in a row" */
  progressStreak: (f: Fmt, current: number, target: number) => `${f.n(current)} of ${f.n(target)} weeks in a row`,
  goalStreak: (f: Fmt, target: number, event: string) => `Unlock with ${f.unit(event, 2)} in ${f.n(target)} weeks in a row`,
  goalSum: (target: string, money: boolean) => (money ? `Unlock by spending ${target}` : `Unlock at ${target}`),
};

export type BadgesMessages = typeof en;

export const badgesMessages = lazyCatalog(en, {
  fr: () => import('./messages.fr.js'),
  de: () => import('./messages.de.js'),
});
