// The audit log: who (which key, by name) changed what, when. One document per
// UTC day (at most MAX_PER_DAY entries) plus an index of the days kept, so
// appending, paging and expiry touch a few documents and never scan the shop.
// Entries hold ids and configuration, never a shopper's personal data: a
// customer appears only as a keyed digest of their id (customerRef).
import { createHmac } from 'node:crypto';
import type { DocumentRef, Shop, Store } from '../store/store.js';
import { derivationSecretOf } from './secrets.js';

export const DEFAULT_AUDIT_RETENTION_DAYS = 90;
export const MAX_AUDIT_RETENTION_DAYS = 730;
export const MAX_PER_DAY = 5000;
/** Configuration bodies are kept up to this size (JSON characters); longer ones are cut and marked. */
const MAX_CHANGE_CHARS = 4000;
const DAY_MS = 86_400_000;

export interface AuditActor {
  /** The key's id and name, or "cli" for the local command line. */
  keyId: string;
  keyName: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: AuditActor;
  /** e.g. "key.created", "origins.added", "PUT /badges/:id". */
  action: string;
  /** The thing acted on: a key id, an origin, a badge id… */
  target?: string;
  /** A customer, as a digest of their id under the shop's own secret (matchable, not readable). */
  customer?: string;
  /** What changed: the new configuration, or the fields of a key event. */
  changes?: unknown;
}

interface AuditDay {
  entries: AuditEntry[];
  /** Entries refused once the day was full. */
  dropped?: number;
}

interface AuditIndex {
  days: string[];
}

export const AUDIT = 'audit';
const INDEX: DocumentRef = { collection: AUDIT, id: 'index' };
const dayRef = (day: string): DocumentRef => ({ collection: AUDIT, id: `day-${day}` });

export const CLI_ACTOR: AuditActor = { keyId: 'cli', keyName: 'kudos CLI (local admin)' };

export const customerRef = (shop: Shop, customerId: string) =>
  createHmac('sha256', derivationSecretOf(shop)).update(`audit-customer\n${customerId}`).digest('hex').slice(0, 20);

/** Fields that may hold a credential (a connection's platform secret…) are never copied. */
const SECRET_FIELD = /secret|password|token|apikey|api_key|^key$/i;

function redacted(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redacted(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELD.test(k) ? '[redacted]' : redacted(v, depth + 1)]));
}

export function boundedChanges(input: unknown): unknown {
  const value = redacted(input);
  const json = JSON.stringify(value);
  if (json === undefined || json.length <= MAX_CHANGE_CHARS) return value;
  return { truncated: true, json: json.slice(0, MAX_CHANGE_CHARS) };
}

const retentionOf = (shop: Shop) => shop.auditRetentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS;

/** Appends one entry; drops the days past the shop's retention in the same update. */
export async function recordAudit(
  store: Store,
  shop: Shop,
  now: Date,
  entry: Omit<AuditEntry, 'id' | 'at'>,
): Promise<void> {
  const day = now.toISOString().slice(0, 10);
  const cutoff = new Date(now.getTime() - retentionOf(shop) * DAY_MS).toISOString().slice(0, 10);
  const index = (await store.getDocument<AuditIndex>(shop.id, INDEX)) ?? { days: [] };
  const expired = index.days.filter((d) => d < cutoff && d !== day);
  await store.updateDocuments(shop.id, [INDEX, dayRef(day), ...expired.map(dayRef)], ([currentIndex, currentDay]) => {
    const days = ((currentIndex as AuditIndex | undefined)?.days ?? []).filter((d) => !expired.includes(d));
    if (!days.includes(day)) days.push(day);
    days.sort();
    const doc: AuditDay = structuredClone((currentDay as AuditDay | undefined) ?? { entries: [] });
    if (doc.entries.length >= MAX_PER_DAY) doc.dropped = (doc.dropped ?? 0) + 1;
    else doc.entries.push({ id: `${day}.${doc.entries.length}`, at: now.toISOString(), ...entry });
    return { values: [{ days }, doc, ...expired.map(() => undefined)], result: undefined };
  });
}

/** What a filter matches: the action, the key's name, the target (case-insensitive). */
const matches = (entry: AuditEntry, q: string) =>
  [entry.action, entry.actor.keyName, entry.target ?? ''].some((field) => field.toLowerCase().includes(q));

/** Newest first. The cursor is the id of the last entry of the previous page; `q` keeps the entries it matches. */
export async function listAudit(
  store: Store,
  shop: Shop,
  now: Date,
  page: { limit: number; cursor?: string; q?: string },
): Promise<{ data: AuditEntry[]; nextCursor: string | null }> {
  const q = page.q?.toLowerCase();
  const cutoff = new Date(now.getTime() - retentionOf(shop) * DAY_MS).toISOString();
  const index = (await store.getDocument<AuditIndex>(shop.id, INDEX)) ?? { days: [] };
  const [cursorDay, cursorPos] = page.cursor ? [page.cursor.slice(0, 10), Number(page.cursor.slice(11))] : [undefined, Infinity];
  const data: AuditEntry[] = [];
  for (const day of [...index.days].reverse()) {
    if (cursorDay && day > cursorDay) continue;
    const doc = await store.getDocument<AuditDay>(shop.id, dayRef(day));
    const entries = (doc?.entries ?? [])
      .filter((e, i) => e.at >= cutoff && (day !== cursorDay || i < cursorPos) && (!q || matches(e, q)))
      .reverse();
    for (const entry of entries) {
      if (data.length === page.limit) return { data, nextCursor: data[data.length - 1]!.id };
      data.push(entry);
    }
  }
  return { data, nextCursor: null };
}
