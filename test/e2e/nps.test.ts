// The demo storefront's cart survey, as a shopper with only a keyboard meets it:
// start Kudos as README says, answer in the cart, see the summary move, reload
// and be left alone (recontact window).
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/server.js';
import { collectPageErrors, launchBrowser, screenshot } from './browser.js';

const root = join(import.meta.dirname, '..', '..');
let server: ChildProcess;
let output = '';
let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = tempDir();
  server = spawn(process.execPath, [join(root, 'dist', 'server', 'main.js')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', KUDOS_DATA: join(dir, 'kudos.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (chunk) => (output += chunk));
  server.stderr!.on('data', (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', () => output.includes('secret key') && resolve());
    server.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
  rmSync(dir, { recursive: true, force: true });
});

const storefrontUrl = () => /storefront\s+(http:\/\/\S+)/.exec(output)![1]!;
const apiUrl = () => /Kudos is running at (http:\/\/\S+)/.exec(output)![1]!.replace(/\/+$/, '');
const secretKey = () => /secret key\s+(sk_\w+)/.exec(output)![1]!;

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
    const page = await browser.newPage();
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
