// The key a client address counts under in per-IP limits. One IPv6 subscriber gets
// a whole /64 (often more), so counting each full IPv6 address would let one
// visitor pass any per-IP limit by rotating the interface id: IPv6 is keyed by
// its /64 prefix. IPv4-mapped IPv6 (::ffff:a.b.c.d, what a dual-stack socket
// reports) is the IPv4 address it carries.
import ipaddr from 'ipaddr.js';

/** Prefix length IPv6 clients are grouped by (also given to express-rate-limit). */
export const IPV6_SUBNET = 64;

export function ipKey(address: string | undefined): string {
  if (!address) return '-';
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
