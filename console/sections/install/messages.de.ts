// German: every key of messages.ts (the type says which one is missing).
import type { Messages } from './messages.js';

const de: Messages = {
  install: 'Einbau',
  installIntro: 'Fügen Sie dieses Script-Tag einmal vor </body> in Ihre Seiten ein und platzieren Sie dann die Elemente.',
  scriptTag: 'Script-Tag',
  elements: 'Elemente',
  lastSeen: 'Letzte Ereignisse einer Website',
  lastSeenAt: 'Ereignisse von {origin}, zuletzt am {time}.',
  neverSeen: 'Noch keine Website hat Ereignisse mit dem Schlüssel dieses Shops gesendet.',
};

export default de;
