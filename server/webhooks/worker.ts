// The delivery worker: one per server process. It sends due deliveries from the
// outbox, records each attempt, and sleeps until the next one is due (or until
// new deliveries wake it). Clock, timer, jitter and transport are injectable so
// tests drive it exactly.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { standardWebhookSignature, webhookSignatureHeader } from '../../sdk/node.js';
import type { Store } from '../store/store.js';
import { openText } from '../access/seal.js';
import { afterAttempt, FINISHED_RETENTION_MS, signingSecrets, type AttemptResult, type Delivery, type DeliveryLog, type WebhookEndpoint } from './engine.js';
import { DELIVERIES_DUE, DELIVERIES_FINISHED } from './lookups.js';
import { deliveryRef, endpointRef, logRef, onOutboxChange } from './outbox.js';
import { guardedLookup, urlRefusal } from './ssrf.js';

export const DELIVERY_TIMEOUT_MS = 10_000;
const IDLE_POLL_MS = 60_000;
const CONCURRENCY = 4;
/** Long enough for one attempt (its timeout) and the write that records it. */
export const LEASE_MS = DELIVERY_TIMEOUT_MS + 20_000;

export interface Timer {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface Transport {
  (url: string, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<{ status: number }>;
}

export interface WebhookWorkerOptions {
  store: Store;
  now: () => Date;
  /** Deliver to private addresses and http://localhost (development, tests). */
  allowPrivate: boolean;
  timer?: Timer;
  random?: () => number;
  transport?: Transport;
  log?: (message: string, error: unknown) => void;
}

const realTimer: Timer = {
  set: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** POST with node:http so the guarded lookup checks every resolved address; redirects are not followed. */
export function httpTransport(allowPrivate: boolean): Transport {
  const lookup = guardedLookup(allowPrivate);
  return (url, body, headers, signal) =>
    new Promise((resolve, reject) => {
      const client = url.startsWith('https:') ? https : http;
      const req = client.request(
        url,
        { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: lookup as never, signal },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

export class WebhookWorker {
  private readonly timer: Timer;
  private readonly random: () => number;
  private readonly transport: Transport;
  private handle: unknown;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private readonly aborter = new AbortController();
  /** This worker's name on the leases it takes. */
  private readonly owner = randomBytes(9).toString('base64url');

  constructor(private readonly options: WebhookWorkerOptions) {
    this.timer = options.timer ?? realTimer;
    this.random = options.random ?? Math.random;
    this.transport = options.transport ?? httpTransport(options.allowPrivate);
  }

  start(): void {
    this.stopped = false;
    onOutboxChange(this.options.store, () => this.wake());
    this.wake();
  }

  /** Waits for attempts in flight to be recorded; an attempt cut short by stopping stays pending. */
  async stop(): Promise<void> {
    this.stopped = true;
    onOutboxChange(this.options.store, undefined);
    if (this.handle !== undefined) this.timer.clear(this.handle);
    this.aborter.abort();
    await this.running;
  }

  /** Run a pass soon (now, via the timer). */
  wake(): void {
    if (this.stopped) return;
    this.schedule(0);
  }

  /** Send everything due now and record the results; resolves when done. Tests call it directly. */
  async runDue(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
    });
    await this.running;
    if (this.again && !this.stopped) {
      this.again = false;
      await this.runDue();
    }
  }

  private schedule(ms: number): void {
    if (this.handle !== undefined) this.timer.clear(this.handle);
    this.handle = this.timer.set(() => {
      this.handle = undefined;
      void this.runDue().catch((error) => this.options.log?.('webhook worker', error));
    }, ms);
  }

  private async pass(): Promise<void> {
    const { store, now } = this.options;
    let nextDue = Infinity;
    // Due work is claimed a few at a time from the queue every instance shares
    // (server/webhooks/lookups.ts DELIVERIES_DUE): never a scan of shops or outboxes.
    while (!this.stopped) {
      const at = now();
      const claimed = await store.claimDocuments<Delivery>(DELIVERIES_DUE, { upTo: at.toISOString(), limit: CONCURRENCY }, (d) => this.lease(d, at));
      if (claimed.length === 0) break;
      const results = await Promise.all(claimed.map((c) => this.attempt(c.shopId, c.value)));
      for (const next of results) if (next?.status === 'pending') nextDue = Math.min(nextDue, Date.parse(next.nextAttemptAt));
    }
    if (this.stopped) return;
    await this.prune(now());
    // The earliest pending delivery: its next attempt, or the end of another worker's lease on it.
    const [first] = await store.findDocuments<Delivery>(DELIVERIES_DUE, { upTo: '\uffff', limit: 1 });
    if (first) nextDue = Math.min(nextDue, Date.parse(first.key));
    if (!this.stopped) this.schedule(Math.min(Math.max(0, nextDue - now().getTime()), IDLE_POLL_MS));
  }

  /** Finished deliveries past their retention go (their attempts stay in the endpoint's log). */
  private async prune(at: Date): Promise<void> {
    const { store } = this.options;
    const expired = await store.findDocuments<Delivery>(DELIVERIES_FINISHED, { upTo: new Date(at.getTime() - FINISHED_RETENTION_MS).toISOString(), limit: 500 });
    const byShop = new Map<string, string[]>();
    for (const f of expired) byShop.set(f.shopId, [...(byShop.get(f.shopId) ?? []), f.id]);
    for (const [shopId, ids] of byShop) {
      await store.updateDocuments(
        shopId,
        ids.map(deliveryRef),
        (current) => ({ values: current.map((d) => ((d as Delivery | undefined)?.status === 'pending' ? d : undefined)), result: undefined }),
      );
    }
  }

  /**
   * The lease on this attempt of a due delivery, or undefined when it was handled
   * meanwhile or another live worker holds it (an expired lease is free).
   */
  private lease(d: Delivery, at: Date): Delivery | undefined {
    const taken = d.lease && d.lease.owner !== this.owner && Date.parse(d.lease.until) > at.getTime();
    if (d.status !== 'pending' || Date.parse(d.nextAttemptAt) > at.getTime() || taken) return undefined;
    return { ...d, lease: { owner: this.owner, until: new Date(at.getTime() + LEASE_MS).toISOString() } };
  }

  /** Gives a lease back (the attempt was cut short by stopping), so a restart need not wait for it to run out. */
  private async release(shopId: string, delivery: Delivery): Promise<void> {
    await this.options.store.updateDocuments(shopId, [deliveryRef(delivery.id)], ([current]) => {
      const d = current as Delivery | undefined;
      if (!d || d.lease?.owner !== this.owner) return { values: [current], result: undefined };
      const { lease: _released, ...rest } = d;
      return { values: [rest], result: undefined };
    });
  }

  /** Sends a delivery this worker holds the lease on, and records the attempt. */
  private async attempt(shopId: string, delivery: Delivery): Promise<Delivery | undefined> {
    const { store, now } = this.options;
    const endpoint = await store.getDocument<WebhookEndpoint>(shopId, endpointRef(delivery.endpointId));
    const at = now();
    let result: AttemptResult;
    const refusal = endpoint ? urlRefusal(endpoint.url, this.options.allowPrivate) : undefined;
    if (!endpoint || !endpoint.active) {
      result = { at, ok: false, durationMs: 0, error: endpoint ? 'endpoint inactive' : 'endpoint deleted' };
    } else if (refusal) {
      result = { at, ok: false, durationMs: 0, error: `refused: the URL ${refusal}` };
    } else {
      const t = Math.floor(at.getTime() / 1000);
      const secrets = signingSecrets(endpoint, at).map(openText);
      const body = openText(delivery.body);
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Kudos-Webhooks/1',
        'kudos-signature': webhookSignatureHeader(body, secrets, t),
        'kudos-delivery': delivery.id,
        // The same signature the Standard Webhooks way, for receivers using one of its libraries.
        'webhook-id': delivery.id,
        'webhook-timestamp': String(t),
        'webhook-signature': standardWebhookSignature(body, delivery.id, secrets, t),
      };
      const started = performance.now();
      try {
        const signal = AbortSignal.any([this.aborter.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]);
        const { status } = await this.transport(endpoint.url, body, headers, signal);
        result = { at, ok: status >= 200 && status < 300, status, durationMs: Math.round(performance.now() - started) };
      } catch (error) {
        // Stopping the server is not the receiver's fault: the delivery stays as it was.
        if (this.aborter.signal.aborted) {
          await this.release(shopId, delivery).catch(() => {});
          return undefined;
        }
        const e = error as Error;
        const message = e.name === 'TimeoutError' ? `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s` : e.message || String(e);
        result = { at, ok: false, durationMs: Math.round(performance.now() - started), error: message.slice(0, 300) };
      }
    }
    const random = this.random();
    return store.updateDocuments(shopId, [deliveryRef(delivery.id), logRef(delivery.endpointId)], ([current, log]) => {
      const d = current as Delivery | undefined;
      // Redelivered, pruned or already handled meanwhile: leave it to whoever changed it.
      if (!d || d.status !== 'pending' || d.attempts !== delivery.attempts) return { values: [current, log], result: d };
      const { lease: _done, ...unleased } = d;
      const next = afterAttempt(unleased, log as DeliveryLog | undefined, result, random);
      return { values: [next.delivery, next.log], result: next.delivery };
    });
  }
}
