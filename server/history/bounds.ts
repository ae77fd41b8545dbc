// How far an event's own date (`occurredAt`) is believed. The shop's backend, a
// connector or an import may date what they send; the date must be plausible.
// Pure: the caller passes `now`.

/** A sender's clock may run this far ahead of ours. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/**
 * History reaches back at most this far (three years): the KPIs look back up to
 * two years, tiers and the ledger keep one year in full, and older facts would
 * only fold into carried totals.
 */
export const MAX_HISTORY_DAYS = 1096;
const DAY_MS = 86_400_000;

/**
 * The event's date in canonical form (UTC, milliseconds), or why it is refused.
 * Absent means "now".
 */
export function datedAt(occurredAt: string | undefined, now: Date): { at: string } | { refused: string } {
  if (occurredAt === undefined) return { at: now.toISOString() };
  const t = Date.parse(occurredAt);
  if (Number.isNaN(t)) return { refused: 'an ISO 8601 datetime' };
  if (t > now.getTime() + MAX_CLOCK_SKEW_MS) return { refused: `is in the future (more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes ahead of ${now.toISOString()})` };
  if (t < now.getTime() - MAX_HISTORY_DAYS * DAY_MS) return { refused: `is more than ${MAX_HISTORY_DAYS} days ago; older history is not imported` };
  return { at: new Date(t).toISOString() };
}
