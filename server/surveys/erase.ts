// A customer's erase (DELETE /v1/customers/:id) reaches their survey answers: the contact
// history goes, their comments leave the tallies (scores stay counted). Idempotent.
import type { DocumentRef, Store } from '../store/store.js';
import type { ContactRecord, SurveyTally } from './engine.js';

export const SURVEY_CONTACTS = 'survey-contacts';
export const SURVEY_TALLIES = 'survey-tallies';

/** The person's contact history goes; their comments leave the survey tallies (scores stay counted). */
export async function eraseSurveyAnswers(store: Store, shopId: string, customerId: string): Promise<void> {
  const contactRef = { collection: SURVEY_CONTACTS, id: customerId };
  const contact = await store.getDocument<ContactRecord>(shopId, contactRef);
  if (!contact) return;
  const surveyIds = [...new Set(contact.recent.map((d) => d.surveyId))];
  const refs: DocumentRef[] = [contactRef, ...surveyIds.map((id) => ({ collection: SURVEY_TALLIES, id }))];
  await store.updateDocuments(shopId, refs, ([current, ...tallies]) => {
    const recent = (current as ContactRecord | undefined)?.recent ?? [];
    const theirs = (surveyId: string, c: SurveyTally['comments'][number]) =>
      recent.some((d) => d.surveyId === surveyId && d.response?.id === c.responseId && d.response.at === c.at);
    const values = tallies.map((t, i) => {
      const tally = t as SurveyTally | undefined;
      if (!tally) return t;
      const comments = tally.comments.filter((c) => !theirs(surveyIds[i]!, c));
      return comments.length === tally.comments.length ? t : { ...tally, comments };
    });
    return { values: [undefined, ...values], result: null };
  });
}
