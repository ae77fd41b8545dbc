// The first hour of a shop owner, over HTTP: setup mistakes answer problems that explain
// themselves (which origin, which id, how identities are signed) with a docs link that
// opens; an unregistered origin's answer is readable by the page; `/`, `/docs/…`,
// `/favicon.ico` and the printed "today's QR" link answer in a browser without a key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCheckinUrl } from '../../server/checkins/demo.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ seedDemo: true });
});
afterAll(() => t.dispose());

const problemOf = async (response: Response, status: number) => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return response.json();
};

describe('an origin the shop did not register', () => {
  const evil = 'https://unregistered.example';

  it('gets its preflight answered, then a readable 403 naming the origin and where to register it, with no shop data', async () => {
    const preflight = await t.call('/v1/badges', { method: 'OPTIONS', headers: { origin: evil, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(evil);
    const response = await t.call('/v1/badges', { key: t.shop.publishableKey, headers: { origin: evil } });
    expect(response.headers.get('access-control-allow-origin')).toBe(evil);
    const body = await problemOf(response, 403);
    expect(body.title).toBe('Origin not registered');
    expect(body.detail).toContain(evil);
    expect(body.detail).toContain(`kudos shop origins add --shop ${t.shop.shopId} ${evil}`);
    expect(body.docs).toBe(`${t.url}/docs/access.md#origins`);
    const text = JSON.stringify(body);
    // The shop id names where to register the origin (the key already tells it); nothing else of the shop.
    for (const secret of ['Test Shop', 'shop.example', t.shop.publishableKey]) expect(text).not.toContain(secret);
    // The route never ran: nothing but the problem.
    expect(Object.keys(body).sort()).toEqual(['detail', 'docs', 'requestId', 'status', 'title', 'type']);
  });

  it('a registered origin still gets its data, and a wrong origin of another shop the same readable 403', async () => {
    const own = await t.call('/v1/badges', { key: t.shop.publishableKey, headers: { origin: 'https://shop.example' } });
    expect(own.status).toBe(200);
    const other = await t.call('/v1/badges', { key: t.shop.publishableKey, headers: { origin: 'https://other.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBe('https://other.example');
    expect((await problemOf(other, 403)).title).toBe('Origin not registered');
  });
});

describe('setup problems carry a docs link that opens', () => {
  it('a bad identity hash says how signing works', async () => {
    const body = await problemOf(
      await t.call('/v1/customers/c_1', { key: t.shop.publishableKey, headers: { 'x-kudos-customer': 'c_1', 'x-kudos-customer-hash': 'f'.repeat(64) } }),
      403,
    );
    expect(body.detail).toMatch(/HMAC-SHA256/);
    expect(body.docs).toBe(`${t.url}/docs/getting-started.md#your-shops-backend`);
    const guide = await fetch(body.docs);
    expect(guide.status).toBe(200);
    expect(await guide.text()).toContain("## Your shop's backend");
  });

  it('an unknown key points at the script tag', async () => {
    const body = await problemOf(await t.call('/v1/badges', { key: 'pk_nope' }), 401);
    expect(body.docs).toBe(`${t.url}/docs/getting-started.md#the-script-tag`);
  });

  it('an unknown survey, campaign or product names its id and its guide', async () => {
    const anon = { 'x-kudos-anonymous-id': 'anon-first-hour-1' };
    const survey = await problemOf(await t.call('/v1/surveys/no-such-survey/eligibility', { key: t.shop.publishableKey, headers: anon }), 404);
    expect(survey.detail).toContain('"no-such-survey"');
    expect(survey.docs).toBe(`${t.url}/docs/nps.md`);
    const campaign = await problemOf(await t.call('/v1/campaigns/no-such-campaign', { key: t.shop.publishableKey, headers: anon }), 404);
    expect(campaign.detail).toContain('"no-such-campaign"');
    expect(campaign.docs).toBe(`${t.url}/docs/share-save.md`);
    const product = await problemOf(await t.call('/v1/products/no-such-product', { key: t.shop.publishableKey, headers: anon }), 404);
    expect(product.detail).toContain('"no-such-product"');
    expect(product.docs).toBe(`${t.url}/docs/buy-buttons.md`);
  });
});

describe('pages a browser opens', () => {
  it('/ is a landing page with links to the console, demo pages, docs and API reference', async () => {
    const response = await fetch(`${t.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).toContain('<h1>Kudos is running</h1>');
    for (const href of ['/console', '/examples/storefront.html', '/examples/directory.html', '/docs/getting-started.md', '/docs/', '/openapi.json']) {
      expect(html).toContain(`href="${href}"`);
    }
    expect(html).toMatch(/href="http:\/\/127\.0\.0\.1:\d+\/c\/[^"]+\/qr"/);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('sk_');
  });

  it('serves the guides as text, and nothing outside docs/', async () => {
    const index = await fetch(`${t.url}/docs/`);
    expect(index.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await index.text()).toContain('# Kudos documentation');
    expect((await fetch(`${t.url}/docs/operations.md`)).status).toBe(200);
    for (const path of ['/docs/..%2Fpackage.json', '/docs/%2E%2E%2Fpackage.json', '/docs/nope.md', '/docs/Getting-Started.md']) {
      expect((await fetch(`${t.url}${path}`)).status).toBe(404);
    }
  });

  it('/favicon.ico is an icon', async () => {
    const response = await fetch(`${t.url}/favicon.ico`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/x-icon');
    const ico = Buffer.from(await response.arrayBuffer());
    expect([...ico.subarray(0, 6)]).toEqual([0, 0, 1, 0, 1, 0]); // ICO, one image
    expect(ico.subarray(22, 26).toString('latin1')).toBe('\x89PNG');
  });

  it("today's check-in QR opens without a key, for a genuine link only", async () => {
    const shop = t.server.demoShop!;
    const url = (await demoCheckinUrl(t.server.store, shop, t.url))!;
    const qr = await fetch(`${url}/qr`);
    expect(qr.status).toBe(200);
    expect(qr.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await qr.text()).toContain('<svg');
    const forged = url.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await fetch(`${forged}/qr`)).status).toBe(404);
  });
});
