// The NPS rules as pure functions, with an injected clock.
import { describe, expect, it } from 'vitest';
import {
  bandOf,
  eligibility,
  npsOf,
  recordDisplay,
  recordResponse,
  MAX_COMMENTS,
  MAX_RECENT_DISPLAYS,
  sampleBucket,
  summarize,
  weekStart,
  type ContactRecord,
  type SurveyTally,
} from '../../server/surveys/engine.js';
import { SurveyInput, type SurveyDefinition } from '../../server/surveys/schemas.js';
import { DomainError } from '../../server/errors.js';

const DAY = 86_400_000;
const T0 = new Date('2026-03-04T10:00:00Z'); // a Wednesday

function survey(overrides: Partial<SurveyInput> = {}): SurveyDefinition {
  const input = SurveyInput.parse({ question: { en: 'How likely…?' }, ...overrides });
  return { id: 'checkout', ...input, createdAt: T0.toISOString(), updatedAt: T0.toISOString() };
}

const ctx = (now: Date, personKey = 'c_1') => ({ shopId: 'shop_1', personKey, now });
const counts = (byScore: Record<number, number>) => Array.from({ length: 11 }, (_, s) => byScore[s] ?? 0);
const statusOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as DomainError).status;
  }
  return 'no error';
};

describe('NPS maths', () => {
  it('puts 6 with detractors, 7 and 8 with passives, 9 with promoters', () => {
    expect([0, 6, 7, 8, 9, 10].map(bandOf)).toEqual(['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter']);
    expect(npsOf(counts({ 6: 1 })).nps).toBe(-100);
    expect(npsOf(counts({ 7: 1 })).nps).toBe(0);
    expect(npsOf(counts({ 8: 1 })).nps).toBe(0);
    expect(npsOf(counts({ 9: 1 })).nps).toBe(100);
    expect(npsOf(counts({ 6: 1, 9: 1 })).nps).toBe(0);
  });

  it('has no NPS without responses (not 0), and zero counts', () => {
    expect(npsOf(counts({}))).toEqual({ responses: 0, promoters: 0, passives: 0, detractors: 0, nps: null });
    const s = summarize('checkout', undefined, T0);
    expect(s.nps).toBe(null);
    expect(s.responses).toBe(0);
    expect(s.promoters).toEqual({ count: 0, percent: 0 });
    expect(s.distribution).toEqual(counts({}));
  });

  it('rounds the score to an integer, halves away from zero', () => {
    // 2 promoters, 1 passive, 0 detractors of 3 → 66.67 → 67
    expect(npsOf(counts({ 10: 2, 7: 1 })).nps).toBe(67);
    // 1 promoter of 3 → 33.33 → 33
    expect(npsOf(counts({ 9: 1, 8: 2 })).nps).toBe(33);
    // 1 promoter of 8 → 12.5 → 13; 1 detractor of 8 → -12.5 → -13
    expect(npsOf(counts({ 9: 1, 7: 7 })).nps).toBe(13);
    expect(npsOf(counts({ 0: 1, 7: 7 })).nps).toBe(-13);
    // 3 promoters, 2 detractors of 6 → 16.67 → 17
    expect(npsOf(counts({ 10: 3, 3: 2, 8: 1 })).nps).toBe(17);
  });

  it('reports band percentages to one decimal and the 0–10 distribution', () => {
    const tally: SurveyTally = { displays: 5, dismissals: 1, counts: counts({ 10: 1, 8: 1, 2: 1 }), weeks: {}, comments: [] };
    const s = summarize('checkout', tally, T0);
    expect(s.promoters).toEqual({ count: 1, percent: 33.3 });
    expect(s.passives).toEqual({ count: 1, percent: 33.3 });
    expect(s.detractors).toEqual({ count: 1, percent: 33.3 });
    expect(s.nps).toBe(0);
    expect(s.distribution).toEqual(counts({ 10: 1, 8: 1, 2: 1 }));
    expect(s.dismissals).toBe(1);
  });

  it('buckets responses by week (Monday, UTC) and lists the last weeks oldest first, empty ones included', () => {
    expect(weekStart(T0)).toBe('2026-03-02');
    expect(weekStart(new Date('2026-03-08T23:59:59Z'))).toBe('2026-03-02');
    expect(weekStart(new Date('2026-03-09T00:00:00Z'))).toBe('2026-03-09');
    const tally: SurveyTally = {
      displays: 0,
      dismissals: 0,
      counts: counts({ 10: 1, 0: 1 }),
      weeks: { '2026-02-16': counts({ 0: 1 }), '2026-03-02': counts({ 10: 1 }) },
      comments: [],
    };
    const trend = summarize('checkout', tally, T0, 4).trend;
    expect(trend.map((w) => [w.weekStart, w.responses, w.nps])).toEqual([
      ['2026-02-09', 0, null],
      ['2026-02-16', 1, -100],
      ['2026-02-23', 0, null],
      ['2026-03-02', 1, 100],
    ]);
  });
});

describe('eligibility', () => {
  it('waits out the recontact window: hidden at day N−1, shown at day N, whatever survey was shown', () => {
    const s = survey({ recontactDays: 14, maxDisplays: 5 });
    const contact: ContactRecord = { lastShownAt: T0.toISOString(), displays: { other: 1 }, recent: [] };
    expect(eligibility(s, contact, ctx(new Date(T0.getTime() + 13 * DAY)))).toEqual({ show: false, reason: 'recontact' });
    expect(eligibility(s, contact, ctx(new Date(T0.getTime() + 14 * DAY - 1)))).toEqual({ show: false, reason: 'recontact' });
    expect(eligibility(s, contact, ctx(new Date(T0.getTime() + 14 * DAY)))).toEqual({ show: true });
  });

  it('samples about the set share of people, and the same person gets the same answer every time', () => {
    for (const rate of [10, 50]) {
      const s = survey({ samplePercent: rate });
      let shown = 0;
      for (let i = 0; i < 10_000; i++) if (eligibility(s, undefined, ctx(T0, `person-${i}`)).show) shown++;
      expect(Math.abs(shown / 100 - rate)).toBeLessThanOrEqual(2);
    }
    const s = survey({ samplePercent: 50 });
    const answers = new Set(Array.from({ length: 20 }, () => eligibility(s, undefined, ctx(T0, 'c_sticky')).show));
    expect(answers.size).toBe(1);
    expect(sampleBucket('shop_1', 'checkout', 'c_sticky')).toBe(sampleBucket('shop_1', 'checkout', 'c_sticky'));
    expect(eligibility(survey({ samplePercent: 0 }), undefined, ctx(T0)).show).toBe(false);
    expect(eligibility(survey({ samplePercent: 100 }), undefined, ctx(T0)).show).toBe(true);
  });

  it('honours active dates and placement', () => {
    const s = survey({ startsAt: '2026-03-05T00:00:00Z', endsAt: '2026-03-10T00:00:00Z', placement: 'cart' });
    expect(eligibility(s, undefined, ctx(T0))).toEqual({ show: false, reason: 'inactive' });
    const during = new Date('2026-03-06T00:00:00Z');
    expect(eligibility(s, undefined, ctx(during)).show).toBe(true);
    expect(eligibility(s, undefined, { ...ctx(during), placement: 'cart' }).show).toBe(true);
    expect(eligibility(s, undefined, { ...ctx(during), placement: 'post-purchase' })).toEqual({ show: false, reason: 'placement' });
    expect(eligibility(s, undefined, ctx(new Date('2026-03-10T00:00:00Z')))).toEqual({ show: false, reason: 'inactive' });
  });
});

describe('displays, dismissals and the cap', () => {
  it('counts a dismissal toward the cap, and a repeated display changes nothing', () => {
    const s = survey({ recontactDays: 0, maxDisplays: 2 });
    let { contact, tally } = recordDisplay(s, {}, { id: 'display-1' }, ctx(T0));
    const again = recordDisplay(s, { contact, tally }, { id: 'display-1' }, ctx(T0));
    expect(again.contact).toBe(contact);
    ({ contact, tally } = recordDisplay(s, { contact, tally }, { id: 'display-1', dismissed: true }, ctx(T0)));
    expect(tally).toMatchObject({ displays: 1, dismissals: 1 });
    expect(eligibility(s, contact, ctx(T0)).show).toBe(true);
    ({ contact, tally } = recordDisplay(s, { contact, tally }, { id: 'display-2', dismissed: true }, ctx(T0)));
    expect(tally).toMatchObject({ displays: 2, dismissals: 2 });
    expect(eligibility(s, contact, ctx(T0))).toEqual({ show: false, reason: 'cap' });
    expect(statusOf(() => recordDisplay(s, { contact, tally }, { id: 'display-3' }, ctx(T0)))).toBe(409);
  });

  it('refuses a new display inside the recontact window (two tabs cannot both show it)', () => {
    const s = survey({ recontactDays: 7, maxDisplays: 10 });
    const first = recordDisplay(s, {}, { id: 'display-1' }, ctx(T0));
    expect(statusOf(() => recordDisplay(s, first, { id: 'display-2' }, ctx(new Date(T0.getTime() + 6 * DAY))))).toBe(409);
    expect(recordDisplay(s, first, { id: 'display-2' }, ctx(new Date(T0.getTime() + 7 * DAY))).tally.displays).toBe(2);
  });
});

describe('responses', () => {
  const s = survey();
  const shown = recordDisplay(s, {}, { id: 'display-1' }, ctx(T0));

  it('takes one response per display; the same one again is a duplicate that counts once', () => {
    const input = { id: 'response-1', displayId: 'display-1', score: 9, comment: '  <b>great</b>  ' };
    const first = recordResponse(s, shown, input, T0);
    expect(first.response).toMatchObject({ status: 'accepted', band: 'promoter', score: 9 });
    expect(first.tally.counts[9]).toBe(1);
    expect(first.tally.comments[0]).toMatchObject({ comment: '<b>great</b>', score: 9 });
    const replay = recordResponse(s, first, input, new Date(T0.getTime() + DAY));
    expect(replay.response).toMatchObject({ status: 'duplicate', respondedAt: T0.toISOString() });
    expect(replay.tally).toBe(first.tally);
    expect(statusOf(() => recordResponse(s, first, { ...input, id: 'response-2' }, T0))).toBe(409);
    expect(statusOf(() => recordResponse(s, first, { ...input, score: 3 }, T0))).toBe(409);
  });

  it('refuses an answer to a display this person never had, or dismissed', () => {
    expect(statusOf(() => recordResponse(s, shown, { id: 'response-1', displayId: 'display-x', score: 5 }, T0))).toBe(404);
    expect(statusOf(() => recordResponse(s, {}, { id: 'response-1', displayId: 'display-1', score: 5 }, T0))).toBe(404);
    const dismissed = recordDisplay(s, shown, { id: 'display-1', dismissed: true }, ctx(T0));
    expect(statusOf(() => recordResponse(s, dismissed, { id: 'response-1', displayId: 'display-1', score: 5 }, T0))).toBe(409);
  });
});

describe('what is kept', () => {
  it('keeps the latest comments and displays only, and every score as a count', () => {
    const s = survey({ recontactDays: 0, maxDisplays: 100 });
    let tally: SurveyTally | undefined;
    const total = MAX_COMMENTS + 5;
    // One person answers once per survey: every answer here is another person's; they share the tally.
    for (let i = 0; i < total; i++) {
      const at = new Date(T0.getTime() + i * 1000);
      const shown = recordDisplay(s, { contact: undefined, tally }, { id: `display-${i}` }, ctx(at, `person-${i}`));
      tally = recordResponse(s, shown, { id: `response-${i}`, displayId: `display-${i}`, score: i % 11, comment: `c${i}` }, at).tally;
    }
    // One person shown the survey again and again keeps only their latest displays.
    let contact: ContactRecord | undefined;
    for (let i = 0; i < 50; i++) contact = recordDisplay(s, { contact, tally }, { id: `again-${i}` }, ctx(new Date(T0.getTime() + i * 1000), 'person-x')).contact;
    expect(tally!.comments).toHaveLength(MAX_COMMENTS);
    expect(tally!.comments[0]!.comment).toBe(`c${total - 1}`);
    expect(contact!.recent).toHaveLength(MAX_RECENT_DISPLAYS);
    expect(contact!.displays.checkout).toBe(50);
    expect(tally!.counts.reduce((a, b) => a + b)).toBe(total);
  });

  it('one response per person and survey: a second display answered is a 409', () => {
    const s = survey({ recontactDays: 0, maxDisplays: 5 });
    const first = recordDisplay(s, {}, { id: 'd1' }, ctx(T0, 'person-1'));
    const answered = recordResponse(s, first, { id: 'r1', displayId: 'd1', score: 9 }, T0);
    const again = recordDisplay(s, answered, { id: 'd2' }, ctx(T0, 'person-1'));
    expect(() => recordResponse(s, again, { id: 'r2', displayId: 'd2', score: 0 }, T0)).toThrow(/already answered this survey/);
  });
});
