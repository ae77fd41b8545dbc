// The demo shop's checkout survey, shown in the storefront's cart.
import type { Store } from '../store/store.js';
import { SurveyInput, type SurveyDefinition } from './schemas.js';

/**
 * Everyone is asked (100 % sampling), at most 3 times, and a person who saw it is
 * left alone for 1 day: long enough to see that a reload shows nothing, short
 * enough to try the demo again tomorrow (or at once as a "new shopper").
 */
export const DEMO_SURVEY = SurveyInput.parse({
  question: {
    en: 'How likely are you to recommend Demo Coffee Roasters to a friend?',
    fr: 'Quelle est la probabilité que vous recommandiez Demo Coffee Roasters à un ami ?',
    de: 'Wie wahrscheinlich ist es, dass Sie Demo Coffee Roasters einem Freund empfehlen?',
  },
  followUps: {
    detractor: { en: 'Sorry to hear that. What should we fix first?', fr: 'Désolés. Que devrions-nous corriger en premier ?', de: 'Das tut uns leid. Was sollten wir zuerst verbessern?' },
    passive: { en: 'What would make it a 10?', fr: 'Qu’est-ce qui en ferait un 10 ?', de: 'Was würde daraus eine 10 machen?' },
    promoter: { en: 'Lovely! What do you like most?', fr: 'Merci ! Qu’aimez-vous le plus ?', de: 'Schön! Was gefällt Ihnen am besten?' },
  },
  placement: 'cart',
  samplePercent: 100,
  recontactDays: 1,
  maxDisplays: 3,
  recordEvent: true,
});

export async function seedDemoSurvey(store: Store, shopId: string, now: () => Date): Promise<void> {
  const at = now().toISOString();
  const survey: SurveyDefinition = { id: 'checkout', ...DEMO_SURVEY, createdAt: at, updatedAt: at };
  await store.updateDocuments(shopId, [{ collection: 'surveys', id: 'checkout' }], () => ({ values: [survey], result: undefined }));
}
