// The shop's market list: the check-in sign-ups that left an email with consent,
// searchable, a page at a time, or all of them as CSV. Pure: visits in, rows out.
import type { Visit } from './schemas.js';

export interface MarketListRow {
  email: string;
  consentText: string;
  consentAt: string;
  /** The check-in point (stall). */
  checkinId: string;
  day: string;
  checkedInAt: string;
  /** For the withdrawal link (routes add `withdrawUrl`). */
  visitId: string;
}

export interface MarketListQuery {
  /** Part of the email, or the stall id, case-insensitive. */
  q?: string;
  limit: number;
  cursor?: string;
}

/** Sign-ups with an email and its consent, newest first (ties by visit id). */
export function marketList(visits: readonly Visit[], q?: string): (MarketListRow & { key: string })[] {
  const needle = q?.trim().toLowerCase();
  return visits
    .filter((v): v is Visit & { email: string; consent: NonNullable<Visit['consent']> } => Boolean(v.email && v.consent))
    .filter((v) => !needle || v.email.toLowerCase().includes(needle) || v.checkinId.toLowerCase().includes(needle))
    .map((v) => ({
      key: `${v.at}|${v.visitId}`,
      email: v.email,
      consentText: v.consent.text,
      consentAt: v.consent.at,
      checkinId: v.checkinId,
      day: v.day,
      checkedInAt: v.at,
      visitId: v.visitId,
    }))
    .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
}

/** One page after the opaque cursor (the last row's key). */
export function pageOf(rows: readonly (MarketListRow & { key: string })[], query: MarketListQuery): { data: MarketListRow[]; nextCursor: string | null } {
  const after = query.cursor ? Buffer.from(query.cursor, 'base64url').toString('utf8') : undefined;
  const start = after ? rows.filter((r) => r.key >= after).length : 0;
  const slice = rows.slice(start, start + query.limit);
  const more = start + query.limit < rows.length;
  return {
    data: slice.map(({ key: _key, ...row }) => row),
    nextCursor: more && slice.length > 0 ? Buffer.from(slice[slice.length - 1]!.key, 'utf8').toString('base64url') : null,
  };
}

/** A spreadsheet must not run a cell as a formula (CSV injection): such cells start with a quote. */
const cell = (value: string) => {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function marketListCsv(rows: readonly MarketListRow[]): string {
  const header = 'email,consent_text,consent_at,stall,day,checked_in_at';
  return [header, ...rows.map((r) => [r.email, r.consentText, r.consentAt, r.checkinId, r.day, r.checkedInAt].map(cell).join(','))].join('\r\n') + '\r\n';
}
