// "Saturday market" end to end, as the "done means" says: the shop gets
// the QR (and the URL it encodes) with its secret key; a 360 px phone opens the
// check-in page, checks in with the keyboard only, sees the badge; the shop
// backend later knows that email as a customer, whose first online order a week
// later wins the micro-gift, visible in the points widget.
import { describe, expect, it } from 'vitest';
import { axeViolations, collectPageErrors, layoutShift, screenshot } from './browser.js';
import { useDemoShop } from './demo-shop.js';

const demo = useDemoShop();

describe('market check-in, end to end', () => {
  it('QR → 360 px check-in page with the keyboard → badge; a week later the first online order wins the micro-gift', async () => {
    const api = demo.apiUrl;
    const sk = { authorization: `Bearer ${demo.secretKey}` };
    const qr = await fetch(`${api}/v1/checkins/saturday-market/qr?format=svg`, { headers: sk });
    expect(qr.status).toBe(200);
    expect(qr.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await qr.text()).toContain('<svg');
    const url = qr.headers.get('kudos-checkin-url')!;
    expect(url).toMatch(/\/c\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(demo.output).toContain(`market check-in  ${url}`);

    const context = await demo.browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, locale: 'en-GB', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors = collectPageErrors(page);
    await page.goto(url);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Saturday market');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await layoutShift(page)).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'checkin-page-360');

    // Keyboard only: Tab to the email, type it, Tab to the consent box, Space, Tab to the button, Enter.
    const email = `ana.${Date.now()}@example.com`;
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('email');
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await page.getByRole('checkbox').isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Check in');
    await Promise.all([page.waitForURL(url), page.keyboard.press('Enter')]);
    await expect.poll(() => page.locator('h1').textContent()).toBe('You are checked in!');
    const status = page.getByRole('status');
    expect(await status.textContent()).toContain('the “Met us at the market” badge');
    expect(await status.textContent()).toContain('10 points');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'checkin-done-360');
    // The same phone again: it says so at once, with no check-in to tap.
    await page.goto(url);
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/already checked in/);
    expect(await page.getByRole('button', { name: 'Check in' }).count()).toBe(0);
    await screenshot(page, 'checkin-revisit-360');
    expect(errors).toEqual([]);
    await context.close();

    // The shop backend learns that email is customer c_… (a sign-up): the visit moves to them.
    const customerId = `c_market_${Date.now()}`;
    const link = await fetch(`${api}/v1/checkins/links`, {
      method: 'POST',
      headers: { ...sk, 'content-type': 'application/json' },
      body: JSON.stringify({ customerId, email }),
    });
    expect((await link.json()).linked).toHaveLength(1);
    // Their first online order (within the 30 days after the visit; a future date would be refused).
    const order = await fetch(`${api}/v1/events`, {
      method: 'POST',
      headers: { ...sk, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: `purchase:${customerId}`,
        type: 'purchase',
        customerId,
        properties: { orderId: `order-${customerId}`, total: 24, currency: 'EUR', kudos_src: 'market', kudos_ref: 'saturday-market' },
      }),
    });
    const [result] = (await order.json()).results;
    const gift = result.awards.find((a: { kind: string }) => a.kind === 'gift');
    expect(gift).toMatchObject({ id: 'first-order-sample', name: 'A free sample bag', code: expect.stringMatching(/^SAMPLE-/) });

    const shop = await demo.browser.newPage();
    shop.setDefaultTimeout(10_000);
    const shopErrors = collectPageErrors(shop);
    await shop.goto(`${demo.storefrontUrl}?customer=${customerId}`);
    const giftLine = shop.locator('kudos-points [part~="gift"]');
    await expect.poll(() => giftLine.textContent(), { timeout: 10_000 }).toBe(`🎁 Your gift: A free sample bag${gift.code}`);
    await expect
      .poll(() => shop.locator('kudos-badges [part~="badge-earned"] [part~="name"]').allTextContents(), { timeout: 10_000 })
      .toContain('Met us at the market');
    await giftLine.scrollIntoViewIfNeeded();
    await screenshot(shop, 'checkin-gift-in-points');
    expect(shopErrors).toEqual([]);
    await shop.close();
  });
});
