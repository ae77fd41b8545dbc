// French: every key of messages.ts (the type says which one is missing).
import type { Messages } from './messages.js';

const fr: Messages = {
  stock: 'Stock',
  stockIntro: 'Unités en stock par référence (SKU), pour la précision des prévisions. Saisissez un compte ici après un inventaire ; les mises à jour de produits Shopify et WooCommerce et POST /v1/stock le fixent aussi. Kudos ne décompte pas le stock de lui-même.',
  inRangeOf: '{inRange} références sur {skus} entre {min} et {max} jours de stock maintenant',
  setStock: 'Fixer le stock d’une référence',
  sku: 'Référence (SKU)',
  skuHint: 'Comme dans les lignes de vos commandes : sans espace ni « * ». Une nouvelle référence est ajoutée.',
  onHand: 'Unités en stock',
  saveStock: 'Enregistrer le stock',
  stockSaved: 'Stock de {sku} enregistré.',
  target: 'Jours de stock visés',
  targetHint: 'Une référence est dans la cible quand unités en stock ÷ demande quotidienne prévue tombe entre ces deux valeurs.',
  targetMin: 'Au moins (jours)',
  targetMax: 'Au plus (jours)',
  saveTarget: 'Enregistrer la cible',
  targetSaved: 'Jours de stock visés enregistrés.',
  dailyDemand: 'Demande quotidienne (prévue)',
  stockDays: 'Jours de stock',
  status: 'État',
  actions: 'Actions',
  below: 'Sous la cible',
  inside: 'Dans la cible',
  above: 'Au-dessus de la cible',
  notSet: 'non fixé',
  noDemand: 'aucune demande prévue',
  set: 'Fixer',
  setFor: 'Fixer le stock de {sku}',
  empty: 'Aucune référence pour l’instant : saisissez un compte ci-dessus, ou connectez Shopify ou WooCommerce.',
};

export default fr;
