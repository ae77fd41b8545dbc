// 0.x renamed the on/off flag of two resources to `active`, the name every other
// resource uses (issue 14): a badge's `disabled` (true retired it) and a webhook
// endpoint's `enabled`. Data written before keeps its old field; a store brings
// it to the new shape when it opens (the lowdb store on load, PostgreSQL by
// migration 7, which does the same in SQL), so a retired badge stays retired and
// a paused endpoint stays paused. Kept here rather than in the features: it is
// about how old files were written, which only stores read.

/** The collection webhook endpoints are stored in (server/webhooks/outbox.ts ENDPOINTS). */
export const WEBHOOK_ENDPOINTS_COLLECTION = 'webhooks';

/** A badge definition as written by any version: `active` from `disabled` when it has no `active`. */
export function upgradeBadgeFlag<T extends object>(badge: T): T {
  const { disabled, ...rest } = badge as T & { disabled?: unknown; active?: unknown };
  if (disabled === undefined && 'active' in rest) return badge;
  return { ...rest, active: (rest as { active?: unknown }).active ?? disabled !== true } as T;
}

/** A webhook endpoint as written by any version: `active` from `enabled`. */
export function upgradeEndpointFlag<T extends object>(endpoint: T): T {
  const { enabled, ...rest } = endpoint as T & { enabled?: unknown; active?: unknown };
  if (enabled === undefined && 'active' in rest) return endpoint;
  return { ...rest, active: (rest as { active?: unknown }).active ?? enabled !== false } as T;
}
