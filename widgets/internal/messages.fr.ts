// French shared strings (errors, retry, event nouns), loaded only on French pages.
import type { Catalog } from './messages.js';

const fr: Catalog = {
  retry: 'Réessayer',
  errorNetwork: 'Impossible de joindre le service de fidélité. Vérifiez votre connexion et réessayez.',
  errorServer: 'Le chargement a échoué. Veuillez réessayer dans un instant.',
  errorSetup: 'La fidélité n’est pas encore configurée sur cette page.',

  units: {
    purchase: ['achat', 'achats'],
    review: ['avis', 'avis'],
    share: ['partage', 'partages'],
    page_view: ['page vue', 'pages vues'],
    product_view: ['produit consulté', 'produits consultés'],
    directory_click: ['visite', 'visites'],
    '': ['étape', 'étapes'],
  },

  toast: { badge: 'Nouveau badge', trophy: 'Nouveau trophée', gift: 'Cadeau surprise', dismiss: 'Fermer', label: 'Nouveautés fidélité' },
  launcher: { open: 'Récompenses', heading: 'Vos récompenses', close: 'Fermer', points: ['point', 'points'] },
};

export default fr;
