// One person, one identity: addresses that reach the same inbox are one identity.
import { describe, expect, it } from 'vitest';
import { emailIdentity, sameEmailIdentity } from '../../server/email-identity.js';

describe('one inbox is one identity (emailIdentity)', () => {
  it.each([
    ['Ann@Example.com', 'ann@example.com'],
    ['  ann@example.com ', 'ann@example.com'],
    ['ann+1@example.com', 'ann@example.com'],
    ['ann+shop+2@example.com', 'ann@example.com'],
    ['a.nn@gmail.com', 'ann@gmail.com'],
    ['A.N.N+x@GoogleMail.com', 'ann@gmail.com'],
    ['ann@gmail.com.', 'ann@gmail.com'],
    ['ann@bücher.example', 'ann@xn--bcher-kva.example'],
  ])('%s counts as %s', (input, identity) => {
    expect(emailIdentity(input)).toBe(identity);
  });

  it('keeps dots where the provider delivers them to another mailbox', () => {
    expect(emailIdentity('a.nn@example.com')).toBe('a.nn@example.com');
    expect(sameEmailIdentity('a.nn@outlook.com', 'ann@outlook.com')).toBe(false);
  });

  it('keeps a leading plus and strings that are not addresses as they are (normalized)', () => {
    expect(emailIdentity('+ann@example.com')).toBe('+ann@example.com');
    expect(emailIdentity('Not An Address')).toBe('not an address');
    expect(emailIdentity('ann@')).toBe('ann@');
  });

  it('treats ann@, ann+1@, ann+2@ and a.nn@ on Gmail as one person', () => {
    const ids = new Set(['ann@gmail.com', 'ann+1@gmail.com', 'ann+2@gmail.com', 'a.nn@gmail.com', 'Ann@googlemail.com'].map(emailIdentity));
    expect([...ids]).toEqual(['ann@gmail.com']);
  });
});
