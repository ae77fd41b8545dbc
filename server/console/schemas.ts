// GET /v1/console/install, as a schema for /openapi.json (console/routes.ts builds it).
import { z } from 'zod';

export const ConsoleInstall = z.object({
  shop: z.object({ id: z.string(), name: z.string(), origins: z.array(z.string()) }),
  publishableKey: z.string(),
  scriptTag: z.string(),
  identityAttributes: z.string(),
  identitySnippets: z.array(z.object({ id: z.enum(['shopify', 'php', 'node', 'python']), where: z.string(), code: z.string() })),
  elements: z.array(z.string()),
  /** The origin and time of the last browser event. */
  lastSeen: z.object({ origin: z.string(), at: z.string() }).nullable(),
  /** The live setup check: what this server instance saw lately with this shop's keys (console/setup-watch.ts). */
  setup: z.object({
    ownOrigin: z.string(),
    origins: z.array(z.object({ origin: z.string(), allowed: z.boolean(), lastAt: z.string(), requests: z.number() })),
    identity: z
      .object({ verified: z.number(), refused: z.number(), lastVerifiedAt: z.string().nullable(), lastRefusedAt: z.string().nullable() })
      .nullable(),
    events: z.array(
      z.object({
        at: z.string(),
        types: z.array(z.string()),
        count: z.number(),
        status: z.number(),
        origin: z.string().nullable(),
        key: z.string(),
        shopper: z.enum(['customer', 'anonymous', 'none', 'refused']),
      }),
    ),
  }),
});
