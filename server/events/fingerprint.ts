// The canonical hash of an event as its sender sent it: the id's content, for
// telling an identical replay (duplicate) from an id reused for something else
// (409). Property order does not matter; a default the server filled in (the
// time received) is not part of it.
import { hash } from 'node:crypto';

export function eventFingerprint(event: {
  type: string;
  customerId: string;
  properties?: Record<string, string | number | boolean | null>;
  occurredAt?: string;
}): string {
  // The canonical JSON of { type, customerId, properties, occurredAt }: keys sorted, an
  // undefined property left out. Property values are JSON primitives (server/schemas.ts
  // Properties). Written out, not through a general canonical form (its per-object arrays
  // were 2-4 % of batched ingest CPU: every event received is fingerprinted, issue 20).
  let content = `{"customerId":${JSON.stringify(event.customerId)}`;
  if (event.occurredAt !== undefined) content += `,"occurredAt":${JSON.stringify(event.occurredAt)}`;
  content += ',"properties":{';
  const properties = event.properties ?? {};
  let first = true;
  for (const key of Object.keys(properties).sort()) {
    const value = properties[key];
    if (value === undefined) continue;
    content += `${first ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(value)}`;
    first = false;
  }
  content += `},"type":${JSON.stringify(event.type)}}`;
  // One-shot hash (node ≥ 20.12): no Hash object per event.
  return hash('sha256', content, 'base64url').slice(0, 22);
}
