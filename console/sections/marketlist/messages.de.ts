// German: every key of messages.ts (the type says which one is missing).
import type { Messages } from './messages.js';

const de: Messages = {
  marketList: 'Marktliste',
  marketListIntro: 'Menschen, die am Marktstand ihre E-Mail hinterlassen haben, mit ihrer Einwilligung. Jede E-Mail an sie sollte ihren Abmeldelink enthalten.',
  search: 'E-Mail oder Stand suchen',
  find: 'Suchen',
  email: 'E-Mail',
  consent: 'Einwilligung',
  stall: 'Stand',
  day: 'Tag',
  withdraw: 'Abmeldelink',
  copyLink: 'Kopieren',
  copyLinkFor: 'Abmeldelink von {email} kopieren',
  more: 'Mehr zeigen',
  csv: 'Als CSV herunterladen',
  empty: 'Noch niemand auf der Liste.',
  count: '{n} angezeigt',
};
export default de;
