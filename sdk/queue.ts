// The persisted event queue: in the runtime chunk (sdk/runtime-chunk.ts), which the loader
// imports on the first Kudos(…) call or when an earlier page left events; bundled in the npm entry.
//
// Guarantees (sdk/queue.test.ts is named after them):
// - a queue remembers: every event is in localStorage (memory when storage throws) from
//   the moment it is tracked until the API has answered for it, under its own id;
// - a queue always pays its debts: network errors, timeouts, 408, 429 and 5xx keep the
//   events and retry them with the same ids, backing off with jitter, never sooner than
//   a Retry-After says;
// - only one tab sends an item: a tab claims the items it sends, under a Web Lock where
//   the browser has them; a claim lasts while its tab lives (a lock held for the tab's
//   life) or, without Web Locks, for a lease;
// - tabs don't overwrite each other: one storage key per event.
// The API's idempotency on event ids makes a rare second send (a keepalive request whose
// answer the closing page never saw) count once.
import { QUEUE_PREFIX, type QueueItem } from './queue-item.js';
import { randomId } from './random-id.js';

const MAX_BATCH = 100; // the API's limit per request
const MAX_BATCH_BYTES = 200_000; // the API refuses bodies over 256 KB
// Chromium refuses keepalive requests once the bodies in flight pass 64 KiB.
const KEEPALIVE_BYTES = 60_000;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 60_000;
// A request that hangs this long counts as failed; a claim outlives it.
const TIMEOUT_MS = 15_000;
const LEASE_MS = 20_000;
// A server's Retry-After binds every tab: `kudos:wait` holds the time to wait for.
const WAIT_KEY = 'kudos:wait';
const TAB_LOCK = 'kudos:tab:';

const tab = randomId();
// Through globalThis: the npm entry is imported by server-side rendering in Node, which has no navigator (Node 20).
const locks = globalThis.navigator?.locks as LockManager | undefined;
// Held until the document goes away, so other tabs know this tab's claims are live.
void locks?.request(TAB_LOCK + tab, () => new Promise(() => {}));

// Storage blocked (privacy modes, sandboxed frames): the queue lives in memory for the page.
const memory = new Map<string, string>();

function read(key: string): string | null {
  try {
    return memory.get(key) ?? localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  if (!memory.has(key)) {
    try {
      return localStorage.setItem(key, value);
    } catch {
      // full or blocked: keep it in memory
    }
  }
  memory.set(key, value);
}

function remove(key: string): void {
  memory.delete(key);
  try {
    localStorage.removeItem(key);
  } catch {
    // blocked: it was in memory
  }
}

function items(): QueueItem[] {
  let keys: string[] = [];
  try {
    keys = Object.keys(localStorage);
  } catch {
    // blocked: memory only
  }
  const found: QueueItem[] = [];
  for (const key of new Set([...keys, ...memory.keys()])) {
    if (!key.startsWith(QUEUE_PREFIX)) continue;
    try {
      found.push(JSON.parse(read(key)!));
    } catch {
      remove(key); // not ours to understand: it would block nothing, but clutter forever
    }
  }
  return found.sort((a, b) => a.e.occurredAt.localeCompare(b.e.occurredAt) || a.n - b.n);
}

const save = (item: QueueItem) => write(QUEUE_PREFIX + item.e.id, JSON.stringify(item));
const size = (value: unknown) => new Blob([JSON.stringify(value)]).size;
const forget = (item: QueueItem) => remove(QUEUE_PREFIX + item.e.id);

/** Claim `batch` for this tab until the lease ends (or this tab goes away). */
function claim(batch: QueueItem[], now: number): QueueItem[] {
  for (const item of batch) save({ ...item, o: tab, t: now + LEASE_MS });
  return batch;
}

/** `Retry-After`: delay-seconds or an HTTP date. */
const retryAfterMs = (value: string | null) => (value ? (isNaN(+value) ? Date.parse(value) - Date.now() : +value * 1000) || 0 : 0);

/** Group by headers (each request has one identity), at most MAX_BATCH events and MAX_BATCH_BYTES each. */
function batches(list: QueueItem[]): QueueItem[][] {
  const groups: Record<string, { b: QueueItem[]; n: number }[]> = {};
  for (const item of list) {
    const lists = (groups[JSON.stringify(item.h)] ||= [{ b: [], n: 0 }]);
    let last = lists[lists.length - 1]!;
    const bytes = size(item.e) + 1;
    if (last.b.length == MAX_BATCH || (last.b.length && last.n + bytes > MAX_BATCH_BYTES)) lists.push((last = { b: [], n: 0 }));
    last.b.push(item);
    last.n += bytes;
  }
  return Object.values(groups).flatMap((lists) => lists.map((list) => list.b));
}

const queues: Record<string, { add(item?: QueueItem): void }> = {};

/** The queue of one events URL, shared by every runtime of the document. */
export const queue = (url: string) => (queues[url] ||= createQueue(url));

function createQueue(url: string) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let notBefore = 0;

  // While a backoff runs, new events wait for it instead of hammering a server that is down.
  const schedule = (delay: number) => {
    timer ??= setTimeout(flush, delay);
  };

  /** Items of this URL nobody is sending: unclaimed, or claimed by a tab that is gone or whose lease ran out. */
  const free = (now: number, alive?: Set<string>, mineToo?: boolean) =>
    items().filter(
      (item) =>
        item.u == url && (!(item.t! > now) || (item.o == tab ? mineToo : alive && !alive.has(TAB_LOCK + item.o))),
    );

  async function send(batch: QueueItem[], keepalive?: boolean): Promise<void> {
    let status = 0;
    let answer: { results?: { awards?: unknown[] }[] } | undefined;
    let wait = 0;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { ...batch[0]!.h, 'Content-Type': 'application/json' },
        body: JSON.stringify({ events: batch.map((item) => item.e) }),
        keepalive,
        signal: AbortSignal.timeout?.(TIMEOUT_MS),
      });
      status = response.status;
      wait = retryAfterMs(response.headers.get('Retry-After'));
      answer = await response.json().catch(() => undefined);
    } catch {
      // no answer: status 0
    }
    if (status > 199 && status < 300) {
      failures = 0;
      batch.forEach(forget);
      for (const result of answer?.results || []) {
        for (const detail of result.awards || []) {
          document.dispatchEvent(new CustomEvent('kudos-award', { detail, bubbles: true, composed: true }));
        }
      }
    } else if (status == 0 || status == 408 || status == 429 || status > 499) {
      // Unclaimed for the next try, unless someone sent it meanwhile (a claim whose lease ran out).
      for (const { o, t, ...item } of batch) if (read(QUEUE_PREFIX + item.e.id)) save(item);
      if (wait > 0) write(WAIT_KEY, String(Date.now() + wait));
      // Equal jitter: tabs and visitors that failed together do not come back together.
      const backoff = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures++);
      notBefore = Date.now() + backoff / 2 + (Math.random() * backoff) / 2;
      schedule(Math.max(wait, notBefore - Date.now()));
    } else {
      batch.forEach(forget);
      console.warn('Kudos: events rejected, not retrying.', answer || status);
    }
  }

  async function flush(): Promise<void> {
    timer = undefined;
    const wait = Math.max(notBefore, +(read(WAIT_KEY) || 0)) - Date.now();
    if (wait > 0) return schedule(wait);
    const take = async () => {
      const alive = locks && new Set((await locks.query()).held!.map((lock) => lock.name!));
      const now = Date.now();
      return claim(free(now, alive), now);
    };
    // One tab at a time looks for free items and claims them.
    const mine = await (locks ? locks.request('kudos:queue', take) : take());
    await Promise.all(batches(mine).map((batch) => send(batch)));
  }

  // The page is going away (or into the back/forward cache): send what fits with keepalive,
  // which outlives the page. Synchronous, as the page may not get another task.
  addEventListener('pagehide', () => {
    let budget = KEEPALIVE_BYTES;
    const now = Date.now();
    for (const batch of batches(free(now, undefined, true))) {
      const fits: QueueItem[] = [];
      budget -= 14; // {"events":[]}
      for (const item of batch) {
        if ((budget -= size(item.e) + 1) < 0) break;
        fits.push(item);
      }
      if (fits.length) void send(claim(fits, now), true);
      if (budget < 0) break;
    }
  });
  // Back online: no reason to sit out the rest of a backoff (a server's Retry-After still holds).
  addEventListener('online', () => {
    clearTimeout(timer);
    timer = undefined;
    notBefore = 0;
    schedule(0);
  });
  document.addEventListener('visibilitychange', () => document.hidden || schedule(0));

  schedule(0);
  return {
    /** Queue an event the runtime could not persist itself, then send soon. */
    add(item?: QueueItem): void {
      if (item) save(item);
      schedule(0);
    },
  };
}
