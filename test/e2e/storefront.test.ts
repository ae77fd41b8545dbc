// What a new user does: start Kudos the way README says, open the printed demo
// storefront, buy three times, watch "Regular" unlock.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, screenshot } from './browser.js';
import { useDemoShop } from './demo-shop.js';

const demo = useDemoShop();

const storefrontUrl = () => demo.storefrontUrl;

const earnedNames = (page: Page) => page.locator('kudos-badges [part~="badge-earned"] [part~="name"]').allTextContents();

async function openAs(customerId: string): Promise<Page> {
  const page = await demo.browser.newPage();
  await page.goto(`${storefrontUrl()}?customer=${customerId}`);
  await page.locator('kudos-badges [part~="badge-locked"]').first().waitFor();
  return page;
}

describe('demo storefront, end to end', () => {
  it('prints the demo storefront URL and both keys on start', () => {
    expect(demo.output).toMatch(/Kudos is running at http:\/\/127\.0\.0\.1:\d+/);
    expect(demo.output).toMatch(/storefront\s+http:\/\/\S+\/examples\/storefront\.html/);
    expect(demo.output).toMatch(/publishable key\s+pk_\w+/);
    expect(demo.output).toMatch(/secret key\s+sk_\w+/);
  });

  it('unlocks "Regular" after three simulated purchases, live and announced', async () => {
    const page = await openAs(`c_e2e_${Date.now()}`);
    const errors = collectPageErrors(page);
    expect(await earnedNames(page)).toEqual([]);
    const regular = page.locator('kudos-badges [part~="badge"]', { hasText: 'Regular' });
    await expect.poll(() => regular.locator('[part~="status"]').textContent()).toMatch(/0 of 3/);

    const buy = page.getByRole('button', { name: 'Simulate purchase' });
    for (let order = 1; order <= 3; order++) {
      await buy.click();
      await expect.poll(() => page.locator('#order-status').textContent()).toBe('Order placed. Thank you!');
      await expect.poll(() => buy.isEnabled()).toBe(true);
    }
    await expect.poll(() => earnedNames(page)).toEqual(expect.arrayContaining(['First order', 'Regular']));
    await expect.poll(() => page.locator('kudos-badges [part~="announcement"]').textContent()).toContain('Regular');
    await screenshot(page, 'storefront-after-three-purchases');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('unlocks "Explorer" from browser-tracked product views (Kudos("track") → API → widget)', async () => {
    const page = await openAs(`c_e2e_views_${Date.now()}`);
    // The page tracked one product view on load; two more coffees make three.
    await page.getByRole('button', { name: 'Kenya AA' }).click();
    await page.getByRole('button', { name: 'Colombia Huila' }).click();
    await expect.poll(() => earnedNames(page)).toEqual(['Explorer']);
    await page.close();
  });

  it('keeps the badges after a reload (they come from the server, not the page)', async () => {
    const customer = `c_e2e_reload_${Date.now()}`;
    const page = await openAs(customer);
    await page.getByRole('button', { name: 'Simulate purchase' }).click();
    await expect.poll(() => earnedNames(page)).toEqual(['First order']);
    await page.reload();
    await expect.poll(() => earnedNames(page)).toEqual(['First order']);
    await page.close();
  });
});
