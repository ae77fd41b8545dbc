// The key a client address counts under in per-IP limits. One IPv6 subscriber gets
// a whole /64 (often more), so counting each full IPv6 address would let one
// visitor pass any per-IP limit by rotating the interface id: IPv6 is keyed by
// its /64 prefix. IPv4-mapped IPv6 (::ffff:a.b.c.d, what a dual-stack socket
// reports) is the IPv4 address it carries.
import type { RequestHandler } from 'express';
import ipaddr from 'ipaddr.js';

/** Prefix length IPv6 clients are grouped by (also given to express-rate-limit). */
export const IPV6_SUBNET = 64;

/**
 * `fn`, remembering its answer for up to `max` distinct inputs (all forgotten at once when
 * full: no bookkeeping per hit). Parsing the client's address on every request was 23% of
 * ingest CPU in issue 20's profiles, and a visitor sends many requests from one address.
 */
export function remembered(fn: (input: string) => string, max = 10_000): (input: string) => string {
  const known = new Map<string, string>();
  return (input) => {
    let answer = known.get(input);
    if (answer === undefined) {
      if (known.size >= max) known.clear();
      known.set(input, (answer = fn(input)));
    }
    return answer;
  };
}

const subnetKey = remembered(parseKey);

export const ipKey = (address: string | undefined): string => (address ? subnetKey(address) : '-');

function parseKey(address: string): string {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address);
  } catch {
    return address.slice(0, 64);
  }
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const bytes = parsed.toByteArray().slice(0, IPV6_SUBNET / 8).concat(Array(16 - IPV6_SUBNET / 8).fill(0));
  return `${ipaddr.fromByteArray(bytes).toString()}/${IPV6_SUBNET}`;
}

/**
 * `req.ip` worked out once per request. Express recomputes it on every read
 * (proxy-addr over the socket and X-Forwarded-For, with the trust function), and
 * a /v1 request reads it several times: the rate limiter's key and its debug
 * line, velocity, the products hold. Under single-event ingest that was ~5 % of
 * the server's CPU (issue 20 profile). The value is the same: `trust proxy` is
 * set before the first request, and a request's address and headers do not change.
 */
export const rememberIp: RequestHandler = (req, _res, next) => {
  Object.defineProperty(req, 'ip', { value: req.ip, enumerable: true, configurable: true });
  next();
};
