// The demo storefront's loyalty loop, as a shopper sees it: buy → points and tier
// progress go up → redeem → a code is shown → refund → points go down.
import { describe, expect, it } from 'vitest';
import { collectPageErrors, screenshot } from './browser.js';
import { useDemoShop } from './demo-shop.js';

const demo = useDemoShop();

const storefrontUrl = () => demo.storefrontUrl;

describe('demo storefront points, end to end', () => {
  it('buy → points and tier progress → redeem → code → refund → points go down', async () => {
    const page = await demo.browser.newPage();
    page.setDefaultTimeout(10_000);
    const errors = collectPageErrors(page);
    await page.goto(`${storefrontUrl()}?customer=c_points_${Date.now()}`);
    const points = page.locator('kudos-points');
    const balance = points.locator('[part~="balance"]');
    await expect.poll(() => balance.textContent(), { timeout: 10_000 }).toMatch(/^0\s+points$/);
    await expect.poll(() => points.locator('[part~="tier-status"]').textContent(), { timeout: 10_000 }).toBe('100 points to Silver');

    const buy = page.getByRole('button', { name: 'Simulate purchase' });
    for (let order = 1; order <= 6; order++) {
      await buy.click();
      await expect.poll(() => page.locator('#order-status').textContent(), { timeout: 10_000 }).toBe('Order placed. Thank you!');
      await expect.poll(() => buy.isEnabled(), { timeout: 10_000 }).toBe(true);
    }
    await expect.poll(() => balance.textContent(), { timeout: 10_000 }).toMatch(/^144\s+points$/);
    await expect.poll(() => points.locator('[part~="tier-name"]').textContent(), { timeout: 10_000 }).toBe('Silver tier');
    await expect.poll(() => points.locator('[part~="tier-status"]').textContent(), { timeout: 10_000 }).toBe('156 points to Gold');
    // The celebration toast the script tag's data-celebrate inserted shows the first badge.
    await expect.poll(() => page.locator('kudos-toast [part~="name"]').allTextContents(), { timeout: 10_000 }).toContain('First order');

    await points.getByRole('button', { name: 'Redeem €5 off' }).click();
    const code = points.locator('[part~="code-value"]');
    await expect.poll(() => code.textContent(), { timeout: 10_000 }).toMatch(/^[2-9A-Z]{10}$/);
    await expect.poll(() => balance.textContent(), { timeout: 10_000 }).toMatch(/^44\s+points$/);
    await screenshot(page, 'storefront-points-redeemed');

    await page.getByRole('button', { name: 'Refund last order (demo)' }).click();
    await expect.poll(() => page.locator('#order-status').textContent(), { timeout: 10_000 }).toBe('Order refunded: its points were taken back.');
    await expect.poll(() => balance.textContent(), { timeout: 10_000 }).toMatch(/^20\s+points$/);
    await expect.poll(() => points.locator('[part~="activity-kind"]').first().textContent(), { timeout: 10_000 }).toBe('Refund');
    await screenshot(page, 'storefront-points-refunded');
    expect(errors).toEqual([]);
    await page.close();
  });
});
