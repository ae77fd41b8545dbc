// The built loader (dist/public/kudos.js, so `npm run build:web` first) in a page, the way a
// shop pastes it: a snippet stub, then the script tag with data-* attributes.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { KudosRuntime } from './types.js';

const LOADER = '/dist/public/kudos.js';

interface Fixture {
  api: string;
  key: string;
  customerId: string;
  customerHash: string;
}

interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: { events: { type: string; properties?: Record<string, unknown> }[] };
}

const globalScope = window as unknown as { Kudos?: KudosRuntime | ((...args: unknown[]) => void) };

async function eventPosts(key: string, count: number): Promise<RecordedRequest[]> {
  for (;;) {
    const requests = (await executeServerCommand<RecordedRequest[], { key: string }>('kudos-requests', { key })) ?? [];
    const posts = requests.filter((r) => r.method == 'POST' && r.path == '/v1/events');
    if (posts.length >= count) return posts;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('kudos.js (built loader)', () => {
  let shop: Fixture;
  let globalsBefore: Set<string>;

  before(async () => {
    const built = await fetch(LOADER, { method: 'HEAD' });
    if (!built.ok) throw new Error(`${LOADER} is missing: run "npm run build:web" before the browser tests.`);
    shop = await executeServerCommand<Fixture, undefined>('kudos-fixture');
    delete globalScope.Kudos;
    globalsBefore = new Set(Object.getOwnPropertyNames(window));

    // The snippet a shop puts before the tag (from its own script file under a strict CSP).
    const stub = function () {
      (stub.q = stub.q || []).push(arguments);
    } as ((...args: unknown[]) => void) & { q?: IArguments[] };
    globalScope.Kudos = stub;
    stub('track', 'page_view', { path: '/queued' });

    const script = document.createElement('script');
    script.async = true;
    script.src = LOADER;
    Object.assign(script.dataset, {
      key: shop.key,
      api: shop.api,
      customerId: shop.customerId,
      customerHash: shop.customerHash,
      locale: 'fr',
    });
    const loaded = new Promise((resolve, reject) => {
      script.onload = resolve;
      script.onerror = reject;
    });
    document.head.append(script);
    await loaded;
  });

  it('adds no global but Kudos', () => {
    const added = Object.getOwnPropertyNames(window).filter((name) => !globalsBefore.has(name));
    expect(added).to.deep.equal(['Kudos']);
  });

  it('installs the runtime from its data-* attributes', () => {
    const kudos = globalScope.Kudos as KudosRuntime;
    expect(kudos.version).to.be.a('string');
    expect(kudos.config).to.include({
      api: shop.api,
      key: shop.key,
      customerId: shop.customerId,
      customerHash: shop.customerHash,
      locale: 'fr',
    });
  });

  it('sends the calls queued by the snippet as the identified shopper', async () => {
    const [post] = await eventPosts(shop.key, 1);
    expect(post!.body.events.map((e) => e.type)).to.deep.equal(['page_view']);
    expect(post!.headers['x-kudos-customer']).to.equal(shop.customerId);
  });

  it("starts a widget's first request with its attributes in the path, leaving out an empty query parameter", async () => {
    const early = (globalScope.Kudos as KudosRuntime).early!;
    const bare = document.createElement('kudos-nps');
    bare.setAttribute('survey', 'no place');
    const placed = document.createElement('kudos-nps');
    placed.setAttribute('survey', 'cart-survey');
    placed.setAttribute('placement', 'cart');
    document.body.append(bare, placed);
    // The loader's MutationObserver runs before any widget file can have arrived to take them.
    await Promise.resolve();
    // The paths the widget asks (widgets/nps/kudos-nps.ts), so it reads these answers.
    expect([...early.keys()]).to.include.members(['/v1/surveys/no%20place/eligibility', '/v1/surveys/cart-survey/eligibility?placement=cart']);
    bare.remove();
    placed.remove();
  });

  it('loads the chunk of a widget inserted into the page later', async () => {
    document.body.append(document.createElement('kudos-badges'));
    await customElements.whenDefined('kudos-badges');
  });
});
