// Signed outgoing webhooks (outbox, retries, restart, rotation, SSRF) and signed
// orders in. Receivers are real HTTP servers on 127.0.0.1; the worker runs on
// an injected clock and a timer that never fires, so each pass is explicit.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyWebhook, webhookTestHeader } from '../../sdk/node.js';
import { guardedLookup } from '../../server/webhooks/ssrf.js';
import { DELIVERIES } from '../../server/webhooks/outbox.js';
import { identityHeaders, purchase, startTestServer, type TestServer } from '../helpers/server.js';

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: { id: string; type: string; createdAt: string; shopId: string; data: Record<string, any> };
}

interface Receiver {
  url: string;
  received: Received[];
  /** Statuses to answer, in order; 200 once they run out. */
  answers: number[];
  /** Resolves when `count` requests have arrived. */
  waitFor(count: number): Promise<Received[]>;
  close(): Promise<void>;
}

async function receiver(answers: number[] = []): Promise<Receiver> {
  const received: Received[] = [];
  let waiters: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, raw, body: JSON.parse(raw) });
      res.statusCode = answers.shift() ?? 200;
      res.end();
      waiters.forEach((w) => w());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    answers,
    waitFor: (count) =>
      new Promise((resolve) => {
        const check = () => {
          if (received.length >= count) {
            waiters = waiters.filter((w) => w !== check);
            resolve(received);
          }
        };
        waiters.push(check);
        check();
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const neverFires = { set: () => 0, clear: () => {} };
let clock = new Date('2026-03-02T10:00:00.000Z');
const now = () => clock;
const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));

let t: TestServer;
const sk = () => t.shop.secretKey;
const runDue = () => t.server.webhooks.runDue();
const receivers: Receiver[] = [];
const newReceiver = async (answers?: number[]) => {
  const r = await receiver(answers);
  receivers.push(r);
  return r;
};
/** Verifies with the `standardwebhooks` library (it reads Date.now for the tolerance, so pinned to the test clock). */
function standardVerify(hit: Received, secret: string, raw = hit.raw): boolean {
  vi.useFakeTimers({ toFake: ['Date'], now: clock });
  try {
    new Webhook(secret).verify(raw, hit.headers as Record<string, string>);
    return true;
  } catch {
    return false;
  } finally {
    vi.useRealTimers();
  }
}
const putEndpoint = (id: string, body: object, key = sk()) => t.call(`/v1/webhooks/${id}`, { method: 'PUT', key, body });

beforeAll(async () => {
  t = await startTestServer({ now, webhooks: { allowPrivate: true, timer: neverFires, random: () => 0.5 } });
  await t.call('/v1/badges/first', { method: 'PUT', key: sk(), body: { name: 'First order', criteria: { event: 'purchase', count: 1 }, onRefund: 'revoke' } });
  await t.call('/v1/program', { method: 'PUT', key: sk(), body: { earn: [{ event: 'purchase', points: 1, per: 'total' }] } });
});
afterAll(async () => {
  await t.dispose();
  await Promise.all(receivers.map((r) => r.close()));
});

describe('a shop receives signed webhooks', () => {
  it('delivers a signed award.created after a purchase earns a badge, and shows the secret only once', async () => {
    const r = await newReceiver();
    const created = await putEndpoint('awards', { url: r.url, events: ['award.created'], description: 'CRM' });
    expect(created.status).toBe(201);
    const endpoint = await created.json();
    expect(endpoint.secret).toMatch(/^whsec_/);
    const read = await (await t.call('/v1/webhooks/awards', { key: sk() })).json();
    expect(read).toMatchObject({ id: 'awards', url: r.url, events: ['award.created'], active: true });
    expect(read.secret).toBeUndefined();
    const listed = await (await t.call('/v1/webhooks', { key: sk() })).json();
    expect(JSON.stringify(listed)).not.toContain(endpoint.secret);
    const updated = await putEndpoint('awards', { url: r.url, events: ['award.created'] });
    expect(updated.status).toBe(200);
    expect((await updated.json()).secret).toBeUndefined();

    await t.call('/v1/events', { key: sk(), body: purchase('p-ada-1', 'ada', 30) });
    await runDue();
    expect(r.received).toHaveLength(1);
    const [hit] = r.received;
    expect(hit!.body).toMatchObject({ type: 'award.created', shopId: t.shop.shopId, createdAt: clock.toISOString() });
    expect(hit!.body.data).toMatchObject({ customerId: 'ada', eventId: 'p-ada-1', award: { kind: 'badge', id: 'first' } });
    const header = hit!.headers['kudos-signature'] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(hit!.raw, header, endpoint.secret, { now: clock })).toBe(true);
    expect(verifyWebhook(hit!.raw.replace('"ada"', '"eve"'), header, endpoint.secret, { now: clock })).toBe(false);
    expect(verifyWebhook(hit!.raw, header, 'whsec_someone_else', { now: clock })).toBe(false);
    expect(verifyWebhook(hit!.raw, header, endpoint.secret, { now: new Date(clock.getTime() + 301_000) })).toBe(false);
    expect(verifyWebhook(hit!.raw, header, endpoint.secret, { now: new Date(clock.getTime() + 299_000) })).toBe(true);
    // The same delivery verifies with a Standard Webhooks library, given the secret as the API showed it.
    expect(hit!.headers['webhook-id']).toBe(hit!.body.id);
    expect(hit!.headers['webhook-timestamp']).toBe(String(Math.floor(clock.getTime() / 1000)));
    expect(hit!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(standardVerify(hit!, endpoint.secret)).toBe(true);
    expect(standardVerify(hit!, endpoint.secret, hit!.raw.replace('"ada"', '"eve"'))).toBe(false);
    expect(standardVerify(hit!, `whsec_${Buffer.alloc(24, 7).toString('base64')}`)).toBe(false);

    // The same purchase again (a client retry) makes no second delivery.
    await t.call('/v1/events', { key: sk(), body: purchase('p-ada-1', 'ada', 30) });
    await runDue();
    expect(r.received).toHaveLength(1);
    await t.call('/v1/webhooks/awards', { method: 'DELETE', key: sk() });
  });

  it('a client’s retry heals a crash between storing an event and queueing its delivery', async () => {
    const r = await newReceiver();
    await putEndpoint('healed', { url: r.url, events: ['award.created'] });
    expect((await t.call('/v1/events', { key: sk(), body: purchase('p-cy-1', 'cy', 30) })).status).toBe(200);
    // As if the process died right after the event was stored: its delivery never made it to the outbox.
    const queued = (await t.server.store.listDocuments<{ id: string; endpointId: string }>(t.shop.shopId, DELIVERIES)).filter((d) => d.endpointId === 'healed');
    expect(queued).toHaveLength(1);
    await t.server.store.updateDocuments(t.shop.shopId, [{ collection: DELIVERIES, id: queued[0]!.id }], () => ({ values: [undefined], result: undefined }));
    const replay = await (await t.call('/v1/events', { key: sk(), body: purchase('p-cy-1', 'cy', 30) })).json();
    expect(replay.results[0].status).toBe('duplicate');
    await runDue();
    expect(r.received.map((x) => [x.body.id, x.body.data.eventId])).toEqual([[queued[0]!.id, 'p-cy-1']]);
    // Delivered: a further replay sends nothing.
    await t.call('/v1/events', { key: sk(), body: purchase('p-cy-1', 'cy', 30) });
    await runDue();
    expect(r.received).toHaveLength(1);
    await t.call('/v1/webhooks/healed', { method: 'DELETE', key: sk() });
  });

  it('the test header generator makes headers verifyWebhook accepts', () => {
    const body = '{"hello":"world"}';
    const t0 = Math.floor(clock.getTime() / 1000);
    expect(verifyWebhook(body, webhookTestHeader(body, 'whsec_x', t0), 'whsec_x', { now: clock })).toBe(true);
    expect(verifyWebhook(Buffer.from(body), webhookTestHeader(body, 'whsec_x', t0), 'whsec_x', { now: clock })).toBe(true);
    expect(verifyWebhook(body, 'garbage', 'whsec_x', { now: clock })).toBe(false);
    expect(verifyWebhook(body, undefined, 'whsec_x', { now: clock })).toBe(false);
  });

  it('retries a failed delivery after a backoff with the same delivery id, and logs both attempts', async () => {
    const r = await newReceiver([500]);
    await putEndpoint('flaky', { url: r.url, events: ['award.created', 'points.changed'] });
    await t.call('/v1/events', { key: sk(), body: purchase('p-bob-1', 'bob', 12) });
    await runDue();
    expect(r.received.map((x) => x.body.type).sort()).toEqual(['award.created', 'points.changed']);
    const failed = r.received.find((x) => x.body.type === 'award.created')!;
    const points = r.received.find((x) => x.body.type === 'points.changed')!;
    expect(points.body.data).toMatchObject({ customerId: 'bob', delta: 12, points: 12 });

    let pending = (await (await t.call('/v1/webhooks/flaky/deliveries', { key: sk() })).json()).data;
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ id: failed.body.id, attempts: 1, lastError: 'HTTP 500' });
    // Equal jitter with random 0.5: three quarters of the first 30 s step.
    expect(Date.parse(pending[0].nextAttemptAt) - clock.getTime()).toBe(22_500);

    await runDue();
    expect(r.received).toHaveLength(2); // not due yet
    advance(22_500);
    await runDue();
    expect(r.received).toHaveLength(3);
    expect(r.received[2]!.body.id).toBe(failed.body.id);
    expect(r.received[2]!.raw).toBe(failed.raw);

    pending = (await (await t.call('/v1/webhooks/flaky/deliveries', { key: sk() })).json()).data;
    expect(pending).toEqual([]);
    const attempts = (await (await t.call('/v1/webhooks/flaky/attempts', { key: sk() })).json()).data;
    const mine = attempts.filter((a: { deliveryId: string }) => a.deliveryId === failed.body.id);
    expect(mine.map((a: { status: number; ok: boolean }) => [a.status, a.ok])).toEqual([
      [200, true],
      [500, false],
    ]);
    expect(mine[0].at).toBe(clock.toISOString());
    await t.call('/v1/webhooks/flaky', { method: 'DELETE', key: sk() });
  });

  it('gives up after 3 days of failures, and a manual redeliver sends the same id once more', async () => {
    const r = await newReceiver(Array(100).fill(503));
    await putEndpoint('down', { url: r.url, events: ['award.created'] });
    const start = clock.getTime();
    await t.call('/v1/events', { key: sk(), body: purchase('p-cy-1', 'cy', 30) });
    await runDue();
    for (let i = 0; i < 50; i++) {
      const pending = (await (await t.call('/v1/webhooks/down/deliveries', { key: sk() })).json()).data;
      if (pending.length === 0) break;
      clock = new Date(pending[0].nextAttemptAt);
      await runDue();
    }
    const attempts = r.received.length;
    expect(attempts).toBeGreaterThan(8);
    expect(new Set(r.received.map((x) => x.body.id)).size).toBe(1);
    expect(clock.getTime() - start).toBeLessThanOrEqual(3 * 24 * 3600_000);
    expect((await (await t.call('/v1/webhooks/down/deliveries', { key: sk() })).json()).data).toEqual([]);
    advance(3600_000);
    await runDue();
    expect(r.received).toHaveLength(attempts);

    r.answers.length = 0;
    const id = r.received[0]!.body.id;
    const again = await t.call(`/v1/webhooks/down/deliveries/${id}/redeliver`, { method: 'POST', key: sk() });
    expect(again.status).toBe(202);
    await runDue();
    expect(r.received).toHaveLength(attempts + 1);
    expect(r.received.at(-1)!.body.id).toBe(id);
    expect((await t.call(`/v1/webhooks/down/deliveries/whevt_nope/redeliver`, { method: 'POST', key: sk() })).status).toBe(404);
    await t.call('/v1/webhooks/down', { method: 'DELETE', key: sk() });
  });

  it('signs with both secrets after a rotation, until the grace period ends', async () => {
    const r = await newReceiver();
    const { secret: oldSecret } = await (await putEndpoint('rotating', { url: r.url, events: ['award.created'] })).json();
    const rotated = await t.call('/v1/webhooks/rotating/rotate', { method: 'POST', key: sk() });
    expect(rotated.status).toBe(200);
    const { secret: newSecret, previousSecretExpiresAt } = await rotated.json();
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    expect(Date.parse(previousSecretExpiresAt) - clock.getTime()).toBe(24 * 3600_000);

    await t.call('/v1/events', { key: sk(), body: purchase('p-dee-1', 'dee', 5) });
    await runDue();
    const hit = r.received[0]!;
    const header = hit.headers['kudos-signature'] as string;
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verifyWebhook(hit.raw, header, newSecret, { now: clock })).toBe(true);
    expect(verifyWebhook(hit.raw, header, oldSecret, { now: clock })).toBe(true);
    expect((hit.headers['webhook-signature'] as string).split(' ')).toHaveLength(2);
    expect(standardVerify(hit, newSecret)).toBe(true);
    expect(standardVerify(hit, oldSecret)).toBe(true);

    advance(24 * 3600_000 + 1000);
    await t.call('/v1/events', { key: sk(), body: purchase('p-eli-1', 'eli', 5) });
    await runDue();
    const later = r.received[1]!;
    const laterHeader = later.headers['kudos-signature'] as string;
    expect(laterHeader.match(/v1=/g)).toHaveLength(1);
    expect(verifyWebhook(later.raw, laterHeader, newSecret, { now: clock })).toBe(true);
    expect(verifyWebhook(later.raw, laterHeader, oldSecret, { now: clock })).toBe(false);
    expect(standardVerify(later, newSecret)).toBe(true);
    expect(standardVerify(later, oldSecret)).toBe(false);
    await t.call('/v1/webhooks/rotating', { method: 'DELETE', key: sk() });
  });

  it('tells NPS answers and share-to-save unlocks and expiries, from the events that record them', async () => {
    const r = await newReceiver();
    await putEndpoint('growth', { url: r.url, events: ['nps.responded', 'group.unlocked', 'group.expired'] });
    const events = [
      { id: 'survey:checkout:kim:1', type: 'survey_response', customerId: 'kim', properties: { surveyId: 'checkout', score: 9, band: 'promoter' } },
      { id: 'group.unlocked:ABC:0', type: 'group.unlocked', customerId: 'kim', properties: { group: 'ABC', campaign: 'duo', members: 2, percentOff: 10 } },
      { id: 'group.expired:XYZ', type: 'group.expired', customerId: 'lou', properties: { group: 'XYZ', campaign: 'duo', members: 1 } },
      { id: 'pv-1', type: 'page_view', customerId: 'kim' },
    ];
    await t.call('/v1/events', { key: sk(), body: { events } });
    await runDue();
    expect(r.received.map((x) => [x.body.type, x.body.data.eventId])).toEqual([
      ['nps.responded', 'survey:checkout:kim:1'],
      ['group.unlocked', 'group.unlocked:ABC:0'],
      ['group.expired', 'group.expired:XYZ'],
    ]);
    expect(r.received[0]!.body.data).toMatchObject({ customerId: 'kim', surveyId: 'checkout', score: 9, band: 'promoter' });
    expect(r.received[1]!.body.data).toMatchObject({ group: 'ABC', percentOff: 10 });
    await t.call('/v1/webhooks/growth', { method: 'DELETE', key: sk() });
  });

  it('documents every webhook route in /openapi.json', async () => {
    const doc = await (await t.call('/openapi.json')).json();
    for (const path of ['/v1/webhooks', '/v1/webhooks/{id}', '/v1/webhooks/{id}/rotate', '/v1/webhooks/{id}/deliveries', '/v1/webhooks/{id}/attempts', '/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', '/v1/webhooks/orders']) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });

  it('lets only the secret key of the shop see and change its endpoints', async () => {
    const r = await newReceiver();
    await putEndpoint('mine', { url: r.url, events: ['award.created'] });
    const pk = t.shop.publishableKey;
    expect((await putEndpoint('mine', { url: r.url, events: ['award.created'] }, pk)).status).toBe(403);
    expect((await t.call('/v1/webhooks', { key: pk })).status).toBe(403);
    expect((await t.call('/v1/webhooks/mine', { key: pk })).status).toBe(403);
    expect((await t.call('/v1/webhooks/mine/rotate', { method: 'POST', key: pk })).status).toBe(403);
    expect((await t.call('/v1/webhooks/mine/deliveries', { key: pk })).status).toBe(403);
    expect((await t.call('/v1/webhooks/mine')).status).toBe(401);
    const other = t.otherShop.secretKey;
    expect((await t.call('/v1/webhooks/mine', { key: other })).status).toBe(404);
    expect((await t.call('/v1/webhooks/mine/rotate', { method: 'POST', key: other })).status).toBe(404);
    expect((await t.call('/v1/webhooks/mine/deliveries', { key: other })).status).toBe(404);
    expect((await t.call('/v1/webhooks/mine', { method: 'DELETE', key: other })).status).toBe(404);
    expect((await (await t.call('/v1/webhooks', { key: other })).json()).data).toEqual([]);
    const bad = await putEndpoint('mine', { url: r.url, events: ['award.eaten'], secret: 'x' });
    expect(bad.status).toBe(400);
    const pointers = (await bad.json()).errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/events/0', '/secret']));
    await t.call('/v1/webhooks/mine', { method: 'DELETE', key: sk() });
  });
});

describe('webhook URLs cannot reach private networks (SSRF)', () => {
  let strict: TestServer;
  beforeAll(async () => {
    strict = await startTestServer({ webhooks: { allowPrivate: false } });
  });
  afterAll(() => strict.dispose());

  it.each([
    'http://10.0.0.1/hooks',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/hooks',
    'http://localhost:8080/hooks',
    'https://10.0.0.1/hooks',
    'https://169.254.169.254/',
    'https://127.0.0.1/',
    'https://[::1]/',
    'https://[fd00::1]/',
    'https://[fe80::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://192.168.1.10/',
    'https://localhost/',
    'https://user:pw@example.com/',
    'ftp://example.com/',
    'not a url',
  ])('refuses %s with a pointer at the URL', async (url) => {
    const response = await strict.call('/v1/webhooks/x', { method: 'PUT', key: strict.shop.secretKey, body: { url, events: ['award.created'] } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect((await response.json()).errors).toEqual([{ pointer: '/url', detail: expect.any(String) }]);
  });

  it.each([
    'https://[::127.0.0.1]/',
    'https://[::ffff:0:7f00:1]/',
    'https://[2002:7f00:1::]/',
    'https://[2002:a00:1::]/',
    'https://[64:ff9b::7f00:1]/',
    'https://[64:ff9b::a9fe:a9fe]/',
    'https://[64:ff9b:1::1]/',
    'https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/',
    'https://[::ffff:169.254.169.254]/',
    'https://[2001:db8::1]/',
    'https://2130706433/',
    'https://0x7f.1/',
    'https://0177.0.0.1/',
    'https://127.1/',
    'https://0/',
    'https://100.64.0.1/',
    'https://localhost./',
    'https://LOCALHOST/',
    'https://api.localhost/',
    'https://api.localhost./',
  ])('the webhook URL guard refuses every spelling of a private address: %s', async (url) => {
    const response = await strict.call('/v1/webhooks/x', { method: 'PUT', key: strict.shop.secretKey, body: { url, events: ['award.created'] } });
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual([{ pointer: '/url', detail: expect.any(String) }]);
  });

  it.each(['https://[2606:4700:4700::1111]/', 'https://[64:ff9b::808:808]/', 'https://[2002:808:808::]/', 'https://8.8.8.8/', 'https://hooks.example.com./'])(
    'the webhook URL guard still accepts a public address: %s',
    async (url) => {
      const response = await strict.call('/v1/webhooks/pub', { method: 'PUT', key: strict.shop.secretKey, body: { url, events: ['award.created'] } });
      expect(response.status).toBeLessThan(300);
    },
  );

  it('accepts a public https URL', async () => {
    const response = await strict.call('/v1/webhooks/x', {
      method: 'PUT',
      key: strict.shop.secretKey,
      body: { url: 'https://hooks.example.com/kudos', events: ['award.created'] },
    });
    expect(response.status).toBe(201);
  });

  it('refuses, at connection time, a host name that resolves to a private address', async () => {
    const error = await new Promise((resolve) => guardedLookup(false)('localhost', {}, (err) => resolve(err)));
    expect(String(error)).toMatch(/private address/);
    const allowed = await new Promise((resolve) => guardedLookup(true)('localhost', {}, (err) => resolve(err)));
    expect(allowed).toBeNull();
  });
});

describe('the outbox survives a restart', () => {
  it('delivers after a restart what was pending when the server stopped', async () => {
    const r = await newReceiver();
    const first = await startTestServer({ webhooks: { allowPrivate: true, timer: neverFires } });
    const { secret } = await (
      await first.call('/v1/webhooks/crm', { method: 'PUT', key: first.shop.secretKey, body: { url: r.url, events: ['award.created'] } })
    ).json();
    await first.call('/v1/badges/first', { method: 'PUT', key: first.shop.secretKey, body: { name: 'First', criteria: { event: 'purchase', count: 1 } } });
    await first.call('/v1/events', { key: first.shop.secretKey, body: purchase('p-1', 'fay', 10) });
    await first.stop();
    expect(r.received).toHaveLength(0);

    const second = await startTestServer({ dir: first.dir, webhooks: { allowPrivate: true } });
    try {
      const [hit] = await r.waitFor(1);
      expect(hit!.body).toMatchObject({ type: 'award.created', shopId: first.shop.shopId, data: { customerId: 'fay' } });
      expect(verifyWebhook(hit!.raw, hit!.headers['kudos-signature'] as string, secret)).toBe(true);
    } finally {
      await second.dispose();
    }
  });
});

describe('orders in: signed by the shop backend', () => {
  const send = (body: unknown, opts: { shop?: string; secret?: string; at?: Date; tamper?: boolean } = {}) => {
    const raw = JSON.stringify(body);
    const at = Math.floor((opts.at ?? clock).getTime() / 1000);
    const signature = webhookTestHeader(raw, opts.secret ?? sk(), at);
    return t.call('/v1/webhooks/orders', {
      rawBody: opts.tamper ? raw.replace('99', '10') : raw,
      headers: { 'kudos-shop': opts.shop ?? t.shop.shopId, 'kudos-signature': signature },
    });
  };
  const points = async (customerId: string) => (await (await t.call(`/v1/customers/${customerId}`, { key: sk() })).json()).points;
  const order = { type: 'order.created', orderId: 'A-1001', customerId: 'gus', total: 99, currency: 'EUR' };

  it('records a purchase once, even when the same order is sent twice', async () => {
    const first = await send(order);
    expect(first.status).toBe(200);
    const [result] = (await first.json()).results;
    expect(result).toMatchObject({ id: 'purchase:A-1001', status: 'accepted', awards: [{ id: 'first' }] });
    const second = await send(order);
    expect((await second.json()).results[0]).toMatchObject({ id: 'purchase:A-1001', status: 'duplicate' });
    expect(await points('gus')).toBe(99);
  });

  it('claws back points and the badge on a refund, once', async () => {
    const refund = { type: 'order.refunded', orderId: 'A-1001', refundId: 're_1', customerId: 'gus', amount: 99 };
    const response = await send(refund);
    expect(response.status).toBe(200);
    expect((await response.json()).results[0]).toMatchObject({ id: 'refund:A-1001:re_1', status: 'accepted', revocations: [{ id: 'first' }] });
    expect((await (await send(refund)).json()).results[0].status).toBe('duplicate');
    expect(await points('gus')).toBe(0);
  });

  it('answers 401 alike to a tampered body, a stale or missing signature, another key and an unknown shop', async () => {
    const other = { ...order, orderId: 'A-2002', customerId: 'hal' };
    const answers = [
      await send(other, { tamper: true }),
      await send(other, { at: new Date(clock.getTime() - 301_000) }),
      await send(other, { secret: t.otherShop.secretKey }),
      await send(other, { shop: 'shop_doesnotexist00' }),
      await send(other, { shop: t.otherShop.shopId }),
      await t.call('/v1/webhooks/orders', { body: other, headers: { 'kudos-shop': t.shop.shopId } }),
      await t.call('/v1/webhooks/orders', { body: other, key: sk() }),
    ];
    // Each answer carries its own request id; everything else must be identical.
    const bodies = await Promise.all(
      answers.map(async (a) => {
        const { requestId: _id, ...problem } = await a.json();
        return [a.status, a.headers.get('content-type'), problem];
      }),
    );
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(bodies[0]![0]).toBe(401);
    expect(bodies[0]![1]).toContain('application/problem+json');
    expect(await points('hal')).toBe(0);
  });

  it('attributes a signed order that used a share-to-save code to its group', async () => {
    await t.call('/v1/campaigns/duo', {
      method: 'PUT',
      key: sk(),
      body: { name: 'Duo', scope: { kind: 'cart' }, tiers: [{ members: 2, percentOff: 10 }], windowHours: 24, maxMembers: 4 },
    });
    const as = (who: string) => identityHeaders(t.shop, who);
    const group = await (await t.call('/v1/groups', { key: t.shop.publishableKey, body: { campaign: 'duo' }, headers: as('jo') })).json();
    const joined = await (await t.call(`/v1/groups/${group.code}/join`, { method: 'POST', key: t.shop.publishableKey, headers: as('kim') })).json();
    const discountCode = joined.you.discountCode;
    const response = await send({ type: 'order.created', orderId: 'G-1', customerId: 'kim', total: 18, currency: 'EUR', discountCode, kudos_src: 'group' });
    expect(response.status).toBe(200);
    expect((await t.server.store.getCustomer(t.shop.shopId, 'kim'))?.stats['group.order']).toMatchObject({ count: 1, sums: { total: 18 } });
    const after = await (await t.call(`/v1/groups/${group.code}`, { key: t.shop.publishableKey, headers: as('kim') })).json();
    expect(after.you.used).toBe(true);
  });

  it('validates a well-signed payload with pointers', async () => {
    const response = await send({ type: 'order.created', orderId: 'A 3', customerId: 'ivy', total: -1, currency: 'EUR', coupon: 'X' });
    expect(response.status).toBe(400);
    const pointers = (await response.json()).errors.map((e: { pointer: string }) => e.pointer).sort();
    expect(pointers).toEqual(['/coupon', '/orderId', '/total']);
  });
});

describe('delivery ids', () => {
  it('are the same for the same endpoint, source event, type and subject, and differ otherwise', async () => {
    const { deliveryIdOf } = await import('../../server/webhooks/engine.js');
    const fact = { sourceEventId: 'purchase:A-1', type: 'award.created' as const, subject: 'badge:first' };
    expect(deliveryIdOf('crm', fact)).toBe(deliveryIdOf('crm', { ...fact }));
    expect(new Set([
      deliveryIdOf('crm', fact),
      deliveryIdOf('erp', fact),
      deliveryIdOf('crm', { ...fact, subject: 'badge:second' }),
      deliveryIdOf('crm', { ...fact, type: 'award.revoked' }),
      deliveryIdOf('crm', { ...fact, sourceEventId: 'purchase:A-2' }),
    ]).size).toBe(5);
  });
});

describe('tier.changed', () => {
  it('tells a tier reached by a purchase and lost by a refund, once each, and nothing while the tier stays', async () => {
    const r = await newReceiver();
    await t.call('/v1/program', {
      method: 'PUT',
      key: sk(),
      body: { earn: [{ event: 'purchase', points: 1, per: 'total' }], tiers: { basis: 'spend', windowDays: 365, levels: [{ name: 'Regular', min: 50 }, { name: 'Gold', min: 200 }] } },
    });
    await putEndpoint('tiers', { url: r.url, events: ['tier.changed'] });
    await t.call('/v1/events', { key: sk(), body: purchase('p-tia-1', 'tia', 20) });
    await t.call('/v1/events', { key: sk(), body: purchase('p-tia-2', 'tia', 40) });
    await t.call('/v1/events', { key: sk(), body: purchase('p-tia-3', 'tia', 10) });
    await t.call('/v1/events', { key: sk(), body: purchase('p-tia-2', 'tia', 40) }); // a replay changes nothing
    await t.call('/v1/events', {
      key: sk(),
      body: { id: 'r-tia-2', type: 'refund', customerId: 'tia', properties: { orderId: 'o-p-tia-2', amount: 40 } },
    });
    await runDue();
    expect(r.received.map((x) => x.body.data)).toEqual([
      { customerId: 'tia', eventId: 'p-tia-2', from: null, to: 'Regular' },
      { customerId: 'tia', eventId: 'r-tia-2', from: 'Regular', to: null },
    ]);
    await t.call('/v1/webhooks/tiers', { method: 'DELETE', key: sk() });
  });
});
