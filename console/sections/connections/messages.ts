// The connections section's strings. English here; French and German beside it.
import { defineMessages } from '../../i18n.js';
import { t as shared } from '../../messages.js';

export const en = {
  connections: 'Connect a shop',
  connectionsIntro: 'Shopify and WooCommerce send their orders, refunds and stock to Kudos themselves: no code. Paste your platform’s signing secret here, then paste the address Kudos shows into the platform’s webhook settings.',
  connectShopify: 'Connect Shopify',
  connectWoo: 'Connect WooCommerce',
  secret: 'Signing secret',
  secretHelpShopify: 'Shopify admin → Settings → Notifications → Webhooks: the key under “Your webhooks will be signed with”.',
  secretHelpWoo: 'Choose a long random secret and use the same one in each WooCommerce webhook (Settings → Advanced → Webhooks).',
  connect: 'Connect',
  connected: 'Connected: {platform}',
  deliveryUrl: 'Address to paste into the platform',
  copyUrl: 'Copy the address',
  topics: 'Events to subscribe to, all to this address',
  lastDelivery: 'Last delivery: {topic}, {at}',
  noDelivery: 'No delivery yet.',
  remove: 'Disconnect',
  removed: 'Disconnected.',
  saved: 'Saved. Now paste the address into the platform.',
  none: 'No shop connected yet.',
  guide: 'Step by step: docs/platforms/{platform}.md',
};

export type Messages = Record<keyof typeof en, string>;

export const t = defineMessages(en, { fr: () => import('./messages.fr.js'), de: () => import('./messages.de.js') }, shared);
