// A shop's browser limits: one feature document, defaults until the shop sets them.
import type { BrowserLimits, DocumentRef, Store } from '../store/store.js';
import { DEFAULT_LIMITS, type Limits } from './schemas.js';

export const LIMITS_REF: DocumentRef = { collection: 'limits', id: 'current' };

const DAY_MS = 86_400_000;

export async function limitsOf(store: Store, shopId: string): Promise<Limits> {
  return { ...DEFAULT_LIMITS, ...(await store.getDocument<Partial<Limits>>(shopId, LIMITS_REF)) };
}

export async function setLimits(store: Store, shopId: string, limits: Limits): Promise<void> {
  await store.updateDocuments(shopId, [LIMITS_REF], () => ({ values: [limits], result: null }));
}

/** What the store enforces for publishable-key events: browser ids are kept one day, so the day's quota is the ids kept. */
export async function browserLimitsOf(store: Store, shopId: string): Promise<BrowserLimits> {
  const limits = await limitsOf(store, shopId);
  return {
    events: limits.browserEventsPerDay,
    idRetentionMs: DAY_MS,
    anonymousVisitors: limits.anonymousVisitors,
    anonymousIdleMs: limits.anonymousIdleDays * DAY_MS,
  };
}

/**
 * For records a feature makes for an anonymous visitor under its own (backend) event
 * ids, such as a market check-in or an NPS answer: they add a visitor, never a browser id,
 * so only the visitors quota applies (a shop past its browser events still takes them).
 */
export async function visitorLimitsOf(store: Store, shopId: string): Promise<BrowserLimits> {
  return { ...(await browserLimitsOf(store, shopId)), events: Number.POSITIVE_INFINITY };
}
