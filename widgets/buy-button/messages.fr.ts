// French strings of <kudos-buy-button>: a chunk of its own, loaded only by French pages.
import type { BuyMessages } from './messages.js';

const fr: BuyMessages = {
  buy: 'Acheter',
  left: (f, n) => `Plus que ${f.n(n)}`,
  upcoming: 'Ouvre',
  insiders: 'Pour tous',
  open: 'Fin',
  in: 'dans',
  only: (who) => `Réservé aux initiés : ${who}.`,
  badge: (name) => `titulaires du badge « ${name} »`,
  tier: (name) => `membres ${name}`,
  'sold-out': 'Épuisé',
  'sale-ended': 'Vente terminée',
  'not-open-yet': 'Pas encore en vente',
  'insiders-only': 'Réservé aux initiés pour l’instant.',
  'limit-reached': 'Vous avez atteint la limite par client.',
  'sign-in-to-hold': 'Connectez-vous pour acheter : le reste est gardé pour les clients.',
};

export default fr;
