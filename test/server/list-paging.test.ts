// Every list the API answers has one shape (issue 14): `{ data: [...], nextCursor }` with
// `?limit=` and `?cursor=`. This walks every list operation of /openapi.json on a real
// server holding several items in each, page by page, and checks that the pages hold
// every item exactly once, in the same order as one big page. A list operation added
// without an entry in `seeds` fails here, and so does a GET that answers a bare array
// under another name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
}
interface Operation {
  parameters?: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const T0 = Date.parse('2026-03-07T09:00:00.000Z');
const hour = 3_600_000;
let t: TestServer;
let spec: Spec;
const sk = () => t.shop.secretKey;

async function ok(path: string, init: { method?: string; body?: unknown }) {
  const res = await t.call(path, { key: sk(), ...init });
  expect(res.status, `${init.method ?? 'POST'} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
}
const put = (path: string, body: unknown) => ok(path, { method: 'PUT', body });
const times = async (n: number, make: (i: number) => Promise<void>) => {
  for (let i = 0; i < n; i++) await make(i);
};

/** The item whose list a path with a parameter walks. */
const concrete = (path: string) => path.replace('{id}', 'silent');

/** How to put several items in each list; `null`: left empty (the shape is still checked). */
const seeds: Record<string, (() => Promise<void>) | null> = {
  '/v1/badges': () => times(3, (i) => put(`/v1/badges/b${i}`, { name: `Badge ${i}`, description: 'd', icon: '🎉', criteria: { event: 'purchase', count: i + 1 } })),
  '/v1/rewards': () => times(3, (i) => put(`/v1/rewards/r${i}`, { name: `Reward ${i}`, cost: 10 + i, discount: { kind: 'percent', percent: 10 } })),
  '/v1/trophies': () => times(3, (i) => put(`/v1/trophies/t${i}`, { name: `Trophy ${i}`, description: 'd', image: 'https://cdn.example/t.png', criteriaNarrative: 'n', levels: [{ level: 'bronze' }] })),
  '/v1/surveys': () => times(3, (i) => put(`/v1/surveys/s${i}`, { question: { en: `Question ${i}?` }, placement: 'cart', samplePercent: 100 })),
  '/v1/webhooks': () => times(3, (i) => put(`/v1/webhooks/w${i}`, { url: `https://backend.shop.example/k${i}`, events: ['award.created'] })),
  '/v1/checkins': () =>
    times(3, (i) => put(`/v1/checkins/c${i}`, { name: `Market ${i}`, place: 'Stand', from: new Date(T0 - hour).toISOString(), until: new Date(T0 + 30 * hour).toISOString(), points: 5 })),
  '/v1/gifts': () => times(3, (i) => put(`/v1/gifts/g${i}`, { name: `Gift ${i}`, gift: { kind: 'points', points: 5 }, rule: { kind: 'firstOrder' } })),
  '/v1/keys': () => times(3, (i) => ok('/v1/keys', { body: { name: `Till ${i}`, scopes: ['staff'] } })),
  '/v1/identity-secrets': () => times(2, () => ok('/v1/identity-secrets/roll', { body: { overlapHours: 24 } })),
  '/v1/shop/origins': () => times(3, (i) => ok('/v1/shop/origins', { body: { origin: `https://o${i}.example` } })),
  '/v1/connections': () => times(3, (i) => put(`/v1/connections/c${i}`, { platform: 'woocommerce', secret: `woo-signing-secret-${i}` })),
  '/v1/customers': () => ok('/v1/events', { body: { events: ['ana', 'bo', 'cy', 'dee'].map((c) => ({ id: `p-${c}`, type: 'purchase', customerId: c, properties: { orderId: `o-${c}`, total: 10, currency: 'EUR' } })) } }),
  // Every configuration write above is in it.
  '/v1/audit': async () => {},
  // Three purchases queue three points.changed deliveries to an endpoint nobody answers (port 9);
  // one run of the worker tries each once, so the endpoint's log holds three attempts and all three stay pending.
  '/v1/webhooks/{id}/deliveries': async () => {
    await put('/v1/webhooks/silent', { url: 'http://127.0.0.1:9/hooks', events: ['points.changed'] });
    await ok('/v1/events', { body: { events: ['eve', 'fay', 'gus'].map((c) => ({ id: `p-${c}`, type: 'purchase', customerId: c, properties: { orderId: `o-${c}`, total: 10, currency: 'EUR' } })) } });
    await t.server.webhooks.runDue();
  },
  '/v1/webhooks/{id}/attempts': async () => {},
  // Sign-ups come from shoppers on the hosted check-in page (test/server/checkins.test.ts pages it).
  '/v1/market-list': null,
};

const resolve = (s: Schema | undefined): Schema | undefined => (s?.$ref ? spec.components.schemas[s.$ref.split('/').pop()!] : s);
const okSchema = (op: Operation) => resolve(op.responses['200']?.content?.['application/json']?.schema);
const isPage = (s: Schema | undefined) => s?.properties?.data?.type === 'array' && 'nextCursor' in (s.properties ?? {});
const idOf = (item: unknown) => (typeof item === 'string' ? item : JSON.stringify((item as { id?: string; customerId?: string }).id ?? (item as { customerId?: string }).customerId ?? item));

beforeAll(async () => {
  t = await startTestServer({ now: () => new Date(T0), webhooks: { allowPrivate: true, timer: { set: () => 0, clear: () => {} } } });
  spec = await (await fetch(`${t.url}/openapi.json`)).json();
  for (const seed of Object.values(seeds)) await seed?.();
});
afterAll(() => t?.dispose());

describe('every list is { data, nextCursor } with ?limit= and ?cursor=', () => {
  const lists = () => Object.entries(spec.paths).flatMap(([path, item]) => (item.get && isPage(okSchema(item.get)) ? [path] : []));

  it('finds the list operations, each with a seed here', () => {
    expect(lists().length).toBeGreaterThan(10);
    expect(lists().filter((path) => !(path in seeds))).toEqual([]);
  });

  it('answers no other list shape: a GET whose answer is one array under another name is a list in disguise', () => {
    const disguised = Object.entries(spec.paths).flatMap(([path, item]) => {
      const s = item.get && okSchema(item.get);
      const props = Object.entries(s?.properties ?? {});
      return props.length === 1 && resolve(props[0]![1])?.type === 'array' && !isPage(s) ? [`${path} {${props[0]![0]}}`] : [];
    });
    expect(disguised).toEqual([]);
  });

  it('documents limit and cursor on every list', () => {
    for (const path of lists()) {
      const names = (spec.paths[path]!.get!.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      expect(names, path).toEqual(expect.arrayContaining(['limit', 'cursor']));
    }
  });

  it('pages hold every item exactly once, in the order of one big page', async () => {
    for (const path of lists()) {
      const get = async (query: string) => {
        const res = await t.call(`${concrete(path)}?${query}`, { key: sk() });
        expect(res.status, `${path}?${query}`).toBe(200);
        return (await res.json()) as { data: unknown[]; nextCursor: string | null };
      };
      const all = await get('limit=100');
      expect(all.nextCursor, path).toBeNull();
      if (seeds[path]) expect(all.data.length, `${path} holds the seeded items`).toBeGreaterThanOrEqual(2);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { data: unknown[]; nextCursor: string | null } = await get(`limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.data.length, path).toBeLessThanOrEqual(1);
        seen.push(...page.data.map(idOf));
        cursor = page.nextCursor;
        expect(++pages, `${path} ends`).toBeLessThan(50);
      } while (cursor);
      expect(seen, path).toEqual(all.data.map(idOf));
      expect(new Set(seen).size, `${path}: no item twice`).toBe(seen.length);
    }
  });

  it('refuses a limit out of bounds and a cursor that is not one', async () => {
    for (const path of ['/v1/trophies', '/v1/webhooks', '/v1/keys']) {
      expect((await t.call(`${path}?limit=0`, { key: sk() })).status, path).toBe(400);
      expect((await t.call(`${path}?limit=101`, { key: sk() })).status, path).toBe(400);
      expect((await t.call(`${path}?cursor=${encodeURIComponent('not a cursor!')}`, { key: sk() })).status, path).toBe(400);
    }
  });
});
