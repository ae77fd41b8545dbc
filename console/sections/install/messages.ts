// The Install section's strings. English here; French and German beside it
// (messages.fr.ts, messages.de.ts). `t` also knows the shared strings (console/messages.ts).
import { defineMessages } from '../../i18n.js';
import { t as shared } from '../../messages.js';

export const en = {
  install: 'Install',
  installIntro: 'Paste this script tag once in your site’s pages, before </body>. Then place the elements where they should appear.',
  scriptTag: 'Script tag',
  elements: 'Elements',
  lastSeen: 'Last events from a website',
  lastSeenAt: 'Events from {origin}, last at {time}.',
  neverSeen: 'No website has sent events with this shop’s key yet. Open a page with the script tag, then reload this tab.',
};

export type Messages = Record<keyof typeof en, string>;

export const t = defineMessages(en, { fr: () => import('./messages.fr.js'), de: () => import('./messages.de.js') }, shared);
