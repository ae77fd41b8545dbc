// The runtime against a real HTTP API (started by the web-test-runner config; see
// `kudos-fixture`, `kudos-requests` and `kudos-fail-next` there). Nothing here stubs fetch.
import { expect, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { createGate, deadApi } from '../test/web/kudos.js';
import { createRuntime, installRuntime } from './runtime.js';
import type { Award, KudosApiError, KudosRuntime } from './types.js';

interface Fixture {
  api: string;
  key: string;
  customerId: string;
  customerHash: string;
  /** A browser-safe event type that earns a badge the first time a shopper sends it. */
  awardEvent: string;
}

interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: { events: { id: string; type: string; properties?: Record<string, unknown>; occurredAt: string }[] };
}

const freshShop = () => executeServerCommand<Fixture, undefined>('kudos-fixture');

const eventPosts = async (key: string) =>
  ((await executeServerCommand<RecordedRequest[], { key: string }>('kudos-requests', { key })) ?? []).filter(
    (r) => r.method == 'POST' && r.path == '/v1/events',
  );

/** Wait (no deadline but the test's own) until the API has received `count` event posts. */
async function waitForEventPosts(key: string, count: number): Promise<RecordedRequest[]> {
  for (;;) {
    const posts = await eventPosts(key);
    if (posts.length >= count) return posts;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 25));
}

const identityOf = (f: Fixture) => ({ customerId: f.customerId, customerHash: f.customerHash });

/** Record console.warn calls for the duration of one test. */
function captureWarnings() {
  const calls: unknown[][] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => void calls.push(args);
  return { calls, restore: () => (console.warn = original) };
}

const globalScope = window as unknown as { Kudos?: unknown };

describe('Kudos runtime', () => {
  let shop: Fixture;
  beforeEach(async () => {
    shop = await freshShop();
    delete globalScope.Kudos;
  });
  afterEach(() => {
    delete globalScope.Kudos;
  });

  describe('installRuntime', () => {
    it('replaces the snippet stub and runs its queued calls in order', async () => {
      // The snippet a shop pastes before the script tag.
      const stub = function () {
        (stub.q = stub.q || []).push(arguments);
      } as ((...args: unknown[]) => void) & { q?: IArguments[] };
      globalScope.Kudos = stub;
      stub('track', 'page_view', { path: '/before-identify' });
      stub('identify', identityOf(shop));
      stub('track', 'product_view', { sku: 'mug-01' });

      const runtime = installRuntime({ api: shop.api, key: shop.key });

      expect(globalScope.Kudos).to.equal(runtime);
      expect(runtime.version).to.be.a('string');
      const [anonymous, identified] = await waitForEventPosts(shop.key, 2);
      expect(anonymous!.body.events.map((e) => e.type)).to.deep.equal(['page_view']);
      expect(anonymous!.headers['x-kudos-anonymous-id']).to.equal(runtime.config.anonymousId);
      expect(identified!.body.events.map((e) => e.type)).to.deep.equal(['product_view']);
      expect(identified!.headers['x-kudos-customer']).to.equal(shop.customerId);
    });

    it('dispatches kudos-refresh once installed, so widgets defined earlier can load', async () => {
      const refreshed = oneEvent(document, 'kudos-refresh');
      installRuntime({ api: shop.api, key: shop.key });
      expect((await refreshed).type).to.equal('kudos-refresh');
    });

    it('keeps a runtime that is already installed', () => {
      const first = installRuntime({ api: shop.api, key: shop.key });
      const second = installRuntime({ api: 'https://elsewhere.example', key: 'pk_other' });
      expect(second).to.equal(first);
      expect(second.config.api).to.equal(shop.api);
    });
  });

  describe("Kudos('track')", () => {
    it('sends the events of one tick in one request with key and anonymous-id headers', async () => {
      const kudos = createRuntime({ api: shop.api, key: shop.key });
      kudos('track', 'page_view', { path: '/' });
      kudos('track', 'product_view', { sku: 'mug-01' });
      kudos('track', 'directory_click');

      const [post] = await waitForEventPosts(shop.key, 1);
      // All three are in the first request, so no other request can carry them.
      expect(post!.body.events.map((e) => e.type)).to.deep.equal(['page_view', 'product_view', 'directory_click']);
      const [first] = post!.body.events;
      expect(first!.properties).to.deep.equal({ path: '/' });
      expect(new Date(first!.occurredAt).toISOString()).to.equal(first!.occurredAt);
      expect(new Set(post!.body.events.map((e) => e.id)).size).to.equal(3);
      expect(post!.headers).to.deep.equal({
        authorization: `Bearer ${shop.key}`,
        'content-type': 'application/json',
        'x-kudos-anonymous-id': kudos.config.anonymousId,
      });
    });

    it('splits more than 100 events of one tick into requests of at most 100', async () => {
      const kudos = createRuntime({ api: shop.api, key: shop.key });
      for (let i = 0; i < 150; i++) kudos('track', 'page_view', { i });

      const posts = await waitForEventPosts(shop.key, 2);
      const sizes = posts.map((p) => p.body.events.length).sort((a, b) => b - a);
      expect(sizes).to.deep.equal([100, 50]);
      const indexes = posts.flatMap((p) => p.body.events.map((e) => e.properties!.i)).sort((a, b) => Number(a) - Number(b));
      expect(indexes).to.deep.equal([...Array(150).keys()]);
    });

    it('dispatches kudos-award on document for every award in the answer', async () => {
      const kudos = createRuntime({ api: shop.api, key: shop.key, ...identityOf(shop) });
      const awarded = oneEvent(document, 'kudos-award');
      kudos('track', shop.awardEvent);

      const event = (await awarded) as CustomEvent<Award>;
      expect(event.detail).to.include({ kind: 'badge' });
      expect(event.detail.id).to.be.a('string');
      expect(event.detail.name).to.be.a('string');
      expect(event.bubbles, 'bubbles').to.equal(true);
      expect(event.composed, 'composed').to.equal(true);
    });

    it('sends again with the same ids after a 5xx, so the award arrives once', async () => {
      await executeServerCommand('kudos-fail-next', { key: shop.key, status: 503, times: 1 });
      const kudos = createRuntime({ api: shop.api, key: shop.key, ...identityOf(shop) });
      const awards: Award[] = [];
      const collect = (e: Event) => awards.push((e as CustomEvent<Award>).detail);
      document.addEventListener('kudos-award', collect);
      try {
        kudos('track', shop.awardEvent);
        const [failed, retried] = await waitForEventPosts(shop.key, 2);
        await until(() => awards.length > 0);
        expect(retried!.body.events.map((e) => e.id)).to.deep.equal(failed!.body.events.map((e) => e.id));
        expect(awards).to.have.length(1);
      } finally {
        document.removeEventListener('kudos-award', collect);
      }
    });

    it('keeps events through a network failure and sends them when the API is back', async () => {
      const gate = await createGate(false); // connections to it are reset until gate.up()
      const eventsUrl = `${gate.api}/v1/events`;
      let attempts = 0;
      const observer = new PerformanceObserver((list) => {
        attempts += list.getEntries().filter((entry) => entry.name == eventsUrl).length;
      });
      observer.observe({ type: 'resource' });
      try {
        const kudos = createRuntime({ api: gate.api, key: shop.key, ...identityOf(shop) });
        const awarded = oneEvent(document, 'kudos-award');
        kudos('track', shop.awardEvent);
        await until(() => attempts > 0); // the first attempt has failed
        await gate.up();
        const event = (await awarded) as CustomEvent<Award>;
        expect(event.detail.kind).to.equal('badge');
      } finally {
        observer.disconnect();
      }
    });

    it('drops events the API refuses (4xx) after one warning with the problem', async () => {
      const warnings = captureWarnings();
      try {
        const kudos = createRuntime({ api: shop.api, key: shop.key });
        kudos('track', 'purchase', { orderId: 'o1', total: 10, currency: 'EUR' }); // needs the secret key
        await until(() => warnings.calls.length > 0);
        kudos('track', 'page_view');

        const posts = await waitForEventPosts(shop.key, 2);
        expect(posts[1]!.body.events.map((e) => e.type), 'the refused event is not sent again').to.deep.equal(['page_view']);
        expect(warnings.calls).to.have.length(1);
        expect(warnings.calls[0]).to.satisfy((args: unknown[]) =>
          args.some((a) => (a as { status?: number } | null)?.status == 403),
        );
      } finally {
        warnings.restore();
      }
    });
  });

  describe("Kudos('identify') and Kudos('refresh')", () => {
    it('identify switches to the customer headers and dispatches kudos-refresh', async () => {
      const kudos = createRuntime({ api: shop.api, key: shop.key });
      const refreshed = oneEvent(document, 'kudos-refresh');
      kudos('identify', identityOf(shop));
      const event = await refreshed;
      expect(event.bubbles && event.composed).to.equal(true);
      expect(kudos.config).to.include(identityOf(shop));

      kudos('track', 'page_view');
      const [post] = await waitForEventPosts(shop.key, 1);
      expect(post!.headers['x-kudos-customer']).to.equal(shop.customerId);
      expect(post!.headers['x-kudos-customer-hash']).to.equal(shop.customerHash);
      expect(post!.headers).not.to.have.property('x-kudos-anonymous-id');

      const customer = await kudos.request<{ customerId: string }>(`/v1/customers/${shop.customerId}`);
      expect(customer.customerId).to.equal(shop.customerId);
    });

    it('sends events tracked before identify under the earlier identity', async () => {
      const kudos = createRuntime({ api: shop.api, key: shop.key });
      kudos('track', 'page_view');
      kudos('identify', identityOf(shop));
      kudos('track', 'product_view');

      const posts = await waitForEventPosts(shop.key, 2);
      const byType = Object.fromEntries(posts.map((p) => [p.body.events[0]!.type, p.headers]));
      expect(byType.page_view).to.have.property('x-kudos-anonymous-id');
      expect(byType.product_view).to.have.property('x-kudos-customer', shop.customerId);
    });

    it('refresh dispatches a bubbling, composed kudos-refresh on document', async () => {
      const kudos = createRuntime({ api: shop.api, key: shop.key });
      const refreshed = oneEvent(document, 'kudos-refresh');
      kudos('refresh');
      const event = await refreshed;
      expect(event.bubbles && event.composed).to.equal(true);
    });

    it('warns about unknown commands and bad arguments instead of throwing', () => {
      const warnings = captureWarnings();
      try {
        const kudos = createRuntime({ api: shop.api, key: shop.key });
        expect(() => kudos('launch-rockets')).not.to.throw();
        expect(() => kudos('identify', { customerId: 'c_1' })).not.to.throw();
        expect(() => (kudos as (...args: unknown[]) => void)('track')).not.to.throw();
        const circular: Record<string, unknown> = {};
        circular.self = circular;
        expect(() => kudos('track', 'page_view', circular)).not.to.throw();
        expect(warnings.calls).to.have.length(4);
      } finally {
        warnings.restore();
      }
    });
  });

  describe('anonymous id', () => {
    it('is created once and kept in localStorage under kudos:aid', () => {
      localStorage.removeItem('kudos:aid');
      const first = createRuntime({ api: shop.api, key: shop.key });
      expect(first.config.anonymousId).to.match(/^[A-Za-z0-9_-]{8,64}$/);
      expect(localStorage.getItem('kudos:aid')).to.equal(first.config.anonymousId);
      expect(createRuntime({ api: shop.api, key: shop.key }).config.anonymousId).to.equal(first.config.anonymousId);
    });

    it('replaces a stored value the API would refuse', () => {
      localStorage.setItem('kudos:aid', 'not an id!');
      const { anonymousId } = createRuntime({ api: shop.api, key: shop.key }).config;
      expect(anonymousId).to.match(/^[A-Za-z0-9_-]{8,64}$/);
      expect(localStorage.getItem('kudos:aid')).to.equal(anonymousId);
    });

    it('falls back to one in-memory id when storage throws', () => {
      const { getItem } = Storage.prototype;
      Storage.prototype.getItem = () => {
        throw new DOMException('blocked', 'SecurityError');
      };
      try {
        const first = createRuntime({ api: shop.api, key: shop.key }).config.anonymousId;
        expect(first).to.match(/^[A-Za-z0-9_-]{8,64}$/);
        expect(createRuntime({ api: shop.api, key: shop.key }).config.anonymousId).to.equal(first);
      } finally {
        Storage.prototype.getItem = getItem;
      }
    });
  });

  describe('Kudos.request', () => {
    let kudos: KudosRuntime;
    beforeEach(() => {
      kudos = createRuntime({ api: `${shop.api}/`, key: shop.key, ...identityOf(shop) });
    });

    it('resolves the parsed JSON answer', async () => {
      const customer = await kudos.request<{ customerId: string; points: number }>(`/v1/customers/${shop.customerId}`);
      expect(customer).to.include({ customerId: shop.customerId, points: 0 });
    });

    it('sends a body as JSON, with POST unless told otherwise', async () => {
      const answer = await kudos.request<{ results: { id: string; status: string }[] }>('/v1/events', {
        body: { events: [{ id: 'request-body-test', type: 'page_view' }] },
      });
      expect(answer.results).to.deep.equal([{ id: 'request-body-test', status: 'accepted', awards: [] }]);
      const [post] = await waitForEventPosts(shop.key, 1);
      expect(post!.headers['content-type']).to.equal('application/json');
    });

    it('rejects a non-2xx answer with its status and problem document', async () => {
      const error = (await kudos.request('/v1/badges/no-such-badge').catch((e: unknown) => e)) as KudosApiError;
      expect(error).to.be.instanceOf(Error);
      expect(error.status).to.equal(404);
      expect(error.problem).to.include({ status: 404 });
      expect(error.problem.title).to.be.a('string');
      expect(error.problem.type).to.be.a('string');
      expect(error.message).to.be.a('string').and.not.equal('');
    });

    it('rejects with status 0 when no answer arrives', async () => {
      const unreachable = createRuntime({ api: await deadApi(), key: shop.key });
      const error = (await unreachable.request('/v1/badges').catch((e: unknown) => e)) as KudosApiError;
      expect(error).to.be.instanceOf(Error);
      expect(error.status).to.equal(0);
      expect(error.problem.status).to.equal(0);
    });
  });
});
