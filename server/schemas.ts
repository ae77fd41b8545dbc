// The shared kernel of request and response shapes: ids, amounts, properties, awards,
// problems. Each feature keeps its own shapes in server/<feature>/schemas.ts; these zod
// schemas are the single source of truth for route validation, inferred types and /openapi.json.
import { z } from 'zod';

// "required" reads better to an API client than zod's "expected string, received undefined".
z.config({
  customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined),
});

const MAX_PROPERTIES = 50;

// Ids become keys of plain objects in the store: "constructor" or "__proto__" would
// read Object.prototype's member instead of the shop's data (a 500, or an event
// wrongly answered "duplicate"). Refuse them at the edge.
const PROTOTYPE_KEY = { message: 'this id is reserved', abort: true } as const;
export const notPrototypeKey = (id: string) => !(id in Object.prototype);

/**
 * A property name the engine reads (`sumOf`, `per`, `where` keys, a cap's
 * `target`): never a prototype member, which would read Object.prototype's
 * member (or set the prototype) instead of the event's property.
 */
export const notPrototypeMember = (name: string) => !(name in Object.prototype) && name !== 'prototype';
export const PropertyPath = z
  .string()
  .min(1)
  .max(64)
  .refine(notPrototypeMember, { message: 'names an Object.prototype member ("__proto__", "constructor", "prototype"…); choose another property name', abort: true });

/**
 * The largest amount (a purchase `total`, a refund `amount`) accepted, in the
 * currency's units. Sums of any realistic number of such events stay finite
 * and exact to the cent (docs/limits.md).
 */
export const MAX_AMOUNT = 1_000_000_000;
export const Amount = z.number().finite().min(0).max(MAX_AMOUNT, `at most ${MAX_AMOUNT.toLocaleString('en')} (see docs/limits.md)`);

const ISO_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export const CustomerId = z
  .string()
  .regex(/^[A-Za-z0-9._:@+-]{1,128}$/, 'customer ids are 1–128 characters of letters, digits and . _ : @ + -')
  .refine(notPrototypeKey, PROTOTYPE_KEY);

export const AnonymousId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'anonymous ids are 8–64 characters of letters, digits, _ and -');

export const Slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'ids are 1–64 lowercase letters, digits, _ and -, starting with a letter or digit')
  .refine(notPrototypeKey, PROTOTYPE_KEY);

export const EventId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'event ids are 1–128 characters of letters, digits and . _ : -')
  .refine(notPrototypeKey, PROTOTYPE_KEY);

export const EventType = z
  .string()
  .regex(/^[a-z][a-z0-9_.]{0,63}$/, 'event types are lowercase snake_case, e.g. "purchase"')
  .refine(notPrototypeKey, PROTOTYPE_KEY);

// Numbers are bounded so that sums over many events stay finite (1e308 + 1e308 is Infinity).
const PropertyValue = z.union([z.string().max(1000), z.number().finite().min(-1e15, 'numbers are between -1e15 and 1e15 (docs/limits.md)').max(1e15, 'numbers are between -1e15 and 1e15 (docs/limits.md)'), z.boolean(), z.null()]);

export const Properties = z
  .record(PropertyPath, PropertyValue)
  .refine((p) => Object.keys(p).length <= MAX_PROPERTIES, {
    message: `at most ${MAX_PROPERTIES} properties`,
  });

export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as "EUR"')
  .refine((code) => ISO_CURRENCIES.has(code), { message: 'not an ISO 4217 currency code (e.g. "EUR", "USD", "GBP")', abort: true });

export const Award = z.object({
  kind: z.enum(['badge', 'trophy', 'gift']),
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  icon: z.string().optional(),
  awardedAt: z.string(),
  /** A gift's add-on code, or its bonus points. */
  code: z.string().optional(),
  points: z.number().optional(),
});
export type Award = z.infer<typeof Award>;

export const ShopCreateInput = z.strictObject({
  name: z.string().trim().min(1).max(120),
  origins: z.array(z.string()).max(20).default([]),
});

/** RFC 9457 problem details; extension members (e.g. the `scope` a key lacks) may follow. */
export const Problem = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional(),
  docs: z.string().optional().describe('The guide that explains how to fix it (setup problems: key, origin, identity, unknown ids)'),
  requestId: z.string().optional().describe('The X-Request-Id of the request, to find it in the server log'),
});
