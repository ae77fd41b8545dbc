// The persisted event queue (sdk/queue.ts) in Chromium against the real API, through the
// kudos-server plugin's recording pass-through and gates (test/web/kudos-server-plugin.mjs).
// Same-origin iframes play other tabs: each loads its own copy of the runtime and queue
// modules (its own tab id and Web Lock) and shares localStorage with this page.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { QueueItem } from './queue-item.js';
import * as queueModule from './queue.js';
import { createRuntimeWith } from './runtime-core.js';
import { createRuntime } from './runtime.js';
import type { KudosInit, KudosRuntime } from './types.js';

interface Shop {
  api: string;
  publishableKey: string;
  customerId: string;
  customerHash: string;
}

interface RecordedPost {
  method: string;
  path: string;
  body: { events: { id: string; type: string }[] };
  at: number;
}

const COUNTED = 'product_view';

/** A fresh shop whose badge counts `product_view` events: its progress is how many the API accepted. */
const freshShop = () =>
  executeServerCommand<Shop, unknown>('kudos-shop', {
    badges: [{ id: 'views', name: 'Window shopper', criteria: { event: COUNTED, count: 10_000 } }],
  });

const initFor = (shop: Shop, api = shop.api): KudosInit => ({
  api,
  key: shop.publishableKey,
  customerId: shop.customerId,
  customerHash: shop.customerHash,
});

/** How many `product_view` events the API has counted for the shop's customer. */
async function counted(shop: Shop): Promise<number> {
  const response = await fetch(`${shop.api}/v1/customers/${shop.customerId}`, {
    headers: {
      Authorization: `Bearer ${shop.publishableKey}`,
      'X-Kudos-Customer': shop.customerId,
      'X-Kudos-Customer-Hash': shop.customerHash,
    },
  });
  const customer = (await response.json()) as { lockedBadges: { id: string; progress: { current: number } }[] };
  return customer.lockedBadges.find((badge) => badge.id == 'views')!.progress.current;
}

const eventPosts = async (shop: Shop) =>
  ((await executeServerCommand<RecordedPost[], unknown>('kudos-requests', { key: shop.publishableKey })) ?? []).filter(
    (r) => r.method == 'POST' && r.path == '/v1/events',
  );

/** Event ids in the posts the API received, one entry per time an id was sent. */
const sentIds = async (shop: Shop) => (await eventPosts(shop)).flatMap((post) => post.body.events.map((e) => e.id));

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 25));
}

/** The queue in localStorage, as every tab of this origin sees it. */
const stored = (): QueueItem[] =>
  Object.keys(localStorage)
    .filter((key) => key.startsWith('kudos:q:'))
    .map((key) => JSON.parse(localStorage.getItem(key)!));

/** A pass-through to the API (recorded) that can be down (connections reset), hanging (no answer) or up. */
async function gate(state: 'down' | 'hang') {
  const { gate: id, api } = await executeServerCommand<{ gate: string; api: string }, unknown>('kudos-gate', {
    action: 'create',
    up: false,
    record: true,
  });
  const set = (action: 'up' | 'down' | 'hang') => executeServerCommand('kudos-gate', { action, gate: id });
  if (state == 'hang') await set('hang');
  return { api, up: () => set('up') };
}

type FrameWindow = Window & { Kudos?: KudosRuntime; install?: (init: KudosInit) => KudosRuntime };

/** Another "tab": a same-origin frame with its own runtime and queue modules. */
async function openFrame(): Promise<HTMLIFrameElement> {
  const frame = document.createElement('iframe');
  frame.srcdoc =
    "<script type=module>import { installRuntime } from '/sdk/runtime.ts'; window.install = installRuntime;</script>";
  document.body.append(frame);
  await until(() => typeof (frame.contentWindow as FrameWindow | null)?.install == 'function');
  return frame;
}

const frameWindow = (frame: HTMLIFrameElement) => frame.contentWindow as FrameWindow;

function clearQueue(): void {
  for (const key of Object.keys(localStorage)) if (key.startsWith('kudos:q:') || key == 'kudos:wait') localStorage.removeItem(key);
}

describe('the persisted event queue', () => {
  let shop: Shop;
  const frames: HTMLIFrameElement[] = [];
  const frame = async () => {
    const f = await openFrame();
    frames.push(f);
    return frameWindow(f);
  };

  beforeEach(async () => {
    clearQueue();
    shop = await freshShop();
  });
  afterEach(() => {
    for (const f of frames.splice(0)) f.remove();
    clearQueue();
  });

  it('a queue remembers: an event whose request was cut short by a reload arrives once after the reload', async () => {
    const api = await gate('hang');
    const tab = await frame();
    tab.install!(initFor(shop, api.api))('track', COUNTED, { sku: 'mug-01' });
    // In flight: claimed by the tab, no answer yet.
    await until(() => stored().some((item) => item.o));
    const [{ e: event }] = stored() as [QueueItem];

    const reloaded = new Promise((resolve) => frames[0]!.addEventListener('load', resolve, { once: true }));
    tab.location.reload();
    await reloaded;
    await until(() => typeof frameWindow(frames[0]!).install == 'function');
    await api.up();
    frameWindow(frames[0]!).install!(initFor(shop, api.api)); // the next page: it tracks nothing itself

    await until(async () => (await sentIds(shop)).includes(event.id) && stored().length == 0);
    // Sent under the id it was given before the reload (the browser may retry a reset keepalive
    // request on its own; the API counts an id once).
    expect(new Set(await sentIds(shop))).to.deep.equal(new Set([event.id]));
    expect(await counted(shop)).to.equal(1);
  });

  it('a queue always pays its debts: events tracked while the server is down arrive once each, ids unchanged', async () => {
    const api = await gate('down');
    const kudos = createRuntime(initFor(shop, api.api));
    for (let i = 0; i < 5; i++) {
      kudos('track', COUNTED, { i });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    let attempts = 0;
    const observer = new PerformanceObserver((list) => {
      attempts += list.getEntries().filter((entry) => entry.name == `${api.api}/v1/events`).length;
    });
    observer.observe({ type: 'resource' });
    try {
      await until(() => attempts >= 2); // failed, and failed again after a backoff
    } finally {
      observer.disconnect();
    }
    const ids = stored().map((item) => item.e.id);
    expect(ids).to.have.length(5);

    await api.up();
    await until(() => stored().length == 0);
    expect((await sentIds(shop)).sort()).to.deep.equal([...ids].sort());
    expect(await counted(shop)).to.equal(5);
  });

  it('only one tab sends an item: two tabs flushing the same queue at once send each event once', async () => {
    const api = await gate('down');
    const [a, b] = [await frame(), await frame()];
    const kudosA = a.install!(initFor(shop, api.api));
    const kudosB = b.install!(initFor(shop, api.api));
    for (let i = 0; i < 30; i++) kudosA('track', COUNTED, { tab: 'a', i });
    for (let i = 0; i < 30; i++) kudosB('track', COUNTED, { tab: 'b', i });
    await until(() => stored().length == 60 && stored().every((item) => !item.o));

    await api.up();
    // Both tabs come back online at the same moment and both see all 60 events.
    a.dispatchEvent(new Event('online'));
    b.dispatchEvent(new Event('online'));
    await until(() => stored().length == 0);

    const ids = await sentIds(shop);
    expect(ids).to.have.length(60);
    expect(new Set(ids).size).to.equal(60);
    expect(await counted(shop)).to.equal(60);
  });

  it("tabs don't overwrite each other: events tracked in two tabs at once are all kept and all sent", async () => {
    const api = await gate('down');
    const [a, b] = [await frame(), await frame()];
    const kudosA = a.install!(initFor(shop, api.api));
    const kudosB = b.install!(initFor(shop, api.api));
    for (let i = 0; i < 20; i++) {
      kudosA('track', COUNTED, { tab: 'a', i });
      kudosB('track', COUNTED, { tab: 'b', i });
      if (i % 5 == 0) await new Promise((resolve) => setTimeout(resolve, 30)); // let sends fail in between
    }
    const tracked = () => stored().map((item) => `${item.e.properties!.tab}${item.e.properties!.i}`);
    await until(() => tracked().length == 40);
    expect(new Set(tracked()).size).to.equal(40);

    await api.up();
    a.dispatchEvent(new Event('online'));
    await until(() => stored().length == 0);
    expect(new Set(await sentIds(shop)).size).to.equal(40);
    expect(await counted(shop)).to.equal(40);
  });

  it('429 with Retry-After is honoured: the same events come back no sooner than it says', async () => {
    await executeServerCommand('kudos-fail-next', { key: shop.publishableKey, status: 429, retryAfter: 2 });
    const kudos = createRuntime(initFor(shop));
    kudos('track', COUNTED);

    await until(async () => (await eventPosts(shop)).length == 2);
    const [refused, retried] = await eventPosts(shop);
    expect(retried!.body.events.map((e) => e.id)).to.deep.equal(refused!.body.events.map((e) => e.id));
    // Without Retry-After the first retry comes after 250–500 ms.
    expect(retried!.at - refused!.at).to.be.at.least(1950);
    await until(() => stored().length == 0);
    expect(await counted(shop)).to.equal(1);
  });

  it('pagehide flushes with keepalive: a closing tab sends what fits in 64 KB, nothing is lost', async () => {
    const tab = await frame();
    const kudos = tab.install!(initFor(shop));
    kudos('track', COUNTED, { warm: true }); // the queue is running in the tab
    await until(() => stored().length == 0);

    // Which requests the tab makes, and how (the page's own fetch, passed through).
    const calls: RequestInit[] = [];
    const pageFetch = tab.fetch;
    tab.fetch = (input, init) => (calls.push(init!), pageFetch.call(tab, input, init));

    const filler = 'x'.repeat(1000);
    for (let i = 0; i < 100; i++) kudos('track', COUNTED, { i, filler });
    // Closed in the same task: only the pagehide handler can send these, and only keepalive
    // requests outlive the frame.
    frames.splice(0)[0]!.remove();

    await until(async () => (await eventPosts(shop)).length >= 2);
    const closing = (await eventPosts(shop)).slice(1);
    const bytes = closing.map((post) => new Blob([JSON.stringify(post.body)]).size);
    expect(bytes.reduce((sum, n) => sum + n, 0)).to.be.below(64 * 1024);
    const sent = closing.flatMap((post) => post.body.events.length).reduce((sum, n) => sum + n, 0);
    expect(sent).to.be.above(0).and.below(100);
    expect(calls.length).to.be.above(0);
    expect(calls.every((init) => init.keepalive), 'every request of the closing tab is keepalive').to.equal(true);
    // The closed tab never saw an answer: everything stays queued until one is seen.
    expect(stored()).to.have.length(100);

    // The next page sends the rest, and again what the closing tab sent: the API counts those once.
    createRuntime(initFor(shop));
    await until(() => stored().length == 0);
    await until(async () => (await counted(shop)) == 101);
    expect(new Set(await sentIds(shop)).size).to.equal(101);
  });

  it('keeps every request under the API body limit, so big events are not refused together', async () => {
    const kudos = createRuntime(initFor(shop));
    const filler = 'x'.repeat(1000); // the API's longest property value
    for (let i = 0; i < 60; i++) kudos('track', COUNTED, { i, a: filler, b: filler, c: filler, d: filler, e: filler }); // 300 KB in one tick

    await until(async () => (await counted(shop)) == 60);
    const posts = await eventPosts(shop);
    expect(posts.length).to.be.above(1);
    for (const post of posts) expect(new Blob([JSON.stringify(post.body)]).size).to.be.below(256 * 1024);
  });

  it('keeps events tracked while the queue chunk cannot load, and sends them once it can', async () => {
    let available = false;
    const warn = console.warn;
    console.warn = () => {};
    try {
      // An import() of the queue that fails (offline), then works again.
      const kudos = createRuntimeWith({ ...initFor(shop), anonymousId: 'queue-test-visitor' }, async () => {
        if (!available) throw new TypeError('Failed to fetch dynamically imported module');
        return queueModule;
      });
      kudos('track', COUNTED);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stored()).to.have.length(1);
      available = true;
      window.dispatchEvent(new Event('online'));
      await until(async () => (await counted(shop)) == 1 && stored().length == 0);
    } finally {
      console.warn = warn;
    }
  });

  it('keeps the queue in memory when storage throws, and still sends it', async () => {
    const { setItem } = Storage.prototype;
    Storage.prototype.setItem = () => {
      throw new DOMException('blocked', 'QuotaExceededError');
    };
    try {
      const kudos = createRuntime(initFor(shop));
      kudos('track', COUNTED);
      kudos('track', COUNTED);
      expect(stored()).to.have.length(0);
      await until(async () => (await counted(shop)) == 2);
    } finally {
      Storage.prototype.setItem = setItem;
    }
  });
});
