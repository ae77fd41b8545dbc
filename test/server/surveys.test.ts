// /v1/surveys over real HTTP, a real lowdb file and an injected clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityHeaders, startTestServer, type TestServer } from '../helpers/server.js';

const DAY = 86_400_000;
let clock = new Date('2026-03-04T10:00:00Z');
let t: TestServer;

const SURVEY = {
  question: { en: 'How likely are you to recommend us to a friend?', fr: 'Nous recommanderiez-vous ?' },
  followUps: { detractor: { en: 'What went wrong?' } },
  placement: 'cart',
  samplePercent: 100,
  recontactDays: 30,
  maxDisplays: 2,
  recordEvent: true,
};

beforeAll(async () => {
  t = await startTestServer({ now: () => clock });
  const put = await t.call('/v1/surveys/checkout', { method: 'PUT', key: t.shop.secretKey, body: SURVEY });
  expect(put.status).toBe(201);
  await t.call('/v1/badges/voice', {
    method: 'PUT',
    key: t.shop.secretKey,
    body: { name: 'Your voice counts', criteria: { event: 'survey_response', count: 1 } },
  });
});
afterAll(() => t.dispose());

async function problem(response: Response) {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return response.json();
}
const pointers = (body: { errors?: { pointer: string }[] }) => body.errors?.map((e) => e.pointer);

const pk = (customerId: string) => ({ key: t.shop.publishableKey, headers: identityHeaders(t.shop, customerId) });
const anon = (anonymousId: string) => ({ key: t.shop.publishableKey, headers: { 'x-kudos-anonymous-id': anonymousId } });

async function showTo(as: { key: string; headers: Record<string, string> }, displayId: string) {
  const eligible = await (await t.call('/v1/surveys/checkout/eligibility?placement=cart', as)).json();
  expect(eligible.show).toBe(true);
  const display = await t.call('/v1/surveys/checkout/displays', { ...as, body: { id: displayId } });
  expect(display.status).toBe(200);
}

describe('survey setup', () => {
  it('needs the secret key to write, and gives a publishable key only the parts a page renders', async () => {
    const write = await t.call('/v1/surveys/sneaky', { method: 'PUT', key: t.shop.publishableKey, body: SURVEY });
    expect(write.status).toBe(403);
    const full = await (await t.call('/v1/surveys/checkout', { key: t.shop.secretKey })).json();
    expect(full).toMatchObject({ id: 'checkout', samplePercent: 100, recontactDays: 30, maxDisplays: 2 });
    const visible = await (await t.call('/v1/surveys/checkout', { key: t.shop.publishableKey })).json();
    expect(Object.keys(visible).sort()).toEqual(['followUps', 'id', 'placement', 'question']);
  });

  it('validates the definition with pointers', async () => {
    const response = await t.call('/v1/surveys/bad', {
      method: 'PUT',
      key: t.shop.secretKey,
      body: { question: {}, placement: 'footer', samplePercent: 120, surprise: 1 },
    });
    expect(response.status).toBe(400);
    expect(pointers(await problem(response))).toEqual(
      expect.arrayContaining(['/question', '/placement', '/samplePercent', '/surprise']),
    );
  });

  it("keeps shops apart: another shop's survey is 404 for every route", async () => {
    const other = { key: t.otherShop.publishableKey, headers: identityHeaders(t.otherShop, 'c_1') };
    expect((await t.call('/v1/surveys/checkout', { key: t.otherShop.secretKey })).status).toBe(404);
    expect((await t.call('/v1/surveys/checkout/eligibility', other)).status).toBe(404);
    expect((await t.call('/v1/surveys/checkout/displays', { ...other, body: { id: 'display-other' } })).status).toBe(404);
    expect((await t.call('/v1/surveys/checkout/summary', { key: t.otherShop.secretKey })).status).toBe(404);
  });
});

describe('eligibility and displays', () => {
  it('needs a verified identity or an anonymous id; a forged hash is 403', async () => {
    expect((await t.call('/v1/surveys/checkout/eligibility', { key: t.shop.publishableKey })).status).toBe(403);
    const forged = { key: t.shop.publishableKey, headers: { 'x-kudos-customer': 'c_1', 'x-kudos-customer-hash': 'ab'.repeat(32) } };
    expect((await t.call('/v1/surveys/checkout/eligibility', forged)).status).toBe(403);
    expect((await t.call('/v1/surveys/checkout/eligibility', { key: 'pk_unknown' })).status).toBe(401);
  });

  it('shows once, then nothing inside the recontact window, then again after it (up to the cap)', async () => {
    const as = pk('c_window');
    await showTo(as, 'display-w1');
    const inside = await (await t.call('/v1/surveys/checkout/eligibility?placement=cart', as)).json();
    expect(inside).toEqual({ show: false, reason: 'recontact' });
    const refused = await t.call('/v1/surveys/checkout/displays', { ...as, body: { id: 'display-w2' } });
    expect(refused.status).toBe(409);
    const start = clock;
    try {
      clock = new Date(start.getTime() + 30 * DAY);
      await showTo(as, 'display-w2');
      expect((await (await t.call('/v1/surveys/checkout/eligibility', as)).json()).reason).toBe('cap');
    } finally {
      clock = start;
    }
  });

  it('answers show: false for another placement', async () => {
    const body = await (await t.call('/v1/surveys/checkout/eligibility?placement=post-purchase', pk('c_place'))).json();
    expect(body).toEqual({ show: false, reason: 'placement' });
    expect((await t.call('/v1/surveys/checkout/eligibility?placement=footer', pk('c_place'))).status).toBe(400);
  });

  it('records a dismissal of a display, once', async () => {
    const as = anon('anon-dismiss-1');
    await showTo(as, 'display-d1');
    const before = await (await t.call('/v1/surveys/checkout/summary', { key: t.shop.secretKey })).json();
    for (let i = 0; i < 2; i++) {
      const r = await t.call('/v1/surveys/checkout/displays', { ...as, body: { id: 'display-d1', dismissed: true } });
      expect(r.status).toBe(200);
      expect((await r.json()).dismissedAt).toBeTruthy();
    }
    const after = await (await t.call('/v1/surveys/checkout/summary', { key: t.shop.secretKey })).json();
    expect(after.dismissals).toBe(before.dismissals + 1);
    expect(after.responses).toBe(before.responses);
  });
});

describe('responses', () => {
  const respond = (as: { key: string; headers: Record<string, string> }, body: unknown) =>
    t.call('/v1/surveys/checkout/responses', { ...as, body });

  it('rejects scores that are not integers 0–10, and a missing score, with pointers', async () => {
    const as = pk('c_invalid');
    await showTo(as, 'display-i1');
    for (const score of [11, 3.5, '9', -1, null]) {
      const response = await respond(as, { id: 'response-i1', displayId: 'display-i1', score });
      expect(response.status, `score ${JSON.stringify(score)}`).toBe(400);
      expect(pointers(await problem(response))).toEqual(['/score']);
    }
    const missing = await respond(as, { id: 'response-i1', displayId: 'display-i1' });
    expect(await problem(missing)).toMatchObject({ status: 400, errors: [{ pointer: '/score', detail: 'required' }] });
    const long = await respond(as, { id: 'response-i1', displayId: 'display-i1', score: 5, comment: 'x'.repeat(1001) });
    expect(pointers(await problem(long))).toEqual(['/comment']);
    const summary = await (await t.call('/v1/surveys/checkout/summary', { key: t.shop.secretKey })).json();
    expect(summary.distribution[11]).toBeUndefined();
  });

  it('records a response once, replays idempotently, and feeds survey_response to the badges', async () => {
    const as = pk('c_answer');
    await showTo(as, 'display-a1');
    const body = { id: 'response-a1', displayId: 'display-a1', score: 10, comment: '<img src=x onerror=alert(1)>', orderId: 'o-1', cartValue: 42, currency: 'EUR' };
    const first = await respond(as, body);
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ status: 'accepted', band: 'promoter', awards: [{ kind: 'badge', id: 'voice' }] });
    const replay = await respond(as, body);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ status: 'duplicate', awards: [{ id: 'voice' }] });
    const second = await respond(as, { ...body, id: 'response-a2' });
    expect(second.status).toBe(409);

    const summary = await (await t.call('/v1/surveys/checkout/summary', { key: t.shop.secretKey })).json();
    expect(summary.distribution[10]).toBe(1);
    expect(summary.comments[0]).toEqual({ score: 10, comment: '<img src=x onerror=alert(1)>', at: clock.toISOString(), orderId: 'o-1' });
    const state = await (await t.call('/v1/customers/c_answer', { key: t.shop.secretKey })).json();
    expect(state.badges.map((b: { id: string }) => b.id)).toEqual(['voice']);
  });

  it('refuses an answer to a display that is not this person’s', async () => {
    const response = await respond(pk('c_stranger'), { id: 'response-s1', displayId: 'display-a1', score: 3 });
    expect(response.status).toBe(404);
  });

  it('summarises with NPS, bands, distribution and a weekly trend (secret key only)', async () => {
    expect((await t.call('/v1/surveys/checkout/summary', { key: t.shop.publishableKey })).status).toBe(403);
    const as = anon('anon-detractor');
    await showTo(as, 'display-x1');
    expect((await respond(as, { id: 'response-x1', displayId: 'display-x1', score: 6 })).status).toBe(201);
    const summary = await (await t.call('/v1/surveys/checkout/summary?weeks=2', { key: t.shop.secretKey })).json();
    expect(summary).toMatchObject({
      responses: 2,
      promoters: { count: 1, percent: 50 },
      passives: { count: 0, percent: 0 },
      detractors: { count: 1, percent: 50 },
      nps: 0,
    });
    expect(summary.trend).toEqual([
      { weekStart: '2026-02-23', responses: 0, promoters: 0, passives: 0, detractors: 0, nps: null },
      { weekStart: '2026-03-02', responses: 2, promoters: 1, passives: 0, detractors: 1, nps: 0 },
    ]);
    expect((await t.call('/v1/surveys/checkout/summary?weeks=0', { key: t.shop.secretKey })).status).toBe(400);
  });
});

describe('points for answering', () => {
  it('grants the program’s points for survey_response once, replays included', async () => {
    const program = await t.call('/v1/program', {
      method: 'PUT',
      key: t.shop.secretKey,
      body: { earn: [{ event: 'survey_response', points: 20, cap: { perDay: 1, target: 'surveyId' } }] },
    });
    expect(program.status).toBeLessThan(300);
    const as = pk('c_points');
    await showTo(as, 'display-p1');
    const body = { id: 'response-p1', displayId: 'display-p1', score: 8 };
    for (let i = 0; i < 2; i++) {
      expect((await t.call('/v1/surveys/checkout/responses', { ...as, body })).ok).toBe(true);
    }
    const state = await (await t.call('/v1/customers/c_points', { key: t.shop.secretKey })).json();
    expect(state.points).toBe(20);
  });
});

describe('under concurrency', () => {
  it('records at most maxDisplays displays when many tabs ask at once', async () => {
    await t.call('/v1/surveys/once', {
      method: 'PUT',
      key: t.shop.secretKey,
      body: { question: { en: 'Once?' }, maxDisplays: 1, recontactDays: 0 },
    });
    const as = pk('c_tabs');
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => t.call('/v1/surveys/once/displays', { ...as, body: { id: `display-tab-${i}` } })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    const summary = await (await t.call('/v1/surveys/once/summary', { key: t.shop.secretKey })).json();
    expect(summary.displays).toBe(1);
  });
});
