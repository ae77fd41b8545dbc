// The system's Chromium, for web-test-runner and the end-to-end tests alike.
// Test tools cannot download browsers here; see TOOLCHAIN.md for the flags.
import { existsSync } from 'node:fs';

/** Without the background-networking flags Chromium dials hosts this network refuses. */
export const CHROME_ARGS = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromePath() {
  const path = process.env.CHROME_PATH || '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `No Chromium at ${path}. Install it (apt-get install -y chromium) or point CHROME_PATH at a Chrome/Chromium binary.`,
    );
  }
  return path;
}
