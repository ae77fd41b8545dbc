// The shop console as the owner meets it after `npm start`: sign in with the demo
// secret key, copy the script tag, create a badge (after a validation error shown
// at its field), award a trophy, read the KPI charts over the seeded history,
// look a customer up and erase them — by keyboard where it matters, axe-clean.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, screenshot } from './browser.js';
import { useDemoShop } from './demo-shop.js';

const demo = useDemoShop();
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const shots = join(import.meta.dirname, '..', '..', 'test-results');

const api = async (path: string) => {
  const r = await fetch(`${demo.apiUrl}${path}`, { headers: { authorization: `Bearer ${demo.secretKey}` } });
  return { status: r.status, body: r.status === 204 ? undefined : await r.json() };
};

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
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (c: unknown) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe.run(document);
    return result.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target) }));
  });
  expect(violations).toEqual([]);
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
    expect(await page.locator('#script-tag').textContent()).toBe(`<script async src="${demo.apiUrl}/kudos.js" data-key="${demo.publishableKey}"></script>`);
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
    expect((await focused(page)).id).toBe(await page.locator('[data-pointer="/icon"]').getAttribute('id'));
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
      trophies: stripDates((await api('/v1/trophies')).body.trophies),
      surveys: stripDates((await api('/v1/surveys')).body.surveys),
      program: (await api('/v1/program')).body,
      badges: stripDates((await api('/v1/badges')).body.badges),
    };
    const tabs = await page.locator('.tabs button').allTextContents();
    expect(tabs).toEqual(['Badges', 'Trophies', 'Points and tiers', 'Rewards', 'Share-to-save campaigns', 'NPS surveys', 'Products and drops', 'Check-in points']);
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
    expect(stripDates((await api('/v1/trophies')).body.trophies)).toEqual(before.trophies);
    expect(stripDates((await api('/v1/surveys')).body.surveys)).toEqual(before.surveys);
    expect((await api('/v1/program')).body).toEqual(before.program);
    expect(stripDates((await api('/v1/badges')).body.badges)).toEqual(before.badges);
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
    expect(await page.locator('table').first().textContent()).toContain('earn');
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
});
