// German: every key of messages.ts (the type says which one is missing).
import type { Messages } from './messages.js';

const de: Messages = {
  stock: 'Lagerbestand',
  stockIntro: 'Vorrätige Einheiten je Artikelnummer (SKU), für die Prognosegenauigkeit. Tragen Sie hier nach einer Inventur einen Bestand ein; Produktaktualisierungen von Shopify und WooCommerce und POST /v1/stock setzen ihn ebenfalls. Kudos zählt den Bestand nicht selbst herunter.',
  inRangeOf: '{inRange} von {skus} Artikeln liegen jetzt bei {min}–{max} Tagen Reichweite',
  setStock: 'Bestand eines Artikels setzen',
  sku: 'Artikelnummer (SKU)',
  skuHint: 'Wie in den Positionen Ihrer Bestellungen: ohne Leerzeichen oder „*“. Eine neue Artikelnummer wird hinzugefügt.',
  onHand: 'Vorrätige Einheiten',
  saveStock: 'Bestand speichern',
  stockSaved: 'Bestand von {sku} gespeichert.',
  target: 'Ziel-Reichweite in Tagen',
  targetHint: 'Ein Artikel liegt im Ziel, wenn vorrätige Einheiten ÷ prognostizierte Tagesnachfrage zwischen diesen Werten liegt.',
  targetMin: 'Mindestens (Tage)',
  targetMax: 'Höchstens (Tage)',
  saveTarget: 'Ziel speichern',
  targetSaved: 'Ziel-Reichweite gespeichert.',
  dailyDemand: 'Tagesnachfrage (Prognose)',
  stockDays: 'Reichweite (Tage)',
  status: 'Status',
  actions: 'Aktionen',
  below: 'Unter dem Ziel',
  inside: 'Im Ziel',
  above: 'Über dem Ziel',
  notSet: 'nicht gesetzt',
  noDemand: 'keine Nachfrage prognostiziert',
  set: 'Setzen',
  setFor: 'Bestand von {sku} setzen',
  empty: 'Noch keine Artikel: tragen Sie oben einen Bestand ein oder verbinden Sie Shopify oder WooCommerce.',
};

export default de;
