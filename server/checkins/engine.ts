// Check-in rules, pure: daily tokens, the active window, one check-in per person.
// No I/O; the clock and secrets come in.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { emailIdentity, normalizeEmailAddress as normalizeEmail } from '../email-identity.js';
import { anonymousCustomerKey } from '../loyalty/engine/customer.js';
import type { CheckinPoint, Consent, Visit } from './schemas.js';

const DAY_MS = 86_400_000;

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function eventDay(at: Date, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

function mac(secret: string, payload: string): string {
  // 128 bits: a token cannot be forged or guessed, and fits a small QR code.
  return createHmac('sha256', secret).update(`kudos-checkin\n${payload}`).digest('base64url').slice(0, 22);
}

/**
 * The token of a check-in point for one event day: the shop, the point and the day
 * in clear, signed with the shop's secret key. A new day is a new token, so a
 * screenshot of yesterday's QR is worth nothing today.
 */
export function tokenFor(secret: string, shopId: string, checkinId: string, day: string): string {
  const payload = `${shopId}\n${checkinId}\n${day}`;
  return `${b64(payload)}.${mac(secret, payload)}`;
}

export interface ParsedToken {
  shopId: string;
  checkinId: string;
  day: string;
  payload: string;
  mac: string;
}

export function parseToken(token: string): ParsedToken | undefined {
  const m = /^([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return undefined;
  const payload = Buffer.from(m[1]!, 'base64url').toString('utf8');
  const parts = payload.split('\n');
  if (parts.length !== 3 || !/^\d{4}-\d{2}-\d{2}$/.test(parts[2]!)) return undefined;
  return { shopId: parts[0]!, checkinId: parts[1]!, day: parts[2]!, payload, mac: m[2]! };
}

export function tokenVerifies(secret: string, token: ParsedToken): boolean {
  return timingSafeEqual(Buffer.from(mac(secret, token.payload)), Buffer.from(token.mac));
}

export type TokenState = 'open' | 'not-yet' | 'over' | 'old-token' | 'future-token';

/** Whether a (verified) token of `day` grants anything at `now`. */
export function tokenState(point: Pick<CheckinPoint, 'from' | 'until' | 'timeZone'>, day: string, now: Date): TokenState {
  const today = eventDay(now, point.timeZone);
  if (day < today) return 'old-token';
  if (day > today) return 'future-token';
  const t = now.getTime();
  if (t < Date.parse(point.from)) return 'not-yet';
  if (t >= Date.parse(point.until)) return 'over';
  return 'open';
}

/** The day a printed QR is for: today while the window is on, else its first day. */
export function printDay(point: Pick<CheckinPoint, 'from' | 'until' | 'timeZone'>, now: Date): string {
  const t = now.getTime();
  if (t >= Date.parse(point.from) && t < Date.parse(point.until)) return eventDay(now, point.timeZone);
  return eventDay(new Date(Math.max(t, Date.parse(point.from))), point.timeZone);
}

/** Event days a QR can be printed for: those of the window (a token for another day would never work). */
export function daysOf(point: Pick<CheckinPoint, 'from' | 'until' | 'timeZone'>): string[] {
  const days = new Set<string>();
  const end = Date.parse(point.until);
  for (let t = Date.parse(point.from); t < end; t += DAY_MS / 4) days.add(eventDay(new Date(t), point.timeZone));
  days.add(eventDay(new Date(end - 1), point.timeZone));
  return [...days].sort();
}

export { normalizeEmail };

/**
 * Emails are looked up by a keyed digest: a document id never carries the address,
 * and without the shop's derivation secret a list of addresses cannot be matched
 * against a copied store (a plain SHA-256 could be, one hash per address). The
 * digest is of the address's identity, so ann+1@ or a.nn@ on Gmail is the person
 * who already checked in as ann@.
 */
export const emailKey = (secret: string, email: string) =>
  createHmac('sha256', secret).update(`checkin-email\n${emailIdentity(email)}`).digest('base64url').slice(0, 32);

/** What older versions keyed email pointers with; only start-up's rename (rekey-emails.ts) still computes it, to find them. */
export const legacyEmailKey = (email: string) => createHash('sha256').update(emailIdentity(email)).digest('base64url').slice(0, 32);

/** The id of the pointer from an email's digest (emailKey) to the visit made with it at a point. */
export const emailPointerId = (checkinId: string, key: string) => `${checkinId}/e/${key}`;

/** Document ids of a person at a point: by anonymous id, and by email (its emailKey) when given. Either one already there means "already checked in". */
export function personKeys(checkinId: string, anonymousId: string, emailDigest?: string): string[] {
  return [`${checkinId}/a/${anonymousId}`, ...(emailDigest ? [emailPointerId(checkinId, emailDigest)] : [])];
}

export class AlreadyCheckedIn extends Error {
  constructor(readonly visit: Visit) {
    super('already checked in at this point');
  }
}

/**
 * One check-in: refused (AlreadyCheckedIn, carrying the first visit) when this
 * anonymous id or this email has checked in at the point before, on any day.
 */
export function checkIn(
  existing: readonly (Visit | undefined)[],
  input: { checkinId: string; day: string; anonymousId: string; email?: string; consent?: Consent; visitId: string; at: string },
): Visit {
  const previous = existing.find((v) => v !== undefined);
  if (previous) throw new AlreadyCheckedIn(previous);
  return {
    visitId: input.visitId,
    checkinId: input.checkinId,
    day: input.day,
    at: input.at,
    anonymousId: input.anonymousId,
    // The same key an anonymous storefront visitor's events are recorded under.
    customerKey: anonymousCustomerKey(input.anonymousId),
    ...(input.email && { email: normalizeEmail(input.email), consent: input.consent }),
  };
}

/** Link a visit to an identified customer: the first one wins, the same one again changes nothing. */
export function linkVisit(visit: Visit, customerId: string, at: string): { visit: Visit; linked: boolean } {
  if (visit.linkedTo) return { visit, linked: visit.linkedTo === customerId };
  return { visit: { ...visit, linkedTo: customerId, linkedAt: at }, linked: true };
}
