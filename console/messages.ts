// Strings every part of the console uses: the shell (sign-in, navigation), forms, charts and
// the documents editor.
// English here; French and German in messages.fr.ts and messages.de.ts (chunks fetched only
// for those languages). Each section has a catalog of its own beside its element.
import { defineMessages } from './i18n.js';

export const en = {
  appTitle: 'Kudos console',
  skip: 'Skip to content',
  signInTitle: 'Sign in to your shop',
  signInHelp: 'Paste your shop’s secret key (sk_…). It stays in this browser tab only, and is forgotten when you close it.',
  secretKey: 'Secret key',
  signIn: 'Sign in',
  signOut: 'Sign out',
  signingIn: 'Signing in…',
  badKey: 'This key is not known. Check that you copied all of it.',
  publishableKey: 'This is a publishable key (pk_…). The console needs the secret key (sk_…).',
  networkError: 'The Kudos server could not be reached. Try again.',
  serverError: 'Something went wrong on the server ({status}).',
  nav: 'Sections',
  shop: 'Shop {name}',
  copy: 'Copy',
  copyNamed: 'Copy {name}',
  copied: 'Copied to the clipboard.',
  copyFailed: 'Copying was refused: select the text and copy it by hand.',
  refresh: 'Refresh',
  badges: 'Badges',
  trophies: 'Trophies',
  surveys: 'NPS surveys',
  newItem: 'New',
  edit: 'Edit {name}',
  save: 'Save',
  saving: 'Saving…',
  saved: 'Saved.',
  created: 'Created.',
  fixErrors: 'Some fields need attention: {count}.',
  cancel: 'Cancel',
  none: 'None yet.',
  loading: 'Loading…',
  loadFailed: 'Could not load this. {detail}',
  required: '(required)',
  id: 'Id',
  idHint: 'Lowercase letters, digits, - and _. It cannot change later.',
  description: 'Description',
  addRow: 'Add a row',
  removeRow: 'Remove row {n}',
  row: 'Row {n}',
  points: 'Points',
  from: 'From',
  to: 'To',
  week: 'Week of',
  noData: 'no data',
  showData: 'Data table',
  chartSummary: '{name}: from {first} to {last} over {weeks} weeks.',
  chartEmpty: '{name}: no data in this period.',
  close: 'Close',
  requiredField: 'Fill this in.',
  customerId: 'Customer id',
  timesIn: 'Times in {zone}.',
};

export type Messages = Record<keyof typeof en, string>;

export const t = defineMessages(en, { fr: () => import('./messages.fr.js'), de: () => import('./messages.de.js') });
