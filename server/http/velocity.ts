// Velocity limits for business flows (OWASP API6): a script that starts or joins
// share-to-save groups in bulk to farm discounts, floods an address with email
// codes, or checks in at a market stall from afar.
//
// A sliding-window log per key, in memory for the single-process lowdb deployment;
// with a shared store (PostgreSQL) the store keeps the log, so the limits hold
// across every instance. Behind a reverse proxy,
// set KUDOS_TRUST_PROXY so `req.ip` is the shopper's address, not the proxy's.
import type { Request, Response } from 'express';
import type { SharedLimits } from '../store/store.js';
import { ipKey } from './ip-key.js';
import { DomainError } from './problem.js';

export interface Limit {
  limit: number;
  windowMs: number;
}

export interface VelocityLimits {
  createPerIp: Limit;
  createPerShop: Limit;
  joinPerIp: Limit;
  joinPerShop: Limit;
}

const TEN_MINUTES = 10 * 60_000;

export const DEFAULT_LIMITS: VelocityLimits = {
  createPerIp: { limit: 20, windowMs: TEN_MINUTES },
  createPerShop: { limit: 1000, windowMs: TEN_MINUTES },
  joinPerIp: { limit: 60, windowMs: TEN_MINUTES },
  joinPerShop: { limit: 5000, windowMs: TEN_MINUTES },
};

/** The per-IP key of a request: `req.ip` (which honours trust proxy), IPv6 counted by its /64. */
export const clientOf = (req: Request): string => ipKey(req.ip);

export class SlidingWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly now: () => number,
    private readonly shared?: SharedLimits,
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts an attempt; resolves 0 when allowed, else the ms until one is allowed again. */
  async hit(key: string, l: Limit): Promise<number> {
    if (this.shared) return this.shared.slidingHit(`velocity:${key}`, l.limit, l.windowMs, this.now());
    return this.hitInMemory(key, l);
  }

  private hitInMemory(key: string, { limit, windowMs }: Limit): number {
    const t = this.now();
    const recent = (this.hits.get(key) ?? []).filter((at) => at > t - windowMs);
    if (recent.length >= limit) {
      this.hits.set(key, recent);
      return recent[0]! + windowMs - t;
    }
    recent.push(t);
    // Bounded memory: forget the oldest keys first (Map keeps insertion order).
    this.hits.delete(key);
    if (this.hits.size >= this.maxKeys) this.hits.delete(this.hits.keys().next().value!);
    this.hits.set(key, recent);
    return 0;
  }
}

export function tooManyRequests(retryAfterMs: number, what: string): DomainError & { retryAfter: number } {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const problem = new DomainError(
    'rate-limited',
    `Too many ${what} in a short time; try again in ${seconds} s.`,
  );
  return Object.assign(problem, { retryAfter: seconds });
}

/** Counts one attempt under `key`; past the limit, answers 429 with Retry-After. */
export async function hitOrRefuse(window: SlidingWindow, res: Response, key: string, limit: Limit, what: string): Promise<void> {
  const wait = await window.hit(key, limit);
  if (wait <= 0) return;
  const problem = tooManyRequests(wait, what);
  res.set('Retry-After', String(problem.retryAfter));
  throw problem;
}
