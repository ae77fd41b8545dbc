// Erasers for the features whose documents name a customer: NPS surveys, trophy
// awards, share-to-save groups. Each is idempotent, so a retried erase finishes
// what an interrupted one started. Aggregates that name nobody stay (survey score
// counts, group sizes, which order spent a group code).
import { COLLECTIONS as SHARE_SAVE } from '../share-save/service.js';
import type { Group } from '../share-save/engine.js';
import { AWARDS_BY_CUSTOMER, GROUPS_BY_MEMBER, MEMBERSHIPS_BY_CUSTOMER } from '../store/lookups.js';
import type { DocumentRef, Store } from '../store/store.js';
import type { ContactRecord, SurveyTally } from '../surveys/engine.js';
import { AWARD_REQUESTS, AWARDS, HOLDERS } from '../trophies/engine.js';
import type { AwardDocument } from '../trophies/schemas.js';

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

/** Every award of the customer (revoked ones too) goes, with its request record and the holder lock; public pages then 404. */
export async function eraseTrophyAwards(store: Store, shopId: string, customerId: string): Promise<void> {
  const awards = (await store.findDocuments<AwardDocument>(AWARDS_BY_CUSTOMER, { shopId, equals: customerId })).map((f) => f.value);
  const refs: DocumentRef[] = [{ collection: HOLDERS, id: customerId }];
  for (const a of awards) {
    refs.push({ collection: AWARDS, id: a.id });
    if (a.requestId) refs.push({ collection: AWARD_REQUESTS, id: `${a.trophyId}:${a.requestId}` });
  }
  await store.updateDocuments(shopId, refs, (current) => ({ values: current.map(() => undefined), result: null }));
}

/** Placeholder for an erased member: unique within the group, says nothing about who it was. */
const erasedId = (index: number) => `erased-${index}`;

/** Group memberships are anonymised (the group keeps its size and spent codes); per-campaign membership lists go. */
export async function eraseGroupMemberships(store: Store, shopId: string, customerId: string): Promise<void> {
  const groups = (await store.findDocuments<Group>(GROUPS_BY_MEMBER, { shopId, equals: customerId })).map((f) => f.value);
  for (const g of groups) {
    await store.updateDocuments(shopId, [{ collection: SHARE_SAVE.groups, id: g.code }], ([current]) => {
      const group = current as Group | undefined;
      if (!group) return { values: [current], result: null };
      const index = group.members.findIndex((m) => m.customerId === customerId);
      const replacement = erasedId(index < 0 ? group.members.length : index);
      const members = group.members.map((m) => (m.customerId === customerId ? { ...m, customerId: replacement } : m));
      return { values: [{ ...group, members, ownerId: group.ownerId === customerId ? replacement : group.ownerId }], result: null };
    });
  }
  const memberships = await store.findDocuments(MEMBERSHIPS_BY_CUSTOMER, { shopId, equals: customerId });
  const refs = memberships.map((m) => ({ collection: SHARE_SAVE.memberships, id: m.id }));
  if (refs.length) await store.updateDocuments(shopId, refs, (current) => ({ values: current.map(() => undefined), result: null }));
}
