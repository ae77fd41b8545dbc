import type { NpsMessages } from './messages.js';

const messages: NpsMessages = {
  announce: (question) => `Petite enquête : ${question}`,
  low: 'Peu probable',
  high: 'Très probable',
  next: 'Suivant',
  pick: 'Choisissez une note de 0 à 10.',
  detractor: 'Que pourrions-nous améliorer ?',
  passive: 'Qu’est-ce qui rendrait l’expérience encore meilleure ?',
  promoter: 'Qu’appréciez-vous le plus ?',
  optional: 'Facultatif',
  send: 'Envoyer',
  notNow: 'Pas maintenant',
  thanks: 'Merci pour votre avis !',
  closed: 'Enquête fermée.',
  failed: 'Votre réponse n’a pas pu être envoyée. Veuillez réessayer.',
};

export default messages;
