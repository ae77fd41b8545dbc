// Domain errors: why a request cannot be done, in the domain's words. Engines and
// services throw them; http/problem.ts alone turns them into problem+json (RFC 9457).
// No express, no store here, so a pure engine can import this module.

export interface FieldError {
  pointer: string;
  detail: string;
}

interface ProblemType {
  status: number;
  /** The same for every occurrence of the type (RFC 9457 §3.1.3); the detail says what happened this time. */
  title: string;
  /** A guide that tells how to fix it, a path under /docs: sent as an absolute `docs` link and appended to the detail. */
  guide?: string;
  /** What the caller can do about it, for the reference page. */
  fix: string;
}

/**
 * Every problem type Kudos answers with, listed once. Each is documented under its own
 * heading in docs/reference/problems.md (generated from this list; a test fails when stale).
 */
export const problemTypes = {
  'validation-error': { status: 400, title: 'Invalid request', fix: 'Fix each field that `errors` points at (a JSON pointer into the body or query) and send again.' },
  'malformed-json': { status: 400, title: 'Malformed JSON', fix: 'Send a body that parses as JSON (check quoting and trailing commas).' },
  'malformed-path': { status: 400, title: 'Malformed URL', fix: 'Percent-encode path segments as UTF-8.' },
  'request-aborted': { status: 400, title: 'Request aborted', fix: 'The client closed the connection before the body arrived; send again.' },
  'client-error': { status: 400, title: 'Bad request', fix: 'The detail says what was wrong with the request.' },
  unauthenticated: { status: 401, title: 'Missing or unknown API key', guide: 'getting-started.md#the-script-tag', fix: 'Send `Authorization: Bearer <key>` with a key of this shop (`pk_…` in pages, `sk_…` on your backend).' },
  forbidden: { status: 403, title: 'Not allowed with these credentials', fix: 'Use a key allowed to do this (the secret key on the shop backend for anything that grants value).' },
  'identity-not-verified': { status: 403, title: 'Shopper identity not verified', guide: 'getting-started.md#your-shops-backend', fix: "Send the shopper's id with the HMAC your backend signs with the shop's identity secret." },
  'origin-not-registered': { status: 403, title: 'Origin not registered', guide: 'access.md#origins', fix: "Register the page's origin for the shop (the console's Origins section, or `kudos shop origins add`)." },
  'missing-scope': { status: 403, title: 'This key lacks a scope', guide: 'access.md#keys-and-scopes', fix: 'Use a key whose scopes include the one named in `scope`, or create one with an admin key.' },
  'demo-local-only': { status: 403, title: 'Demo only on this machine', fix: 'Demo routes answer only this machine; in production run with `KUDOS_DEMO=off`.' },
  'insiders-only': { status: 403, title: 'Insiders only', fix: 'Only customers with the early-access badge or tier may buy during the insider window.' },
  'new-customers-only': { status: 403, title: 'New customers only', fix: 'The offer is for people who have not ordered from this shop before.' },
  'not-found': { status: 404, title: 'Not found', fix: 'Check the id; ids of another shop are not found either.' },
  conflict: { status: 409, title: 'Conflicts with the current state', fix: 'The request conflicts with what is stored now; read the current state and decide again.' },
  'event-id-conflict': { status: 409, title: 'Event id already used for another event', fix: 'An event id is an idempotency key: resend identical content, or use a new id.' },
  'id-reused': { status: 409, title: 'Redemption id already used', fix: 'Use a new redemption id for a new redemption.' },
  'insufficient-points': { status: 409, title: 'Not enough points', fix: "The customer's balance is below the reward's cost." },
  'reward-inactive': { status: 409, title: 'Reward not available', fix: 'The reward is switched off; offer another or switch it on.' },
  'claim-used': { status: 409, title: 'Already claimed', fix: 'This claim was already used; each order is claimed once.' },
  'code-in-use': { status: 409, title: 'Code already in use', fix: 'Discount codes are single-use; send a code nobody in the group holds.' },
  'code-not-due': { status: 409, title: 'No code due', fix: "Ask for a code only when the member is due one at the group's current tier." },
  'campaign-not-active': { status: 409, title: 'Campaign not active', fix: 'The campaign has not started or has ended.' },
  'group-full': { status: 409, title: 'Group is full', fix: 'The group reached its maximum size; start a new group.' },
  'already-member': { status: 409, title: 'Already in this group', fix: 'The shopper is already in this group.' },
  'too-many-open-groups': { status: 409, title: 'Too many open groups', fix: "Wait until one of the shopper's open groups closes." },
  'not-open-yet': { status: 409, title: 'Not on sale yet', fix: 'The product goes on sale at the time the detail gives.' },
  'sale-ended': { status: 409, title: 'Sale ended', fix: 'The product is no longer on sale.' },
  'sold-out': { status: 409, title: 'Sold out', fix: 'Every unit is sold or held; held units come back when their hold expires.' },
  'limit-reached': { status: 409, title: 'Limit reached', fix: 'The customer reached the per-customer limit of this product.' },
  'sign-in-to-hold': { status: 409, title: 'Sign in to buy', fix: 'Sign in: anonymous visitors may hold only a share of the units.' },
  'survey-not-eligible': { status: 409, title: 'Survey not shown to this person', fix: 'Ask `/eligibility` first and show the survey only when it says so.' },
  'email-verification-unavailable': { status: 409, title: 'Email verification not set up', fix: 'Subscribe a webhook to `email_claim.requested` so someone sends the code ([webhooks](../webhooks.md)).' },
  'claim-expired': { status: 410, title: 'Claim expired', fix: 'The claim link expired; the shop can send a new one.' },
  'email-claim-over': { status: 410, title: 'Code no longer valid', fix: 'The code was used, expired or tried too often; ask for a new one.' },
  'group-window-over': { status: 410, title: 'Group window is over', fix: 'The group closed or expired; start a new one.' },
  'payload-too-large': { status: 413, title: 'Payload too large', fix: 'Send a smaller body (see the size limits in [Limits](../limits.md)).' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type', fix: 'Send UTF-8 JSON with `Content-Type: application/json`.' },
  'rate-limited': { status: 429, title: 'Too many requests', fix: 'Wait for `Retry-After` seconds ([Limits](../limits.md)).' },
  'quota-exceeded': { status: 429, title: 'Shop quota reached', fix: 'The shop reached a browser quota; nothing was stored. Raise it with `PUT /v1/limits` ([Limits](../limits.md)).' },
  'audit-not-recorded': { status: 500, title: 'Change not recorded in the audit log', fix: 'The change was made but its audit entry was not stored: read the current state before repeating it.' },
  internal: { status: 500, title: 'Internal error', fix: 'Retry with the same event ids (they are idempotent); the server log has the request id.' },
  'demo-backend': { status: 502, title: 'Demo backend error', fix: 'The demo shop backend answered with an error; see its detail.' },
  'shutting-down': { status: 503, title: 'Server shutting down', fix: 'This instance is stopping and did not serve the request; retry after `Retry-After` (another instance, or this one restarted, serves it) with the same event ids.' },
  'store-unavailable': { status: 503, title: 'Storage unavailable', fix: 'The disk refused the write and nothing was kept; retry after `Retry-After` with the same ids ([Operations](../operations.md)).' },
} as const satisfies Record<string, ProblemType>;

export type ProblemSlug = keyof typeof problemTypes;

export interface DomainErrorOptions {
  errors?: FieldError[];
  /** Extension members (RFC 9457 §3.2), e.g. the scope a key lacks. */
  extensions?: Record<string, unknown>;
  /** A more specific guide than the type's own. */
  guide?: string;
  /** Only for types that pass on another party's status (a client error raised by a library, the demo backend). */
  status?: number;
}

export class DomainError extends Error {
  readonly status: number;
  readonly title: string;
  readonly errors?: FieldError[];
  readonly extensions?: Record<string, unknown>;
  readonly guide?: string;

  constructor(
    readonly slug: ProblemSlug,
    readonly detail?: string,
    options: DomainErrorOptions = {},
  ) {
    super(detail ?? problemTypes[slug].title);
    const type: ProblemType = problemTypes[slug];
    this.status = options.status ?? type.status;
    this.title = type.title;
    this.errors = options.errors;
    this.extensions = options.extensions;
    this.guide = options.guide ?? type.guide;
  }
}

/** The problems many features raise, with their usual wording. */
export const problems = {
  validation: (errors: FieldError[], detail = 'The request does not match the expected shape; see errors.') =>
    new DomainError('validation-error', detail, { errors }),
  unauthenticated: (detail: string) => new DomainError('unauthenticated', detail),
  forbidden: (detail: string) => new DomainError('forbidden', detail),
  identity: (detail: string) => new DomainError('identity-not-verified', detail),
  /** A browser call from a page whose origin the key's shop did not register. Names the origin only: no shop data. */
  originNotRegistered: (origin: string, shopId = 'SHOP_ID') =>
    new DomainError(
      'origin-not-registered',
      `This page's origin, ${origin}, is not registered for this shop's key, so browsers may not call Kudos from it. ` +
        `Add it in the console's Origins section or with "kudos shop origins add --shop ${shopId} ${origin}"; it takes effect at once.`,
    ),
  notFound: (detail: string) => new DomainError('not-found', detail),
  conflict: (detail: string) => new DomainError('conflict', detail),
  unsupportedMediaType: (detail = 'Send the body as application/json.') => new DomainError('unsupported-media-type', detail),
  malformedJson: () => new DomainError('malformed-json', 'The request body is not valid JSON.'),
};
