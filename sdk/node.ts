// For a shop's backend (Node ≥ 18): sign shopper identity and send the events a
// browser must never send (purchases, refunds). Keep the secret key server-side.
import { createHmac } from 'node:crypto';

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
