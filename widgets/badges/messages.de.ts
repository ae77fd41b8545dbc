// German strings of <kudos-badges>, loaded only on German pages.
import type { BadgesMessages } from './messages.js';

const de: BadgesMessages = {
  badgesHeading: 'Ihre Abzeichen',
  badgesLoading: 'Abzeichen werden geladen …',
  badgesEmpty: 'Noch keine Abzeichen zu sammeln. Schauen Sie bald wieder vorbei!',
  badgesAnonymous: 'Melden Sie sich an oder erstellen Sie ein Konto, um Abzeichen zu sammeln.',
  badgesSummary: (f, earned, total) => `${f.n(earned)} von ${f.n(total)} Abzeichen erhalten`,
  badgeEarned: (date) => `Erhalten am ${date}`,
  badgeAnnounce: (name) => `Sie haben „${name}“ erhalten!`,
  badgeNew: 'Neu',
  // Units are dative: "2 von 3 Einkäufen", "mit 3 Einkäufen".
  progressCount: (f, current, target, event) => `${f.n(current)} von ${f.n(target)} ${f.unit(event, target)}`,
  progressSum: (current, target, money) => `${current} von ${target}${money ? ' ausgegeben' : ''}`,
  goalCount: (f, target, event) => `Freischalten mit ${f.n(target)} ${f.unit(event, target)}`,
  progressStreak: (f, current, target) => `${f.n(current)} von ${f.n(target)} Wochen in Folge`,
  goalStreak: (f, target, event) => `Freischalten mit ${f.unit(event, 2)} in ${f.n(target)} Wochen in Folge`,
  goalSum: (target, money) => (money ? `Freischalten ab ${target} Einkaufswert` : `Freischalten ab ${target}`),
};

export default de;
