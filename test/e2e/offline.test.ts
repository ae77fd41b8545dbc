// A shopper on a flaky phone network: an event tracked while offline reaches the
// server exactly once after reconnection, even across a reload (sdk/queue.ts).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectPageErrors } from './browser.js';
import { useDemoShop } from './demo-shop.js';

const demo = useDemoShop();

/** Secret-key call, as the shop's backend would make it. */
async function backend(method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(demo.apiUrl + path, {
    method,
    headers: { authorization: `Bearer ${demo.secretKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return response.json();
}

/** How many `directory_click` events the API counted for the customer (a badge's progress). */
const clicks = async (customerId: string): Promise<number> =>
  (await backend('GET', `/v1/customers/${customerId}`)).lockedBadges.find((b: { id: string }) => b.id == 'e2e-clicks').progress
    .current;

const queued = (page: Page) =>
  page.evaluate(() =>
    Object.keys(localStorage)
      .filter((key) => key.startsWith('kudos:q:'))
      .map((key) => JSON.parse(localStorage.getItem(key)!) as { e: { id: string; type: string } }),
  );

describe('offline, end to end', () => {
  it('an event tracked offline arrives exactly once after reconnecting, across a reload, with its id', async () => {
    await backend('PUT', '/v1/badges/e2e-clicks', {
      name: 'Directory regular',
      criteria: { event: 'directory_click', count: 1000 },
    });
    const customerId = `c_offline_${Date.now()}`;
    const context = await demo.browser.newContext();
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${demo.storefrontUrl}?customer=${customerId}`);
    await page.waitForFunction(() => 'version' in (window as { Kudos?: object }).Kudos!);

    await context.setOffline(true);
    await page.evaluate(() => (window as unknown as { Kudos: (...a: unknown[]) => void }).Kudos('track', 'directory_click', { listing: 'offline' }));
    // Kept in the browser while the network is gone, and retried at least once in vain.
    await expect.poll(async () => (await queued(page)).filter((item) => item.e.type == 'directory_click').length).toBe(1);
    const [{ e: event }] = (await queued(page)).filter((item) => item.e.type == 'directory_click');
    expect(await clicks(customerId)).toBe(0);

    // The shopper reloads while still offline (the browser's error page), then the network returns.
    await page.reload().catch(() => {});
    await context.setOffline(false);
    await page.goto(`${demo.storefrontUrl}?customer=${customerId}`);

    await expect.poll(() => clicks(customerId), { timeout: 20_000 }).toBe(1);
    await expect.poll(async () => (await queued(page)).length).toBe(0);
    // The server saw the id the browser gave the event offline: the same event again from this
    // shopper's browser is a duplicate (browser ids live in their own namespace, never the backend's).
    const replay = await page.evaluate(
      (sent) => (window as unknown as { Kudos: { request: (p: string, o: object) => Promise<any> } }).Kudos.request('/v1/events', { body: sent }),
      event!,
    );
    expect(replay.results[0].status).toBe('duplicate');
    expect(await clicks(customerId)).toBe(1);
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e))).toEqual([]);
    await context.close();
  });

  it('an event tracked before the runtime chunk arrived is sent once by the next page when the first one closes', async () => {
    await backend('PUT', '/v1/badges/e2e-clicks', {
      name: 'Directory regular',
      criteria: { event: 'directory_click', count: 1000 },
    });
    const customerId = `c_early_${Date.now()}`;
    const context = await demo.browser.newContext();
    const first = await context.newPage();
    // The runtime chunk (commands, event queue) never arrives on this page: a slow phone network.
    await first.route('**/widgets/chunks/runtime-*.js', () => {});
    await first.goto(`${demo.storefrontUrl}?customer=${customerId}`);
    await first.waitForFunction(() => 'version' in (window as { Kudos?: object }).Kudos!);
    await first.evaluate(() => (window as unknown as { Kudos: (...a: unknown[]) => void }).Kudos('track', 'directory_click', { listing: 'early' }));
    // Kept in storage by the loader itself, with the id it will be sent under.
    const early = await first.evaluate(() =>
      Object.keys(localStorage)
        .filter((key) => key.startsWith('kudos:qe:'))
        .flatMap((key) => JSON.parse(localStorage.getItem(key)!)[1] as [Record<string, unknown>, string][]),
    );
    const id = early.find(([args]) => Object.values(args)[1] == 'directory_click')?.[1];
    expect(id).toMatch(/^[\w-]{8,64}$/);
    await first.close();

    // The shopper opens the shop again: that page's runtime sends what the closed one could not.
    const next = await context.newPage();
    const errors = collectPageErrors(next);
    const bodies: string[] = [];
    next.on('request', (request) => {
      if (request.method() == 'POST' && request.url().endsWith('/v1/events')) bodies.push(request.postData() ?? '');
    });
    await next.goto(`${demo.storefrontUrl}?customer=${customerId}`);
    await expect.poll(() => clicks(customerId), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => next.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('kudos:q')))).toEqual([]);
    // Sent once, under the id the loader gave it.
    expect(bodies.flatMap((body) => (JSON.parse(body).events as { id: string }[]).filter((e) => e.id == id))).toHaveLength(1);
    expect(await clicks(customerId)).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
