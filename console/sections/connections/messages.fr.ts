// French: every key of messages.ts (the type says which one is missing).
import type { Messages } from './messages.js';

const fr: Messages = {
  connections: 'Connecter une boutique',
  connectionsIntro: 'Shopify et WooCommerce envoient eux-mêmes leurs commandes, remboursements et stocks à Kudos : sans code. Collez ici le secret de signature de votre plateforme, puis collez l’adresse affichée par Kudos dans les réglages de webhooks de la plateforme.',
  connectShopify: 'Connecter Shopify',
  connectWoo: 'Connecter WooCommerce',
  secret: 'Secret de signature',
  secretHelpShopify: 'Admin Shopify → Paramètres → Notifications → Webhooks : la clé sous « Vos webhooks seront signés avec ».',
  secretHelpWoo: 'Choisissez un long secret aléatoire et utilisez le même dans chaque webhook WooCommerce (Réglages → Avancé → Webhooks).',
  connect: 'Connecter',
  connected: 'Connecté : {platform}',
  deliveryUrl: 'Adresse à coller dans la plateforme',
  copyUrl: 'Copier l’adresse',
  topics: 'Événements à choisir, tous vers cette adresse',
  lastDelivery: 'Dernier envoi : {topic}, {at}',
  noDelivery: 'Aucun envoi pour l’instant.',
  remove: 'Déconnecter',
  removed: 'Déconnecté.',
  saved: 'Enregistré. Collez maintenant l’adresse dans la plateforme.',
  none: 'Aucune boutique connectée.',
  guide: 'Pas à pas : docs/platforms/{platform}.md',
};
export default fr;
