// German: every key of messages.ts (the type says which one is missing).
import type { Messages } from './messages.js';

const de: Messages = {
  kpis: 'Kennzahlen',
  update: 'Aktualisieren',
  kpiIntro: 'Zahlen des Zeitraums, ein Punkt pro Woche.',
  retention: 'Retourenbereinigte Bindung',
  retentionHelp: 'Neukunden des Zeitraums mit einem zweiten, nicht voll erstatteten Kauf.',
  repeat: 'Wiederkaufrate',
  repeat30: 'Wiederkauf in 30 Tagen',
  nps: 'Erlebnis-NPS',
  npsHelp: '% Promotoren − % Detraktoren, bei {n} Antworten.',
  conversion: 'Community-Konversion',
  conversionHelp: 'Käufe je Community-Quelle, bei {n} Käufen.',
  awardsKpi: 'Auszeichnungen im Zeitverlauf',
  pointsKpi: 'Ausgegebene vs. eingelöste Punkte',
  groupUnlock: 'Freischaltquote der Gruppen',
  groupUnlockHelp: '{unlocked} von {created} Gruppen haben einen Rabatt erreicht.',
  issued: 'ausgegeben',
  redeemed: 'eingelöst',
  loyalty: 'Treue',
  group: 'Gruppe',
  directory: 'Verzeichnis',
  market: 'Markt',
  badge: 'Abzeichen',
  trophy: 'Trophäen',
};

export default de;
