// For a shop's backend (Node ≥ 18): sign shopper identity and send the events a
// browser must never send (purchases, refunds). Keep the secret key server-side.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** hex HMAC-SHA256(secretKey, customerId): put it in the script tag's data-customer-hash. */
export function customerHash(secretKey: string, customerId: string): string {
  return createHmac('sha256', secretKey).update(customerId).digest('hex');
}

export interface ServerEvent {
  /** Idempotency key: reuse it when retrying, e.g. `purchase:${orderId}`. */
  id: string;
  type: string;
  customerId: string;
  properties?: Record<string, string | number | boolean | null>;
  occurredAt?: string;
}

export interface EventResult {
  id: string;
  status: 'accepted' | 'duplicate';
  awards: { kind: string; id: string; name: string; [k: string]: unknown }[];
}

export class KudosApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: unknown,
  ) {
    super(`Kudos API answered ${status}: ${JSON.stringify(problem)}`);
  }
}

export class KudosServerClient {
  private readonly api: string;
  private readonly secretKey: string;

  constructor(options: { api: string; secretKey: string }) {
    this.api = options.api.replace(/\/$/, '');
    this.secretKey = options.secretKey;
  }

  identityFor(customerId: string): { customerId: string; customerHash: string } {
    return { customerId, customerHash: customerHash(this.secretKey, customerId) };
  }

  /** Sends up to 100 events in one request; safe to retry with the same ids. */
  async sendEvents(events: ServerEvent[]): Promise<EventResult[]> {
    const response = await fetch(`${this.api}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    const body = await response.json();
    if (!response.ok) throw new KudosApiError(response.status, body);
    return (body as { results: EventResult[] }).results;
  }

  async purchase(order: { customerId: string; orderId: string; total: number; currency: string }): Promise<EventResult> {
    const [result] = await this.sendEvents([
      {
        id: `purchase:${order.orderId}`,
        type: 'purchase',
        customerId: order.customerId,
        properties: { orderId: order.orderId, total: order.total, currency: order.currency },
      },
    ]);
    return result!;
  }
}

// ── Webhooks ────────────────────────────────────────────────────────────────
// `Kudos-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + rawBody)>`.
// Several v1= appear while a rotated secret is in its grace period; any one
// that matches is enough. The same scheme signs orders a shop sends in
// (POST /v1/webhooks/orders, with the shop's secret key).

type RawBody = string | Uint8Array;

/** hex HMAC-SHA256(secret, `${t}.${rawBody}`) */
export function webhookSignature(rawBody: RawBody, secret: string, t: number): string {
  return createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex');
}

/** The header value for a body signed with every secret given (newest first), at unix time `t`. */
export function webhookSignatureHeader(rawBody: RawBody, secrets: readonly string[], t: number): string {
  return [`t=${t}`, ...secrets.map((s) => `v1=${webhookSignature(rawBody, s, t)}`)].join(',');
}

// Standard Webhooks (standardwebhooks.com): the same deliveries also carry
// `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256(key, id.t.body)>`,
// where the key is the bytes the `whsec_` secret encodes in base64, so any
// Standard Webhooks library verifies them with the secret as given.

/** The HMAC key a `whsec_<base64>` secret stands for (base64url secrets made before 2026-12 decode the same). */
export function standardWebhookKey(secret: string): Buffer {
  return Buffer.from(secret.replace(/^whsec_/, '').replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** `webhook-signature`: one `v1,<base64>` per secret (newest first), space-separated. */
export function standardWebhookSignature(rawBody: RawBody, messageId: string, secrets: readonly string[], t: number): string {
  return secrets
    .map((s) => `v1,${createHmac('sha256', standardWebhookKey(s)).update(`${messageId}.${t}.`).update(rawBody).digest('base64')}`)
    .join(' ');
}

/** A valid `Kudos-Signature` for tests of your receiver, or to sign orders you send in. */
export function webhookTestHeader(rawBody: RawBody, secret: string, t = Math.floor(Date.now() / 1000)): string {
  return webhookSignatureHeader(rawBody, [secret], t);
}

export interface VerifyOptions {
  /** How far the signed time may be from now, either way (replay window). Default 300. */
  toleranceSeconds?: number;
  now?: Date;
}

/**
 * True when `header` carries a v1 signature of exactly these bytes made with
 * `secret`, at a time within the tolerance. Pass the raw body as received
 * (e.g. `express.raw({type: 'application/json'})`), never re-serialized JSON.
 */
export function verifyWebhook(rawBody: RawBody, header: string | undefined | null, secret: string, options: VerifyOptions = {}): boolean {
  if (typeof header !== 'string' || header.length > 4096 || !secret) return false;
  let t: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (t !== undefined || !/^\d{1,12}$/.test(value)) return false;
      t = Number(value);
    } else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) {
      candidates.push(value);
    }
  }
  if (t === undefined || candidates.length === 0) return false;
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - t) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(webhookSignature(rawBody, secret, t), 'hex');
  // Compare every candidate so timing does not tell which one matched.
  let ok = false;
  for (const candidate of candidates) {
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) ok = true;
  }
  return ok;
}

/** The envelope of every delivery. `id` is the same on retries and redeliveries: use it to deduplicate. */
export interface WebhookEvent<T = Record<string, unknown>> {
  id: string;
  type: string;
  createdAt: string;
  shopId: string;
  data: T;
}
