// German strings of <kudos-buy-button>: a chunk of its own, loaded only by German pages.
import type { BuyMessages } from './messages.js';

const de: BuyMessages = {
  buy: 'Jetzt kaufen',
  left: (f, n) => `Noch ${f.n(n)}`,
  upcoming: 'Startet',
  insiders: 'Für alle',
  open: 'Endet',
  in: 'in',
  only: (who) => `Nur für Insider: ${who}.`,
  badge: (name) => `Inhaber des Abzeichens „${name}“`,
  tier: (name) => `${name}-Mitglieder`,
  'sold-out': 'Ausverkauft',
  'sale-ended': 'Verkauf beendet',
  'not-open-yet': 'Noch nicht im Verkauf',
  'insiders-only': 'Vorerst nur für Insider.',
  'limit-reached': 'Sie haben das Limit pro Kunde erreicht.',
  'sign-in-to-hold': 'Melden Sie sich zum Kaufen an: der Rest bleibt Kunden vorbehalten.',
};

export default de;
