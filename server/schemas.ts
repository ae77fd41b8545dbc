// Request and response shapes. These zod schemas are the single source of truth:
// route validation, inferred types and /openapi.json all come from here.
import { z } from 'zod';

// "required" reads better to an API client than zod's "expected string, received undefined".
z.config({
  customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined),
});

export const MAX_EVENTS_PER_REQUEST = 100;
const MAX_PROPERTIES = 50;

export const CustomerId = z
  .string()
  .regex(/^[A-Za-z0-9._:@+-]{1,128}$/, 'customer ids are 1–128 characters of letters, digits and . _ : @ + -');

export const AnonymousId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'anonymous ids are 8–64 characters of letters, digits, _ and -');

export const Slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'ids are 1–64 lowercase letters, digits, _ and -, starting with a letter or digit');

export const EventId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'event ids are 1–128 characters of letters, digits and . _ : -');

export const EventType = z
  .string()
  .regex(/^[a-z][a-z0-9_.]{0,63}$/, 'event types are lowercase snake_case, e.g. "purchase"');

const PropertyValue = z.union([z.string().max(1000), z.number().finite(), z.boolean(), z.null()]);

export const Properties = z
  .record(z.string().min(1).max(64), PropertyValue)
  .refine((p) => Object.keys(p).length <= MAX_PROPERTIES, {
    message: `at most ${MAX_PROPERTIES} properties`,
  });

const Currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as "EUR"');

// Event types the engine gives meaning to carry the properties it relies on.
// Extra properties are allowed (badge criteria may look at them).
const KnownEventProperties: Record<string, z.ZodType> = {
  purchase: z.looseObject({ orderId: z.string().min(1).max(128), total: z.number().finite().min(0), currency: Currency }),
  refund: z.looseObject({ orderId: z.string().min(1).max(128), amount: z.number().finite().min(0) }),
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
    const schema = KnownEventProperties[event.type];
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

export const BadgeCriteria = z
  .strictObject({
    event: EventType,
    count: z.number().int().min(1).max(1_000_000).optional(),
    sumOf: z.string().min(1).max(64).optional(),
    atLeast: z.number().finite().positive().optional(),
  })
  .superRefine((c, ctx) => {
    const counts = c.count !== undefined;
    const sums = c.sumOf !== undefined || c.atLeast !== undefined;
    if (counts === sums) {
      ctx.addIssue({
        code: 'custom',
        message: 'give either "count" (number of events) or "sumOf" with "atLeast" (sum of a numeric property)',
      });
    } else if (sums && (c.sumOf === undefined || c.atLeast === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [c.sumOf === undefined ? 'sumOf' : 'atLeast'],
        message: '"sumOf" and "atLeast" go together',
      });
    }
  });
export type BadgeCriteria = z.infer<typeof BadgeCriteria>;

const Icon = z
  .string()
  .min(1)
  .max(2048)
  .refine((s) => [...s].length <= 8 || /^https:\/\/[^\s"'<>]+$/.test(s), {
    message: 'an emoji or short text (at most 8 characters) or an https:// image URL',
  });

export const BadgeInput = z.strictObject({
  name: z.string().trim().min(1).max(80),
  description: z.string().max(280).optional(),
  icon: Icon.optional(),
  criteria: BadgeCriteria,
});
export type BadgeInput = z.infer<typeof BadgeInput>;

export const BadgeDefinition = BadgeInput.extend({
  id: Slug,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type BadgeDefinition = z.infer<typeof BadgeDefinition>;

export const Award = z.object({
  kind: z.enum(['badge', 'trophy']),
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  icon: z.string().optional(),
  awardedAt: z.string(),
});
export type Award = z.infer<typeof Award>;

export const EventResult = z.object({
  id: z.string(),
  status: z.enum(['accepted', 'duplicate']),
  awards: z.array(Award),
});
export type EventResult = z.infer<typeof EventResult>;

export const EventsResponse = z.object({ results: z.array(EventResult) });

const BadgeSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  icon: z.string().optional(),
});

export const CustomerState = z.object({
  customerId: z.string(),
  points: z.number(),
  tier: z.string().nullable(),
  badges: z.array(BadgeSummary.extend({ awardedAt: z.string() })),
  lockedBadges: z.array(
    BadgeSummary.extend({
      progress: z.object({
        current: z.number(),
        target: z.number(),
        event: z.string(),
        property: z.string().optional(),
      }),
    }),
  ),
  trophies: z.array(z.unknown()),
});
export type CustomerState = z.infer<typeof CustomerState>;

export const ShopCreateInput = z.strictObject({
  name: z.string().trim().min(1).max(120),
  origins: z.array(z.string()).max(20).default([]),
});

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional(),
});
