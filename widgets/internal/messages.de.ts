// German shared strings (errors, retry, event nouns), loaded only on German pages.
import type { Catalog } from './messages.js';

const de: Catalog = {
  retry: 'Erneut versuchen',
  errorNetwork: 'Der Prämienservice ist nicht erreichbar. Bitte prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  errorServer: 'Das konnte gerade nicht geladen werden. Bitte versuchen Sie es gleich noch einmal.',
  errorSetup: 'Prämien sind auf dieser Seite noch nicht eingerichtet.',

  units: {
    purchase: ['Einkauf', 'Einkäufen'],
    review: ['Bewertung', 'Bewertungen'],
    share: ['Empfehlung', 'Empfehlungen'],
    page_view: ['Seitenaufruf', 'Seitenaufrufen'],
    product_view: ['Produktaufruf', 'Produktaufrufen'],
    directory_click: ['Besuch', 'Besuchen'],
    '': ['Schritt', 'Schritten'],
  },

  toast: { badge: 'Neues Abzeichen', trophy: 'Neue Trophäe', gift: 'Überraschungsgeschenk', dismiss: 'Schließen', label: 'Prämien-Neuigkeiten' },
  launcher: { open: 'Prämien', heading: 'Ihre Prämien', close: 'Schließen', points: ['Punkt', 'Punkte'] },
};

export default de;
