// French strings of <kudos-badges>, loaded only on French pages.
import type { BadgesMessages } from './messages.js';

const fr: BadgesMessages = {
  badgesHeading: 'Vos badges',
  badgesLoading: 'Chargement des badges…',
  badgesEmpty: 'Aucun badge à collectionner pour le moment. Revenez bientôt !',
  badgesAnonymous: 'Connectez-vous ou créez un compte pour commencer à gagner des badges.',
  badgesSummary: (f, earned, total) =>
    `${f.n(earned)} ${f.p(earned, ['badge obtenu', 'badges obtenus'])} sur ${f.n(total)}`,
  badgeEarned: (date) => `Obtenu le ${date}`,
  badgeAnnounce: (name) => `Vous avez obtenu « ${name} » !`,
  badgeNew: 'Nouveau',
  progressCount: (f, current, target, event) => `${f.n(current)} ${f.unit(event, current)} sur ${f.n(target)}`,
  progressSum: (current, target, money) => (money ? `${current} dépensés sur ${target}` : `${current} sur ${target}`),
  goalCount: (f, target, event) => `À débloquer avec ${f.n(target)} ${f.unit(event, target)}`,
  progressStreak: (f, current, target) => `${f.n(current)} semaine${current > 1 ? 's' : ''} d’affilée sur ${f.n(target)}`,
  goalStreak: (f, target, event) => `À débloquer avec des ${f.unit(event, 2)} ${f.n(target)} semaines d’affilée`,
  goalSum: (target, money) => (money ? `À débloquer en dépensant ${target}` : `À débloquer à ${target}`),
};

export default fr;
