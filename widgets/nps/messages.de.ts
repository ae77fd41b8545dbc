import type { NpsMessages } from './messages.js';

const messages: NpsMessages = {
  announce: (question) => `Kurze Umfrage: ${question}`,
  low: 'Unwahrscheinlich',
  high: 'Sehr wahrscheinlich',
  next: 'Weiter',
  pick: 'Wählen Sie einen Wert von 0 bis 10.',
  detractor: 'Was könnten wir besser machen?',
  passive: 'Was würde es noch besser machen?',
  promoter: 'Was gefällt Ihnen am besten?',
  optional: 'Optional',
  send: 'Senden',
  notNow: 'Nicht jetzt',
  thanks: 'Vielen Dank für Ihr Feedback!',
  closed: 'Umfrage geschlossen.',
  failed: 'Ihre Antwort konnte nicht gesendet werden. Bitte versuchen Sie es erneut.',
};

export default messages;
