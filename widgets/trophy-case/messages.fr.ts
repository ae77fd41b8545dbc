// French strings of <kudos-trophy-case>, loaded only on French pages.
import type { TrophyMessages } from './messages.js';

const fr: TrophyMessages = {
  heading: 'Vos trophées',
  loading: 'Chargement des trophées…',
  empty: 'Aucun trophée à gagner pour le moment. Revenez bientôt !',
  anonymous: 'Connectez-vous ou créez un compte pour gagner des trophées.',
  summary: (f, n) => `${f.n(n)} ${f.p(n, ['trophée gagné', 'trophées gagnés'])}`,
  awarded: (date) => `Décerné le ${date}`,
  howTo: 'Comment l’obtenir :',
  levels: { bronze: 'Bronze', silver: 'Argent', gold: 'Or' },
  share: 'Partager',
  copy: 'Copier le lien',
  copied: 'Lien copié',
  copyFailed: 'Impossible de copier le lien.',
};

export default fr;
