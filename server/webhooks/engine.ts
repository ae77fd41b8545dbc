// Pure webhook rules: which deliveries facts produce, their stable ids, retry
// schedule and what an attempt changes. No I/O; time and jitter come in.
import { createHash } from 'node:crypto';
import type { Award } from '../schemas.js';
import type { EventOutcome, RecordedEvent } from '../events/records.js';
import type { DeliveryAttempt, WebhookEventType } from './schemas.js';

/** Retries stop this long after a delivery was created (or redelivered). */
export const RETRY_WINDOW_MS = 3 * 24 * 3600_000;
/** First retry after ~30 s, doubling up to 12 h between attempts. */
export const FIRST_RETRY_MS = 30_000;
export const MAX_RETRY_MS = 12 * 3600_000;
/** A rotated-out secret keeps signing deliveries this long. */
export const ROTATION_GRACE_MS = 24 * 3600_000;
export const LOG_SIZE = 100;
/** Finished deliveries are kept this long (redeliver works until then), then pruned. */
export const FINISHED_RETENTION_MS = 7 * 24 * 3600_000;

export interface WebhookSecret {
  /** Sealed (server/access/seal.ts); plain in data written before sealing. The worker opens it to sign. */
  secret: string;
  createdAt: string;
  /** Set when rotated out: signs deliveries until then. */
  expiresAt?: string;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEventType[];
  description?: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  /** Newest first. */
  secrets: WebhookSecret[];
}

export interface Delivery {
  id: string;
  endpointId: string;
  type: WebhookEventType;
  /** The exact bytes sent, so every attempt signs and sends the same body (sealed in the store: outbox.ts). */
  body: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  createdAt: string;
  nextAttemptAt: string;
  giveUpAt: string;
  finishedAt?: string;
  lastError?: string;
  /**
   * The worker sending the current attempt, until when. Several instances share
   * one outbox: a worker claims a delivery before sending it, the others skip it,
   * and a lease left by a dead instance simply runs out and is taken over.
   */
  lease?: { owner: string; until: string };
}

export interface DeliveryLog {
  attempts: DeliveryAttempt[];
}

/** A fact worth telling: one per (source event, type, subject). */
export interface WebhookFact {
  sourceEventId: string;
  type: WebhookEventType;
  /** Tells apart several facts of one type from one event (two badges). */
  subject: string;
  data: Record<string, unknown>;
}

/** Points an event moved, read from the ledger lines it caused. */
export interface PointsChange {
  delta: number;
  points: number;
  pendingPoints: number;
}

const awardData = (event: RecordedEvent, award: Award) => ({ customerId: event.customerId, eventId: event.id, award });

/**
 * The facts in events' outcomes, in event order. Replays (`duplicate`) carry the
 * facts of the first time, so a crash between storing events and queueing their
 * deliveries is healed when the client retries: delivery ids are stable, nothing doubles.
 */
export function factsOf(
  events: readonly RecordedEvent[],
  outcomes: readonly EventOutcome[],
  pointsOf: (eventIndex: number) => PointsChange | undefined,
): WebhookFact[] {
  const facts: WebhookFact[] = [];
  events.forEach((event, i) => {
    const outcome = outcomes[i];
    if (!outcome) return;
    for (const award of outcome.revocations ?? []) {
      facts.push({ sourceEventId: event.id, type: 'award.revoked', subject: `${award.kind}:${award.id}`, data: awardData(event, award) });
    }
    // A micro-gift joins the purchase's awards for the page, but is told as `gift.granted`.
    for (const award of outcome.awards.filter((a) => a.kind !== 'gift')) {
      facts.push({ sourceEventId: event.id, type: 'award.created', subject: `${award.kind}:${award.id}`, data: awardData(event, award) });
    }
    const points = pointsOf(i);
    if (points && points.delta !== 0) {
      facts.push({ sourceEventId: event.id, type: 'points.changed', subject: '', data: { customerId: event.customerId, eventId: event.id, ...points } });
    }
    const properties = event.properties ?? {};
    if (event.type === 'group.unlocked' || event.type === 'group.expired') {
      facts.push({ sourceEventId: event.id, type: event.type, subject: '', data: { customerId: event.customerId, eventId: event.id, ...properties } });
    }
    if (event.type === 'group.codes_needed') {
      const customers = String(properties.customers ?? '').split(',').filter(Boolean);
      facts.push({ sourceEventId: event.id, type: event.type, subject: '', data: { customerId: event.customerId, eventId: event.id, ...properties, customers } });
    }
    if (event.type === 'survey_response') {
      facts.push({ sourceEventId: event.id, type: 'nps.responded', subject: '', data: { customerId: event.customerId, eventId: event.id, ...properties } });
    }
    // A micro-gift (server/gifts): the shop packs the add-on or notes the bonus.
    if (event.type === 'gift.granted') {
      facts.push({ sourceEventId: event.id, type: 'gift.granted', subject: '', data: { customerId: event.customerId, eventId: event.id, ...properties } });
    }
  });
  return facts;
}

/** The same (endpoint, source event, type, subject) always gets the same id: retries and replays never make another. */
export function deliveryIdOf(endpointId: string, fact: Pick<WebhookFact, 'sourceEventId' | 'type' | 'subject'>): string {
  const hash = createHash('sha256').update([endpointId, fact.sourceEventId, fact.type, fact.subject].join('\n')).digest('base64url');
  return `whevt_${hash.slice(0, 24)}`;
}

export function newDeliveries(shopId: string, endpoints: readonly WebhookEndpoint[], facts: readonly WebhookFact[], now: Date): Delivery[] {
  const at = now.toISOString();
  const giveUpAt = new Date(now.getTime() + RETRY_WINDOW_MS).toISOString();
  return endpoints
    .filter((e) => e.active)
    .flatMap((endpoint) =>
      facts
        .filter((f) => endpoint.events.includes(f.type))
        .map((fact) => {
          const id = deliveryIdOf(endpoint.id, fact);
          const body = JSON.stringify({ id, type: fact.type, createdAt: at, shopId, data: fact.data });
          return { id, endpointId: endpoint.id, type: fact.type, body, status: 'pending', attempts: 0, createdAt: at, nextAttemptAt: at, giveUpAt };
        }),
    );
}

/** Exponential backoff with "equal jitter": half the step fixed, half random, so retries never bunch up. */
export function retryDelayMs(failedAttempts: number, random: number): number {
  const step = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, failedAttempts - 1), MAX_RETRY_MS);
  return Math.round(step / 2 + (step / 2) * random);
}

export interface AttemptResult {
  at: Date;
  ok: boolean;
  status?: number;
  durationMs: number;
  error?: string;
}

/** The delivery and log after one attempt. */
export function afterAttempt(delivery: Delivery, log: DeliveryLog | undefined, result: AttemptResult, random: number): { delivery: Delivery; log: DeliveryLog } {
  const attempts = delivery.attempts + 1;
  const at = result.at.toISOString();
  let next: Delivery;
  if (result.ok) {
    next = { ...delivery, attempts, status: 'delivered', finishedAt: at, lastError: undefined };
  } else {
    const retryAt = result.at.getTime() + retryDelayMs(attempts, random);
    const lastError = result.error ?? `HTTP ${result.status}`;
    next =
      retryAt > Date.parse(delivery.giveUpAt)
        ? { ...delivery, attempts, status: 'failed', finishedAt: at, lastError }
        : { ...delivery, attempts, lastError, nextAttemptAt: new Date(retryAt).toISOString() };
  }
  const entry: DeliveryAttempt = {
    deliveryId: delivery.id,
    type: delivery.type,
    at,
    ...(result.status !== undefined && { status: result.status }),
    durationMs: result.durationMs,
    ok: result.ok,
    ...(result.error !== undefined && { error: result.error }),
  };
  return { delivery: next, log: { attempts: [entry, ...(log?.attempts ?? [])].slice(0, LOG_SIZE) } };
}

/** Manual redelivery: one attempt now, no automatic retries unless the original window is still open. */
export function redeliver(delivery: Delivery, now: Date): Delivery {
  const at = now.toISOString();
  return { ...delivery, status: 'pending', nextAttemptAt: at, giveUpAt: delivery.giveUpAt > at ? delivery.giveUpAt : at, finishedAt: undefined };
}

/** Secrets that sign a delivery now, newest first, as stored (sealed). */
export function signingSecrets(endpoint: WebhookEndpoint, now: Date): string[] {
  const at = now.toISOString();
  return endpoint.secrets.filter((s) => !s.expiresAt || s.expiresAt > at).map((s) => s.secret);
}

export function rotate(endpoint: WebhookEndpoint, secret: string, now: Date): WebhookEndpoint {
  const at = now.toISOString();
  const graceEnd = new Date(now.getTime() + ROTATION_GRACE_MS).toISOString();
  const [current] = endpoint.secrets;
  // Only the secret just replaced keeps a grace period; older ones stop now.
  return { ...endpoint, updatedAt: at, secrets: [{ secret, createdAt: at }, ...(current ? [{ ...current, expiresAt: graceEnd }] : [])] };
}

/** `shownSecret`: the plain secret, in the one answer that made it. */
export function endpointView(endpoint: WebhookEndpoint, now: Date, shownSecret?: string) {
  const previous = endpoint.secrets[1];
  const { secrets: _secrets, ...rest } = endpoint;
  return {
    ...rest,
    ...(shownSecret !== undefined && { secret: shownSecret }),
    ...(previous?.expiresAt && previous.expiresAt > now.toISOString() && { previousSecretExpiresAt: previous.expiresAt }),
  };
}

export function deliveryView(d: Delivery) {
  return {
    id: d.id,
    type: d.type,
    status: d.status,
    attempts: d.attempts,
    createdAt: d.createdAt,
    ...(d.status === 'pending' && { nextAttemptAt: d.nextAttemptAt }),
    ...(d.lastError && { lastError: d.lastError }),
  };
}
