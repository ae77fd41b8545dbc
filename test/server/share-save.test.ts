// Share-to-save over HTTP: a real server on port 0, a real lowdb file, an
// injected clock, predictable codes and tight velocity limits.
import { openText } from '../../server/access/seal.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VelocityLimits } from '../../server/http/velocity.js';
import { DELIVERIES } from '../../server/webhooks/outbox.js';
import type { Shop } from '../../server/store/store.js';
import { appHarness, type AppHarness } from '../helpers/app-harness.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const HOUR = 3_600_000;
const DUO = {
  name: 'Bring a friend',
  scope: { kind: 'product', productId: 'mug' },
  tiers: [
    { members: 2, percentOff: 10 },
    { members: 3, percentOff: 15 },
  ],
  windowHours: 24,
  maxMembers: 60,
  codes: { issuer: 'kudos', prefix: 'SAVE-' },
};

type Harness = AppHarness;

async function harness(limits: Partial<VelocityLimits> = {}): Promise<Harness> {
  let n = 0;
  // Predictable codes: a counter spelled in the code alphabet.
  const random = (alphabet: string, size: number) => {
    let x = ++n;
    let s = '';
    for (let i = 0; i < size; i++, x = Math.floor(x / alphabet.length)) s = alphabet[x % alphabet.length] + s;
    return s;
  };
  return appHarness({ t0: T0, shop: { name: 'Mugs', origins: ['https://mugs.example'] }, app: { shareSave: { limits, random } } });
}

async function problem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return response.json();
}

let h: Harness;
const setup = async (limits?: Partial<VelocityLimits>, campaign: object = DUO) => {
  h = await harness(limits);
  const put = await h.call('/v1/campaigns/duo', { method: 'PUT', key: h.shop.secretKey, body: campaign });
  expect(put.status).toBe(201);
};
const start = async (as = 'owner', body: object = { campaign: 'duo' }) => {
  const r = await h.call('/v1/groups', { as, body });
  expect(r.status).toBe(201);
  return r.json();
};
const join = (code: string, as?: string, shop?: Shop) => h.call(`/v1/groups/${code}/join`, { method: 'POST', as, shop });

afterEach(async () => {
  await h?.close();
});

describe('campaign config', () => {
  beforeEach(() => setup());

  it('needs the secret key to write; validates with pointers; replaces with 200', async () => {
    const pk = await h.call('/v1/campaigns/duo', { method: 'PUT', body: DUO });
    await problem(pk, 403);
    const bad = await problem(
      await h.call('/v1/campaigns/duo', { method: 'PUT', key: h.shop.secretKey, body: { ...DUO, tiers: [{ members: 1, percentOff: 10 }], surprise: 1 } }),
      400,
    );
    expect(bad.errors.map((e: { pointer: string }) => e.pointer)).toEqual(expect.arrayContaining(['/tiers/0/members', '/surprise']));
    const again = await h.call('/v1/campaigns/duo', { method: 'PUT', key: h.shop.secretKey, body: { ...DUO, name: 'Duo' } });
    expect(again.status).toBe(200);
  });

  it('shows the public offer to the publishable key, the full campaign to the secret key, 404 to another shop', async () => {
    const pub = await (await h.call('/v1/campaigns/duo')).json();
    expect(pub).toMatchObject({ id: 'duo', tiers: DUO.tiers, windowHours: 24, active: true });
    expect(pub.codes).toBeUndefined();
    expect(pub.maxOpenGroupsPerCustomer).toBeUndefined();
    expect((await (await h.call('/v1/campaigns/duo', { key: h.shop.secretKey })).json()).codes).toEqual(DUO.codes);
    await problem(await h.call('/v1/campaigns/duo', { shop: h.other }), 404);
  });
});

describe('groups: the two-shopper flow', () => {
  beforeEach(() => setup());

  it('starts a group with an unguessable code and a share link, joins, unlocks distinct codes only their owners see', async () => {
    const started = await start('owner', { campaign: 'duo', productId: 'mug', pageUrl: 'https://mugs.example/p/mug?x=1#top' });
    expect(started).toMatchObject({ status: 'open', members: 1, nextTier: { members: 2, percentOff: 10, needed: 1 } });
    expect(started.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{12}$/);
    expect(started.shareUrl).toBe(`https://mugs.example/p/mug?x=1&kudos_group=${started.code}`);
    expect(started.expiresAt).toBe(new Date(T0 + 24 * HOUR).toISOString());

    const joined = await join(started.code, 'friend');
    expect(joined.status).toBe(200);
    const friend = await joined.json();
    expect(friend).toMatchObject({ status: 'unlocked', members: 2, tier: { percentOff: 10 }, you: { role: 'member', percentOff: 10 } });
    expect(friend.you.discountCode).toMatch(new RegExp(`^SAVE-${started.code}-`));

    const owner = await (await h.call(`/v1/groups/${started.code}`, { as: 'owner' })).json();
    expect(owner.you).toMatchObject({ role: 'owner', percentOff: 10 });
    expect(owner.you.discountCode).not.toBe(friend.you.discountCode);

    const stranger = await (await h.call(`/v1/groups/${started.code}`)).json();
    expect(stranger).toMatchObject({ members: 2, status: 'unlocked' });
    expect(stranger.you).toBeUndefined();
    expect(JSON.stringify(stranger)).not.toMatch(/friend|owner"|SAVE-/);
  });

  it('records group.* events for the acting customer, so badges can reward them', async () => {
    await h.call('/v1/badges/connector', {
      method: 'PUT',
      key: h.shop.secretKey,
      body: { name: 'Connector', criteria: { event: 'group.unlocked', count: 1 } },
    });
    const { code } = await start();
    await join(code, 'friend');
    const friend = await (await h.call('/v1/customers/friend', { key: h.shop.secretKey })).json();
    expect(friend.badges.map((b: { id: string }) => b.id)).toEqual(['connector']);
    const record = await h.store.getCustomer(h.shop.id, 'owner');
    expect(record?.stats['group.created']?.count).toBe(1);
    expect((await h.store.getCustomer(h.shop.id, 'friend'))?.stats['group.joined']?.count).toBe(1);
  });

  it('upgrades both earlier members when the third joins', async () => {
    const { code } = await start();
    const first = await (await join(code, 'a')).json();
    const third = await (await join(code, 'b')).json();
    expect(third).toMatchObject({ tier: { percentOff: 15 }, you: { percentOff: 15 }, nextTier: null });
    const a = await (await h.call(`/v1/groups/${code}`, { as: 'a' })).json();
    expect(a.you.percentOff).toBe(15);
    expect(a.you.discountCode).not.toBe(first.you.discountCode);
  });

  it('unlocks exactly once when 50 people join at the same moment', async () => {
    const { code } = await start();
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => join(code, `racer-${i}`)));
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(200));
    const view = await (await h.call(`/v1/groups/${code}`, { key: h.shop.secretKey })).json();
    expect(view.members).toBe(51);
    const customers = await Promise.all(Array.from({ length: 50 }, (_, i) => h.store.getCustomer(h.shop.id, `racer-${i}`)));
    const unlockedBy = customers.filter((c) => c?.stats['group.unlocked']);
    const upgradedBy = customers.filter((c) => c?.stats['group.upgraded']);
    expect(unlockedBy).toHaveLength(1);
    expect(upgradedBy).toHaveLength(1);
    const codes = await Promise.all(
      ['owner', ...Array.from({ length: 50 }, (_, i) => `racer-${i}`)].map(async (who) => (await (await h.call(`/v1/groups/${code}`, { as: who })).json()).you),
    );
    expect(codes.every((y) => y.percentOff === 15)).toBe(true);
    expect(new Set(codes.map((y) => y.discountCode)).size).toBe(51);
  });

  it('closes at the deadline: a join 1 ms before counts, one at the deadline is 410; an empty group expires once', async () => {
    const { code, expiresAt } = await start();
    h.clock.t = Date.parse(expiresAt) - 1;
    expect((await join(code, 'just-in-time')).status).toBe(200);
    const late = await start('owner2');
    h.clock.t = Date.parse(late.expiresAt);
    expect((await problem(await join(late.code, 'too-late'), 410)).type).toMatch(/group-window-over/);
    expect((await (await h.call(`/v1/groups/${late.code}`)).json()).status).toBe('expired');
    await h.call(`/v1/groups/${late.code}`);
    expect((await h.store.getCustomer(h.shop.id, 'owner2'))?.stats['group.expired']?.count).toBe(1);
    expect((await (await h.call(`/v1/groups/${code}`, { as: 'just-in-time' })).json()).status).toBe('closed');
  });

  it('attributes a purchase with a member’s code to the group and spends the code once', async () => {
    const { code } = await start();
    const friend = await (await join(code, 'friend')).json();
    const purchase = (id: string, orderId: string) =>
      h.call('/v1/events', {
        key: h.shop.secretKey,
        body: { id, type: 'purchase', customerId: 'friend', properties: { orderId, total: 20, currency: 'EUR', discountCode: friend.you.discountCode } },
      });
    expect((await purchase('p1', 'o1')).status).toBe(200);
    expect((await (await h.call(`/v1/groups/${code}`, { as: 'friend' })).json()).you.used).toBe(true);
    expect((await h.store.getCustomer(h.shop.id, 'friend'))?.stats['group.order']).toMatchObject({ count: 1, sums: { total: 20 } });
    await purchase('p2', 'o2');
    expect((await h.store.getCustomer(h.shop.id, 'friend'))?.stats['group.order']?.count).toBe(1);
  });
});

describe('groups: auth matrix and abuse rules', () => {
  beforeEach(() => setup({ createPerIp: { limit: 6, windowMs: 60_000 }, joinPerIp: { limit: 8, windowMs: 60_000 } }));

  it('needs a key (401), a verified identity (403 for anonymous or a forged hash)', async () => {
    const noKey = await fetch(`${h.url}/v1/groups`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"campaign":"duo"}' });
    await problem(noKey, 401);
    await problem(await h.call('/v1/groups', { body: { campaign: 'duo' } }), 403);
    await problem(await h.call('/v1/groups', { body: { campaign: 'duo' }, headers: { 'x-kudos-anonymous-id': 'anon-12345678' } }), 403);
    const forged = { 'x-kudos-customer': 'owner', 'x-kudos-customer-hash': 'a'.repeat(64) };
    await problem(await h.call('/v1/groups', { body: { campaign: 'duo' }, headers: forged }), 403);
    const { code } = await start();
    await problem(await h.call(`/v1/groups/${code}/join`, { method: 'POST', headers: { 'x-kudos-anonymous-id': 'anon-12345678' } }), 403);
  });

  it('validates the body with pointers and keeps shops apart (404)', async () => {
    const bad = await problem(await h.call('/v1/groups', { as: 'o', body: { campaign: 'duo', productId: 'teapot', extra: 1 } }), 400);
    expect(bad.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/extra']);
    const wrongProduct = await problem(await h.call('/v1/groups', { as: 'o', body: { campaign: 'duo', productId: 'teapot' } }), 400);
    expect(wrongProduct.errors[0].pointer).toBe('/productId');
    const offSite = await problem(await h.call('/v1/groups', { as: 'o', body: { campaign: 'duo', pageUrl: 'https://evil.example/' } }), 400);
    expect(offSite.errors[0].pointer).toBe('/pageUrl');
    await problem(await h.call('/v1/groups', { as: 'o', body: { campaign: 'nope' } }), 404);
    const { code } = await start();
    await problem(await h.call(`/v1/groups/${code}`, { shop: h.other }), 404);
    await problem(await join(code, 'x', h.other), 404);
    await problem(await h.call('/v1/groups/not-a-code'), 400);
    const extra = await problem(await h.call(`/v1/groups/${code}/join`, { as: 'x', body: { extra: 1 } }), 400);
    expect(extra.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/extra']);
  });

  it('one membership per identity, the owner cannot join', async () => {
    const { code } = await start();
    expect((await problem(await join(code, 'owner'), 409)).detail).toMatch(/started this group/);
    expect((await join(code, 'friend')).status).toBe(200);
    await problem(await join(code, 'friend'), 409);
  });

  it('refuses returning customers when the campaign is for new customers only', async () => {
    await h.call('/v1/campaigns/newbies', { method: 'PUT', key: h.shop.secretKey, body: { ...DUO, newCustomersOnly: true } });
    await h.call('/v1/events', {
      key: h.shop.secretKey,
      body: { id: 'buy-1', type: 'purchase', customerId: 'regular', properties: { orderId: 'o-1', total: 5, currency: 'EUR' } },
    });
    const { code } = await start('owner', { campaign: 'newbies' });
    expect((await problem(await join(code, 'regular'), 403)).type).toMatch(/new-customers-only/);
    expect((await join(code, 'newcomer')).status).toBe(200);
  });

  it('caps open groups per customer per campaign (409)', async () => {
    await h.call('/v1/campaigns/solo', { method: 'PUT', key: h.shop.secretKey, body: { ...DUO, maxOpenGroupsPerCustomer: 1 } });
    await start('busy', { campaign: 'solo' });
    expect((await problem(await h.call('/v1/groups', { as: 'busy', body: { campaign: 'solo' } }), 409)).type).toMatch(/too-many-open-groups/);
  });

  it('limits group creation and joins per IP (429 with Retry-After), counting refused attempts too', async () => {
    for (let i = 0; i < 6; i++) await h.call('/v1/groups', { as: `c${i}`, body: { campaign: 'duo' } });
    const limited = await h.call('/v1/groups', { as: 'c7', body: { campaign: 'duo' } });
    await problem(limited, 429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    h.clock.t += 60_000;
    expect((await h.call('/v1/groups', { as: 'c7', body: { campaign: 'duo' } })).status).toBe(201);

    for (let i = 0; i < 8; i++) await join('ZZZZZZZZZZZZ', `guess${i}`);
    await problem(await join('ZZZZZZZZZZZZ', 'guess9'), 429);
  });
});

describe('groups: per-shop velocity', () => {
  beforeEach(() => setup({ joinPerShop: { limit: 3, windowMs: 60_000 } }));

  it('limits joins per shop across every IP', async () => {
    const { code } = await start();
    for (const who of ['a', 'b', 'c']) expect((await join(code, who)).status).toBe(200);
    await problem(await join(code, 'd'), 429);
  });
});

describe('groups: codes the shop issues', () => {
  const SHOP_CODES = { ...DUO, codes: { issuer: 'shop' } };
  beforeEach(() => setup({}, SHOP_CODES));
  const supply = (code: string, who: string, body: object, key = h.shop.secretKey, shop?: Shop) =>
    h.call(`/v1/groups/${code}/members/${who}/discount-code`, { method: 'PUT', key, body, shop });

  it('tells the shop whose codes to make, shows members "on its way", then the code the shop supplied', async () => {
    const hook = await h.call('/v1/webhooks/backend', {
      method: 'PUT',
      key: h.shop.secretKey,
      body: { url: 'https://backend.mugs.example/kudos', events: ['group.codes_needed'] },
    });
    expect(hook.status).toBe(201);
    const { code } = await start();
    const friend = await (await join(code, 'friend')).json();
    expect(friend).toMatchObject({ status: 'unlocked', you: { percentOff: 10, discountCode: null, codePending: true } });

    const { data: pending } = await (await h.call('/v1/webhooks/backend/deliveries', { key: h.shop.secretKey })).json();
    expect(pending.map((d: { type: string }) => d.type)).toEqual(['group.codes_needed']);
    const delivery = (await h.store.listDocuments<{ body: string }>(h.shop.id, DELIVERIES))[0]!;
    expect(JSON.parse(openText(delivery.body)).data).toMatchObject({ group: code, percentOff: 10, customers: ['owner', 'friend'] });
    const members = await (await h.call(`/v1/groups/${code}/members`, { key: h.shop.secretKey })).json();
    expect(members).toEqual([
      expect.objectContaining({ customerId: 'owner', role: 'owner', percentOff: 10, codePending: true, discountCode: null }),
      expect.objectContaining({ customerId: 'friend', role: 'member', percentOff: 10, codePending: true, discountCode: null }),
    ]);

    const supplied = await supply(code, 'friend', { discountCode: 'SHOPIFY-AB12', percentOff: 10 });
    expect(supplied.status).toBe(200);
    expect(await supplied.json()).toMatchObject({ customerId: 'friend', discountCode: 'SHOPIFY-AB12', codePending: false });
    // Retried by the backend: same answer, nothing changes.
    expect((await supply(code, 'friend', { discountCode: 'SHOPIFY-AB12', percentOff: 10 })).status).toBe(200);
    expect((await (await h.call(`/v1/groups/${code}`, { as: 'friend' })).json()).you).toMatchObject({
      discountCode: 'SHOPIFY-AB12',
      codePending: false,
    });
    // Only its member sees it.
    expect(JSON.stringify(await (await h.call(`/v1/groups/${code}`, { as: 'owner' })).json())).not.toContain('SHOPIFY-AB12');
  });

  it('refuses a code for a discount the member is no longer due, a code given to another member, and a second code', async () => {
    const { code } = await start();
    await join(code, 'a');
    expect((await supply(code, 'a', { discountCode: 'TEN-A', percentOff: 10 })).status).toBe(200);
    await join(code, 'b'); // third member: the group moves to −15 %, unspent −10 % codes are replaced
    expect((await (await h.call(`/v1/groups/${code}`, { as: 'a' })).json()).you).toMatchObject({ percentOff: 15, codePending: true });
    const stale = await problem(await supply(code, 'b', { discountCode: 'TEN-B', percentOff: 10 }), 409);
    expect(stale.type).toMatch(/code-not-due/);
    expect(stale.detail).toMatch(/15/);
    expect((await supply(code, 'b', { discountCode: 'FIFTEEN-B', percentOff: 15 })).status).toBe(200);
    expect((await problem(await supply(code, 'a', { discountCode: 'FIFTEEN-B', percentOff: 15 }), 409)).type).toMatch(/code-in-use/);
    expect((await problem(await supply(code, 'b', { discountCode: 'FIFTEEN-B2', percentOff: 15 }), 409)).type).toMatch(/code-not-due/);
    // A code the shop gave in one group cannot be handed out again in another.
    const second = await start('owner2');
    await join(second.code, 'c');
    expect((await problem(await supply(second.code, 'c', { discountCode: 'FIFTEEN-B', percentOff: 10 }), 409)).type).toMatch(/code-in-use/);
  });

  it('needs the secret key, validates with pointers, and keeps shops apart', async () => {
    const { code } = await start();
    await join(code, 'friend');
    await problem(await supply(code, 'friend', { discountCode: 'X-123', percentOff: 10 }, h.shop.publishableKey), 403);
    await problem(await h.call(`/v1/groups/${code}/members`), 403);
    const bad = await problem(await supply(code, 'friend', { discountCode: 'no spaces', percentOff: 10, extra: 1 }), 400);
    expect(bad.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/discountCode', '/extra']);
    await problem(await supply(code, 'stranger', { discountCode: 'X-123', percentOff: 10 }), 404);
    await problem(await supply(code, 'friend', { discountCode: 'X-123', percentOff: 10 }, h.other.secretKey, h.other), 404);
    await problem(await h.call(`/v1/groups/${code}/members`, { key: h.other.secretKey, shop: h.other }), 404);
  });

  it('attributes a purchase spending a supplied code to its group, once', async () => {
    const { code } = await start();
    await join(code, 'friend');
    await supply(code, 'friend', { discountCode: 'SPRING-7', percentOff: 10 });
    const purchase = (id: string, orderId: string) =>
      h.call('/v1/events', {
        key: h.shop.secretKey,
        body: { id, type: 'purchase', customerId: 'friend', properties: { orderId, total: 30, currency: 'EUR', discountCode: 'SPRING-7' } },
      });
    expect((await purchase('p1', 'o1')).status).toBe(200);
    await purchase('p2', 'o2');
    expect((await h.store.getCustomer(h.shop.id, 'friend'))?.stats['group.order']).toMatchObject({ count: 1, sums: { total: 30 } });
    expect((await (await h.call(`/v1/groups/${code}`, { as: 'friend' })).json()).you).toMatchObject({ used: true, codePending: false });
  });
});
