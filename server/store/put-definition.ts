// A shop's definition (a survey, a gift, a campaign, a product, a check-in point) stored
// under its id: PUT creates or replaces it, keeping when it was first created.
import type { DocumentRef, Store } from './store.js';

export interface Dated {
  id: string;
  createdAt: string;
  updatedAt: string;
}

/** The definition a PUT stores (pure): the input, its id, and the first creation date. */
export const definitionOf = <I extends object>(id: string, input: I, existing: Dated | undefined, at: string): I & Dated => ({
  id,
  ...input,
  createdAt: existing?.createdAt ?? at,
  updatedAt: at,
});

/** Stores it atomically against the one it replaces; `created` says whether there was none. */
export async function putDefinition<I extends object>(
  store: Store,
  now: () => Date,
  shopId: string,
  ref: DocumentRef,
  input: I,
): Promise<{ value: I & Dated; created: boolean }> {
  const at = now().toISOString();
  return store.updateDocuments(shopId, [ref], ([current]) => {
    const existing = current as Dated | undefined;
    const value = definitionOf(ref.id, input, existing, at);
    return { values: [value], result: { value, created: !existing } };
  });
}
