// POST /v1/events: authenticate, validate, settle whose event it is, then let
// the store run the engine on it atomically. No rules here.
import { Router, type Request } from 'express';
import { anonymousCustomerKey, callerOf, shopperOf, type Caller, type Shopper } from '../http/auth.js';
import { parseOr400, problems } from '../http/problem.js';
import { BROWSER_SAFE_EVENT_TYPES, EventBatch, EventInput } from '../schemas.js';
import { datedAt } from '../history/bounds.js';
import { recordEvents } from '../services/record-events.js';
import type { RecordedEvent, Store } from '../store/store.js';

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

export function eventsRouter(store: Store, now: () => Date): Router {
  const router = Router();
  router.post('/events', async (req: Request, res) => {
    const caller = callerOf(res);
    refuseValuableTypesFromBrowser(req.body, caller);
    const { events, pointerBase } = parseEvents(req.body);
    const shopper = shopperOf(req, caller.shop);
    const receivedAt = now();
    const recorded: RecordedEvent[] = events.map((event, i) => ({
      id: event.id,
      type: event.type,
      properties: event.properties,
      customerId: customerFor(event, pointerBase(i), caller, shopper),
      occurredAt: occurredAtOf(event, pointerBase(i), caller, receivedAt),
    }));
    const results = await recordEvents(store, now, caller.shop.id, recorded);
    res.json({ results });
  });
  return router;
}
