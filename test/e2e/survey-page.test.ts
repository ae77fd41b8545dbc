// The hosted post-delivery survey in Chromium, as a customer who followed the link
// in a shipping email meets it on a 360 px phone: no axe violations, no layout
// shift, nothing wider than the screen, answered with the keyboard only.
import { describe, expect, it } from 'vitest';
import { axeViolations, collectPageErrors, layoutShift, screenshot } from './browser.js';
import { useDemoShop } from './demo-shop.js';

const demo = useDemoShop();

describe('post-delivery survey page', () => {
  it('a signed link from the shop’s email opens an accessible survey, answered with the keyboard', async () => {
    const sk = { authorization: `Bearer ${demo.secretKey}`, 'content-type': 'application/json' };
    const made = await fetch(`${demo.apiUrl}/v1/surveys/checkout/links`, { method: 'POST', headers: sk, body: JSON.stringify({ customerId: `e2e-${Date.now()}`, orderId: '5001' }) });
    expect(made.status).toBe(200);
    const { url } = await made.json();

    const context = await demo.browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, locale: 'en-GB', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors = collectPageErrors(page);
    await page.goto(url);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Your opinion');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await layoutShift(page)).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'survey-page-360');

    // Sent without a score: the error is named in a summary and at the scale, still accessible.
    await page.keyboard.press('Tab'); // the first score
    await page.keyboard.press('Tab'); // the comment
    await page.keyboard.press('Tab'); // the button
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[role=alert]').textContent()).toContain('Choose a score from 0 to 10.');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'survey-page-error-360');

    // Keyboard only: Tab past the summary's link into the scale, arrows to 9 (arrow keys check a radio), Tab to the comment, type, Enter on the button.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('#score-0');
    await page.keyboard.press('Tab');
    for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('9');
    expect(await page.locator('#score-9').isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Well packed, thank you');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Thank you!');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'survey-page-done-360');
    // The form sent without a score was answered 400 on purpose; nothing else failed (no CSP refusal, no script error).
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);

    const summary = await (await fetch(`${demo.apiUrl}/v1/surveys/checkout/summary`, { headers: sk })).json();
    expect(summary.channels.postDelivery.responses).toBeGreaterThanOrEqual(1);
    await context.close();
  });
});
