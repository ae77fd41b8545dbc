// Shapes the browser side reads from the API. The server's zod schemas are the
// source of truth; these mirror the response shapes so the SDK and widgets stay
// free of zod (bundle budget).

type Where = { where?: Record<string, string | number | boolean> };
export type BadgeCriteria = Where &
  (
    | { event: string; count: number }
    | { event: string; sumOf: string; atLeast: number }
    | { event: string; first: true }
    | { event: string; streakWeeks: number }
  );

export interface BadgeDefinition {
  id: string;
  name: string;
  description?: string;
  icon?: string;
  criteria: BadgeCriteria;
  createdAt: string;
  updatedAt: string;
}

export interface EarnedBadge {
  id: string;
  name: string;
  description?: string;
  icon?: string;
  awardedAt: string;
}

export interface BadgeProgress {
  /** How far the customer is: events counted, or the running sum of `property`. */
  current: number;
  target: number;
  event: string;
  /** Present when the criteria sums a property (e.g. purchase total). */
  property?: string;
  /** "weeks" for a streak: `current` of `target` consecutive weeks. */
  unit?: 'weeks';
}

export interface LockedBadge {
  id: string;
  name: string;
  description?: string;
  icon?: string;
  progress: BadgeProgress;
}

export interface CustomerState {
  customerId: string;
  points: number;
  tier: string | null;
  badges: EarnedBadge[];
  lockedBadges: LockedBadge[];
  trophies: unknown[];
}

export interface Award {
  kind: 'badge' | 'trophy' | 'gift';
  id: string;
  name: string;
  description?: string;
  icon?: string;
  awardedAt: string;
  /** A gift's add-on code. */
  code?: string;
}

export interface EventResult {
  id: string;
  status: 'accepted' | 'duplicate';
  awards: Award[];
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { pointer: string; detail: string }[];
}

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
