// Every page Kudos serves to a person outside the widgets, in every state it can be in, is
// axe-clean in Chromium: the check-in page (/c/…: form, bad email, consent missing, checked
// in, already checked in, a link that is not valid), the post-delivery survey (/s/…: comment
// too long, answered, already answered, not valid; its form and missing-score error are in
// survey-page.test.ts), the market-list withdrawal (/w/…: the question, done, not valid) and
// the trophy's public pages (/t/…: awarded, its verification, revoked, the revoked one's
// verification, not found). The other closed check-in and survey pages (too many tries, over,
// not yet…) are the "not valid" template with another sentence.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, collectPageErrors } from './browser.js';
import { useDemoShop } from './demo-shop.js';

const demo = useDemoShop();
let page: Page;
let errors: string[];

beforeAll(async () => {
  const context = await demo.browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-GB' });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  errors = collectPageErrors(page);
});
afterAll(() => page.context().close());

const sk = () => ({ authorization: `Bearer ${demo.secretKey}`, 'content-type': 'application/json' });
const api = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(`${demo.apiUrl}${path}`, { ...init, headers: { ...sk(), ...init.headers } });
  expect(response.status, `${init.method ?? 'GET'} ${path}`).toBeLessThan(300);
  return response;
};
/** The page's status and its first heading, once axe found nothing. */
async function clean(state: string): Promise<string> {
  expect(await axeViolations(page), state).toEqual([]);
  return (await page.locator('h1').first().textContent()) ?? '';
}
/** Submit the page's form as a browser would, without its own checks (required, type=email): what the server answers a bad value. */
const submitUnchecked = (fields: Record<string, string | boolean>) =>
  Promise.all([
    page.waitForNavigation(),
    page.evaluate((values) => {
      const form = document.querySelector('form')!;
      form.noValidate = true;
      for (const [name, value] of Object.entries(values)) {
        const input = form.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
        if (typeof value === 'boolean') input.checked = value;
        else input.value = value;
      }
      form.requestSubmit();
    }, fields),
  ]);

describe('hosted pages are axe-clean in every state', () => {
  it('check-in /c/…: form, bad email, consent missing, checked in, already checked in, not valid', async () => {
    const qr = await api('/v1/checkins/saturday-market/qr?format=svg');
    const url = qr.headers.get('kudos-checkin-url')!;
    const response = await page.goto(url);
    expect(response!.status()).toBe(200);
    expect(await clean('form')).toBe('Saturday market');

    await submitUnchecked({ email: 'not an email', consent: true });
    expect(await page.locator('[role=alert], .error, [aria-invalid=true]').count(), 'an error is shown').toBeGreaterThan(0);
    expect(await clean('bad email')).toBe('Saturday market');

    await submitUnchecked({ email: `ana.${Date.now()}@example.com`, consent: false });
    expect(await page.locator('[role=alert], .error, [aria-invalid=true]').count(), 'an error is shown').toBeGreaterThan(0);
    expect(await clean('consent missing')).toBe('Saturday market');

    await submitUnchecked({ email: `ana.${Date.now()}@example.com`, consent: true });
    expect(await clean('checked in')).toBe('You are checked in!');

    await page.goto(url);
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/already checked in/);
    await clean('already checked in');

    const invalid = await page.goto(url.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAA'));
    expect(invalid!.status()).toBe(404);
    await clean('not valid');
  });

  it('withdrawal /w/…: the question, done, not valid', async () => {
    // The sign-up of the check-in test above is on the market list, with its withdrawal link.
    const list = await (await api('/v1/market-list')).text();
    const withdraw = /"withdrawUrl":"([^"]+)"/.exec(list)?.[1];
    expect(withdraw, 'a withdrawal link on the market list').toBeTruthy();
    await page.goto(withdraw!);
    expect(await clean('question')).toBe('Unsubscribe');
    expect(await page.getByRole('button', { name: 'Remove my email' }).count()).toBe(1);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Remove my email' }).click()]);
    expect(await page.getByRole('status').textContent()).toMatch(/is removed/);
    await clean('done');
    const invalid = await page.goto(withdraw!.replace(/[^/]+$/, 'AAAAAAAAAAAAAAAAAAAAAA'));
    expect(invalid!.status()).toBe(404);
    await clean('not valid');
  });

  it('survey /s/…: comment too long, answered, already answered, not valid', async () => {
    const made = await api('/v1/surveys/checkout/links', { method: 'POST', body: JSON.stringify({ customerId: `e2e-${Date.now()}`, orderId: '6001' }) });
    const { url } = (await made.json()) as { url: string };
    await page.goto(url);
    await page.locator('#score-9').check();
    await submitUnchecked({ comment: 'x'.repeat(1001) });
    expect(await page.locator('[role=alert]').textContent()).toBeTruthy();
    await clean('comment too long');
    await page.locator('#comment').fill('Well packed');
    await Promise.all([page.waitForNavigation(), page.locator('form button[type=submit], form button:not([type])').first().click()]);
    expect(await clean('answered')).toBe('Thank you!');
    await page.goto(url);
    expect(await page.getByRole('status').textContent()).toBeTruthy();
    expect(await clean('already answered')).toBe('Thank you!');
    const tampered = new URL(url);
    for (const [name, value] of tampered.searchParams) if (value.length > 20) tampered.searchParams.set(name, 'A'.repeat(value.length));
    if (tampered.href === url) tampered.pathname += 'x';
    const invalid = await page.goto(tampered.href);
    expect(invalid!.status()).toBeGreaterThanOrEqual(400);
    await clean('not valid');
  });

  it('trophy /t/…: awarded, verified, revoked, revoked verified, not found', async () => {
    const awarded = await api('/v1/trophies/community-roaster/awards', { method: 'POST', body: JSON.stringify({ customerId: `c_axe_${Date.now()}`, reason: 'Helped at the tasting' }) });
    const award = (await awarded.json()) as { awardId: string; url: string };
    await page.goto(award.url);
    await clean('awarded');
    await page.goto(`${award.url}/verify`);
    await clean('verified');
    await api(`/v1/trophies/community-roaster/awards/${award.awardId}/revocation`, { method: 'POST', body: JSON.stringify({ reason: 'Awarded by mistake' }) });
    await page.goto(award.url);
    expect(await page.getByRole('status').textContent()).toMatch(/revoked/);
    await clean('revoked');
    await page.goto(`${award.url}/verify`);
    await clean('revoked, verified');
    const missing = await page.goto(`${demo.apiUrl}/t/${'A'.repeat(21)}`);
    expect(missing!.status()).toBe(404);
    await clean('not found');
    // 404s are the point of two of the states above; nothing else failed (no CSP refusal, no script error).
    expect(errors.filter((e) => !/status of (400|404)/.test(e))).toEqual([]);
  });
});
