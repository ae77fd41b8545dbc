// A shop recognises a shopper with a trophy: the demo storefront's "Award me a
// trophy" plays the shop backend, the trophy case shows it, and its link opens
// the public page that a shared link would unfurl from.
import { describe, expect, it } from 'vitest';
import { collectPageErrors, screenshot } from './browser.js';
import { useDemoShop } from './demo-shop.js';

const demo = useDemoShop({ KUDOS_PUBLIC_URL: '' });

/** Answers wait for a server round trip and a re-render, slower while other suites run. */
const WAIT = { timeout: 15_000 };

const storefrontUrl = () => demo.storefrontUrl;

describe('trophies on the demo storefront, end to end', () => {
  it('award → trophy case shows it → its link opens the public page with the right og:title', async () => {
    const customer = `c_trophy_${Date.now()}`;
    const page = await demo.browser.newPage({ viewport: { width: 1100, height: 1000 } });
    const errors = collectPageErrors(page);
    await page.goto(`${storefrontUrl()}?customer=${customer}`);
    const caseEl = page.locator('kudos-trophy-case');
    const locked = caseEl.locator('[part~="trophy-locked"]');
    // The page loads several widgets; wait for this one as a person would, then look.
    await locked.first().waitFor();
    expect(await locked.locator('[part~="name"]').allTextContents()).toEqual(['Community roaster']);
    expect(await locked.locator('[part~="criteria"]').textContent()).toContain('helping other coffee lovers');

    await page.getByRole('button', { name: 'Award me a trophy (demo)' }).click();
    await expect.poll(() => page.locator('#trophy-status').textContent(), WAIT).toBe('Trophy awarded: Community roaster (bronze).');
    const earned = caseEl.locator('[part~="trophy-earned"]');
    await expect.poll(() => earned.count(), WAIT).toBe(1);
    expect(await earned.locator('[part~="level"]').textContent()).toBe('Bronze');
    expect(await caseEl.locator('[part~="trophy-locked"]').count()).toBe(0);
    await screenshot(page, 'storefront-trophy-case');

    // The share fallback copies the link; the name links to the same public page.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const share = earned.getByRole('button', { name: /Community roaster, Bronze/ });
    await share.click();
    await expect.poll(() => caseEl.locator('[part~="announcement"]').textContent(), WAIT).toBe('Link copied');
    const href = await earned.locator('a[part~="name"]').getAttribute('href');
    expect(href).toMatch(/\/t\/[A-Za-z0-9_-]{21}$/);
    expect(new URL(href!).origin).toBe(new URL(storefrontUrl()).origin);

    const [publicPage] = await Promise.all([page.context().waitForEvent('page'), earned.locator('a[part~="name"]').click()]);
    await publicPage.waitForLoadState();
    expect(await publicPage.locator('meta[property="og:title"]').getAttribute('content')).toBe(
      'Community roaster (Bronze) · Demo Coffee Roasters',
    );
    expect(await publicPage.locator('meta[property="og:url"]').getAttribute('content')).toBe(href);
    expect(await publicPage.locator('h1').textContent()).toBe('Community roaster');
    expect(await publicPage.content()).not.toContain(customer);
    const publicErrors = collectPageErrors(publicPage);
    await screenshot(publicPage, 'trophy-public-page');
    const credential = await (await fetch(`${href}.json`)).json();
    expect(credential.type).toContain('OpenBadgeCredential');
    expect(credential.issuer.name).toBe('Demo Coffee Roasters');

    // Awarding again gives the next level.
    await page.getByRole('button', { name: 'Award me a trophy (demo)' }).click();
    await expect.poll(() => earned.locator('[part~="level"]').allTextContents(), WAIT).toEqual(['Silver', 'Bronze']);
    expect(errors).toEqual([]);
    expect(publicErrors).toEqual([]);
  });
});
