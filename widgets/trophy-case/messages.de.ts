// German strings of <kudos-trophy-case>, loaded only on German pages.
import type { TrophyMessages } from './messages.js';

const de: TrophyMessages = {
  heading: 'Ihre Trophäen',
  loading: 'Trophäen werden geladen …',
  empty: 'Noch keine Trophäen zu gewinnen. Schauen Sie bald wieder vorbei!',
  anonymous: 'Melden Sie sich an oder erstellen Sie ein Konto, um Trophäen zu gewinnen.',
  summary: (f, n) => `${f.n(n)} ${f.p(n, ['Trophäe', 'Trophäen'])} gewonnen`,
  awarded: (date) => `Verliehen am ${date}`,
  howTo: 'So erhalten Sie sie:',
  levels: { bronze: 'Bronze', silver: 'Silber', gold: 'Gold' },
  share: 'Teilen',
  copy: 'Link kopieren',
  copied: 'Link kopiert',
  copyFailed: 'Der Link konnte nicht kopiert werden.',
};

export default de;
