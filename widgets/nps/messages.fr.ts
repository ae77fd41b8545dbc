import type { NpsMessages } from './messages.js';

const messages: NpsMessages = {
  announce: (question) => `Petite enquête\u00a0: ${question}`,
  low: 'Peu probable',
  high: 'Très probable',
  next: 'Suivant',
  pick: 'Choisissez une note de 0 à 10.',
  detractor: 'Que pourrions-nous améliorer\u00a0?',
  passive: 'Qu’est-ce qui rendrait l’expérience encore meilleure\u00a0?',
  promoter: 'Qu’appréciez-vous le plus\u00a0?',
  optional: 'Facultatif',
  send: 'Envoyer',
  notNow: 'Pas maintenant',
  thanks: 'Merci pour votre avis\u00a0!',
  closed: 'Enquête fermée.',
  failed: 'Votre réponse n’a pas pu être envoyée. Veuillez réessayer.',
};

export default messages;
