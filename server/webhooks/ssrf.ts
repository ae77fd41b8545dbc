// Where a webhook may be sent. A shop's URL must not reach into our own network
// (SSRF): the URL's literal host is checked when the endpoint is saved and again
// before each attempt, and every address a host name resolves to is checked at
// connection time (see `guardedLookup`), so DNS rebinding gains nothing.
//
// Addresses are parsed and classified by ipaddr.js rather than by hand: an IPv4
// address has many spellings (decimal 2130706433, octal 0177.0.0.1, hex 0x7f.1,
// short 127.1) and IPv6 can carry one inside (IPv4-mapped ::ffff:…, the SIIT form
// ::ffff:0:…, IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16,
// Teredo 2001::/32). Only a global unicast address passes; an embedded IPv4
// address must itself be global unicast.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

const ipv4Public = (v4: ipaddr.IPv4) => v4.range() === 'unicast';
const ipv4At = (bytes: number[], offset: number) => new ipaddr.IPv4(bytes.slice(offset, offset + 4));
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96') as [ipaddr.IPv6, number];
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96') as [ipaddr.IPv6, number];

/** Whether an address is reachable on the public internet (and so may receive webhooks). */
function isPublic(address: Address): boolean {
  if (address.kind() === 'ipv4') return ipv4Public(address as ipaddr.IPv4);
  const v6 = address as ipaddr.IPv6;
  const bytes = v6.toByteArray();
  switch (v6.range()) {
    case 'ipv4Mapped': // ::ffff:a.b.c.d
    case 'rfc6145': // ::ffff:0:a.b.c.d
      return ipv4Public(ipv4At(bytes, 12));
    case 'rfc6052': // NAT64: only the well-known /96 has a defined embedding; local-use prefixes are private
      return v6.match(NAT64_WELL_KNOWN) && ipv4Public(ipv4At(bytes, 12));
    case '6to4': // 2002:AABB:CCDD::/48 routes to a.b.c.d
      return ipv4Public(ipv4At(bytes, 2));
    case 'teredo': // a tunnel whose far end cannot be vetted here
      return false;
    case 'unicast':
      // ::a.b.c.d (IPv4-compatible, deprecated) classifies as unicast but is an IPv4 address.
      return !v6.match(IPV4_COMPATIBLE);
    default:
      return false;
  }
}

/** An IP address in any spelling ipaddr.js or the URL parser knows, or undefined for a host name. */
export function parseAddress(text: string): Address | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  try {
    if (ipaddr.IPv6.isValid(bare)) return ipaddr.IPv6.parse(bare);
    if (ipaddr.IPv4.isValid(bare)) return ipaddr.IPv4.parse(bare);
  } catch {
    // not an address
  }
  return undefined;
}

/** Private, loopback, link-local, unique-local, multicast, reserved, unspecified, or an IPv6 form of one. Not an address at all counts as private. */
export function isPrivateAddress(address: string): boolean {
  const parsed = parseAddress(address);
  return parsed === undefined || !isPublic(parsed);
}

/** `localhost`, `x.localhost` (RFC 6761), with or without the trailing root dot. */
export function isLocalhostName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why this URL may not receive webhooks, or undefined when it may. */
export function urlRefusal(raw: string, allowPrivate: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL, e.g. https://example.com/kudos/webhooks';
  }
  if (url.username || url.password) return 'must not carry a user name or password';
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'http:') {
    if (allowPrivate && LOCAL_HOSTS.has(host)) return undefined;
    return 'must use https (http only for localhost when the server runs with KUDOS_ALLOW_PRIVATE_WEBHOOKS=1)';
  }
  if (url.protocol !== 'https:') return 'must use https';
  if (allowPrivate) return undefined;
  if (isLocalhostName(host)) return 'must not point at this machine';
  // The URL parser already turned decimal/octal/hex IPv4 into dotted form; a trailing dot is the same host.
  const literal = parseAddress(host.replace(/\.$/, ''));
  if (literal && !isPublic(literal)) return 'must not be a private, loopback, link-local or reserved address (in any IPv4 or IPv6 spelling)';
  return undefined;
}

export class PrivateAddressError extends Error {}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http.request that refuses host names resolving to any private address. */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback) => {
    if (!allowPrivate && isLocalhostName(hostname)) {
      return callback(new PrivateAddressError(`${hostname} names this machine (a private address)`), []);
    }
    dnsLookup(hostname, { family: options.family ?? 0, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      if (!allowPrivate && addresses.some((a) => isPrivateAddress(a.address))) {
        return callback(new PrivateAddressError(`${hostname} resolves to a private address`), []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}
