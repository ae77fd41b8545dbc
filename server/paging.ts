// One shape for every list the API answers: `{ data: [...], nextCursor }` with `?limit=`
// and `?cursor=` (issue 14). The cursor is opaque to clients: the sort key of the last
// item sent, base64url, so a page starts after it even when items were added or
// removed meanwhile (none is sent twice; one added behind the cursor is not sent).
import { z } from 'zod';

/** A definition list (badges, surveys, webhooks…) is short: one page holds a typical shop's whole list. */
export const LIST_LIMIT = { default: 100, max: 100 } as const;

export const Cursor = z.string().regex(/^[A-Za-z0-9_-]{1,400}$/, 'the nextCursor of a previous page');
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(LIST_LIMIT.max).default(LIST_LIMIT.default),
  cursor: Cursor.optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

/** The answer's zod schema for a list of `item`. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.string().nullable() });

export const encodeCursor = (key: string) => Buffer.from(key, 'utf8').toString('base64url');
export const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

/**
 * One page of `items` in `keyOf` order (keys unique; ascending, or descending for newest
 * first): those after the cursor's key, at most `limit`, and the cursor of the next page
 * when more follow.
 */
export function page<T>(items: readonly T[], keyOf: (item: T) => string, query: PageQuery, order: 'asc' | 'desc' = 'asc'): { data: T[]; nextCursor: string | null } {
  const sign = order === 'asc' ? 1 : -1;
  const compare = (a: string, b: string) => sign * (a < b ? -1 : a > b ? 1 : 0);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rest = items
    .map((item) => ({ item, key: keyOf(item) }))
    .filter(({ key }) => after === undefined || compare(key, after) > 0)
    .sort((a, b) => compare(a.key, b.key));
  const data = rest.slice(0, query.limit);
  return { data: data.map((d) => d.item), nextCursor: rest.length > data.length ? encodeCursor(data.at(-1)!.key) : null };
}

/** OpenAPI query parameters of a paged list. */
export const pageParameters = [
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: LIST_LIMIT.max, default: LIST_LIMIT.default }, description: 'Items per page' },
  { name: 'cursor', in: 'query', schema: { type: 'string' }, description: '`nextCursor` of the previous page (opaque)' },
];

/** Created-order key: ISO timestamps sort as strings; the id breaks ties. */
export const createdKey = (item: { createdAt?: string; id: string }) => `${item.createdAt ?? ''}\u0000${item.id}`;
