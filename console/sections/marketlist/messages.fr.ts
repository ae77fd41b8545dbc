// French: every key of messages.ts (the type says which one is missing).
import type { Messages } from './messages.js';

const fr: Messages = {
  marketList: 'Liste du marché',
  marketListIntro: 'Les personnes qui ont laissé leur e-mail à un stand, avec le consentement donné. Chaque e-mail envoyé doit porter leur lien de désinscription.',
  search: 'Chercher un e-mail ou un stand',
  find: 'Chercher',
  email: 'E-mail',
  consent: 'Consentement',
  stall: 'Stand',
  day: 'Jour',
  withdraw: 'Lien de désinscription',
  copyLink: 'Copier',
  copyLinkFor: 'Copier le lien de désinscription de {email}',
  more: 'Afficher plus',
  csv: 'Télécharger en CSV',
  empty: 'Personne sur la liste pour l’instant.',
  count: '{n} affichés',
};
export default fr;
