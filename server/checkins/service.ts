// Check-ins on top of the store: each check-in is one atomic `updateDocuments`
// over the person's documents (by anonymous id and by email), so "one per person
// per point" holds under concurrent taps; the grant is an event through
// `recordEvents`, so badges, earn rules, KPIs and webhooks see it like any other.
import { putDefinition } from '../store/put-definition.js';
import { updateOne } from '../store/update-one.js';
import { customAlphabet } from 'nanoid';
import { isSealed, needsSealing, openText, resealed, sealText } from '../access/seal.js';
import { derivationSecretOf } from '../access/secrets.js';
import { sameEmailIdentity } from '../email-identity.js';
import { BONUS_EVENT } from '../loyalty/engine/apply.js';
import { anonymousCustomerKey } from '../loyalty/engine/customer.js';
import { problems } from '../http/problem.js';
import { recordEvents } from '../events/record-events.js';
import type { Award } from '../schemas.js';
import type { BrowserLimits, DocumentRef, RecordedEvent, Store } from '../store/store.js';
import { AlreadyCheckedIn, checkIn, emailKey, emailPointerId, linkVisit, normalizeEmail, personKeys } from './engine.js';
import type { CheckinInput, CheckinPoint, Consent, Visit } from './schemas.js';

export const CHECKIN_EVENT = 'market_checkin';

export const COLLECTIONS = {
  points: 'checkins',
  visits: 'checkinVisits',
  /** Person → visit pointers: `<point>/a/<anonymousId>` and `<point>/e/<emailKey>` (an HMAC under the shop's derivation secret). */
  persons: 'checkinPersons',
  /** Customer → their visits, for "check-in then order" gifts and for erase. */
  byCustomer: 'checkinVisitsByCustomer',
  /** Which start-up passes (rekey-emails.ts) a shop has had. */
  passes: 'checkinPasses',
};

export const pointRef = (id: string): DocumentRef => ({ collection: COLLECTIONS.points, id });
export const visitRef = (id: string): DocumentRef => ({ collection: COLLECTIONS.visits, id });

// A visit's email is sealed in the store (plain in data written before sealing): sealed on
// every write, opened on every read. Its pointer's id is a digest, never the address.
export const sealedVisit = <V extends Visit>(visit: V): V => (visit.email && !isSealed(visit.email) ? { ...visit, email: sealText(visit.email) } : visit);
export const openedVisit = <V extends Visit | undefined>(visit: V): V => (visit?.email ? { ...visit, email: openText(visit.email) } : visit);
export const personRef = (key: string): DocumentRef => ({ collection: COLLECTIONS.persons, id: key });

/** The shop's digest of an email for its pointers' ids: keyed by its derivation secret, which only the shop's record holds. */
async function emailKeyer(store: Store, shopId: string): Promise<(email: string) => string> {
  const shop = await store.getShop(shopId);
  if (!shop) throw new Error(`no shop ${shopId}`);
  const secret = derivationSecretOf(shop);
  return (email) => emailKey(secret, email);
}
export const byCustomerRef = (customerId: string): DocumentRef => ({ collection: COLLECTIONS.byCustomer, id: customerId });

interface PersonPointer {
  visitId: string;
}

export interface CustomerVisits {
  visits: { visitId: string; checkinId: string; at: string }[];
}

const visitIdOf = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 16);

export async function putCheckin(store: Store, now: () => Date, shopId: string, id: string, input: CheckinInput) {
  const { value: point, created } = await putDefinition<CheckinInput>(store, now, shopId, pointRef(id), input);
  return { point: point as CheckinPoint, created };
}

export async function getCheckin(store: Store, shopId: string, id: string): Promise<CheckinPoint> {
  const point = await store.getDocument<CheckinPoint>(shopId, pointRef(id));
  if (!point) throw problems.notFound(`No check-in point "${id}" in this shop.`);
  return point;
}

function checkinEvents(point: CheckinPoint, visit: Visit, customerId: string, eventId: string): RecordedEvent[] {
  const properties = { checkinId: point.id, visitId: visit.visitId, day: visit.day };
  return [
    { id: eventId, type: CHECKIN_EVENT, customerId, occurredAt: visit.at, properties },
    ...(point.points
      ? [{ id: `${eventId}:points`, type: BONUS_EVENT, customerId, occurredAt: visit.at, properties: { ...properties, points: point.points } }]
      : []),
  ];
}

export interface CheckinResult {
  /** `already-email`: another phone checked in with this email before (its visit is not shown to this one). */
  status: 'checked-in' | 'already' | 'already-email';
  visit: Visit;
  awards: Award[];
  points: number;
}

/** Check a person in at a point for an event day (the token and window are checked by the caller). */
export async function checkInPerson(
  store: Store,
  now: () => Date,
  shopId: string,
  point: CheckinPoint,
  input: { day: string; anonymousId: string; email?: string; consent?: Consent },
  /** The shop's quotas (server/limits): a check-in adds an anonymous visitor's record, so it counts against anonymousVisitors. */
  limits?: BrowserLimits,
): Promise<CheckinResult> {
  const keys = personKeys(point.id, input.anonymousId, input.email ? (await emailKeyer(store, shopId))(input.email) : undefined);
  const at = now().toISOString();
  const visitId = visitIdOf();
  // Before the visit is written, so a check-in past the quota stores nothing (the event's recording checks again, atomically).
  if (limits) {
    const customerId = anonymousCustomerKey(input.anonymousId);
    await store.checkLimits(shopId, [{ id: `checkin:${point.id}:${visitId}`, type: CHECKIN_EVENT, customerId, occurredAt: at, properties: {} }], limits);
  }
  let status: CheckinResult['status'] = 'checked-in';
  let visit: Visit;
  try {
    visit = await store.updateDocuments(shopId, [...keys.map(personRef), visitRef(visitId)], (current) => {
      // The pointers stand for the visits they point to: any one there means "already checked in".
      const pointers = current.slice(0, keys.length) as (PersonPointer | undefined)[];
      const created = checkIn(pointers as (Visit | undefined)[], { checkinId: point.id, day: input.day, anonymousId: input.anonymousId, email: input.email, consent: input.consent, visitId, at });
      return { values: [...keys.map(() => ({ visitId })), { ...sealedVisit(created), keys }], result: created };
    });
  } catch (error) {
    if (!(error instanceof AlreadyCheckedIn)) throw error;
    const first = openedVisit(await store.getDocument<Visit>(shopId, visitRef(error.visit.visitId)));
    if (!first) throw error;
    status = first.anonymousId === input.anonymousId ? 'already' : 'already-email';
    visit = first;
  }
  // Same event ids as the first time: a retry after a crash between the two writes completes the grant, never doubles it.
  const outcomes = await recordEvents(store, now, shopId, checkinEvents(point, visit, visit.customerKey, `checkin:${point.id}:${visit.visitId}`), { limits });
  return {
    status,
    visit,
    awards: status === 'checked-in' ? outcomes.flatMap((o) => o.awards) : [],
    points: status === 'checked-in' ? (point.points ?? 0) : 0,
  };
}

/** This phone's (anonymous id's) visit at a point, if it checked in there before: the page shows it at once. */
export async function visitOf(store: Store, shopId: string, checkinId: string, anonymousId: string): Promise<Visit | undefined> {
  const pointer = await store.getDocument<PersonPointer>(shopId, personRef(personKeys(checkinId, anonymousId)[0]!));
  return pointer && openedVisit(await store.getDocument<Visit>(shopId, visitRef(pointer.visitId)));
}

export interface AddEmailResult {
  status: 'email-added' | 'already-email' | 'no-visit';
  visit?: Visit;
}

/**
 * After an anonymous check-in, the visitor gives their email (with consent) to keep what they
 * earned: the visit gets it, in one atomic update with the email's pointer, so the shop can
 * link it to their account later (`linkByEmail`). An email already used at this point, or a
 * visit that already has one, changes nothing.
 */
export async function addEmail(
  store: Store,
  shopId: string,
  point: CheckinPoint,
  input: { anonymousId: string; email: string; consent: Consent },
): Promise<AddEmailResult> {
  const own = await store.getDocument<PersonPointer>(shopId, personRef(personKeys(point.id, input.anonymousId)[0]!));
  if (!own) return { status: 'no-visit' };
  const emailRef = personRef(emailPointerId(point.id, (await emailKeyer(store, shopId))(input.email)));
  return store.updateDocuments<AddEmailResult>(shopId, [visitRef(own.visitId), emailRef], ([current, pointer]) => {
    const visit = openedVisit(current as (Visit & { keys?: string[] }) | undefined);
    if (!visit) return { values: [current, pointer], result: { status: 'no-visit' } };
    if (pointer || visit.email) return { values: [current, pointer], result: { status: 'already-email', visit } };
    const next = { ...visit, email: normalizeEmail(input.email), consent: input.consent, keys: [...(visit.keys ?? []), emailRef.id] };
    return { values: [sealedVisit(next), { visitId: visit.visitId }], result: { status: 'email-added', visit: next } };
  });
}

/**
 * The shop backend knows this email now belongs to `customerId` (a sign-up, an
 * order): every visit checked in with it moves to that customer, like a guest
 * claim link — the first customer to claim a visit keeps it; the same one again
 * changes nothing.
 */
export async function linkByEmail(store: Store, now: () => Date, shopId: string, customerId: string, email: string) {
  const key = (await emailKeyer(store, shopId))(email);
  const at = now().toISOString();
  const linked: { checkinId: string; visitId: string; at: string }[] = [];
  const awards: Award[] = [];
  for (const point of await store.listDocuments<CheckinPoint>(shopId, COLLECTIONS.points)) {
    const pointer = await store.getDocument<PersonPointer>(shopId, personRef(emailPointerId(point.id, key)));
    if (!pointer) continue;
    const result = await store.updateDocuments(shopId, [visitRef(pointer.visitId)], ([current]) => {
      const visit = openedVisit(current as Visit | undefined);
      if (!visit || !visit.email || !sameEmailIdentity(visit.email, email)) return { values: [current], result: undefined };
      const next = linkVisit(visit, customerId, at);
      return { values: [sealedVisit(next.visit)], result: next.linked ? next.visit : undefined };
    });
    if (!result) continue;
    const outcomes = await recordEvents(store, now, shopId, checkinEvents(point, result, customerId, `checkin-link:${result.visitId}`));
    awards.push(...outcomes.filter((o) => o.status === 'accepted').flatMap((o) => o.awards));
    linked.push({ checkinId: point.id, visitId: result.visitId, at: result.at });
  }
  return { customerId, linked, awards };
}

/** After events are stored: a check-in recorded for a customer joins their list of visits. */
export async function noteVisits(store: Store, shopId: string, events: readonly RecordedEvent[], outcomes: readonly { status: string }[]): Promise<void> {
  for (const [i, event] of events.entries()) {
    if (event.type !== CHECKIN_EVENT || outcomes[i]?.status !== 'accepted') continue;
    const { visitId, checkinId } = event.properties ?? {};
    if (typeof visitId !== 'string' || typeof checkinId !== 'string') continue;
    await store.updateDocuments(shopId, [byCustomerRef(event.customerId)], ([current]) => {
      const list = (current as CustomerVisits | undefined) ?? { visits: [] };
      if (list.visits.some((v) => v.visitId === visitId)) return { values: [list], result: undefined };
      // Bounded: a person's latest 100 visits are plenty for "check-in then order" rules.
      return { values: [{ visits: [...list.visits, { visitId, checkinId, at: event.occurredAt }].slice(-100) }], result: undefined };
    });
  }
}

/** The customer's latest visits (at most 100, oldest first): for "check-in then order" gifts. */
export async function customerVisits(store: Store, shopId: string, customerId: string): Promise<CustomerVisits['visits']> {
  return (await store.getDocument<CustomerVisits>(shopId, byCustomerRef(customerId)))?.visits ?? [];
}

/** When each person checked in (ms), by the customer a visit is linked to, else its visitor key: the KPIs' market visits. */
export async function visitTimesByCustomer(store: Store, shopId: string): Promise<Map<string, number[]>> {
  const times = new Map<string, number[]>();
  for (const v of await store.listDocuments<Visit>(shopId, COLLECTIONS.visits)) {
    const customer = v.linkedTo ?? v.customerKey;
    times.set(customer, [...(times.get(customer) ?? []), Date.parse(v.at)]);
  }
  return times;
}

/** Seals visit emails written plain or under a previous sealing key (server/access/seal-at-rest.ts); how many changed. */
export async function resealVisitEmails(store: Store, shopId: string): Promise<number> {
  let changed = 0;
  for (const visit of await store.listDocuments<Visit>(shopId, COLLECTIONS.visits)) {
    if (!needsSealing(visit.email)) continue;
    if (await updateOne<Visit>(store, shopId, visitRef(visit.visitId), (v) => (needsSealing(v.email) ? { ...v, email: resealed(v.email) } : undefined))) changed++;
  }
  return changed;
}

/** Erase (GDPR art. 17): the customer's visits, the emails and consents they hold, and the pointers to them. */
export async function eraseCheckins(store: Store, shopId: string, customerId: string): Promise<void> {
  const list = await store.getDocument<CustomerVisits>(shopId, byCustomerRef(customerId));
  const visitIds = new Set(list?.visits.map((v) => v.visitId) ?? []);
  // A shop whose customer ids are emails: visits checked in with that email go too, linked or not.
  if (customerId.includes('@')) {
    const key = (await emailKeyer(store, shopId))(customerId);
    for (const point of await store.listDocuments<CheckinPoint>(shopId, COLLECTIONS.points)) {
      const pointer = await store.getDocument<PersonPointer>(shopId, personRef(emailPointerId(point.id, key)));
      if (pointer) visitIds.add(pointer.visitId);
    }
  }
  for (const visitId of visitIds) {
    const visit = await store.getDocument<Visit & { keys?: string[] }>(shopId, visitRef(visitId));
    const refs = [visitRef(visitId), ...(visit?.keys ?? []).map(personRef)];
    // The anonymous record of the visit is this person too: its list goes with it.
    if (visit) refs.push(byCustomerRef(visit.customerKey));
    await store.updateDocuments(shopId, refs, () => ({ values: refs.map(() => undefined), result: undefined }));
  }
  await store.updateDocuments(shopId, [byCustomerRef(customerId)], () => ({ values: [undefined], result: undefined }));
}


/** For the customer export: their market visits, with the email and consent each holds. */
export async function exportCheckins(store: Store, shopId: string, customerId: string): Promise<Omit<Visit, 'keys'>[]> {
  const list = await store.getDocument<CustomerVisits>(shopId, byCustomerRef(customerId));
  const visits = await Promise.all((list?.visits ?? []).map((v) => store.getDocument<Visit & { keys?: string[] }>(shopId, visitRef(v.visitId))));
  return visits.filter((v) => v !== undefined).map(({ keys: _keys, ...visit }) => openedVisit(visit));
}

/**
 * The person withdrew their consent (the market list's withdrawal link): the visit
 * loses its email and consent, and the email's pointer goes. The check-in stays.
 * Undefined when there was nothing to remove (already withdrawn, or no such visit).
 */
export async function withdrawConsent(store: Store, shopId: string, visitId: string, _now: Date): Promise<Visit | undefined> {
  const stored = openedVisit(await store.getDocument<Visit>(shopId, visitRef(visitId)));
  if (!stored?.email) return undefined;
  const emailRef = personRef(emailPointerId(stored.checkinId, (await emailKeyer(store, shopId))(stored.email)));
  return store.updateDocuments(shopId, [visitRef(visitId), emailRef], ([current, pointer]) => {
    const visit = openedVisit(current as Visit | undefined);
    if (!visit?.email) return { values: [current, pointer], result: undefined };
    const { email: _e, consent: _c, ...rest } = visit as Visit & { keys?: string[] };
    const next = { ...rest, keys: ((visit as { keys?: string[] }).keys ?? []).filter((k) => k !== emailRef.id) };
    const ownPointer = (pointer as { visitId?: string } | undefined)?.visitId === visitId;
    return { values: [next, ownPointer ? undefined : pointer], result: visit };
  });
}
