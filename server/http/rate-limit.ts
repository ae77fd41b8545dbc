// Rate limits on /v1, keyed by API key + client IP (express-rate-limit: in memory for
// the one-process lowdb server; counted in the store when the store is shared, so the
// limits hold across every instance on one PostgreSQL database). A shop's backend (secret key) gets far more room than one
// browser (publishable key). The client IP is `req.ip`, which honours `trust proxy`
// (KUDOS_TRUST_PROXY, see trustProxyValue in server/config.ts): behind a proxy without it, every
// visitor would share the proxy's address and bucket.
import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type ClientRateLimitInfo, type Options, type Store as LimiterStore } from 'express-rate-limit';
import type { SharedLimits } from '../store/store.js';
import { IPV6_SUBNET, remembered } from './ip-key.js';
import { DomainError, sendProblem } from './problem.js';

export interface RateLimitOptions {
  /** Window length. Default 60 000 ms. */
  windowMs?: number;
  /** Requests per window per publishable key (or no key) and IP. Default 6000 (100/s sustained). */
  publishable?: number;
  /** Requests per window per secret key and IP. Default 120 000 (2000/s sustained). */
  secret?: number;
  /** Requests per window per IP (IPv6: per /64) to the keyless public pages under /t/. Default 600 (10/s sustained). */
  pages?: number;
}

const bearer = (req: Request) => /^Bearer\s+(\S{1,512})$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';

// Keys stay out of the limiter's memory; a short digest keeps buckets apart.
const digest = (key: string) => (key ? createHash('sha256').update(key).digest('base64url').slice(0, 16) : '-');
const addressKey = remembered((ip: string) => ipKeyGenerator(ip, IPV6_SUBNET));

/** express-rate-limit's store interface over the Store's shared fixed-window counters. */
class SharedLimiterStore implements LimiterStore {
  readonly localKeys = false;
  readonly prefix: string;
  private windowMs = 60_000;

  constructor(
    private readonly limits: SharedLimits,
    prefix: string,
  ) {
    this.prefix = `rate:${prefix}:`;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const { count, resetAt } = await this.limits.windowHit(this.prefix + key, this.windowMs, Date.now());
    return { totalHits: count, resetTime: new Date(resetAt) };
  }

  async decrement(key: string): Promise<void> {
    await this.limits.windowUndo(this.prefix + key, this.windowMs, Date.now());
  }

  async resetKey(): Promise<void> {
    // Windows end by themselves; nothing calls resetKey here.
  }
}

/** The limiter for /v1, or a pass-through when `options` is false. `shared` counts in the store (several instances). */
export function rateLimits(options: RateLimitOptions | false = {}, shared?: SharedLimits, name = 'v1'): RequestHandler {
  if (options === false) return (_req, _res, next) => next();
  const { windowMs = 60_000, publishable = 6000, secret = 120_000 } = options;
  return limiter(windowMs, shared, name, {
    limit: (req) => (bearer(req).startsWith('sk_') ? secret : publishable),
    // Signed orders in (POST /v1/webhooks/orders) name their shop in Kudos-Shop instead of a key.
    keyGenerator: (req) => `${digest(bearer(req) || (req.get('kudos-shop') ?? '').slice(0, 64))}|${addressKey(req.ip ?? '')}`,
  });
}

/**
 * The limiter for the keyless public pages under /t/ (award pages, credentials,
 * images): each request looks an id up, so one address gets a bounded number of
 * guesses. Keyed by address alone (IPv6 by /64): a header the client chooses must
 * not open a new bucket.
 */
export function pageRateLimits(options: RateLimitOptions | false = {}, shared?: SharedLimits): RequestHandler {
  if (options === false) return (_req, _res, next) => next();
  const { windowMs = 60_000, pages = 600 } = options;
  return limiter(windowMs, shared, 'pages', { limit: pages, keyGenerator: (req) => addressKey(req.ip ?? '') });
}

function limiter(windowMs: number, shared: SharedLimits | undefined, name: string, keying: Pick<Options, 'limit' | 'keyGenerator'>): RequestHandler {
  return rateLimit({
    windowMs,
    ...(shared && { store: new SharedLimiterStore(shared, name) }),
    ...keying,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // The X-Forwarded-For check would log on every proxied request when trust proxy is off on purpose.
    // Its IPv6 check reads keyGenerator's source for "ipKeyGenerator"; ours calls it through addressKey.
    validate: { xForwardedForHeader: false, keyGeneratorIpFallback: false },
    handler: (req, res) => {
      const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));
      res.set('Retry-After', String(seconds));
      const whose = name === 'pages' ? 'from this address' : 'for this key from this address';
      sendProblem(res, new DomainError('rate-limited', `Too many requests ${whose}; try again in ${seconds} s.`));
    },
  });
}
