// German: every key of messages.ts (the type says which one is missing).
import type { Messages } from './messages.js';

const de: Messages = {
  connections: 'Shop verbinden',
  connectionsIntro: 'Shopify und WooCommerce senden Bestellungen, Erstattungen und Bestände selbst an Kudos: ohne Code. Fügen Sie hier das Signatur-Geheimnis Ihrer Plattform ein und dann die von Kudos gezeigte Adresse in die Webhook-Einstellungen der Plattform.',
  connectShopify: 'Shopify verbinden',
  connectWoo: 'WooCommerce verbinden',
  secret: 'Signatur-Geheimnis',
  secretHelpShopify: 'Shopify-Admin → Einstellungen → Benachrichtigungen → Webhooks: der Schlüssel unter „Deine Webhooks werden signiert mit“.',
  secretHelpWoo: 'Wählen Sie ein langes zufälliges Geheimnis und verwenden Sie es in jedem WooCommerce-Webhook (Einstellungen → Erweitert → Webhooks).',
  connect: 'Verbinden',
  connected: 'Verbunden: {platform}',
  deliveryUrl: 'Adresse für die Plattform',
  copyUrl: 'Adresse kopieren',
  topics: 'Zu abonnierende Ereignisse, alle an diese Adresse',
  lastDelivery: 'Letzte Zustellung: {topic}, {at}',
  noDelivery: 'Noch keine Zustellung.',
  remove: 'Trennen',
  removed: 'Getrennt.',
  saved: 'Gespeichert. Fügen Sie die Adresse jetzt in der Plattform ein.',
  none: 'Noch kein Shop verbunden.',
  guide: 'Schritt für Schritt: docs/platforms/{platform}.md',
};
export default de;
