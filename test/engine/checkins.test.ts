// Check-in rules with an injected clock: daily tokens (rotation, forgery, expiry),
// window edges in the point's time zone, one check-in per person.
import { describe, expect, it } from 'vitest';
import {
  AlreadyCheckedIn,
  checkIn,
  daysOf,
  eventDay,
  linkVisit,
  parseToken,
  personKeys,
  emailKey,
  legacyEmailKey,
  printDay,
  tokenFor,
  tokenState,
  tokenVerifies,
} from '../../server/checkins/engine.js';
import { CheckinInput } from '../../server/checkins/schemas.js';

const SECRET = 'sk_test_secret';
const point = CheckinInput.parse({
  name: 'Saturday market',
  from: '2026-03-07T08:00:00+01:00',
  until: '2026-03-08T14:00:00+01:00',
  timeZone: 'Europe/Paris',
});
const at = (iso: string) => new Date(iso);

describe('daily tokens', () => {
  it('rotate per event day, verify with the shop secret and refuse forgeries', () => {
    const sat = tokenFor(SECRET, 'shop_a', 'saturday', '2026-03-07');
    const sun = tokenFor(SECRET, 'shop_a', 'saturday', '2026-03-08');
    expect(sat).not.toBe(sun);
    const parsed = parseToken(sat)!;
    expect(parsed).toMatchObject({ shopId: 'shop_a', checkinId: 'saturday', day: '2026-03-07' });
    expect(tokenVerifies(SECRET, parsed)).toBe(true);
    expect(tokenVerifies('sk_other', parsed)).toBe(false);
    // Changing the day in clear (to reuse yesterday's screenshot today) breaks the signature.
    const [, mac] = sat.split('.');
    const forged = `${Buffer.from('shop_a\nsaturday\n2026-03-08').toString('base64url')}.${mac}`;
    expect(tokenVerifies(SECRET, parseToken(forged)!)).toBe(false);
    expect(parseToken('not-a-token')).toBeUndefined();
    expect(parseToken(`${Buffer.from('a\nb').toString('base64url')}.${mac}`)).toBeUndefined();
  });

  it("today's token works; yesterday's gives nothing; tomorrow's not yet", () => {
    const saturdayNoon = at('2026-03-07T12:00:00+01:00');
    const sundayNoon = at('2026-03-08T12:00:00+01:00');
    expect(tokenState(point, '2026-03-07', saturdayNoon)).toBe('open');
    expect(tokenState(point, '2026-03-07', sundayNoon)).toBe('old-token');
    expect(tokenState(point, '2026-03-08', saturdayNoon)).toBe('future-token');
    expect(tokenState(point, '2026-03-08', sundayNoon)).toBe('open');
  });

  it('event days are days in the point time zone (23:30 UTC on Friday is Saturday in Paris)', () => {
    expect(eventDay(at('2026-03-06T23:30:00Z'), 'Europe/Paris')).toBe('2026-03-07');
    expect(eventDay(at('2026-03-06T23:30:00Z'), 'UTC')).toBe('2026-03-06');
    expect(daysOf(point)).toEqual(['2026-03-07', '2026-03-08']);
  });
});

describe('active window edges', () => {
  it('opens at `from` exactly and closes at `until` exactly', () => {
    expect(tokenState(point, '2026-03-07', at('2026-03-07T07:59:59.999+01:00'))).toBe('not-yet');
    expect(tokenState(point, '2026-03-07', at('2026-03-07T08:00:00.000+01:00'))).toBe('open');
    expect(tokenState(point, '2026-03-08', at('2026-03-08T13:59:59.999+01:00'))).toBe('open');
    expect(tokenState(point, '2026-03-08', at('2026-03-08T14:00:00.000+01:00'))).toBe('over');
  });

  it('prints the QR for today during the window, else for its first day', () => {
    expect(printDay(point, at('2026-03-01T10:00:00Z'))).toBe('2026-03-07');
    expect(printDay(point, at('2026-03-08T10:00:00+01:00'))).toBe('2026-03-08');
  });

  it('refuses a window that ends before it starts or lasts over 62 days', () => {
    expect(CheckinInput.safeParse({ ...point, until: point.from }).success).toBe(false);
    expect(CheckinInput.safeParse({ ...point, until: '2026-06-01T00:00:00Z' }).success).toBe(false);
    expect(CheckinInput.safeParse({ ...point, timeZone: 'Mars/Olympus' }).success).toBe(false);
  });
});

describe('one check-in per person per point', () => {
  const input = { checkinId: 'saturday', day: '2026-03-07', anonymousId: 'anon-12345', visitId: 'v1', at: '2026-03-07T09:00:00.000Z' };

  it('the same anonymous id or the same email (any case) counts as the same person', () => {
    const first = checkIn([undefined, undefined], { ...input, email: 'Ana@Example.com', consent: { text: 'News', at: input.at, locale: 'en' } });
    expect(first).toMatchObject({ email: 'ana@example.com', consent: { text: 'News', at: input.at }, customerKey: '~anon:anon-12345' });
    expect(() => checkIn([first], input)).toThrow(AlreadyCheckedIn);
    expect(() => checkIn([undefined, first], { ...input, anonymousId: 'another-phone' })).toThrow(AlreadyCheckedIn);
    // Keys by email do not depend on case or spaces, and never contain the address.
    const [, byEmail] = personKeys('saturday', 'x-123456', emailKey('shop-secret', ' ANA@example.com'));
    expect(byEmail).toBe(personKeys('saturday', 'y-123456', emailKey('shop-secret', 'ana@example.com'))[1]);
    expect(byEmail).not.toContain('ana');
    // Keyed by the shop's secret: another shop's (or anyone's plain hash of) the address is another id.
    expect(emailKey('shop-secret', 'ana@example.com')).not.toBe(emailKey('other-secret', 'ana@example.com'));
    expect(emailKey('shop-secret', 'ana@example.com')).not.toBe(legacyEmailKey('ana@example.com'));
  });

  it('a visit links to the first identified customer only', () => {
    const visit = checkIn([], input);
    const a = linkVisit(visit, 'c_1', '2026-03-10T00:00:00Z');
    expect(a.linked).toBe(true);
    expect(linkVisit(a.visit, 'c_1', '2026-03-11T00:00:00Z')).toEqual({ visit: a.visit, linked: true });
    expect(linkVisit(a.visit, 'c_2', '2026-03-11T00:00:00Z').linked).toBe(false);
  });
});
