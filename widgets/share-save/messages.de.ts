// German strings of <kudos-share-save>: a chunk of its own, loaded only by German pages.
import type { ShareSaveMessages } from './messages.js';

const de: ShareSaveMessages = {
  heading: 'Teilen und sparen',
  offer: (f, hours) => `Gruppe starten und teilen: Wer innerhalb von ${f.n(hours)} Std. mitmacht, lässt alle sparen.`,
  tier: (f, n, pct) => `${f.n(n)} Personen: −${pct}`,
  loading: 'Wird geladen …',
  start: 'Gruppe starten',
  signIn: 'Melden Sie sich an, um mitzumachen.',
  invited: 'Sie sind eingeladen, gemeinsam zu sparen.',
  join: 'Gruppe beitreten',
  inGroup: 'Sie sind in dieser Gruppe.',
  people: (f, n) => `${f.n(n)} dabei`,
  next: (f, k, pct) => `Noch ${f.n(k)} für −${pct}`,
  endsIn: 'Endet in',
  link: 'Gruppenlink',
  share: 'Link teilen',
  copyLink: 'Link kopieren',
  email: 'E-Mail',
  shareText: 'Mach in meiner Gruppe mit, dann sparen wir alle:',
  code: (pct) => `Ihr Code für −${pct}:`,
  codeSoon: (pct: string) => `−${pct} freigeschaltet: Ihr Code ist unterwegs.`,
  copyCode: 'Code kopieren',
  copied: 'Kopiert!',
  used: 'Eingelöst',
  unlocked: (pct) => `Freigeschaltet: −${pct} für alle!`,
  'group-full': 'Diese Gruppe ist voll.',
  'group-window-over': 'Die Zeit dieser Gruppe ist abgelaufen.',
  'new-customers-only': 'Nur für Neukunden.',
  'rate-limited': 'Zu viele Versuche. Bitte warten Sie ein paar Minuten.',
  'campaign-not-active': 'Dieses Angebot ist beendet.',
};

export default de;
