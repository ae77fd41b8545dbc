// POST /v1/events: authenticate, validate, settle whose event it is, then let
// the store run the engine on it atomically. No rules here.
import { createHash } from 'node:crypto';
import { Router, type Request } from 'express';
import { anonymousCustomerKey, callerOf, shopperOf, type Caller, type Shopper } from '../http/auth.js';
import { DomainError, parseOr400, problems } from '../http/problem.js';
import { quotaProblem } from '../limits/quota-problem.js';
import { browserLimitsOf } from '../limits/ports.js';
import { eventFingerprint } from './fingerprint.js';
import { BROWSER_SAFE_EVENT_TYPES, EventBatch, EventInput } from './schemas.js';
import { datedAt } from '../history/bounds.js';
import { recordEvents } from './record-events.js';
import { EventConflict, QuotaExceeded, type BrowserLimits, type RecordedEvent, type Store } from '../store/store.js';
import { routeScope, type RouteScope } from '../access/route-scopes.js';

/**
 * Where a publishable-key event's id lives: its own namespace, scoped to the
 * visitor. "~" never appears in an id a client can send, so no browser id can
 * ever meet a backend's (a page_view "purchase:1001" leaves the real purchase
 * 1001 untouched), nor another visitor's.
 */
export const browserEventKey = (customerId: string, id: string) =>
  `~b:${createHash('sha256').update(`${customerId}\n${id}`).digest('base64url').slice(0, 22)}`;

/**
 * A publishable key asking for a valuable event type hears "not with this key"
 * before any field-level complaint: fixing the fields would never help.
 */
function refuseValuableTypesFromBrowser(body: unknown, caller: Caller): void {
  if (caller.role === 'secret' || body === null || typeof body !== 'object') return;
  const batch = (body as { events?: unknown }).events;
  const events: unknown[] = Array.isArray(batch) ? batch : [body];
  events.forEach((event, i) => {
    const type = (event as { type?: unknown } | null)?.type;
    if (typeof type === 'string' && !BROWSER_SAFE_EVENT_TYPES.has(type)) {
      const at = Array.isArray(batch) ? `/events/${i}` : '';
      throw problems.forbidden(
        `"${type}" events (${at}/type) need the secret key; publishable keys may send ${[...BROWSER_SAFE_EVENT_TYPES].join(', ')}.`,
      );
    }
  });
}

function parseEvents(body: unknown): { events: EventInput[]; pointerBase: (i: number) => string } {
  if (body !== null && typeof body === 'object' && 'events' in body) {
    return { events: parseOr400(EventBatch, body).events, pointerBase: (i) => `/events/${i}` };
  }
  return { events: [parseOr400(EventInput, body)], pointerBase: () => '' };
}

function customerFor(event: EventInput, at: string, caller: Caller, shopper: Shopper): string {
  if (caller.role === 'secret') {
    if (event.customerId !== undefined) return event.customerId;
    if (shopper.kind === 'customer') return shopper.customerId;
    throw problems.validation([{ pointer: `${at}/customerId`, detail: 'required with the secret key: whose event is it?' }]);
  }
  if (shopper.kind === 'customer') {
    if (event.customerId !== undefined && event.customerId !== shopper.customerId) {
      throw problems.identity(`${at}/customerId is not the verified shopper.`);
    }
    return shopper.customerId;
  }
  if (event.customerId !== undefined) {
    throw problems.identity(`${at}/customerId needs X-Kudos-Customer and its X-Kudos-Customer-Hash.`);
  }
  if (shopper.kind === 'anonymous') return anonymousCustomerKey(shopper.anonymousId);
  throw problems.identity('Identify the shopper (X-Kudos-Customer + hash) or send X-Kudos-Anonymous-Id.');
}

/**
 * The secret key (the shop's backend) dates its events: history and late
 * deliveries count when they happened. A browser's clock dates nothing: its
 * events happen when they arrive.
 */
function occurredAtOf(event: EventInput, at: string, caller: Caller, receivedAt: Date): string {
  if (caller.role !== 'secret') return receivedAt.toISOString();
  const dated = datedAt(event.occurredAt, receivedAt);
  if ('refused' in dated) throw problems.validation([{ pointer: `${at}/occurredAt`, detail: dated.refused }]);
  return dated.at;
}

/** What a key needs for each route of eventsRouter: its feature's registry entry lists them (server/features.ts). */
export const eventsScopes: readonly RouteScope[] = [
  // Events in: the browser sends low-value types, a backend purchases and refunds.
  routeScope('POST', '/events', 'events', 'pk'),
];

export function eventsRouter(store: Store, now: () => Date): Router {
  const router = Router();
  router.post('/events', async (req: Request, res) => {
    const caller = callerOf(res);
    refuseValuableTypesFromBrowser(req.body, caller);
    const { events, pointerBase } = parseEvents(req.body);
    const shopper = shopperOf(req, caller.shop);
    const receivedAt = now();
    const browser = caller.role !== 'secret';
    const recorded: RecordedEvent[] = events.map((event, i) => {
      const customerId = customerFor(event, pointerBase(i), caller, shopper);
      // As sent (normalized), for the fingerprint: a time the server fills in is not the event's content.
      const sentAt = event.occurredAt === undefined ? undefined : new Date(event.occurredAt).toISOString();
      return {
        id: browser ? browserEventKey(customerId, event.id) : event.id,
        type: event.type,
        properties: event.properties,
        customerId,
        occurredAt: occurredAtOf(event, pointerBase(i), caller, receivedAt),
        fingerprint: eventFingerprint({ type: event.type, customerId, properties: event.properties, occurredAt: sentAt }),
        ...(browser && { browser: true }),
      };
    });
    const limits: BrowserLimits | undefined = browser ? await browserLimitsOf(store, caller.shop.id) : undefined;
    try {
      const outcomes = await recordEvents(store, now, caller.shop.id, recorded, { limits });
      // The sender knows its events by the ids it sent.
      res.json({ results: outcomes.map((outcome, i) => ({ ...outcome, id: events[i]!.id })) });
    } catch (error) {
      if (error instanceof EventConflict) {
        throw new DomainError(
          'event-id-conflict',
          'An event id is an idempotency key: resend an event with exactly the same content, or use a new id. Nothing of this request was stored.',
          { errors: error.indexes.map((i) => ({ pointer: `${pointerBase(i)}/id`, detail: `"${events[i]!.id}" was first used for an event with different content` })) },
        );
      }
      if (error instanceof QuotaExceeded) throw quotaProblem(res, error);
      throw error;
    }
  });
  return router;
}
