// French strings of <kudos-points>, loaded only on French pages.
import type { PointsMessages } from './messages.js';

const fr: PointsMessages = {
  heading: 'Vos points',
  loading: 'Chargement de vos points…',
  points: ['point', 'points'],
  pending: (points) => `${points} en attente`,
  expires: (date) => `Valables jusqu’au ${date}`,
  tier: (name) => `Niveau ${name}`,
  toNext: (amount, tier) => `Encore ${amount} pour ${tier}`,
  top: 'Niveau maximal atteint',
  rewards: 'Récompenses',
  redeem: 'Échanger',
  missing: (points) => `Encore ${points}`,
  code: (reward) => `Votre code pour ${reward} :`,
  copy: 'Copier',
  copied: 'Copié',
  codeSay: (reward, code) => `${reward} : c’est fait. Votre code est ${code}.`,
  short: 'Vous n’avez pas encore assez de points pour cette récompense.',
  failed: 'Cette récompense n’a pas pu être échangée. Veuillez réessayer.',
  activity: 'Activité récente',
  noActivity: 'Aucune activité pour le moment.',
  kinds: { earn: 'Gagnés', clawback: 'Remboursement', redeem: 'Échangés', expire: 'Expirés' },
  until: (date) => `disponibles le ${date}`,
  invite: 'Connectez-vous pour cumuler des points et les échanger contre des récompenses.',
  gift: (name) => `🎁 Votre cadeau : ${name}`,
  claimed: 'Votre commande passée en invité compte désormais : ses points sont sur votre solde.',
  claimUsed: 'Cette commande a déjà été réclamée.',
  claimExpired: 'Ce lien a expiré.',
  earn: (points, per) => `${points} par ${per}`,
};

export default fr;
