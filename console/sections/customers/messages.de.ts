// German: every key of messages.ts (the type says which one is missing).
import type { Messages } from './messages.js';

const de: Messages = {
  customers: 'Kunden',
  lookup: 'Kunden suchen',
  find: 'Suchen',
  notFound: 'Kudos hat keine Daten zu „{id}“.',
  pointsBalance: '{points} Punkte',
  tier: 'Stufe: {tier}',
  noTier: 'Keine Stufe',
  ledger: 'Punktekonto',
  date: 'Datum',
  kind: 'Art',
  order: 'Bestellung',
  groups: 'Gruppen',
  surveyAnswers: 'Umfrageantworten',
  score: 'Bewertung',
  comment: 'Kommentar',
  exportJson: 'Alle Daten herunterladen (JSON)',
  erase: 'Kunden löschen',
  eraseTitle: '{id} löschen?',
  eraseWarning: 'Löscht Datensatz, Punkte, Abzeichen, Trophäen und Antworten und anonymisiert Gruppen. Nicht umkehrbar.',
  eraseConfirmLabel: 'Kunden-ID zur Bestätigung eingeben',
  eraseConfirm: 'Endgültig löschen',
  erased: '{id} wurde gelöscht.',
};

export default de;
