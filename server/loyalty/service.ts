// A shop's loyalty program is one feature document; shops that never set one
// get the default (1 point per unit of purchase total, no tiers, no expiry).
import { DEFAULT_PROGRAM, type Program } from './schemas.js';
import type { DocumentRef, Store } from '../store/store.js';

export const PROGRAM_REF: DocumentRef = { collection: 'program', id: 'current' };
export const REWARDS = 'rewards';
/** Reward claim links (routes-claims.ts), by token. */
export const REWARD_CLAIMS = 'claims';

export async function programOf(store: Store, shopId: string): Promise<Program> {
  return (await store.getDocument<Program>(shopId, PROGRAM_REF)) ?? DEFAULT_PROGRAM;
}
