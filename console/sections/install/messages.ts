// The Install section's strings. English here; French and German beside it
// (messages.fr.ts, messages.de.ts). `t` also knows the shared strings (console/messages.ts).
import { defineMessages } from '../../i18n.js';
import { t as shared } from '../../messages.js';

export const en = {
  install: 'Install',
  installIntro: 'Paste this once in the template every page of your site uses, before </body>. Pick where your pages are made: for a shopper who is signed in, it adds their customer id and its signature, so they collect points and badges; for everyone else it is the plain tag.',
  scriptTag: 'Script tag',
  elements: 'Elements',
  lastSeen: 'Last events from a website',
  lastSeenAt: 'Events from {origin}, last at {time}.',
  neverSeen: 'No website has sent events with this shop’s key yet. Open a page with the script tag, then reload this tab.',
  platforms: 'Where your pages are made',
  platformHtml: 'Plain HTML',
  hint_html: 'Replace CUSTOMER_ID with the signed-in customer’s id and the hash with the HMAC-SHA256 of that id made with your identity secret, on your server. Leave both attributes out for visitors who are not signed in.',
  hint_shopify: 'Online Store → Themes → Edit code → theme.liquid, before </head>. First add a theme setting “kudos_identity_secret” holding your identity secret (never an API key: it can only sign customer ids).',
  hint_php: 'In the template that renders your pages. Put your identity secret in the server’s environment as KUDOS_IDENTITY_SECRET, never in the page.',
  hint_node: 'In the server code that renders your pages. Put your identity secret in the environment as KUDOS_IDENTITY_SECRET, never in the page.',
  hint_python: 'In the server code that renders your pages (Django, Flask…). Put your identity secret in the environment as KUDOS_IDENTITY_SECRET, never in the page.',
  identityWhy: 'Without the signature, widgets treat every shopper as a visitor and ask them to sign in to collect points.',
  elementsIntro: 'Then place these where each should appear (a product page, the account page, the cart).',
  setupCheck: 'Setup check',
  setupIntro: 'What this Kudos server saw from your pages in the last while. It updates by itself every few seconds.',
  websites: 'Websites that called with your key',
  website: 'Website',
  allowedCol: 'Allowed?',
  allowed: 'allowed',
  notAllowed: 'not registered: browsers are refused',
  lastRequest: 'Last request',
  requests: 'Requests',
  notAllowedHelp: 'A website that is not registered for your shop cannot use your key from a browser. Registered now: {origins}. Ask whoever runs your Kudos server to add the missing one (exactly as shown, with https:// and without a trailing slash).',
  noWebsite: 'No website has called with your key yet. Open a page with the script tag; it appears here within seconds.',
  signedShoppers: 'Signed-in shoppers',
  noIdentity: 'No signed-in shopper seen yet. Once a page sends a customer id with its signature, this says whether it checks out.',
  identityOk: '✓ Signatures check out. Verified: {verified}; the last at {time}.',
  identityRefused: '✗ Signatures that did not match: {refused} (the last at {time}); verified: {verified}. Check that your page signs the exact customer id with your identity secret, as in the snippets.',
  lastEvents: 'Last events received',
  time: 'Time',
  eventsCol: 'Events',
  fromCol: 'From',
  resultCol: 'Result',
  fromBackend: 'your server (no website)',
  noEvents: 'No events received yet.',
  evAccepted: '✓ accepted',
  evIdentityRefused: '✗ refused: the shopper’s signature did not match',
  evOriginRefused: '✗ refused: this website is not registered for your shop',
  evBadKey: '✗ refused: the key is not known',
  evTooMany: '✗ too many requests at once: slowed down',
  evInvalid: '✗ refused: the event was not valid ({status})',
  evServerError: '✗ the server failed ({status})',
  notAllowedHelpNone: 'A website that is not registered for your shop cannot use your key from a browser, and none is registered yet. Ask whoever runs your Kudos server to register yours (exactly as shown, with https:// and without a trailing slash).',
};

export type Messages = Record<keyof typeof en, string>;

export const t = defineMessages(en, { fr: () => import('./messages.fr.js'), de: () => import('./messages.de.js') }, shared);
