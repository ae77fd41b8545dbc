// Shapes the browser side reads from the API: named from sdk/api-types.ts, which is
// generated from /openapi.json (itself generated from the server's zod schemas), so they
// are never copied by hand. Types only: the SDK and widgets stay free of zod (bundle budget).
import type { components } from './api-types.js';

type Schemas = components['schemas'];

export type BadgeDefinition = Schemas['BadgeDefinition'];
type Criteria = BadgeDefinition['criteria'];
/** Exactly one kind of goal: the server's zod refinement says so, which JSON Schema (and so the generated type) cannot. */
export type BadgeCriteria = Pick<Criteria, 'event' | 'where'> &
  (Required<Pick<Criteria, 'count'>> | Required<Pick<Criteria, 'sumOf' | 'atLeast'>> | Required<Pick<Criteria, 'first'>> | Required<Pick<Criteria, 'streakWeeks'>>);
export type CustomerState = Schemas['CustomerState'];
export type EarnedBadge = CustomerState['badges'][number];
export type LockedBadge = CustomerState['lockedBadges'][number];
export type BadgeProgress = LockedBadge['progress'];
export type EventResult = Schemas['EventsResponse']['results'][number];
export type Award = EventResult['awards'][number];
export type Problem = Schemas['Problem'];
/** Every schema of the API by name, e.g. `ApiSchemas['GroupView']`. */
export type ApiSchemas = Schemas;
export type { components, operations, paths } from './api-types.js';

/** What the loader (or `init()` from the npm entry) installs as `window.Kudos`. */
export interface KudosRuntime {
  (command: 'track', type: string, properties?: Record<string, unknown>): void;
  (command: 'identify', identity: { customerId: string; customerHash: string }): void;
  (command: 'refresh'): void;
  (command: string, ...args: unknown[]): void;
  readonly config: Readonly<KudosConfig>;
  /** fetch against the API with key, identity and anonymous-id headers; rejects with KudosApiError. */
  request<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  readonly version: string;
  /**
   * @internal GETs the script tag's loader started before any widget asked (path → response),
   * each read once by the widget that asks for that path (widgets/internal/api.ts).
   */
  readonly early?: Map<string, Promise<Response>>;
}

export interface KudosConfig {
  api: string;
  key: string;
  customerId?: string;
  customerHash?: string;
  anonymousId: string;
  locale?: string;
}

/** What `init()` (npm) and the loader's `data-*` attributes give the runtime. */
export interface KudosInit {
  /** API origin, e.g. `https://kudos.example.com` (a trailing slash is ignored). */
  api: string;
  /** Publishable key `pk_…`. */
  key: string;
  customerId?: string;
  /** hex HMAC-SHA256(secretKey, customerId), computed by the shop's backend. */
  customerHash?: string;
  locale?: string;
}

/** How `Kudos.request` rejects: `status` 0 means the request never got an answer (network, CORS). */
export interface KudosApiError extends Error {
  status: number;
  problem: Problem;
}
