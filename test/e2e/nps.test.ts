// The demo storefront's cart survey, as a shopper with only a keyboard meets it:
// start Kudos as README says, answer in the cart, see the summary move, reload
// and be left alone (recontact window).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, screenshot } from './browser.js';
import { useDemoShop } from './demo-shop.js';

const demo = useDemoShop();

const storefrontUrl = () => demo.storefrontUrl;
const apiUrl = () => demo.apiUrl;
const secretKey = () => demo.secretKey;

async function summary() {
  const response = await fetch(`${apiUrl()}/v1/surveys/checkout/summary`, { headers: { authorization: `Bearer ${secretKey()}` } });
  expect(response.status).toBe(200);
  return response.json();
}

/** What has focus, looking through shadow roots: tag, type, value, text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    const host = (el?.getRootNode() as ShadowRoot).host;
    return {
      host: host?.localName ?? null,
      tag: el?.localName ?? null,
      type: (el as HTMLInputElement | null)?.type ?? null,
      value: (el as HTMLInputElement | null)?.value ?? null,
      text: el?.textContent?.trim() ?? '',
    };
  });

const survey = (page: Page) => page.locator('kudos-nps [part~="base"]');

describe('in-cart NPS on the demo storefront', () => {
  it('is answered by keyboard alone, shows in the summary, and stays away inside the recontact window', async () => {
    const page = await demo.browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${storefrontUrl()}?customer=c_nps_${Date.now()}`);
    await survey(page).waitFor();
    await expect.poll(() => page.locator('kudos-nps [part~="announcement"]').textContent()).toContain('How likely');
    // It appeared without taking focus.
    expect((await focused(page)).host).toBe(null);
    await screenshot(page, 'storefront-cart-nps');

    const before = await summary();
    // Tab through the page until the survey's radio group (one tab stop).
    for (let i = 0; i < 40 && (await focused(page)).type !== 'radio'; i++) await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ host: 'kudos-nps', type: 'radio', value: '0' });
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toMatchObject({ type: 'radio', value: '10' });
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'button', text: 'Next' });
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).tag).toBe('textarea');
    await page.keyboard.type('Lovely beans, <em>fast</em> delivery');
    await screenshot(page, 'storefront-cart-nps-follow-up');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'button', text: 'Send' });
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).text).toBe('Thank you for your feedback!');
    await screenshot(page, 'storefront-cart-nps-thanks');

    const after = await summary();
    expect(after.responses).toBe(before.responses + 1);
    expect(after.distribution[10]).toBe(before.distribution[10] + 1);
    expect(after.nps).toBe(100);
    expect(after.comments[0]).toMatchObject({ score: 10, comment: 'Lovely beans, <em>fast</em> delivery' });

    // Inside the recontact window (1 day on the demo shop): the cart shows no survey.
    const eligibility = page.waitForResponse((r) => r.url().includes('/v1/surveys/checkout/eligibility'));
    await page.reload();
    expect(await (await eligibility).json()).toEqual({ show: false, reason: 'recontact' });
    await page.locator('.cart-total').waitFor();
    expect(await survey(page).count()).toBe(0);
    expect((await summary()).displays).toBe(after.displays);
    expect(errors).toEqual([]);
    await page.close();
  });
});
