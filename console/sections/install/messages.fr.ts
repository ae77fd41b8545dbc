// French: every key of messages.ts (the type says which one is missing).
import type { Messages } from './messages.js';

const fr: Messages = {
  install: 'Installation',
  installIntro: 'Collez cette balise script une fois dans les pages de votre site, avant </body>, puis placez les éléments où ils doivent apparaître.',
  scriptTag: 'Balise script',
  elements: 'Éléments',
  lastSeen: 'Derniers événements d’un site',
  lastSeenAt: 'Événements de {origin}, le dernier le {time}.',
  neverSeen: 'Aucun site n’a encore envoyé d’événement avec la clé de cette boutique. Ouvrez une page avec la balise, puis rechargez cet onglet.',
};

export default fr;
