// Anonymous visitors' survey contact records are within the shop's quotas like
// their event records (server/limits): at most `anonymousVisitors` at once, and
// deleted after `anonymousIdleDays` without a display. An anonymous id costs
// nothing, so without this every fresh id shown a survey left a record forever.
import type { Limits } from '../limits/schemas.js';
import type { DocumentRef, Store } from '../store/store.js';
import type { ContactRecord } from './engine.js';

export const CONTACTS = 'survey-contacts';
export const contactRef = (personKey: string): DocumentRef => ({ collection: CONTACTS, id: personKey });
/** How many anonymous contact records the shop holds (changed with each one made or deleted, in the same update). */
export const ANONYMOUS_COUNT_REF: DocumentRef = { collection: 'survey-anonymous', id: 'count' };
export interface AnonymousCount {
  count: number;
}

const DAY_MS = 86_400_000;
const SWEEP_EVERY_MS = 3_600_000;
/** At the quota, look for idle records at most this often per shop. */
const SWEEP_AT_LIMIT_EVERY_MS = 60_000;

export class AnonymousContacts {
  private readonly sweptAt = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  /** Deletes the shop's idle anonymous contact records when it is time (hourly, or each minute at the quota). */
  async maybeSweep(shopId: string, limits: Limits): Promise<void> {
    const now = this.now().getTime();
    const since = now - (this.sweptAt.get(shopId) ?? -Infinity);
    if (since < SWEEP_AT_LIMIT_EVERY_MS) return;
    if (since < SWEEP_EVERY_MS) {
      const held = (await this.store.getDocument<AnonymousCount>(shopId, ANONYMOUS_COUNT_REF))?.count ?? 0;
      if (held < limits.anonymousVisitors) return;
    }
    this.sweptAt.set(shopId, now);
    const cutoff = now - limits.anonymousIdleDays * DAY_MS;
    const idle = (r: ContactRecord | undefined) => r?.person !== undefined && !(Date.parse(r.lastShownAt ?? '') >= cutoff);
    for (const record of await this.store.listDocuments<ContactRecord>(shopId, CONTACTS)) {
      if (!idle(record)) continue;
      await this.store.updateDocuments(shopId, [contactRef(record.person!), ANONYMOUS_COUNT_REF], ([current, counter]) => {
        // Shown again since the list was read: it stays.
        if (!idle(current as ContactRecord | undefined)) return { values: [current, counter], result: undefined };
        const count = Math.max(0, ((counter as AnonymousCount | undefined)?.count ?? 1) - 1);
        return { values: [undefined, { count }], result: undefined };
      });
    }
  }
}
