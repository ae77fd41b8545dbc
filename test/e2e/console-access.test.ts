// The console signed in with each kind of key (issue 17): an admin key sees every section
// and manages keys, origins and the audit log; a staff, analytics or market key sees only
// its sections and is told why the others are hidden; an events key has none. Revoking a
// key signs its console out. Chromium, axe, screenshots in test-results/console-access-*.png.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, collectPageErrors, screenshot } from './browser.js';
import { useDemoShop } from './demo-shop.js';

const demo = useDemoShop();

const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
  const r = await fetch(`${demo.apiUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${demo.secretKey}`, ...(init.body !== undefined && { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: r.status, body: (await r.json()) as any };
};

const makeKey = async (name: string, scopes: string[]) => {
  const made = await api('/v1/keys', { body: { name, scopes } });
  expect(made.status).toBe(201);
  return made.body as { id: string; key: string };
};

async function axe(page: Page) {
  expect(await axeViolations(page)).toEqual([]);
}

/** Signs in through the form, as a helper would, and waits for the navigation. */
async function signIn(key: string, hash = '') {
  const page = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
  // A step that never happens fails on its own line, well inside the test's time.
  page.setDefaultTimeout(15_000);
  const errors = collectPageErrors(page);
  await page.goto(`${demo.apiUrl}/console${hash}`);
  await page.locator('#key').fill(key);
  await page.keyboard.press('Enter');
  await page.locator('header button', { hasText: 'Sign out' }).waitFor();
  return { page, errors };
}

const navLinks = (page: Page) => page.locator('header nav a').allTextContents();

describe('console access by scope', () => {
  it('admin: every section; creates a scoped key shown once, revokes it, edits origins, reads and filters the audit log', async () => {
    const { page, errors } = await signIn(demo.secretKey, '#keys');
    expect(await navLinks(page)).toEqual(expect.arrayContaining(['Install', 'Programs', 'Customers', 'KPIs', 'Webhooks', 'Market day', 'Keys', 'Origins', 'Audit log']));
    expect(await page.locator('#scope-note').count()).toBe(0);
    await page.locator('#keys-table').waitFor();

    // A name left empty is refused at its field; then the key is made and shown once.
    await page.locator('#key-scope-staff').check();
    await page.locator('#key-form button[type="submit"]').click();
    await expect.poll(() => page.locator('#key-name').getAttribute('aria-invalid')).toBe('true');
    await page.locator('#key-name').fill('Saturday staff');
    await page.locator('#key-form button[type="submit"]').click();
    await page.locator('#key-once-value').waitFor();
    const value = (await page.locator('#key-once-value').textContent())!;
    expect(value).toMatch(/^sk_[A-Za-z0-9]{32}$/);
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.id)).toBe('key-once-h');
    const made = (await api('/v1/keys')).body.data.find((k: any) => k.name === 'Saturday staff');
    expect(made).toMatchObject({ scopes: ['staff'], active: true });
    expect((await fetch(`${demo.apiUrl}/v1/key`, { headers: { authorization: `Bearer ${value}` } })).status).toBe(200);
    await screenshot(page, 'console-access-keys');
    await axe(page);

    // Dismissed, it is gone from the page; the list shows its hint only.
    await page.locator('.secret button', { hasText: 'I have copied it' }).click();
    expect(await page.locator('#key-once-value').count()).toBe(0);
    expect(await page.locator('#keys-table').textContent()).not.toContain(value);

    // Revoke, confirmed in a dialog: 401 from then on.
    await page.locator('button[aria-label="Revoke Saturday staff"]').click();
    await expect.poll(() => page.locator('#revoke-dialog').getAttribute('open')).not.toBeNull();
    await axe(page);
    await page.locator('#revoke-dialog button[type="submit"]').click();
    await expect.poll(async () => (await fetch(`${demo.apiUrl}/v1/key`, { headers: { authorization: `Bearer ${value}` } })).status).toBe(401);
    await expect.poll(() => page.locator('#keys-table tr', { hasText: 'Saturday staff' }).textContent()).toContain('stopped');

    // Origins: added at once (the API says so), a bad one refused at its field, removed.
    await page.goto(`${demo.apiUrl}/console#origins`);
    await page.locator('#origin-input').waitFor();
    await page.locator('#origin-input').fill('javascript:alert(1)');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#origin-input').getAttribute('aria-invalid')).toBe('true');
    await page.locator('#origin-input').fill('https://market.example');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#origins-list').textContent()).toContain('https://market.example');
    expect((await api('/v1/shop/origins')).body.data).toContain('https://market.example');
    await screenshot(page, 'console-access-origins');
    await axe(page);
    await page.locator('button[aria-label="Remove https://market.example"]').click();
    await expect.poll(async () => (await api('/v1/shop/origins')).body.data).not.toContain('https://market.example');

    // The audit log names the key, pages, and filters.
    await page.goto(`${demo.apiUrl}/console#audit`);
    await page.locator('#audit-table').waitFor();
    const table = await page.locator('#audit-table').textContent();
    for (const action of ['key.created', 'key.revoked', 'origin.added', 'origin.removed']) expect(table).toContain(action);
    await page.locator('#audit-q').fill('origin.');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#audit-table tbody tr').count()).toBe(2);
    expect(await page.locator('#audit-table tbody').textContent()).not.toContain('key.created');
    await screenshot(page, 'console-access-audit');
    await axe(page);
    expect(errors.filter((e) => !/status of 40[0-9] /.test(e))).toEqual([]);
    await page.close();
  });

  it('staff: only Customers, with the reason the rest is hidden; revoking the key signs the console out', async () => {
    const staff = await makeKey('Counter', ['staff']);
    const { page, errors } = await signIn(staff.key);
    expect(await navLinks(page)).toEqual(['Customers']);
    const note = (await page.locator('#scope-note').textContent())!;
    expect(note).toContain('Counter');
    expect(note).toMatch(/Install, Programs.*“admin”/);
    expect(note).toMatch(/KPIs.*“analytics”/);
    await page.locator('#customer-table').waitFor();
    // At the counter: a customer's points, badges and trophies; export and erase stay admin's.
    await page.locator('#customer-table button', { hasText: 'demo-01' }).click();
    await expect.poll(() => page.locator('#customer-h').textContent()).toBe('demo-01');
    expect(await page.locator('main').textContent()).toMatch(/\d+ points/);
    expect(await page.locator('section[aria-labelledby="customer-h"] button').count()).toBe(0);
    expect(await page.locator('main .error').count()).toBe(0);
    await screenshot(page, 'console-access-staff');
    await axe(page);

    // A section it may not use, by its URL: said why, not blank.
    await page.goto(`${demo.apiUrl}/console#keys`);
    await page.reload();
    await expect.poll(() => page.locator('#denied-h').textContent()).toBe('Keys');
    expect(await page.locator('main').textContent()).toContain('needs the “admin” scope');
    await axe(page);

    // The owner revokes the key: the helper's next call (opening Customers lists them) signs them out.
    expect((await api(`/v1/keys/${staff.id}`, { method: 'DELETE' })).status).toBe(200);
    await page.locator('header nav a', { hasText: 'Customers' }).click();
    await page.locator('#key').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('kudos-console-key'))).toBeNull();
    expect(errors.filter((e) => !/status of 40[0-9] /.test(e))).toEqual([]);
    await page.close();
  });

  it('analytics: only KPIs, charts drawn', async () => {
    const { key } = await makeKey('Bookkeeper', ['analytics']);
    const { page, errors } = await signIn(key);
    expect(await navLinks(page)).toEqual(['KPIs']);
    await page.locator('#kpi-cards').waitFor();
    expect(await page.locator('#scope-note').textContent()).toMatch(/Customers.*“staff”/);
    await screenshot(page, 'console-access-analytics');
    await axe(page);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('market: only Market day, and today’s QR code of a stall', async () => {
    const { key } = await makeKey('Market helper', ['market']);
    const { page, errors } = await signIn(key);
    expect(await navLinks(page)).toEqual(['Market day']);
    await page.locator('#market-points button').first().click();
    await page.locator('#market-qr-img').waitFor();
    await expect.poll(() => page.locator('#market-qr-img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await screenshot(page, 'console-access-market');
    await axe(page);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('events: signs in, and says no section uses a backend key', async () => {
    const { key } = await makeKey('Shop backend', ['events']);
    const { page, errors } = await signIn(key);
    expect(await navLinks(page)).toEqual([]);
    expect(await page.locator('main').textContent()).toContain('no console section uses its scopes');
    expect(await page.locator('#denied-h').textContent()).toBe('What this key may do');
    await screenshot(page, 'console-access-events');
    await axe(page);
    expect(errors).toEqual([]);
    await page.close();
  });
});
