// French strings of <kudos-share-save>: a chunk of its own, loaded only by French pages.
import type { ShareSaveMessages } from './messages.js';

const fr: ShareSaveMessages = {
  heading: 'Partagez et économisez',
  offer: (f, hours) => `Créez un groupe et partagez-le : chaque ami qui le rejoint sous ${f.n(hours)} h fait économiser tout le monde.`,
  tier: (f, n, pct) => `${f.n(n)} personnes : −${pct}`,
  loading: 'Chargement…',
  start: 'Créer un groupe',
  signIn: 'Connectez-vous pour créer ou rejoindre un groupe.',
  invited: 'Un ami vous invite à économiser ensemble.',
  join: 'Rejoindre le groupe',
  inGroup: 'Vous êtes dans ce groupe.',
  people: (f, n) => `${f.n(n)} ${f.p(n, ['inscrit', 'inscrits'])}`,
  next: (f, k, pct) => `Encore ${f.n(k)} pour −${pct}`,
  endsIn: 'Fin dans',
  link: 'Lien du groupe',
  share: 'Partager le lien',
  copyLink: 'Copier le lien',
  email: 'E-mail',
  shareText: 'Rejoins mon groupe, on économise tous :',
  code: (pct) => `Votre code pour −${pct} :`,
  codeSoon: (pct: string) => `−${pct} débloqué : votre code arrive.`,
  copyCode: 'Copier le code',
  copied: 'Copié !',
  used: 'Utilisé',
  unlocked: (pct) => `Débloqué : −${pct} pour tous !`,
  'group-full': 'Ce groupe est complet.',
  'group-window-over': 'Le temps de ce groupe est écoulé.',
  'new-customers-only': 'Offre réservée aux nouveaux clients.',
  'rate-limited': 'Trop de tentatives. Patientez quelques minutes.',
  'campaign-not-active': 'Cette offre est terminée.',
};

export default fr;
