// French: every key of messages.ts (the type says which one is missing).
import type { Messages } from './messages.js';

const fr: Messages = {
  kpis: 'Indicateurs',
  update: 'Mettre à jour',
  kpiIntro: 'Chiffres de la période, avec un point par semaine.',
  retention: 'Rétention corrigée des retours',
  retentionHelp: 'Nouveaux clients de la période ayant fait un second achat non remboursé en entier.',
  repeat: 'Taux de réachat',
  repeat30: 'Réachat sous 30 jours',
  nps: 'NPS expérience',
  npsHelp: '% promoteurs − % détracteurs, sur {n} réponses.',
  conversion: 'Conversion communautaire',
  conversionHelp: 'Achats apportés par chaque source, sur {n} achats.',
  awardsKpi: 'Distinctions dans le temps',
  pointsKpi: 'Points émis et dépensés',
  groupUnlock: 'Taux de déblocage des groupes',
  groupUnlockHelp: '{unlocked} groupes sur {created} ont obtenu une remise.',
  issued: 'émis',
  redeemed: 'dépensés',
  loyalty: 'fidélité',
  group: 'groupe',
  directory: 'annuaire',
  market: 'marché',
  badge: 'badges',
  trophy: 'trophées',
};

export default fr;
