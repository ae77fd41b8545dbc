// /openapi.json says what every answer looks like, and the real server keeps to it:
// a real server on port 0 is driven through every operation of the document, and each
// REAL answer (status, media type, body) is checked against the response the document
// declares for it, with Ajv (a maintained JSON Schema 2020-12 validator, as OpenAPI 3.1
// uses). An operation the walk never answered with a 2xx fails the test, so a new path
// added to the document without a request here is noticed.
import { openText } from '../../server/access/seal.js';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookTestHeader } from '../../sdk/node.js';
import type { Delivery } from '../../server/webhooks/engine.js';
import { DELIVERIES } from '../../server/webhooks/outbox.js';
import { identityHeaders, startTestServer, type CallInit, type TestServer } from '../helpers/server.js';

const addFormats = addFormatsImport as unknown as (ajv: Ajv2020) => void;

interface MediaType {
  schema?: object;
}
interface ResponseObject {
  description: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId: string;
  responses: Record<string, ResponseObject>;
}
interface Spec {
  components: object;
  paths: Record<string, Record<string, Operation>>;
}

const T0 = Date.parse('2026-03-07T09:00:00.000Z');
let clock = T0;
const neverFires = { set: () => 0, clear: () => {} };

let t: TestServer;
let spec: Spec;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const validators = new Map<string, ValidateFunction>();
/** `GET /v1/badges` → the statuses the walk saw, each validated. */
const answered = new Map<string, Set<number>>();

const sk = () => t.shop.secretKey;
const pk = () => t.shop.publishableKey;
const as = (customerId: string) => identityHeaders(t.shop, customerId);

function validatorFor(key: string, schema: object): ValidateFunction {
  let v = validators.get(key);
  if (!v) {
    // The document's components ride along so `#/components/schemas/…` resolves inside it.
    v = ajv.compile({ components: spec.components, ...schema });
    validators.set(key, v);
  }
  return v;
}

const isJson = (mediaType: string) => mediaType === 'application/vc' || /^application\/([a-z.+-]+\+)?json$/.test(mediaType);

/** Checks one real answer against the document and returns its body (parsed when JSON). */
async function check(method: string, template: string, res: Response): Promise<{ status: number; body: any; headers: Headers }> {
  const where = `${method.toUpperCase()} ${template} → ${res.status}`;
  const operation = spec.paths[template]?.[method];
  expect(operation, `${method.toUpperCase()} ${template} is in the document`).toBeDefined();
  const declared = operation!.responses[String(res.status)];
  expect(declared, `${where} is a declared response`).toBeDefined();
  const text = await res.text();
  const contentType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  let body: unknown = text;
  if (!declared!.content) {
    expect(text, `${where} has no body`).toBe('');
  } else {
    const media = declared!.content[contentType];
    expect(media, `${where}: ${contentType} is a declared media type (${Object.keys(declared!.content).join(', ')})`).toBeDefined();
    expect(media!.schema, `${where}: ${contentType} has a schema`).toBeDefined();
    if (isJson(contentType)) body = JSON.parse(text);
    if (contentType !== 'image/png') {
      const validate = validatorFor(`${method} ${template} ${res.status} ${contentType}`, media!.schema!);
      const ok = validate(body);
      expect.soft(ok, `${where} (${contentType}) matches its schema: ${JSON.stringify(validate.errors?.slice(0, 5))}\n${text.slice(0, 600)}`).toBe(true);
    }
  }
  const key = `${method.toUpperCase()} ${template}`;
  if (!answered.has(key)) answered.set(key, new Set());
  answered.get(key)!.add(res.status);
  return { status: res.status, body, headers: res.headers };
}

type Init = CallInit & { query?: string; expect?: number };
/** Calls `method template` with its path parameters filled in, checks the answer, and its status when given. */
async function op(method: string, template: string, params: Record<string, string> = {}, init: Init = {}) {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]!)) + (init.query ?? '');
  const res = await t.call(path, { ...init, method: method.toUpperCase() });
  const answer = await check(method, template, res);
  if (init.expect !== undefined) expect(answer.status, `${method.toUpperCase()} ${path}: ${JSON.stringify(answer.body).slice(0, 300)}`).toBe(init.expect);
  return answer;
}
/** A request outside t.call (form posts, raw bodies with headers of their own). */
async function raw(method: string, template: string, path: string, init: RequestInit, status: number) {
  const answer = await check(method, template, await fetch(t.url + path, { ...init, method: method.toUpperCase() }));
  expect(answer.status, path).toBe(status);
  return answer;
}

beforeAll(async () => {
  t = await startTestServer({ now: () => new Date(clock), webhooks: { allowPrivate: true, timer: neverFires } });
  spec = await (await fetch(`${t.url}/openapi.json`)).json();
});
afterAll(() => t?.dispose());

describe('the OpenAPI document describes every answer', () => {
  it('gives every response of every operation a schema for each media type (no body only for 204 and 304)', () => {
    const missing: string[] = [];
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          const where = `${method.toUpperCase()} ${path} ${status}`;
          if (!response.content) {
            if (status !== '204' && status !== '304') missing.push(`${where}: no content`);
            continue;
          }
          for (const [mediaType, media] of Object.entries(response.content)) if (!media.schema) missing.push(`${where} ${mediaType}: no schema`);
          if (/^[45]/.test(status) && path.startsWith('/v1/') && !response.content['application/problem+json']) missing.push(`${where}: not problem+json`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('real answers of every operation match their schemas', { timeout: 120_000 }, async () => {
    // Loyalty: program, badges, rewards, events, customers, redemptions.
    await op('put', '/v1/program', {}, {
      key: sk(),
      body: { earn: [{ event: 'purchase', points: 1, per: 'total' }], tiers: { basis: 'points', levels: [{ name: 'Bronze', min: 0 }, { name: 'Silver', min: 500 }] } },
      expect: 200,
    });
    await op('get', '/v1/program', {}, { key: pk(), expect: 200 });
    await op('put', '/v1/program', {}, { key: pk(), body: {}, expect: 403 });
    const badge = { name: 'First order', description: 'Your first order', icon: '🎉', criteria: { event: 'purchase', count: 1 } };
    await op('put', '/v1/badges/{id}', { id: 'first' }, { key: sk(), body: badge, expect: 201 });
    await op('put', '/v1/badges/{id}', { id: 'first' }, { key: sk(), body: badge, expect: 200 });
    await op('put', '/v1/badges/{id}', { id: 'first' }, { key: sk(), body: { ...badge, surprise: 1 }, expect: 400 });
    await op('get', '/v1/badges', {}, { key: pk(), expect: 200 });
    await op('get', '/v1/badges/{id}', { id: 'first' }, { key: pk(), expect: 200 });
    await op('get', '/v1/badges/{id}', { id: 'nope' }, { key: pk(), expect: 404 });
    const reward = { name: '10 % off', cost: 10, discount: { kind: 'percent', percent: 10 } };
    await op('put', '/v1/rewards/{id}', { id: 'ten' }, { key: sk(), body: reward, expect: 201 });
    await op('put', '/v1/rewards/{id}', { id: 'ten' }, { key: sk(), body: reward, expect: 200 });
    await op('put', '/v1/rewards/{id}', { id: 'big' }, { key: sk(), body: { ...reward, cost: 1_000_000, discount: { kind: 'fixed', amount: 50, currency: 'EUR' } }, expect: 201 });
    await op('get', '/v1/rewards', {}, { key: pk(), expect: 200 });
    await op('get', '/v1/rewards/{id}', { id: 'ten' }, { key: pk(), expect: 200 });
    const purchase = (id: string, customerId: string, total: number) => ({ id, type: 'purchase', customerId, properties: { orderId: `o-${id}`, total, currency: 'EUR' } });
    await op('post', '/v1/events', {}, { key: sk(), body: purchase('p1', 'ana', 60), expect: 200 });
    await op('post', '/v1/events', {}, { key: sk(), body: { events: [purchase('p2', 'bo', 20), purchase('p3', 'cy', 30)] }, expect: 200 });
    await op('post', '/v1/events', {}, { key: sk(), rawBody: 'not json', headers: { 'content-type': 'text/plain' }, expect: 415 });
    await op('post', '/v1/events', {}, { body: purchase('p4', 'ana', 1), expect: 401 });
    await op('get', '/v1/customers/{customerId}', { customerId: 'ana' }, { key: sk(), expect: 200 });
    await op('get', '/v1/customers/{customerId}', { customerId: 'ana' }, { key: pk(), headers: as('ana'), expect: 200 });
    await op('get', '/v1/customers/{customerId}', { customerId: 'ana' }, { key: pk(), expect: 403 });
    await op('get', '/v1/customers', {}, { key: sk(), query: '?limit=2', expect: 200 });
    await op('post', '/v1/customers/{customerId}/redemptions', { customerId: 'ana' }, { key: sk(), body: { rewardId: 'ten', id: 'r-1' }, expect: 201 });
    await op('post', '/v1/customers/{customerId}/redemptions', { customerId: 'ana' }, { key: sk(), body: { rewardId: 'ten', id: 'r-1' }, expect: 200 });
    await op('post', '/v1/customers/{customerId}/redemptions', { customerId: 'ana' }, { key: sk(), body: { rewardId: 'big' }, expect: 409 });

    // Guest claims.
    const claim = await op('post', '/v1/order-claims', {}, {
      key: sk(),
      body: { event: { id: 'guest-1', type: 'purchase', properties: { orderId: 'g-1', total: 25, currency: 'EUR' } }, returnUrl: 'https://shop.example/sign-in' },
      expect: 201,
    });
    await op('get', '/v1/order-claims/{token}', { token: claim.body.token }, { key: pk(), expect: 200 });
    await op('post', '/v1/order-claims/{token}/accept', { token: claim.body.token }, { key: pk(), headers: as('ana'), body: {}, expect: 200 });
    await op('post', '/v1/order-claims/{token}/accept', { token: claim.body.token }, { key: sk(), body: { customerId: 'bo' }, expect: 409 });
    // The deprecated path answers the same, for one version.
    const oldClaim = await op('post', '/v1/claims', {}, {
      key: sk(),
      body: { event: { id: 'guest-2', type: 'purchase', properties: { orderId: 'g-2', total: 5, currency: 'EUR' } } },
      expect: 201,
    });
    await op('get', '/v1/claims/{token}', { token: oldClaim.body.token }, { key: pk(), expect: 200 });
    await op('post', '/v1/claims/{token}/accept', { token: oldClaim.body.token }, { key: pk(), headers: as('ana'), body: {}, expect: 200 });

    // Trophies and the documents verifiers read.
    const trophy = {
      name: 'Community roaster',
      description: 'For coffee lovers who help other coffee lovers.',
      image: 'https://cdn.example/roaster.png',
      criteriaNarrative: 'Awarded by the shop for helping other coffee lovers',
      levels: [{ level: 'bronze' }, { level: 'silver', name: 'Silver roaster' }, { level: 'gold' }],
    };
    await op('put', '/v1/trophies/{id}', { id: 'roaster' }, { key: sk(), body: trophy, expect: 201 });
    await op('put', '/v1/trophies/{id}', { id: 'roaster' }, { key: sk(), body: trophy, expect: 200 });
    await op('get', '/v1/trophies', {}, { key: pk(), expect: 200 });
    await op('get', '/v1/trophies/{id}', { id: 'roaster' }, { key: pk(), expect: 200 });
    const award = await op('post', '/v1/trophies/{id}/awards', { id: 'roaster' }, { key: sk(), body: { customerId: 'ana', level: 'bronze', reason: 'Helped', id: 'a-1' }, expect: 201 });
    await op('post', '/v1/trophies/{id}/awards', { id: 'roaster' }, { key: sk(), body: { customerId: 'ana', level: 'bronze', reason: 'Helped', id: 'a-1' }, expect: 200 });
    await op('post', '/v1/trophies/{id}/awards', { id: 'roaster' }, { key: sk(), body: { customerId: 'ana', level: 'bronze', reason: 'Again' }, expect: 409 });
    const silver = await op('post', '/v1/trophies/{id}/awards', { id: 'roaster' }, { key: sk(), body: { customerId: 'bo', level: 'silver', reason: 'Helped' }, expect: 201 });
    const awardId = award.body.awardId as string;
    await op('get', '/v1/trophies/{id}/awards/{awardId}', { id: 'roaster', awardId }, { key: sk(), expect: 200 });
    await op('get', '/v1/trophies/{id}/awards/{awardId}', { id: 'roaster', awardId }, { key: pk(), expect: 403 });
    await op('get', '/t/{awardId}', { awardId }, { expect: 200 });
    await op('get', '/t/{awardId}', { awardId: 'x'.repeat(21) }, { expect: 404 });
    const credential = await op('get', '/t/{awardId}.json', { awardId }, { expect: 200 });
    await op('get', '/t/{awardId}.json', { awardId: 'x'.repeat(21) }, { expect: 404 });
    await op('get', '/t/{awardId}/verify', { awardId }, { expect: 200 });
    await op('get', '/t/{awardId}/verify', { awardId: 'x'.repeat(21) }, { expect: 404 });
    const shopId = t.shop.shopId;
    await op('get', '/t/issuers/{shopId}', { shopId }, { expect: 200 });
    await op('get', '/t/issuers/{shopId}', { shopId: 'shop_nope' }, { expect: 404 });
    await op('get', '/t/issuers/{shopId}/did.json', { shopId }, { expect: 200 });
    await op('get', '/t/achievements/{shopId}/{trophyId}/{level}', { shopId, trophyId: 'roaster', level: 'bronze' }, { expect: 200 });
    await op('get', '/t/achievements/{shopId}/{trophyId}/{level}', { shopId, trophyId: 'roaster', level: 'platinum' }, { expect: 404 });
    const statusList = new URL(credential.body.credentialStatus.statusListCredential as string).pathname.split('/').pop()!;
    await op('get', '/t/status/{shopId}/{list}', { shopId, list: statusList }, { expect: 200 });
    await op('delete', '/v1/trophies/{id}/awards/{awardId}', { id: 'roaster', awardId }, { key: sk(), expect: 200 });
    await op('post', '/v1/trophies/{id}/awards/{awardId}/revocation', { id: 'roaster', awardId: silver.body.awardId }, { key: sk(), body: { reason: 'Mistake' }, expect: 200 });

    // NPS surveys.
    const survey = { question: { en: 'How likely are you to recommend us?' }, followUps: { detractor: { en: 'What went wrong?' } }, placement: 'cart', samplePercent: 100 };
    await op('put', '/v1/surveys/{id}', { id: 'nps' }, { key: sk(), body: survey, expect: 201 });
    await op('put', '/v1/surveys/{id}', { id: 'nps' }, { key: sk(), body: survey, expect: 200 });
    await op('get', '/v1/surveys', {}, { key: sk(), expect: 200 });
    await op('get', '/v1/surveys/{id}', { id: 'nps' }, { key: sk(), expect: 200 });
    await op('get', '/v1/surveys/{id}', { id: 'nps' }, { key: pk(), expect: 200 });
    await op('get', '/v1/surveys/{id}/eligibility', { id: 'nps' }, { key: pk(), headers: as('ana'), query: '?placement=cart', expect: 200 });
    await op('post', '/v1/surveys/{id}/displays', { id: 'nps' }, { key: pk(), headers: as('ana'), body: { id: 'display-0001' }, expect: 200 });
    await op('get', '/v1/surveys/{id}/eligibility', { id: 'nps' }, { key: pk(), headers: as('ana'), query: '?placement=cart', expect: 200 });
    await op('post', '/v1/surveys/{id}/responses', { id: 'nps' }, { key: pk(), headers: as('ana'), body: { id: 'response-0001', displayId: 'display-0001', score: 9, comment: 'Lovely' }, expect: 201 });
    await op('post', '/v1/surveys/{id}/responses', { id: 'nps' }, { key: pk(), headers: as('ana'), body: { id: 'response-0001', displayId: 'display-0001', score: 9, comment: 'Lovely' }, expect: 200 });
    await op('post', '/v1/surveys/{id}/responses', { id: 'nps' }, { key: pk(), headers: as('ana'), body: { id: 'response-0002', displayId: 'display-0001', score: 3 }, expect: 409 });
    await op('get', '/v1/surveys/{id}/summary', { id: 'nps' }, { key: sk(), expect: 200 });
    const link = await op('post', '/v1/surveys/{id}/links', { id: 'nps' }, { key: sk(), body: { customerId: 'ana', orderId: '1001' }, expect: 200 });
    const surveyPage = new URL(link.body.url as string);
    await raw('get', '/s/{shopId}/{surveyId}', surveyPage.pathname + surveyPage.search, {}, 200);
    await raw('get', '/s/{shopId}/{surveyId}', `${surveyPage.pathname}?c=ana&o=1001&h=${'0'.repeat(64)}`, {}, 404);
    const answer = (fields: Record<string, string>) => ({ body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await raw('post', '/s/{shopId}/{surveyId}', surveyPage.pathname + surveyPage.search, answer({}), 400);
    await raw('post', '/s/{shopId}/{surveyId}', surveyPage.pathname + surveyPage.search, answer({ score: '9' }), 200);

    // Buy buttons and drops.
    const hour = 3_600_000;
    const mug = {
      name: 'Moon glaze mug',
      price: 28,
      currency: 'EUR',
      imageUrl: 'https://shop.example/mug.jpg',
      checkoutUrl: 'https://shop.example/cart?add=mug',
      availableFrom: new Date(T0 - hour).toISOString(),
      availableUntil: new Date(T0 + 24 * hour).toISOString(),
      stock: 50,
      holdMinutes: 10,
    };
    await op('put', '/v1/products/{id}', { id: 'mug' }, { key: sk(), body: mug, expect: 201 });
    await op('put', '/v1/products/{id}', { id: 'mug' }, { key: sk(), body: mug, expect: 200 });
    const product = await op('get', '/v1/products/{id}', { id: 'mug' }, { key: pk(), expect: 200 });
    await op('get', '/v1/products/{id}', { id: 'mug' }, { key: pk(), headers: { 'if-none-match': product.headers.get('etag')! }, expect: 304 });
    await op('get', '/v1/products/{id}', { id: 'mug' }, { key: sk(), expect: 200 });
    const held = await op('post', '/v1/products/{id}/reservations', { id: 'mug' }, { key: pk(), headers: { 'x-kudos-anonymous-id': 'anon-visitor-1' }, body: { ref: 'https://directory.example' }, expect: 201 });
    await op('get', '/v1/products/{id}/reservations/{token}', { id: 'mug', token: held.body.token }, { key: sk(), expect: 200 });
    await op('post', '/v1/products/{id}/interactions', { id: 'mug' }, { key: pk(), headers: { 'x-kudos-anonymous-id': 'anon-visitor-1' }, body: { type: 'view' }, expect: 204 });
    await op('put', '/v1/products/{id}', { id: 'free' }, { key: sk(), body: { ...mug, stock: undefined, availableFrom: undefined, availableUntil: undefined }, expect: 201 });
    await op('post', '/v1/products/{id}/reservations', { id: 'free' }, { key: pk(), headers: { 'x-kudos-anonymous-id': 'anon-visitor-1' }, body: {}, expect: 200 });

    // Share-to-save: campaign, group, members, a code supplied by the shop.
    const campaign = { name: 'Bring a friend', scope: { kind: 'product', productId: 'mug' }, tiers: [{ members: 2, percentOff: 10 }], windowHours: 24, maxMembers: 10, codes: { issuer: 'shop' } };
    await op('put', '/v1/campaigns/{id}', { id: 'duo' }, { key: sk(), body: campaign, expect: 201 });
    await op('put', '/v1/campaigns/{id}', { id: 'duo' }, { key: sk(), body: campaign, expect: 200 });
    await op('get', '/v1/campaigns/{id}', { id: 'duo' }, { key: pk(), expect: 200 });
    await op('get', '/v1/campaigns/{id}', { id: 'duo' }, { key: sk(), expect: 200 });
    const group = await op('post', '/v1/groups', {}, { key: pk(), headers: as('ana'), body: { campaign: 'duo', productId: 'mug', pageUrl: 'https://shop.example/mug' }, expect: 201 });
    const code = group.body.code as string;
    await op('post', '/v1/groups', {}, { key: pk(), headers: as('ana'), body: { campaign: 'nope' }, expect: 404 });
    await op('post', '/v1/groups/{code}/join', { code }, { key: pk(), headers: as('bo'), expect: 200 });
    await op('post', '/v1/groups/{code}/join', { code }, { key: pk(), headers: as('bo'), expect: 409 });
    await op('get', '/v1/groups/{code}', { code }, { key: pk(), headers: as('ana'), expect: 200 });
    await op('get', '/v1/groups/{code}/members', { code }, { key: sk(), expect: 200 });
    await op('put', '/v1/groups/{code}/members/{customerId}/discount-code', { code, customerId: 'ana' }, { key: sk(), body: { discountCode: 'SHOP-ANA-10', percentOff: 10 }, expect: 200 });

    // Webhooks, verified emails, signed orders in.
    const endpoint = { url: 'https://backend.shop.example/kudos', events: ['email.verification_requested', 'award.created'] };
    await op('put', '/v1/webhooks/{id}', { id: 'backend' }, { key: sk(), body: endpoint, expect: 201 });
    await op('put', '/v1/webhooks/{id}', { id: 'backend' }, { key: sk(), body: { ...endpoint, description: 'Mailer' }, expect: 200 });
    await op('get', '/v1/webhooks', {}, { key: sk(), expect: 200 });
    await op('get', '/v1/webhooks/{id}', { id: 'backend' }, { key: sk(), expect: 200 });
    await op('post', '/v1/webhooks/{id}/rotate', { id: 'backend' }, { key: sk(), expect: 200 });
    const asked = await op('post', '/v1/email-verifications', {}, { key: pk(), body: { email: 'dee@example.org' }, expect: 201 });
    const deliveries = await t.server.store.listDocuments<Delivery>(t.shop.shopId, DELIVERIES);
    const mailed = deliveries.map((d) => JSON.parse(openText(d.body))).find((b) => b.data?.claimId === asked.body.id);
    await op('post', '/v1/email-verifications/{id}/confirm', { id: asked.body.id }, { key: pk(), body: { code: mailed.data.code }, expect: 200 });
    const askedOld = await op('post', '/v1/email-claims', {}, { key: pk(), body: { email: 'eve@example.org' }, expect: 201 });
    const mailedOld = (await t.server.store.listDocuments<Delivery>(t.shop.shopId, DELIVERIES))
      .map((d) => JSON.parse(openText(d.body)))
      .find((b) => b.data?.claimId === askedOld.body.id);
    await op('post', '/v1/email-claims/{id}/confirm', { id: askedOld.body.id }, { key: pk(), body: { code: mailedOld.data.code }, expect: 200 });
    const log = await op('get', '/v1/webhooks/{id}/deliveries', { id: 'backend' }, { key: sk(), expect: 200 });
    await op('get', '/v1/webhooks/{id}/attempts', { id: 'backend' }, { key: sk(), expect: 200 });
    await op('get', '/v1/webhooks/{id}/attempts', { id: 'nobody' }, { key: sk(), expect: 404 });
    await op('post', '/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', { id: 'backend', deliveryId: log.body.data[0].id }, { key: sk(), expect: 202 });
    const order = JSON.stringify({ type: 'order.created', orderId: 'W-1', customerId: 'ana', total: 40, currency: 'EUR' });
    const signed = (body: string, secret = sk()) => ({
      body,
      headers: { 'content-type': 'application/json', 'kudos-shop': t.shop.shopId, 'kudos-signature': webhookTestHeader(body, secret, Math.floor(clock / 1000)) },
    });
    await raw('post', '/v1/webhooks/orders', '/v1/webhooks/orders', signed(order), 200);
    await raw('post', '/v1/webhooks/orders', '/v1/webhooks/orders', signed(order, 'sk_wrong'), 401);
    await raw('post', '/v1/webhooks/orders', '/v1/webhooks/orders', signed(JSON.stringify({ type: 'order.created' })), 400);
    await op('post', '/v1/history/orders', {}, {
      key: sk(),
      body: { orders: [{ type: 'order.created', orderId: 'H-1', customerId: 'cy', total: 15, currency: 'EUR', occurredAt: new Date(T0 - 30 * 86_400_000).toISOString() }] },
      expect: 200,
    });

    // Shopify / WooCommerce connections, and a platform's delivery (WooCommerce's unsigned ping).
    await op('put', '/v1/connections/{id}', { id: 'woo' }, { key: sk(), body: { platform: 'woocommerce', secret: 'woo-signing-secret' }, expect: 201 });
    await op('put', '/v1/connections/{id}', { id: 'woo' }, { key: sk(), body: { platform: 'woocommerce', secret: 'woo-signing-secret', description: 'Shop' }, expect: 200 });
    await op('get', '/v1/connections', {}, { key: sk(), expect: 200 });
    await op('get', '/v1/connections/{id}', { id: 'woo' }, { key: sk(), expect: 200 });
    await op('get', '/v1/connections/{id}', { id: 'woo' }, { key: pk(), expect: 403 });
    const connect = '/v1/connect/{platform}/{shopId}/{connectionId}';
    const wooPath = `/v1/connect/woocommerce/${t.shop.shopId}/woo`;
    await raw('post', connect, wooPath, { body: 'webhook_id=12', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 200);
    await raw('post', connect, wooPath, { body: '{}', headers: { 'content-type': 'application/json', 'x-wc-webhook-signature': 'forged' } }, 401);
    await op('delete', '/v1/connections/{id}', { id: 'woo' }, { key: sk(), expect: 204 });

    // Limits.
    const limits = await op('get', '/v1/limits', {}, { key: sk(), expect: 200 });
    await op('put', '/v1/limits', {}, { key: sk(), body: limits.body, expect: 200 });

    // Market check-ins, the hosted page, the market list, and micro-gifts.
    const point = {
      name: 'Saturday market',
      place: 'Stand 12',
      from: new Date(T0 - hour).toISOString(),
      until: new Date(T0 + 30 * hour).toISOString(),
      points: 5,
      consentText: 'news about our next markets, about once a month',
    };
    await op('put', '/v1/checkins/{id}', { id: 'stall' }, { key: sk(), body: point, expect: 201 });
    await op('put', '/v1/checkins/{id}', { id: 'stall' }, { key: sk(), body: point, expect: 200 });
    await op('get', '/v1/checkins', {}, { key: sk(), expect: 200 });
    await op('get', '/v1/checkins/{id}', { id: 'stall' }, { key: sk(), expect: 200 });
    const qr = await op('get', '/v1/checkins/{id}/qr', { id: 'stall' }, { key: sk(), query: '?format=json', expect: 200 });
    await op('get', '/v1/checkins/{id}/qr', { id: 'stall' }, { key: sk(), expect: 200 });
    await op('get', '/v1/checkins/{id}/qr', { id: 'stall' }, { key: sk(), query: '?format=png', expect: 200 });
    const page = new URL(qr.body.url as string).pathname;
    const token = page.split('/').pop()!;
    await raw('get', '/c/{token}', page, {}, 200);
    await raw('get', '/c/{token}', '/c/garbage', {}, 404);
    await raw('get', '/c/{token}/qr', `${page}/qr`, {}, 200);
    await raw('get', '/c/{token}/qr', '/c/garbage/qr', {}, 404);
    const form = (fields: Record<string, string>) => ({ body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await raw('post', '/c/{token}', page, form({ email: 'eve@example.org' }), 400);
    await raw('post', '/c/{token}', page, form({ email: 'eve@example.org', consent: 'yes' }), 200);
    expect(token).not.toBe('');
    const listed = await op('get', '/v1/market-list', {}, { key: sk(), expect: 200 });
    const withdraw = new URL(listed.body.data[0].withdrawUrl as string).pathname;
    await raw('get', '/w/{shopId}/{visitId}/{mac}', withdraw, {}, 200);
    await raw('get', '/w/{shopId}/{visitId}/{mac}', withdraw.replace(/.{4}$/, 'AAAA'), {}, 404);
    await op('get', '/v1/market-list.csv', {}, { key: sk(), expect: 200 });
    await op('post', '/v1/checkins/links', {}, { key: sk(), body: { customerId: 'eve', email: 'eve@example.org' }, expect: 200 });
    const gift = { name: 'Welcome', gift: { kind: 'points', points: 5 }, rule: { kind: 'firstOrder' }, budget: { max: 10, period: 'month' } };
    await op('put', '/v1/gifts/{id}', { id: 'welcome' }, { key: sk(), body: gift, expect: 201 });
    await op('put', '/v1/gifts/{id}', { id: 'sticker' }, { key: sk(), body: { ...gift, name: 'Sticker', gift: { kind: 'code' }, budget: undefined }, expect: 201 });
    await op('put', '/v1/gifts/{id}', { id: 'welcome' }, { key: sk(), body: gift, expect: 200 });
    await op('get', '/v1/gifts', {}, { key: sk(), expect: 200 });
    await op('get', '/v1/gifts/{id}', { id: 'welcome' }, { key: sk(), expect: 200 });
    await op('post', '/v1/events', {}, { key: sk(), body: purchase('p5', 'fay', 12), expect: 200 });

    // KPIs, customer data.
    await op('post', '/v1/stock', {}, { key: sk(), body: { levels: [{ sku: 'MUG', onHand: 12 }] }, expect: 200 });
    await op('post', '/v1/stock', {}, { key: sk(), body: { levels: [{ sku: 'MUG', onHand: -1 }] }, expect: 400 });
    await op('post', '/v1/events', {}, { key: sk(), body: { ...purchase('p6', 'fay', 8), properties: { orderId: 'p6', total: 8, currency: 'EUR', items: 'MUG*2' } }, expect: 200 });
    const settings = await op('get', '/v1/forecast/settings', {}, { key: sk(), expect: 200 });
    await op('put', '/v1/forecast/settings', {}, { key: sk(), body: settings.body, expect: 200 });
    await op('get', '/v1/forecast', {}, { key: sk(), expect: 200 });
    await op('get', '/v1/segments', {}, { key: sk(), expect: 200 });
    await op('get', '/v1/forecast', {}, { key: sk(), query: '?from=2026-03-10&to=2026-03-01', expect: 400 });
    await op('get', '/v1/metrics', {}, { key: sk(), expect: 200 });
    await op('get', '/v1/metrics', {}, { key: sk(), query: '?from=2026-03-10&to=2026-03-01', expect: 400 });
    await op('get', '/v1/customers/{customerId}/export', { customerId: 'ana' }, { key: sk(), expect: 200 });
    await op('get', '/v1/customers/{customerId}/export', { customerId: 'eve' }, { key: sk(), expect: 200 });
    // After eve's export (her visit's email linked her): she withdraws from the market list.
    await raw('post', '/w/{shopId}/{visitId}/{mac}', withdraw, form({}), 200);
    await op('delete', '/v1/customers/{customerId}', { customerId: 'cy' }, { key: sk(), expect: 204 });
    await op('delete', '/v1/customers/{customerId}', { customerId: 'cy' }, { key: sk(), expect: 404 });
    await op('delete', '/v1/webhooks/{id}', { id: 'backend' }, { key: sk(), expect: 204 });

    // The shop's own access, last: rolls and revocations here must not pull a key from under the walk.
    await op('get', '/v1/key', {}, { key: pk(), expect: 200 });
    await op('get', '/v1/key', {}, { key: sk(), expect: 200 });
    const keys = await op('get', '/v1/keys', {}, { key: sk(), expect: 200 });
    await op('post', '/v1/keys', {}, { key: sk(), body: { name: 'Till', scopes: ['nope'] }, expect: 400 });
    const till = await op('post', '/v1/keys', {}, { key: sk(), body: { name: 'Till', scopes: ['staff'] }, expect: 201 });
    await op('get', '/v1/keys/{id}', { id: till.body.id }, { key: sk(), expect: 200 });
    await op('get', '/v1/keys/{id}', { id: 'key_missing' }, { key: sk(), expect: 404 });
    await op('get', '/v1/keys', {}, { key: till.body.key, expect: 403 });
    const rolled = await op('post', '/v1/keys/{id}/roll', { id: till.body.id }, { key: sk(), body: { overlapHours: 0 }, expect: 201 });
    await op('post', '/v1/keys/{id}/roll', { id: till.body.id }, { key: sk(), expect: 409 });
    await op('delete', '/v1/keys/{id}', { id: rolled.body.id }, { key: sk(), expect: 200 });
    const publishable = (keys.body.data as { id: string; kind: string }[]).find((k) => k.kind === 'publishable')!;
    await op('delete', '/v1/keys/{id}', { id: publishable.id }, { key: sk(), expect: 409 });
    await op('get', '/v1/identity-secrets', {}, { key: sk(), expect: 200 });
    await op('post', '/v1/identity-secrets/roll', {}, { key: sk(), body: { overlapHours: 48 }, expect: 201 });
    await op('get', '/v1/shop/origins', {}, { key: sk(), expect: 200 });
    await op('post', '/v1/shop/origins', {}, { key: sk(), body: { origin: 'https://market.example' }, expect: 201 });
    await op('post', '/v1/shop/origins', {}, { key: sk(), body: { origin: 'https://market.example' }, expect: 200 });
    await op('post', '/v1/shop/origins', {}, { key: sk(), body: { origin: 'not an origin' }, expect: 400 });
    await op('delete', '/v1/shop/origins/{origin}', { origin: 'https://market.example' }, { key: sk(), expect: 204 });
    await op('delete', '/v1/shop/origins/{origin}', { origin: 'https://market.example' }, { key: sk(), expect: 404 });
    await op('put', '/v1/audit/settings', {}, { key: sk(), body: { retentionDays: 30 }, expect: 200 });
    await op('put', '/v1/audit/settings', {}, { key: sk(), body: { retentionDays: 0 }, expect: 400 });
    const audit = await op('get', '/v1/audit', {}, { key: sk(), query: '?limit=2', expect: 200 });
    expect(audit.body.nextCursor).not.toBeNull();
    await op('get', '/v1/audit', {}, { key: sk(), query: `?cursor=${audit.body.nextCursor}&q=key`, expect: 200 });
    await op('get', '/v1/audit', {}, { key: sk(), query: '?limit=0', expect: 400 });
    await op('get', '/v1/audit/export', {}, { key: sk(), expect: 200 });

    const unanswered = Object.entries(spec.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .map((method) => `${method.toUpperCase()} ${path}`)
        .filter((key) => ![...(answered.get(key) ?? [])].some((status) => status >= 200 && status < 300)),
    );
    expect(unanswered, 'operations the walk never got a 2xx from').toEqual([]);
  });
});
