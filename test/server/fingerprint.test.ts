// An event's fingerprint is stored with its id (de-duplication, 409 on an id reused for other
// content), so it must never change between versions: a replay after an upgrade must still
// answer "duplicate". These values were computed by the general canonical form the server
// used before the events route wrote it out per event (issue 20).
import { describe, expect, it } from 'vitest';
import { eventFingerprint } from '../../server/events/fingerprint.js';

describe('eventFingerprint', () => {
  it('is the same as every earlier version computed, whatever the order of properties', () => {
    const purchase = { type: 'purchase', customerId: 'c_42', properties: { orderId: 'o-1', total: 12.5, currency: 'EUR' } };
    expect(eventFingerprint(purchase)).toBe('R71Qb35Yw8WHqbj7Thzh56');
    expect(eventFingerprint({ ...purchase, properties: { currency: 'EUR', total: 12.5, orderId: 'o-1' } })).toBe('R71Qb35Yw8WHqbj7Thzh56');
    expect(eventFingerprint({ ...purchase, occurredAt: '2026-12-01T10:00:00.000Z' })).toBe('Y4pYA4sun1YhpX-dSnOxSV');
    // Keys needing escapes, sorted by code unit; null, booleans, -0, big numbers, line separators; an undefined property is no property.
    const odd = { 'é"\\': null, a: true, B: -0, z: 1e21, émoji: '😀\u2028', sku: undefined } as unknown as Record<string, string | number | boolean | null>;
    expect(eventFingerprint({ type: 'review', customerId: 'anon_Zx9', properties: odd })).toBe('SvACwNXh5p4UrT3Cmdsogq');
    // No properties and empty properties are the same content.
    expect(eventFingerprint({ type: 'signup', customerId: 'c 1' })).toBe('YBwU1OL6XNGsyoxkt8x3aU');
    expect(eventFingerprint({ type: 'signup', customerId: 'c 1', properties: {} })).toBe('YBwU1OL6XNGsyoxkt8x3aU');
  });
});
