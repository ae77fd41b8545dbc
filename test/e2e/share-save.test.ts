// Share-to-save as two people do it: one shopper starts a group on the demo
// storefront and shares the link; a second shopper, in their own browser
// context, opens it and joins; both then see their own, different code.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, screenshot } from './browser.js';
import { useDemoShop } from './demo-shop.js';

const demo = useDemoShop();

const storefrontUrl = () => demo.storefrontUrl;
const widget = (page: Page) => page.locator('kudos-share-save');

describe('share-to-save on the demo storefront', () => {
  it('two shoppers: one starts and shares, the other opens the link and joins, both see their own code', async () => {
    const owner = await (await demo.browser.newContext()).newPage();
    const ownerErrors = collectPageErrors(owner);
    await owner.goto(`${storefrontUrl()}?customer=c_owner_${Date.now()}`);
    await expect.poll(() => widget(owner).locator('[part~="offer"]').textContent()).toContain('within 24 h');
    expect(await widget(owner).locator('[part~="tier"]').allTextContents()).toEqual(['2 people: −10%', '3 people: −15%']);

    await widget(owner).getByRole('button', { name: 'Start a group' }).click();
    const linkField = widget(owner).getByRole('textbox', { name: 'Group link' });
    await expect.poll(() => linkField.inputValue()).toContain('kudos_group=');
    const shared = new URL(await linkField.inputValue());
    expect(await widget(owner).locator('[part~="people"]').textContent()).toBe('1 joined · 1 more for −10%');
    await screenshot(owner, 'share-save-owner-started');

    // The friend opens the shared link as themselves (the demo page takes ?customer=).
    const friend = await (await demo.browser.newContext()).newPage();
    const friendErrors = collectPageErrors(friend);
    shared.searchParams.set('customer', `c_friend_${Date.now()}`);
    await friend.goto(shared.href);
    await expect.poll(() => widget(friend).locator('[part~="invitation"]').textContent()).toBe('A friend invited you to save together.');
    await screenshot(friend, 'share-save-friend-invited');
    await widget(friend).getByRole('button', { name: 'Join the group' }).click();
    const friendCode = widget(friend).locator('[part~="code"]');
    await expect.poll(() => friendCode.textContent()).toMatch(/^DUO-[2-9A-Z]{12}-[2-9A-Z]{8}$/);
    expect(await widget(friend).locator('[part~="code-box"]').textContent()).toContain('−10%');
    await screenshot(friend, 'share-save-friend-joined');

    // The owner's widget picks the friend up on its own (it polls while the group is open).
    const ownerCode = widget(owner).locator('[part~="code"]');
    await expect.poll(() => ownerCode.count(), { timeout: 30_000 }).toBe(1);
    expect(await ownerCode.textContent()).toMatch(/^DUO-/);
    expect(await ownerCode.textContent()).not.toBe(await friendCode.textContent());
    expect(await widget(owner).locator('[part~="status"]').textContent()).toContain('Unlocked');
    await screenshot(owner, 'share-save-owner-unlocked');

    expect(ownerErrors).toEqual([]);
    expect(friendErrors).toEqual([]);
  });

  it('the owner opening their own link sees their group, not a join button', async () => {
    const customer = `c_owner2_${Date.now()}`;
    const owner = await (await demo.browser.newContext()).newPage();
    await owner.goto(`${storefrontUrl()}?customer=${customer}`);
    await widget(owner).getByRole('button', { name: 'Start a group' }).click();
    const linkField = widget(owner).getByRole('textbox', { name: 'Group link' });
    await expect.poll(() => linkField.inputValue()).toContain('kudos_group=');
    const link = new URL(await linkField.inputValue());
    expect(link.searchParams.get('customer')).toBe(customer);
    const again = await owner.context().newPage();
    await again.goto(link.href);
    await expect.poll(() => widget(again).locator('[part~="role"]').textContent()).toBe('You’re in this group.');
    expect(await widget(again).getByRole('button', { name: 'Join the group' }).count()).toBe(0);
  });
});
