// The shop console as the owner meets it after `npm start`: sign in with the demo
// secret key, copy the script tag, create a badge (after a validation error shown
// at its field), award a trophy, read the KPI charts over the seeded history,
// look a customer up and erase them — by keyboard where it matters, axe-clean.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, collectPageErrors, screenshot } from './browser.js';
import { useDemoShop } from './demo-shop.js';
import { WEBHOOK_EVENT_TYPES } from '../../server/webhooks/schemas.js';

const demo = useDemoShop();
const shots = join(import.meta.dirname, '..', '..', 'test-results');

const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
  const r = await fetch(`${demo.apiUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${demo.secretKey}`, ...(init.body !== undefined && { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: r.status, body: r.status === 204 ? undefined : await r.json() };
};

/** A page signed in with the demo key, opened at a section. */
async function signedIn(hash: string) {
  const page = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = collectPageErrors(page);
  await page.goto(`${demo.apiUrl}/console`);
  await page.evaluate((key) => sessionStorage.setItem('kudos-console-key', key), demo.secretKey);
  await page.goto(`${demo.apiUrl}/console#${hash}`);
  await page.reload();
  return { page, errors };
}

/** What has focus, looking through shadow roots. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return { tag: el?.localName ?? null, id: el?.id ?? '', text: el?.textContent?.trim() ?? '' };
  });

async function tabTo(page: Page, match: (f: Awaited<ReturnType<typeof focused>>) => boolean, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (match(await focused(page))) return;
  }
  throw new Error(`Tab never reached it; last: ${JSON.stringify(await focused(page))}`);
}

async function axe(page: Page) {
  expect(await axeViolations(page)).toEqual([]);
}

describe('shop console', () => {
  it('signs in, installs, creates a badge and awards a trophy, by keyboard', async () => {
    const page = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${demo.apiUrl}/console`);

    // A wrong key is refused at the field; the demo key signs in.
    await page.locator('#key').focus();
    await page.keyboard.type('sk_not_a_real_key');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#signin-error').textContent()).toContain('not known');
    expect(await page.locator('#key').getAttribute('aria-invalid')).toBe('true');
    await axe(page);
    await page.locator('#key').fill(demo.publishableKey);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#signin-error').textContent()).toContain('publishable');
    await page.locator('#key').fill(demo.secretKey);
    await page.keyboard.press('Enter');
    await page.locator('#script-tag').waitFor();
    // The tag carries the signed shopper identity: without it every shopper is asked to sign in.
    const tag = await page.locator('#script-tag').textContent();
    expect(tag).toContain(`<script async blocking="render" src="${demo.apiUrl}/kudos.js" data-key="${demo.publishableKey}"`);
    expect(tag).toContain('data-customer-id="CUSTOMER_ID" data-customer-hash=');
    // Kept for this tab only: never in localStorage or a cookie.
    expect(await page.evaluate(() => [sessionStorage.getItem('kudos-console-key'), localStorage.length, document.cookie])).toEqual([demo.secretKey, 0, '']);
    await screenshot(page, 'console-install');
    await axe(page);

    // Keyboard only: the nav link to Programs, then the "New" button.
    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Programs');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).text).toBe('Programs');
    await page.locator('.items li').first().waitFor();
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'New');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).id).toBe('edit-h');

    // Live validation, with the server's zod schema: an icon too long shows at its field as it is typed.
    await page.locator('[data-pointer="/id"]').fill('night-owl');
    await page.locator('[data-pointer="/name"]').fill('Night owl');
    await page.locator('[data-pointer="/icon"]').fill('a very long icon text');
    await expect.poll(() => page.locator('[data-pointer="/icon"]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field:has([data-pointer="/icon"]) .field-error').textContent()).toContain('emoji or short text');
    // Sent anyway, the server says the same at the same field, and focus goes there.
    await page.locator('#edit-form button[type="submit"]').click();
    await expect.poll(() => page.locator('.form-error').textContent()).toContain('1');
    const invalidId = await page.locator('[data-pointer="/icon"]').getAttribute('id');
    await expect.poll(async () => (await focused(page)).id).toBe(invalidId);
    await screenshot(page, 'console-badge-error');
    await axe(page);
    expect((await api('/v1/badges/night-owl')).status).toBe(404);

    await page.locator('[data-pointer="/icon"]').fill('🦉');
    await page.locator('[data-pointer="/criteria/count"]').fill('2');
    await page.locator('#edit-form button[type="submit"]').click();
    await expect.poll(() => page.locator('#edit-form [role="status"]').textContent()).toBe('Created.');
    expect((await api('/v1/badges/night-owl')).body).toMatchObject({ name: 'Night owl', icon: '🦉', criteria: { event: 'purchase', count: 2 } });
    await expect.poll(() => page.locator('.items').textContent()).toContain('Night owl');

    // Award a trophy by hand, with a reason.
    await page.locator('.tabs button', { hasText: 'Trophies' }).click();
    await page.locator('#award-form').waitFor();
    await page.locator('#award-form [data-pointer="/customerId"]').fill('c_console');
    await page.locator('#award-form [data-pointer="/reason"]').fill('Helped at the tasting');
    await page.locator('#award-form button[type="submit"]').click();
    await expect.poll(() => page.locator('#award-form [role="status"]').textContent()).toContain('to c_console');
    expect((await api('/v1/customers/c_console')).body.trophies).toHaveLength(1);
    await axe(page);
    // The refused keys (401, 403) and the invalid badge (400) were answers the page showed, not failures.
    expect(errors.filter((e) => !/status of 40[013] /.test(e))).toEqual([]);
    await page.close();
  });

  it('charts the KPIs of the seeded history, each with a text alternative', async () => {
    const page = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${demo.apiUrl}/console`);
    await page.evaluate((key) => sessionStorage.setItem('kudos-console-key', key), demo.secretKey);
    await page.goto(`${demo.apiUrl}/console#kpis`);
    await page.reload();
    await page.locator('#kpi-cards').waitFor();
    const charts = page.locator('figure.chart');
    expect(await charts.count()).toBe(7);
    // Lines drawn from real points: a path with several segments in the retention chart.
    const d = await page.locator('#chart-retention-caption').locator('xpath=..').locator('path.line').first().getAttribute('d');
    expect(d!.split('L').length).toBeGreaterThan(4);
    for (const id of ['retention', 'repeat', 'nps', 'conversion', 'awards', 'points', 'groups']) {
      const figure = page.locator(`figure:has(#chart-${id}-caption)`);
      expect(await figure.locator('svg').getAttribute('aria-labelledby')).toBe(`chart-${id}-caption`);
      expect(await figure.locator('.chart-summary').textContent()).toMatch(/ weeks\.$/);
      expect(await figure.locator('tbody tr').count()).toBeGreaterThan(8);
    }
    const cards = await page.locator('#kpi-cards .value').allTextContents();
    expect(cards).toHaveLength(4);
    for (const value of cards) expect(value).not.toBe('no data');
    await screenshot(page, 'console-kpis');
    expect(statSync(join(shots, 'console-kpis.png')).size).toBeGreaterThan(30_000);
    await axe(page);

    // Narrow screen: still one column, nothing cut off horizontally.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'console-kpis-mobile');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('saves every kind of program unchanged (what a form reads, it can write back)', async () => {
    const page = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${demo.apiUrl}/console`);
    await page.evaluate((key) => sessionStorage.setItem('kudos-console-key', key), demo.secretKey);
    await page.goto(`${demo.apiUrl}/console#programs`);
    await page.reload();
    const stripDates = (list: Record<string, unknown>[]) => list.map(({ updatedAt: _u, createdAt: _c, ...rest }) => rest);
    const before = {
      trophies: stripDates((await api('/v1/trophies')).body.data),
      surveys: stripDates((await api('/v1/surveys')).body.data),
      program: (await api('/v1/program')).body,
      badges: stripDates((await api('/v1/badges')).body.data),
      gifts: stripDates((await api('/v1/gifts')).body.data),
    };
    // allTextContents does not wait: the section may still be rendering its tabs.
    await page.locator('.tabs button').last().waitFor();
    const tabs = await page.locator('.tabs button').allTextContents();
    expect(tabs).toEqual(['Badges', 'Trophies', 'Points and tiers', 'Rewards', 'Share-to-save campaigns', 'NPS surveys', 'Products and drops', 'Check-in points', 'Micro-gifts']);
    const saved: string[] = [];
    for (const tab of tabs) {
      await page.locator('.tabs button', { hasText: tab }).click();
      if (tab !== 'Points and tiers') {
        await page.locator('.items').waitFor();
        const edit = page.locator('.items li button').first();
        if ((await edit.count()) === 0) continue;
        await edit.click();
      }
      await page.locator('#edit-form').waitFor();
      await page.locator('#edit-form button[type="submit"]').click();
      await expect.poll(() => page.locator('#edit-form [role="status"]').textContent(), { message: tab }).toBe('Saved.');
      saved.push(tab);
    }
    expect(saved.length).toBeGreaterThanOrEqual(6);
    // Nothing the forms have no field for was lost on the way (trophy level criteria, survey follow-ups…).
    expect(stripDates((await api('/v1/trophies')).body.data)).toEqual(before.trophies);
    expect(stripDates((await api('/v1/surveys')).body.data)).toEqual(before.surveys);
    expect((await api('/v1/program')).body).toEqual(before.program);
    expect(stripDates((await api('/v1/badges')).body.data)).toEqual(before.badges);
    // The gift's computed `usage` is not sent back (the API would refuse it), and nothing else changed.
    expect(stripDates((await api('/v1/gifts')).body.data)).toEqual(before.gifts);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('speaks French and German when asked', async () => {
    const page = await demo.browser.newPage();
    await page.goto(`${demo.apiUrl}/console?lang=fr`);
    expect(await page.locator('#signin-h').textContent()).toBe('Connexion à votre boutique');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    await page.goto(`${demo.apiUrl}/console?lang=de`);
    expect(await page.locator('label[for="key"]').textContent()).toBe('Geheimer Schlüssel');
    // The new views too: the webhook form with its event checkboxes, in German.
    await page.evaluate((key) => sessionStorage.setItem('kudos-console-key', key), demo.secretKey);
    await page.goto(`${demo.apiUrl}/console?lang=de#webhooks`);
    await page.reload();
    await page.locator('#list-h').waitFor();
    await page.locator('.card button', { hasText: 'Neu' }).click();
    expect(await page.locator('[data-pointer="/events"] legend').textContent()).toContain('Zu sendende Ereignisse');
    expect(await page.locator('label', { hasText: 'nps.responded' }).textContent()).toContain('Umfrageantwort');
    await axe(page);
    await screenshot(page, 'console-webhooks-de');
    await page.close();
  });

  it('looks a customer up, exports and erases them after confirmation', async () => {
    const page = await demo.browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${demo.apiUrl}/console`);
    await page.evaluate((key) => sessionStorage.setItem('kudos-console-key', key), demo.secretKey);
    await page.goto(`${demo.apiUrl}/console#customers`);
    await page.reload();
    await page.locator('#lookup-id').fill('demo-01');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).id).toBe('customer-h');
    // The ledger in a shop's words: "earned", not the API's "earn".
    expect(await page.locator('section[aria-labelledby="customer-h"] table').first().textContent()).toContain('earned');
    await axe(page);
    await page.locator('.actions button.danger').first().click();
    const confirm = page.locator('#erase-dialog button[type="submit"]');
    expect(await confirm.isDisabled()).toBe(true);
    await page.locator('#erase-confirm').fill('demo-01');
    await confirm.click();
    await expect.poll(() => page.locator('form [role="status"]').first().textContent()).toBe('demo-01 was erased.');
    expect((await api('/v1/customers/demo-01/export')).status).toBe(404);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('manages a webhook endpoint: secret shown once, delivery log, redeliver, delete', async () => {
    const { page, errors } = await signedIn('webhooks');
    await page.locator('#list-h').waitFor();
    // Keyboard only: the "New" button, then the form's heading has focus.
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'New');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).id).toBe('edit-h');
    // Every event type the API accepts is a checkbox; two are ticked to start with.
    const boxes = page.locator('[data-pointer="/events"] input[type="checkbox"]');
    expect(await boxes.count()).toBe(WEBHOOK_EVENT_TYPES.length);
    expect(await page.locator('[data-pointer="/events"] input:checked').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual([
      'award.created',
      'points.changed',
    ]);

    // Live validation (the server's zod schema): no event ticked is an error at the group.
    await page.locator('[data-pointer="/id"]').fill('crm');
    await page.locator('[data-pointer="/events"] input[value="award.created"]').uncheck();
    await page.locator('[data-pointer="/events"] input[value="points.changed"]').uncheck();
    await expect.poll(() => page.locator('[data-pointer="/events"] .field-error').count()).toBe(1);
    expect(await boxes.first().getAttribute('aria-invalid')).toBe('true');
    await page.locator('[data-pointer="/events"] input[value="award.created"]').check();
    await page.locator('[data-pointer="/events"] input[value="points.changed"]').check();
    await expect.poll(() => page.locator('[data-pointer="/events"] .field-error').count()).toBe(0);

    // The server refuses a plain-http address at /url: shown there, and focus goes there.
    await page.locator('[data-pointer="/url"]').fill('http://127.0.0.1/hooks');
    await page.locator('#edit-form button[type="submit"]').click();
    await expect.poll(() => page.locator('.field:has([data-pointer="/url"]) .field-error').count()).toBe(1);
    const invalidId = await page.locator('[data-pointer="/url"]').getAttribute('id');
    await expect.poll(async () => (await focused(page)).id).toBe(invalidId);
    expect((await api('/v1/webhooks/crm')).status).toBe(404);

    await page.locator('[data-pointer="/url"]').fill('https://hooks.example/x');
    await page.locator('[data-pointer="/description"]').fill('CRM');
    await page.locator('#edit-form button[type="submit"]').click();
    // The signing secret, once, with a copy button and the warning; focus on it.
    await expect.poll(async () => (await focused(page)).id).toBe('secret-h');
    const secret = await page.locator('#webhook-secret').textContent();
    expect(secret).toMatch(/^whsec_/);
    expect(await page.locator('.secret').textContent()).toContain('you will not see it again');
    expect(await page.locator('.secret button', { hasText: 'Copy' }).count()).toBe(1);
    expect(await page.locator('#edit-form [role="status"]').textContent()).toBe('Created.');
    const stored = (await api('/v1/webhooks/crm')).body;
    expect(stored).toMatchObject({ url: 'https://hooks.example/x', events: ['award.created', 'points.changed'], description: 'CRM', active: true });
    expect(stored.secret).toBeUndefined();
    await axe(page);
    await screenshot(page, 'console-webhook-secret');
    await page.reload();
    await page.locator('.endpoints li').first().waitFor();
    expect(await page.locator('#webhook-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    expect(await page.locator('.endpoints').textContent()).toContain('https://hooks.example/x');

    // A purchase queues award.created / points.changed for it; the log shows the delivery.
    const order = `order-wh-${Date.now()}`;
    const recorded = await api('/v1/events', {
      method: 'POST',
      body: { id: `purchase:${order}`, type: 'purchase', customerId: 'c_webhook', properties: { orderId: order, total: 30, currency: 'EUR' } },
    });
    expect(recorded.status).toBeLessThan(300);
    await page.locator('button[aria-label="Deliveries of crm"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).id).toBe('deliveries-h');
    await expect
      .poll(async () => {
        await page.locator('#deliveries .actions button', { hasText: 'Refresh' }).click();
        return page.locator('#deliveries tbody tr').count();
      })
      .toBeGreaterThan(0);
    const rows = await page.locator('#deliveries tbody').allTextContents();
    expect(rows.join(' ')).toMatch(/points\.changed|award\.created/);
    // A failed delivery says why in plain words (the system's own message follows, small).
    await expect
      .poll(async () => {
        await page.locator('#deliveries .actions button', { hasText: 'Refresh' }).click();
        return page.locator('#deliveries tbody').allTextContents();
      })
      .toEqual(expect.arrayContaining([expect.stringMatching(/could not be found|could not be reached|did not answer|refused the connection/)]));
    await page.locator('#deliveries tbody button', { hasText: 'Redeliver' }).first().click();
    await expect.poll(() => page.locator('#deliveries [role="status"]').textContent()).toContain('is being sent again now');
    await axe(page);
    await screenshot(page, 'console-webhooks');
    // Narrow screen: the wide log scrolls inside its box, the page does not.
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'console-webhooks-mobile');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });

    // A new secret, shown once again, with the overlap of the old one explained.
    await page.locator('button[aria-label="New secret for crm"]').click();
    await expect.poll(async () => (await focused(page)).id).toBe('secret-h');
    expect(await page.locator('#webhook-secret').textContent()).not.toBe(secret);
    expect(await page.locator('.secret').textContent()).toContain('previous secret');
    await page.locator('.secret button', { hasText: 'I have stored it' }).click();
    expect(await page.locator('#webhook-secret').count()).toBe(0);
    // Saved unchanged after the rotation (what the form reads, it can write back), then paused.
    await page.locator('button[aria-label="Edit crm"]').click();
    await expect.poll(async () => (await focused(page)).id).toBe('edit-h');
    await page.locator('#edit-form button[type="submit"]').click();
    await expect.poll(() => page.locator('#edit-form [role="status"]').textContent()).toBe('Saved.');
    await page.locator('[data-pointer="/active"]').uncheck();
    await page.locator('#edit-form button[type="submit"]').click();
    await expect.poll(async () => (await api('/v1/webhooks/crm')).body.active).toBe(false);
    expect((await api('/v1/webhooks/crm')).body).toMatchObject({ url: 'https://hooks.example/x', events: ['award.created', 'points.changed'], description: 'CRM' });
    await expect.poll(() => page.locator('.endpoints').textContent()).toContain('paused');

    // Delete, after confirming in a dialog.
    await page.locator('button[aria-label="Delete crm"]').click();
    const dialog = page.locator('#webhook-delete-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('https://hooks.example/x');
    await dialog.locator('button', { hasText: 'Cancel' }).click();
    expect((await api('/v1/webhooks/crm')).status).toBe(200);
    await page.locator('button[aria-label="Delete crm"]').click();
    await dialog.locator('button[type="submit"]').click();
    await expect.poll(async () => (await api('/v1/webhooks/crm')).status).toBe(404);
    await expect.poll(async () => (await focused(page)).id).toBe('list-h');
    expect(await page.locator('.endpoints li').count()).toBe(0);
    // The refused http address (400) was an answer the page showed.
    expect(errors.filter((e) => !/status of 400 /.test(e))).toEqual([]);
    await page.close();
  });

  it('shows, prints and downloads a check-in point’s QR code', async () => {
    const { page, errors } = await signedIn('programs');
    await page.locator('.tabs button', { hasText: 'Check-in points' }).click();
    const open = page.locator('button[aria-label="QR code for Saturday market"]');
    await open.focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).id).toBe('qr-h');
    const img = page.locator('#qr-img');
    await img.waitFor();
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    expect(await img.getAttribute('src')).toMatch(/^blob:/);
    expect(await img.getAttribute('alt')).toContain('Saturday market');
    const expected = (await api('/v1/checkins/saturday-market/qr?format=json')).body;
    expect(await page.locator('#qr-url').textContent()).toBe(expected.url);
    expect(expected.url).toMatch(/\/c\//);
    // The PNG: a blob link with a file name.
    const png = page.locator('#qr-png');
    expect(await png.getAttribute('download')).toBe(`checkin-saturday-market-${expected.day}.png`);
    expect(await png.getAttribute('href')).toMatch(/^blob:/);
    const [download] = await Promise.all([page.waitForEvent('download'), png.click()]);
    expect(download.suggestedFilename()).toBe(`checkin-saturday-market-${expected.day}.png`);
    const file = readFileSync((await download.path())!);
    expect(file.subarray(1, 4).toString()).toBe('PNG');
    expect(file.length).toBeGreaterThan(1000);
    expect(await page.locator('.qr-view button', { hasText: 'Print' }).count()).toBe(1);
    await axe(page);
    await screenshot(page, 'console-qr');

    // Printed: the QR, the point's name and its place, nothing else.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header').isVisible()).toBe(false);
    expect(await page.locator('.tabs').isVisible()).toBe(false);
    expect(await page.locator('#qr-url').isVisible()).toBe(false);
    expect(await page.locator('.qr-view button', { hasText: 'Print' }).isVisible()).toBe(false);
    expect(await img.isVisible()).toBe(true);
    expect(await page.locator('.qr-sheet figcaption').innerText()).toBe('Saturday market\nMarket square, stall 12');
    await screenshot(page, 'console-qr-print');
    await page.emulateMedia({ media: 'screen' });

    // Another market day: another code. A day outside the point's window is refused at the field.
    const tomorrow = new Date(Date.parse(`${expected.day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const next = (await api(`/v1/checkins/saturday-market/qr?format=json&day=${tomorrow}`)).body;
    await page.locator('#qr-day').fill(tomorrow);
    await expect.poll(() => page.locator('#qr-url').textContent()).toBe(next.url);
    expect(next.url).not.toBe(expected.url);
    expect(await png.getAttribute('download')).toBe(`checkin-saturday-market-${tomorrow}.png`);
    await page.locator('#qr-day').fill('2031-01-01');
    await expect.poll(() => page.locator('#qr-day').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#qr-day-error').textContent()).toContain('not an event day');
    expect((await focused(page)).id).toBe('qr-day');
    await axe(page);
    await page.locator('#qr-day').fill(expected.day);
    await expect.poll(() => page.locator('#qr-url').textContent()).toBe(expected.url);

    // Closing gives the focus back to the list.
    await page.locator('.qr-view button', { hasText: 'Close' }).click();
    await expect.poll(async () => (await focused(page)).id).toBe('list-h');
    expect(await page.locator('#qr-img').count()).toBe(0);
    // The refused day (400) was an answer the page showed.
    expect(errors.filter((e) => !/status of 400 /.test(e))).toEqual([]);
    await page.close();
  });

  it('creates a micro-gift, with a validation error shown at its field', async () => {
    const { page, errors } = await signedIn('programs');
    await page.locator('.tabs button', { hasText: 'Micro-gifts' }).click();
    await expect.poll(() => page.locator('.items').textContent()).toContain('A free sample bag');
    await page.locator('.card button', { hasText: 'New' }).click();
    await expect.poll(async () => (await focused(page)).id).toBe('edit-h');
    await page.locator('[data-pointer="/id"]').fill('tote');
    await page.locator('[data-pointer="/name"]').fill('A free tote bag');
    await page.locator('[data-pointer="/description"]').fill('Packed with your order');
    // Live: a lowercase prefix is refused at its field, with the server schema's words.
    await page.locator('[data-pointer="/gift/prefix"]').fill('tote-');
    await expect.poll(() => page.locator('[data-pointer="/gift/prefix"]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field:has([data-pointer="/gift/prefix"]) .field-error').textContent()).toContain('A–Z');
    // Sent anyway: the server says so at the same field, and focus goes there.
    await page.locator('#edit-form button[type="submit"]').click();
    await expect.poll(() => page.locator('.form-error').textContent()).toContain('1');
    const invalidId = await page.locator('[data-pointer="/gift/prefix"]').getAttribute('id');
    await expect.poll(async () => (await focused(page)).id).toBe(invalidId);
    await axe(page);
    expect((await api('/v1/gifts/tote')).status).toBe(404);

    await page.locator('[data-pointer="/gift/prefix"]').fill('TOTE-');
    await page.locator('[data-pointer="/rule/kind"]').selectOption('afterCheckin');
    await page.locator('[data-pointer="/rule/withinDays"]').fill('14');
    await page.locator('[data-pointer="/rule/checkinId"]').fill('saturday-market');
    await page.locator('[data-pointer="/budget/period"]').selectOption('week');
    await page.locator('[data-pointer="/budget/max"]').fill('50');
    await page.locator('#edit-form button[type="submit"]').click();
    await expect.poll(() => page.locator('#edit-form [role="status"]').textContent()).toBe('Created.');
    expect((await api('/v1/gifts/tote')).body).toMatchObject({
      name: 'A free tote bag',
      description: 'Packed with your order',
      gift: { kind: 'code', prefix: 'TOTE-' },
      rule: { kind: 'afterCheckin', withinDays: 14, checkinId: 'saturday-market' },
      budget: { max: 50, period: 'week' },
      active: true,
    });
    await expect.poll(() => page.locator('.items').textContent()).toContain('A free tote bag');
    await axe(page);
    await screenshot(page, 'console-gift');
    expect(errors.filter((e) => !/status of 400 /.test(e))).toEqual([]);
    await page.close();
  });

  it('checks the setup live: websites seen and whether they are allowed, signatures, last events, and snippets per platform', async () => {
    const { page, errors } = await signedIn('install');
    await page.locator('#setup-h').waitFor();
    // A page on a website the shop never registered, and a shopper whose signature does not match.
    const send = (headers: Record<string, string>, id: string) =>
      fetch(`${demo.apiUrl}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${demo.publishableKey}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ id, type: 'page_view' }),
      });
    expect((await send({ origin: 'https://www.my-shop.example' }, 'setup-1')).status).toBe(403);
    expect((await send({ 'x-kudos-customer': 'c_42', 'x-kudos-customer-hash': 'f'.repeat(64) }, 'setup-2')).status).toBe(403);
    await page.locator('.setup button', { hasText: 'Refresh' }).click();
    await expect.poll(() => page.locator('#origins-table').textContent()).toContain('https://www.my-shop.example');
    expect(await page.locator('#origins-table tbody tr').first().textContent()).toContain('not registered');
    expect(await page.locator('#origin-warning').textContent()).toContain('Ask whoever runs your Kudos server to register');
    expect(await page.locator('#identity-check').textContent()).toContain('did not match');
    const results = await page.locator('#events-table tbody').textContent();
    expect(results).toContain('the shopper’s signature did not match');
    expect(results).toContain('this website is not registered');
    await axe(page);
    await screenshot(page, 'console-install-setup');

    // Snippets per platform, by keyboard: Shopify signs with Liquid's hmac_sha256.
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Shopify');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#script-tag').textContent()).toContain('hmac_sha256: settings.kudos_identity_secret');
    await page.locator('.tabs button', { hasText: 'PHP' }).click();
    expect(await page.locator('#script-tag').textContent()).toContain("hash_hmac('sha256'");
    await page.locator('.tabs button', { hasText: 'Python' }).click();
    expect(await page.locator('#script-tag').textContent()).toContain('hmac.new(');
    await page.locator('.tabs button', { hasText: 'Node.js' }).click();
    expect(await page.locator('#script-tag').textContent()).toContain("createHmac('sha256'");
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'console-install-mobile');
    expect(errors.filter((e) => !/status of 403 /.test(e))).toEqual([]);
    await page.close();
  });

  it('lists customers a page at a time and finds them by the start of their id', async () => {
    const { page, errors } = await signedIn('customers');
    const rows = page.locator('#customer-table tbody tr');
    await expect.poll(() => rows.count()).toBe(20);
    const firstPage = await rows.locator('th').allTextContents();
    await page.locator('.pager button', { hasText: 'Next' }).click();
    await expect.poll(async () => (await focused(page)).id).toBe('customer-list-h');
    await expect.poll(async () => (await rows.locator('th').first().textContent())?.trim()).not.toBe(firstPage[0]!.trim());
    expect(await page.locator('.pager').textContent()).toContain('Page 2');
    await page.locator('.pager button', { hasText: 'Previous' }).click();
    await expect.poll(async () => (await rows.locator('th').allTextContents()).join()).toBe(firstPage.join());
    // Typing narrows the list; a row opens that customer.
    await page.locator('#lookup-id').fill('demo-1');
    await expect.poll(async () => (await rows.locator('th').allTextContents()).map((s) => s.trim())).toEqual(
      Array.from({ length: 10 }, (_, i) => `demo-1${i}`),
    );
    expect(await page.locator('#customer-list-h').textContent()).toContain('“demo-1”');
    await rows.locator('button', { hasText: 'demo-12' }).click();
    await expect.poll(async () => (await focused(page)).id).toBe('customer-h');
    expect(await page.locator('#customer-h').textContent()).toBe('demo-12');
    await page.locator('#lookup-id').fill('nobody-here');
    await expect.poll(() => page.locator('section[aria-labelledby="customer-list-h"]').textContent()).toContain('No customer id starts with');
    await axe(page);
    await screenshot(page, 'console-customers');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('#lookup-id').fill('demo-2');
    await expect.poll(() => rows.count()).toBe(10);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'console-customers-mobile');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('sets a market stall’s times with pickers in its own time zone, with consent text, every invalid field flagged at once', async () => {
    const { page, errors } = await signedIn('programs');
    await page.locator('.tabs button', { hasText: 'Check-in points' }).click();
    await page.locator('.card button', { hasText: 'New' }).click();
    await expect.poll(async () => (await focused(page)).id).toBe('edit-h');
    // Saved empty: the name, the id and both times are flagged together, focus on the first.
    await page.locator('#edit-form button[type="submit"]').click();
    await expect.poll(() => page.locator('#edit-form [aria-invalid="true"]').count()).toBeGreaterThanOrEqual(1);
    await page.locator('[data-pointer="/id"]').fill('sunday-fair');
    await page.locator('#edit-form button[type="submit"]').click();
    await expect.poll(() => page.locator('#edit-form [aria-invalid="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-pointer')))).toEqual(
      expect.arrayContaining(['/name', '/from', '/until']),
    );
    expect(await page.locator('.form-error').textContent()).toMatch(/[3-9]/);
    await axe(page);

    await page.locator('[data-pointer="/name"]').fill('Sunday fair');
    await page.locator('[data-pointer="/timeZone"]').selectOption('America/New_York');
    expect(await page.locator('.field:has([data-pointer="/from"]) .hint').allTextContents()).toContain('Times in America/New York.');
    expect(await page.locator('[data-pointer="/from"]').getAttribute('type')).toBe('datetime-local');
    await page.locator('[data-pointer="/from"]').fill('2026-12-06T08:00');
    await page.locator('[data-pointer="/until"]').fill('2026-12-06T14:30');
    await page.locator('[data-pointer="/consentText"]').fill('Send me news of the fair, at most once a month.');
    await page.locator('#edit-form button[type="submit"]').click();
    await expect.poll(() => page.locator('#edit-form [role="status"]').textContent()).toBe('Created.');
    // 8:00 in New York in December is 13:00 UTC.
    expect((await api('/v1/checkins/sunday-fair')).body).toMatchObject({
      name: 'Sunday fair',
      timeZone: 'America/New_York',
      from: '2026-12-06T13:00:00.000Z',
      until: '2026-12-06T19:30:00.000Z',
      consentText: 'Send me news of the fair, at most once a month.',
    });
    // Read back, the pickers show the stall's wall time.
    await page.locator('button[aria-label="Edit Sunday fair"]').click();
    await expect.poll(() => page.locator('[data-pointer="/from"]').inputValue()).toBe('2026-12-06T08:00');
    await screenshot(page, 'console-checkin-form');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'console-checkin-form-mobile');
    expect(errors.filter((e) => !/status of 400 /.test(e))).toEqual([]);
    await page.close();
  });

  it('lays the points program out across the page, in a shop’s words', async () => {
    const { page, errors } = await signedIn('programs');
    await page.locator('.tabs button', { hasText: 'Points and tiers' }).click();
    const form = page.locator('#edit-form');
    await form.waitFor();
    // The form uses the page's width: no empty column beside it.
    const [formBox, mainBox] = await Promise.all([form.boundingBox(), page.locator('main').boundingBox()]);
    expect(formBox!.width).toBeGreaterThan(mainBox!.width * 0.85);
    const text = await form.textContent();
    expect(text).not.toContain('Per unit of property');
    expect(await page.locator('[data-pointer="/earn/0/per"] option:checked').textContent()).toBe('each unit of money spent');
    expect(await page.locator('.field:has([data-pointer="/pendingDays"]) .hint').textContent()).toContain('a return can still take them back');
    await axe(page);
    await screenshot(page, 'console-points');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'console-points-mobile');
    expect(errors).toEqual([]);
    await page.close();
  });
});
