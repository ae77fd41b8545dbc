import type { ApiHeaders } from './http.js';
import type { KudosApiError } from './types.js';

/** One event as `POST /v1/events` takes it. */
export interface OutgoingEvent {
  id: string;
  type: string;
  properties?: Record<string, unknown>;
  occurredAt: string;
}

export type SendBatch = (headers: ApiHeaders, events: OutgoingEvent[]) => Promise<void>;

const MAX_BATCH = 100; // the API's limit per request
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

/** Timeouts, rate limits and server errors may pass; anything else is our request's fault. */
const isTransient = ({ status }: KudosApiError) => status == 0 || status == 408 || status == 429 || status >= 500;

/**
 * Collects tracked events and sends them in batches: everything tracked in one
 * tick goes in one request. Events that meet a network failure or a 5xx stay and
 * are sent again with exponential backoff under the same ids, so the server
 * counts each once. Each event keeps the identity headers it was tracked under.
 * Returns `add(event, headers)`.
 */
export function createOutbox(send: SendBatch) {
  let pending: { event: OutgoingEvent; headers: ApiHeaders }[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;

  // While a backoff is running, new events wait for it instead of hammering a server that is down.
  const schedule = (delay: number) => {
    timer ??= setTimeout(flush, delay);
  };

  function flush(): void {
    timer = undefined;
    while (pending.length) {
      const { headers } = pending[0]!;
      const batch = pending.filter((item) => item.headers == headers).slice(0, MAX_BATCH);
      pending = pending.filter((item) => !batch.includes(item));
      send(
        headers,
        batch.map((item) => item.event),
      ).then(
        () => {
          failures = 0;
        },
        (error: KudosApiError) => {
          if (isTransient(error)) {
            pending.unshift(...batch);
            schedule(Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures++));
          } else {
            console.warn('Kudos: events rejected, not retrying.', error.problem || error);
          }
        },
      );
    }
  }

  return (event: OutgoingEvent, headers: ApiHeaders): void => {
    pending.push({ event, headers });
    schedule(0);
  };
}
