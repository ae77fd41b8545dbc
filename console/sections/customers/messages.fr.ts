// French: every key of messages.ts (the type says which one is missing).
import type { Messages } from './messages.js';

const fr: Messages = {
  customers: 'Clients',
  lookup: 'Rechercher un client',
  find: 'Rechercher',
  notFound: 'Kudos ne détient rien sur « {id} ».',
  pointsBalance: '{points} points',
  tier: 'Niveau : {tier}',
  noTier: 'Aucun niveau',
  ledger: 'Relevé de points',
  date: 'Date',
  kind: 'Type',
  order: 'Commande',
  groups: 'Groupes',
  surveyAnswers: 'Réponses aux enquêtes',
  score: 'Note',
  comment: 'Commentaire',
  exportJson: 'Télécharger toutes ses données (JSON)',
  erase: 'Effacer ce client',
  eraseTitle: 'Effacer {id} ?',
  eraseWarning: 'Cela supprime sa fiche, ses points, badges, trophées et réponses, et anonymise ses groupes. C’est irréversible.',
  eraseConfirmLabel: 'Tapez l’identifiant du client pour confirmer',
  eraseConfirm: 'Effacer définitivement',
  erased: '{id} a été effacé.',
};

export default fr;
