// Malformed traffic from the open internet: ≥ 10 000 generated requests across every
// /v1 route and method, from a seeded generator so a failure replays exactly.
// The server runs in this process, so prototype pollution would be visible here.
import { keyDigest } from '../../server/access/keys.js';
import { createHmac } from 'node:crypto';
import { request as httpRequest, Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../server/openapi.js';
import { LowdbStore } from '../../server/store/lowdb-store.js';
import { identityHeaders, purchase, startTestServer, type TestServer } from '../helpers/server.js';
import { featureDocuments } from '../../server/features.js';

const SEED = Number(process.env.KUDOS_FUZZ_SEED ?? 0x6b75646f);
const REQUESTS = Number(process.env.KUDOS_FUZZ_REQUESTS ?? 10_500);
const IN_FLIGHT = 32;

// mulberry32: tiny, seedable and good enough to pick cases; no dependency needed.
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof prng>;

const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'];
const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** JSON texts (not values): some shapes cannot be built as JS values and stringified. */
function weirdJsonValue(rng: Rng): string {
  return rng.pick<() => string>([
    () => 'null',
    () => 'true',
    () => String(rng.pick([0, -1, 1e308, -1e308, 1.5, 2 ** 53 + 1, -0])),
    () => rng.pick(['1e999', '-1e999', '123456789012345678901234567890']),
    () => JSON.stringify('x'.repeat(rng.pick([0, 1, 65, 1001, 10_001, 200_000]))),
    () => JSON.stringify(rng.pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty', '\u0000', 'a\u0000b', '\ud800', '\udfff', 'a\ud83d', '\u202e\u0301', '\ufeff', '😀'.repeat(300), '\u{10ffff}'])),
    () => '"\\ud800\\u0000"',
    () => '[]',
    () => '{}',
    () => deepArray(rng.pick([100, 1000, 10_000])),
    () => deepObject(rng.pick([100, 1000, 10_000])),
    () => `{"${rng.pick(POLLUTION_KEYS)}":{"polluted":"yes","isAdmin":true}}`,
    () => `{"constructor":{"prototype":{"polluted":"yes"}}}`,
    () => `[${Array.from({ length: rng.pick([10, 1000]) }, () => '{}').join(',')}]`,
    () => JSON.stringify({ toString: 'x', valueOf: 1, hasOwnProperty: null }),
  ])();
}

type Schema = { [k: string]: unknown };
const components = openApiDocument().components?.schemas as Record<string, Schema> | undefined;

/** A plausible value for a JSON schema, so mutations land one field away from valid. */
function sample(schema: Schema | undefined, rng: Rng, depth = 0): unknown {
  if (!schema || depth > 6) return null;
  if (typeof schema.$ref === 'string') return sample(components?.[schema.$ref.split('/').pop()!], rng, depth + 1);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return rng.pick(schema.enum);
  for (const k of ['oneOf', 'anyOf', 'allOf'] as const) {
    if (Array.isArray(schema[k])) return sample(rng.pick(schema[k] as Schema[]), rng, depth + 1);
  }
  const type = Array.isArray(schema.type) ? rng.pick(schema.type as string[]) : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) out[key] = sample(value, rng, depth + 1);
      return out;
    }
    case 'array': {
      const min = Number(schema.minItems ?? 1);
      return Array.from({ length: Math.max(min, 1) }, () => sample(schema.items as Schema, rng, depth + 1));
    }
    case 'string':
      if (schema.format === 'date-time') return '2026-01-01T00:00:00Z';
      if (schema.format === 'uri') return 'https://shop.example/x';
      return 'fz' + rng.int(1000).toString().padStart(Number(schema.minLength ?? 1), '0');
    case 'integer':
    case 'number':
      return Number(schema.minimum ?? 1);
    case 'boolean':
      return true;
    default:
      return null;
  }
}

/** Every JSON pointer-ish path into a value, so each field gets its turn. */
function pathsOf(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...at, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...at, k]));
  return out;
}

const MARK = '\u0001WEIRD\u0001';
function bodyFor(schema: Schema | undefined, rng: Rng): string {
  const roll = rng.next();
  if (roll < 0.12) {
    return rng.pick([
      '', '{', '{"id":', '[', 'nul', '{"a":1,}', "{'a':1}", '{"a":1}{"b":2}', 'undefined', '\u0000', '{"a":"\\x"}',
      '{"a":"\\ud800', '\ufeff{}', '{"a":NaN}', '{"a":Infinity}', '{"a" 1}', ' '.repeat(300_000),
    ]);
  }
  if (roll < 0.25) return weirdJsonValue(rng);
  const base = sample(schema, rng) ?? {};
  const valid = JSON.stringify(base);
  if (roll < 0.35) return valid.slice(0, rng.int(valid.length)); // truncated
  if (roll < 0.42) return valid;
  // Replace one field (or add a key at some level) with something odd.
  const paths = pathsOf(base);
  const path = rng.pick(paths);
  const clone = structuredClone(base) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> | unknown[] = clone;
  for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[step] as Record<string | number, unknown>;
  const last = path.at(-1);
  const addKey = rng.chance(0.3) || last === undefined || typeof parent !== 'object' || parent === null;
  if (addKey) {
    const target = (last === undefined ? clone : ((parent as Record<string | number, unknown>)[last] ?? clone)) as Record<string, unknown>;
    if (target && typeof target === 'object' && !Array.isArray(target)) {
      const key = rng.pick([...POLLUTION_KEYS, 'x'.repeat(5000), '\u0000', '']);
      // "__proto__" as a JS key would set the prototype; JSON text keeps it a plain key.
      return JSON.stringify(clone).replace(/^\{|(?<=:)\{/, (m) => `${m}"${key}":${JSON.stringify(MARK)},`).replace(JSON.stringify(MARK), weirdJsonValue(rng));
    }
  }
  (parent as Record<string | number, unknown>)[last!] = MARK;
  return JSON.stringify(clone).replace(JSON.stringify(MARK), weirdJsonValue(rng));
}

function paramValue(rng: Rng): string {
  return rng.pick([
    'first', 'fz001', 'c1', 'a', '%00', 'a%00b', '..', '%2e%2e', '..%2F..%2Fetc%2Fpasswd', '%2F', '%', '%zz', '%E0%A4%A', '%ED%A0%80',
    '%F0%9F%98%80', '%C0%80', '%FF', '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'x'.repeat(rng.pick([65, 300, 4000])),
    '~anon:abc', 'sk_x', "'%20OR%201=1", '%3Cscript%3E', '.', '-', '_', '%20', '%09', 'A'.repeat(64),
  ]);
}

const CONTENT_TYPES = [
  'application/json', 'application/json', 'application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1',
  'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
  'application/problem+json', 'application/json-patch+json', '', 'application/json; charset', ';;;', 'application/JSON',
];

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

interface Route {
  method: string;
  template: string;
  schema?: Schema;
}

function routes(): Route[] {
  const out: Route[] = [];
  for (const [template, ops] of Object.entries(openApiDocument().paths as Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>)) {
    if (!template.startsWith('/v1/')) continue;
    for (const [method, op] of Object.entries(ops)) {
      out.push({ method: method.toUpperCase(), template, schema: op.requestBody?.content?.['application/json']?.schema });
    }
  }
  return out;
}

function generate(rng: Rng, t: TestServer, all: Route[]): FuzzRequest {
  const route = rng.pick(all);
  const method = rng.chance(0.85) ? route.method : rng.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']);
  let path = route.template.replace(/\{[^}]+\}/g, () => paramValue(rng));
  if (rng.chance(0.1)) path += rng.pick(['?__proto__[polluted]=1', '?constructor[prototype][polluted]=1', '?a=%00', '?%', '/', '//', '/..', '?x=' + 'y'.repeat(3000)]);
  const headers: Record<string, string> = {};
  const key = rng.pick([t.shop.secretKey, t.shop.secretKey, t.shop.publishableKey, t.shop.publishableKey, t.otherShop.publishableKey, t.otherShop.secretKey, undefined, 'sk_forged', 'pk_' + 'x'.repeat(2000)]);
  if (key !== undefined) headers.authorization = (rng.chance(0.85) ? 'Bearer ' : rng.pick(['bearer ', 'Bearer  ', 'Basic ', ''])) + key;
  else if (rng.chance(0.2)) headers.authorization = 'Bearer ' + rng.pick(['__proto__', 'constructor', 'toString']);
  if (rng.chance(0.3)) {
    Object.assign(
      headers,
      rng.pick<Record<string, string>>([
        identityHeaders(t.shop, 'c1'),
        identityHeaders(t.otherShop, 'c1'),
        { 'x-kudos-customer': 'c1', 'x-kudos-customer-hash': '0'.repeat(64) },
        { 'x-kudos-customer': 'c1' },
        { 'x-kudos-customer': '__proto__', 'x-kudos-customer-hash': 'zz' },
        { 'x-kudos-customer': 'x'.repeat(5000), 'x-kudos-customer-hash': '' },
        { 'x-kudos-anonymous-id': 'anon-12345678' },
        { 'x-kudos-anonymous-id': '..' },
        { 'x-kudos-anonymous-id': '\u00ff'.repeat(70) },
      ]),
    );
  }
  if (rng.chance(0.1)) headers.origin = rng.pick(['https://shop.example', 'https://other.example', 'https://evil.example', 'null']);
  if (rng.chance(0.05)) headers['x-request-id'] = rng.pick(['abc', '../../etc', 'x'.repeat(100), '\u00e9\u00e9']);
  let body: Buffer | undefined;
  if (method !== 'GET' && method !== 'HEAD' && (route.schema || rng.chance(0.5))) {
    body = rng.chance(0.04) ? Buffer.from(rng.pick([[0xff, 0xfe], [0xc0, 0x80], [0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d]])) : Buffer.from(bodyFor(route.schema, rng));
    const type = rng.pick(CONTENT_TYPES);
    if (type) headers['content-type'] = type;
    if (rng.chance(0.03)) headers['content-encoding'] = rng.pick(['gzip', 'deflate', 'br', 'x-unknown']);
  }
  if (path.includes('/webhooks/orders') && rng.chance(0.7)) {
    // Orders in are signed with the secret key over the raw body: forged, stale, other shop, or genuine.
    const t0 = Math.floor(Date.now() / 1000) - rng.pick([0, 0, 0, 301, 86_400, -400]);
    const signWith = rng.pick([t.shop.secretKey, t.shop.secretKey, t.otherShop.secretKey, 'sk_forged']);
    const mac = createHmac('sha256', signWith).update(`${t0}.`).update(body ?? Buffer.alloc(0)).digest('hex');
    headers['kudos-shop'] = rng.pick([t.shop.shopId, t.shop.shopId, t.otherShop.shopId, '__proto__', 'constructor', 'x'.repeat(3000)]);
    headers['kudos-signature'] = rng.pick([`t=${t0},v1=${mac}`, `t=${t0},v1=${mac}`, `t=${t0},v1=${'0'.repeat(64)}`, `v1=${mac}`, `t=abc,v1=zz`, `t=${t0},v1=${mac},v1=${mac}`, ',,,=', 't=1e99,v1=']);
  }
  return { method, path, headers, body };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
function send(url: string, r: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const req = httpRequest({ agent, hostname, port, method: r.method, path: r.path, headers: { ...r.headers, 'content-length': r.body?.length ?? 0 } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

let t: TestServer;
const logged: string[] = [];
const prototypeKeys = (o: object) => Object.getOwnPropertyNames(o).sort().join(',');
const before = { object: prototypeKeys(Object.prototype), array: prototypeKeys(Array.prototype), func: prototypeKeys(Function.prototype) };
const INTACT = 'intact-customer-7';

beforeAll(async () => {
  t = await startTestServer({ log: (message) => logged.push(message) });
  await t.call('/v1/badges/first', { method: 'PUT', key: t.shop.secretKey, body: { name: 'First', criteria: { event: 'purchase', count: 1 } } });
  await t.call('/v1/events', { key: t.shop.secretKey, body: purchase('intact-1', INTACT) });
});
afterAll(async () => {
  agent.destroy();
  await t.dispose();
});

describe('malformed traffic', () => {
  it(`answers ${REQUESTS} generated malformed requests without a 5xx, always as problem+json, and stays healthy`, async () => {
    // Raw record, not the view: valid config PUTs among the fuzz may change how it is shown.
    const intactBefore = structuredClone(await t.server.store.getCustomer(t.shop.shopId, INTACT));
    expect(intactBefore).toBeDefined();
    const rng = prng(SEED);
    const all = routes();
    expect(all.length).toBeGreaterThan(20);
    const histogram = new Map<number, number>();
    const failures: string[] = [];
    const secrets = [t.shop.secretKey, t.otherShop.secretKey];
    let sent = 0;
    const started = Date.now();

    const worker = async () => {
      while (sent < REQUESTS) {
        sent++;
        const r = generate(rng, t, all);
        const answer = await send(t.url, r);
        histogram.set(answer.status, (histogram.get(answer.status) ?? 0) + 1);
        const what = `${r.method} ${r.path.slice(0, 120)} [${r.headers['content-type'] ?? '-'}] ${r.body?.subarray(0, 80).toString() ?? ''}`;
        if (answer.status >= 500) failures.push(`${answer.status} for ${what}: ${answer.body.slice(0, 300)}`);
        if (secrets.some((s) => answer.body.includes(s) || JSON.stringify(answer.headers).includes(s))) failures.push(`secret key echoed for ${what}`);
        if (!answer.headers['x-request-id']) failures.push(`no X-Request-Id for ${what}`);
        if (answer.status >= 400) {
          if (!String(answer.headers['content-type']).startsWith('application/problem+json')) {
            failures.push(`${answer.status} not problem+json (${answer.headers['content-type']}) for ${what}`);
          } else if (r.method !== 'HEAD') {
            const problem = JSON.parse(answer.body);
            if (problem.status !== answer.status) failures.push(`status ${problem.status} in body vs ${answer.status} for ${what}`);
            if (problem.requestId !== answer.headers['x-request-id']) failures.push(`problem without its request id for ${what}`);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `fuzz: ${sent} requests (seed ${SEED}) in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries([...histogram].sort(([a], [b]) => a - b)))}`,
    );

    expect(failures.slice(0, 20)).toEqual([]);
    expect(logged).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect({ object: prototypeKeys(Object.prototype), array: prototypeKeys(Array.prototype), func: prototypeKeys(Function.prototype) }).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ ok: true });
    const valid = await t.call('/v1/events', { key: t.shop.secretKey, body: purchase('after-fuzz', 'after-fuzz-customer') });
    expect(valid.status).toBe(200);
    expect(await t.server.store.getCustomer(t.shop.shopId, INTACT)).toEqual(intactBefore);
    await t.stop();
    const reopened = await LowdbStore.open(t.dataFile, { ...featureDocuments() });
    try {
      expect(await reopened.findShopByKeyDigest(keyDigest(t.shop.secretKey))).toMatchObject({ id: t.shop.shopId });
    } finally {
      await reopened.close();
    }
  }, 120_000);
});

describe('bugs the fuzz suite found', () => {
  it('bug: a path parameter that is not valid percent-encoding ("%zz", a lone surrogate) was a 500; now a 400 problem', async () => {
    for (const path of ['/v1/customers/%zz', '/v1/badges/%ED%A0%80', '/v1/trophies/%/awards/x']) {
      const res = await send(t2.url, { method: 'GET', path, headers: { authorization: `Bearer ${t2.shop.secretKey}` } });
      expect(res.status, path).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.body)).toMatchObject({ status: 400, title: 'Malformed URL' });
    }
  });

  it('bug: ids named like Object.prototype members ("constructor", "__proto__", "toString") read the prototype: a 500, or a new event answered "duplicate"', async () => {
    const key = t2.shop.secretKey;
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect((await t2.call(`/v1/customers/${name}`, { key })).status, name).toBe(400);
      const asEventId = await t2.call('/v1/events', { key, body: purchase(name, 'c1') });
      expect(asEventId.status).toBe(400);
      expect((await asEventId.json()).errors.map((e: { pointer: string }) => e.pointer)).toContain('/id');
      const asCustomer = await t2.call('/v1/events', { key, body: purchase(`p-${name}`, name) });
      expect((await asCustomer.json()).errors.map((e: { pointer: string }) => e.pointer)).toContain('/customerId');
      const asType = await t2.call('/v1/events', { key, body: { id: `t-${name}`, type: name, customerId: 'c1' } });
      expect(asType.status).toBe(400);
      expect((await asType.json()).errors.map((e: { pointer: string }) => e.pointer)).toContain('/type');
    }
    const ordinary = await t2.call('/v1/events', { key, body: purchase('constructor-2', 'c1') });
    expect(await ordinary.json()).toMatchObject({ results: [{ id: 'constructor-2', status: 'accepted' }] });
  });
});

let t2: TestServer;
beforeAll(async () => {
  t2 = await startTestServer();
});
afterAll(() => t2.dispose());
