// Real Chromium for end-to-end tests: Debian's build, never a downloaded one.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROME_ARGS, chromePath } from '../chromium.mjs';

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({ executablePath: chromePath(), args: CHROME_ARGS, headless: true });

/** Screenshots land in test-results/ so a person can look at what the test saw. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(import.meta.dirname, '..', '..', 'test-results');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** Console errors and uncaught exceptions of a page, e.g. CSP refusals. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}
