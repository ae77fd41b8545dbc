// Recording history: past orders become the same events the signed orders-in
// route makes (same ids, so history and live deliveries of one order meet as
// duplicates), applied oldest first and silently.
import { recordEvents } from '../events/record-events.js';
import type { RecordedEvent, Store } from '../store/store.js';
import { eventOfOrder } from '../webhooks/order-events.js';
import type { OrderInput } from '../webhooks/schemas.js';

export interface HistoryOutcome {
  results: { id: string; status: 'accepted' | 'duplicate' }[];
  accepted: number;
  duplicates: number;
}

/** `orders` carry canonical `occurredAt` (checked by the caller against history bounds). */
export async function importOrders(store: Store, now: () => Date, shopId: string, orders: readonly (OrderInput & { occurredAt: string })[]): Promise<HistoryOutcome> {
  const events: RecordedEvent[] = orders.map((o) => eventOfOrder(o, o.occurredAt));
  // Oldest first within the batch (stable): a file need not be sorted for a
  // customer's events to apply in the order they happened.
  const order = events.map((_, i) => i).sort((a, b) => events[a]!.occurredAt.localeCompare(events[b]!.occurredAt) || a - b);
  const outcomes = await recordEvents(store, now, shopId, order.map((i) => events[i]!), { silent: true });
  const results: HistoryOutcome['results'] = Array(events.length);
  order.forEach((original, k) => (results[original] = { id: outcomes[k]!.id, status: outcomes[k]!.status }));
  const accepted = results.filter((r) => r.status === 'accepted').length;
  return { results, accepted, duplicates: results.length - accepted };
}
