// German strings of <kudos-points>, loaded only on German pages.
import type { PointsMessages } from './messages.js';

const de: PointsMessages = {
  heading: 'Ihre Punkte',
  loading: 'Punkte werden geladen …',
  points: ['Punkt', 'Punkte'],
  pending: (points) => `${points} ausstehend`,
  expires: (date) => `Gültig bis ${date}`,
  tier: (name) => `Stufe ${name}`,
  toNext: (amount, tier) => `Noch ${amount} bis ${tier}`,
  top: 'Höchste Stufe erreicht',
  rewards: 'Prämien',
  redeem: 'Einlösen',
  missing: (points) => `Noch ${points}`,
  code: (reward) => `Ihr Code für ${reward}:`,
  copy: 'Kopieren',
  copied: 'Kopiert',
  codeSay: (reward, code) => `${reward} eingelöst. Ihr Code lautet ${code}.`,
  short: 'Sie haben noch nicht genug Punkte für diese Prämie.',
  failed: 'Diese Prämie konnte nicht eingelöst werden. Bitte versuchen Sie es erneut.',
  activity: 'Letzte Aktivitäten',
  noActivity: 'Noch keine Aktivitäten.',
  kinds: { earn: 'Gesammelt', clawback: 'Erstattung', redeem: 'Eingelöst', expire: 'Verfallen' },
  until: (date) => `verfügbar ab ${date}`,
  invite: 'Melden Sie sich an, um Punkte zu sammeln und gegen Prämien einzulösen.',
  gift: (name) => `🎁 Ihr Geschenk: ${name}`,
  claimed: 'Ihre Gastbestellung zählt jetzt: Ihre Punkte sind gutgeschrieben.',
  claimUsed: 'Diese Bestellung wurde bereits eingelöst.',
  claimExpired: 'Dieser Link ist abgelaufen.',
  earn: (points, per) => `${points} pro ${per}`,
};

export default de;
