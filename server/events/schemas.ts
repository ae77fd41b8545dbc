// What POST /v1/events takes and answers, and which event types a browser may cause.
import { z } from 'zod';
import { Amount, Award, Currency, CustomerId, EventId, EventType, Properties } from '../schemas.js';

export const MAX_EVENTS_PER_REQUEST = 100;

// Event types the engine gives meaning to carry the properties it relies on.
// Extra properties are allowed (badge criteria may look at them).
export const PurchaseProperties = z.looseObject({
  orderId: z.string().min(1).max(128),
  total: Amount,
  currency: Currency,
});

const KnownEventProperties: Record<string, z.ZodType> = {
  purchase: PurchaseProperties,
  refund: z.looseObject({ orderId: z.string().min(1).max(128), amount: Amount }),
};

export const EventInput = z
  .strictObject({
    id: EventId,
    type: EventType,
    customerId: CustomerId.optional(),
    properties: Properties.optional(),
    occurredAt: z.iso.datetime({ offset: true }).optional(),
  })
  .superRefine((event, ctx) => {
    if (event.type.startsWith('kudos.')) {
      ctx.addIssue({ code: 'custom', path: ['type'], message: 'types starting with "kudos." are made by Kudos itself' });
    }
    // The type may have failed its own check (refinements still run): look up own keys only.
    const schema = Object.hasOwn(KnownEventProperties, event.type) ? KnownEventProperties[event.type] : undefined;
    if (!schema) return;
    const result = schema.safeParse(event.properties ?? {});
    if (result.success) return;
    for (const issue of result.error.issues) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: ['properties', ...issue.path] });
    }
  });
export type EventInput = z.infer<typeof EventInput>;

export const EventBatch = z.strictObject({
  events: z.array(EventInput).min(1).max(MAX_EVENTS_PER_REQUEST),
});

/** Events the browser may send with a publishable key: nothing that carries value. */
export const BROWSER_SAFE_EVENT_TYPES: ReadonlySet<string> = new Set([
  'page_view',
  'product_view',
  'share',
  'directory_click',
]);

/**
 * Events Kudos records itself for a publishable-key request, on the browser's
 * behalf (an NPS answer becomes `survey_response`). The browser cannot send them
 * to `/v1/events`, but anyone holding the public key causes them as freely.
 */
export const BROWSER_RECORDED_EVENT_TYPES: ReadonlySet<string> = new Set(['survey_response']);

/**
 * Every event type a browser can cause with the publishable key alone: a rule
 * paying for one must be capped and fixed (ProgramInput refuses it otherwise,
 * and the engine pays nothing for such a rule stored before the check existed).
 */
export const BROWSER_CAUSED_EVENT_TYPES: ReadonlySet<string> = new Set([...BROWSER_SAFE_EVENT_TYPES, ...BROWSER_RECORDED_EVENT_TYPES]);

/** A rule for a browser-caused event without a cap, or paying per unit of a property the browser chose. */
export const isUnsafeBrowserRule = (rule: { event: string; cap?: unknown; per?: string }): boolean =>
  BROWSER_CAUSED_EVENT_TYPES.has(rule.event) && (rule.cap === undefined || rule.per !== undefined);

export const EventResult = z.object({
  id: z.string(),
  status: z.enum(['accepted', 'duplicate']),
  awards: z.array(Award),
  /** Badges a refund took back. */
  revocations: z.array(Award).optional(),
});
export type EventResult = z.infer<typeof EventResult>;

export const EventsResponse = z.object({ results: z.array(EventResult) });
