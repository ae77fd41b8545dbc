// What a key may do. A shop delegates by scope: each route declares the one
// scope it needs next to the route (its feature's `scopes`, gathered into ROUTE_SCOPES
// in server/features.ts); `admin` holds them all.
import { z } from 'zod';

export const SCOPES = ['admin', 'events', 'staff', 'analytics', 'market'] as const;
export const Scope = z.enum(SCOPES);
export type Scope = z.infer<typeof Scope>;

export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  admin: 'everything: configuration, keys, exports, erasure',
  events: 'a backend that sends purchases, refunds and guest-order claims',
  staff: 'award and revoke trophies, look up a customer, redeem for a customer',
  analytics: 'KPIs and aggregate summaries, no personal data',
  market: 'view and print check-in QR codes',
};

export const grants = (held: readonly Scope[], needed: Scope) => held.includes('admin') || held.includes(needed);
