// The per-IP key (server/http/ip-key.ts): the same keys as before, each address parsed once
// while it is remembered (issue 20: parsing IPv6 per request was 23% of ingest CPU).
import { describe, expect, it } from 'vitest';
import { ipKey, remembered } from '../../server/http/ip-key.js';

describe('ipKey', () => {
  it('keys IPv4 by address, IPv4-mapped IPv6 by the IPv4 it carries, IPv6 by its /64', () => {
    expect(ipKey('203.0.113.7')).toBe('203.0.113.7');
    expect(ipKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(ipKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(ipKey('2001:db8:1:2::1')).toBe(ipKey('2001:db8:1:2:ffff::9'));
    expect(ipKey(undefined)).toBe('-');
    expect(ipKey('not an address')).toBe('not an address');
  });
});

describe('remembered', () => {
  it('computes an answer once per input, and forgets everything once full', () => {
    const calls: string[] = [];
    const upper = remembered((s) => (calls.push(s), s.toUpperCase()), 2);
    expect([upper('a'), upper('a'), upper('b'), upper('a')]).toEqual(['A', 'A', 'B', 'A']);
    expect(calls).toEqual(['a', 'b']);
    upper('c'); // full: starts over
    upper('a');
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });
});
