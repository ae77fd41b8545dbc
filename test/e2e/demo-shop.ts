// The product as README starts it: `node dist/server/main.js` in its own process
// with a fresh data file (so the demo shop is seeded), plus a Chromium to look
// at it. Each e2e file calls useDemoShop() once at top level.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { tempDir } from '../helpers/server.js';
import { launchBrowser } from './browser.js';

const root = join(import.meta.dirname, '..', '..');

export interface DemoShop {
  /** What the server printed: URLs and keys. */
  readonly output: string;
  readonly browser: Browser;
  readonly apiUrl: string;
  readonly storefrontUrl: string;
  readonly secretKey: string;
  readonly publishableKey: string;
}

const printed = (output: string, pattern: RegExp) => {
  const match = pattern.exec(output);
  if (!match) throw new Error(`The server did not print ${pattern}:\n${output}`);
  return match[1]!;
};

export function useDemoShop(env: Record<string, string> = {}): DemoShop {
  let server: ChildProcess | undefined;
  let output = '';
  let browser: Browser | undefined;
  const dir = tempDir();

  beforeAll(async () => {
    server = spawn(process.execPath, [join(root, 'dist', 'server', 'main.js')], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', KUDOS_DATA: join(dir, 'kudos.json'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (chunk) => (output += chunk));
    server.stderr!.on('data', (chunk) => (output += chunk));
    await new Promise<void>((resolve, reject) => {
      server!.stdout!.on('data', () => output.includes('secret key') && resolve());
      server!.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((resolve) => server!.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  return {
    get output() {
      return output;
    },
    get browser() {
      if (!browser) throw new Error('useDemoShop: the browser starts in beforeAll');
      return browser;
    },
    get apiUrl() {
      return printed(output, /Kudos is running at (http:\/\/\S+)/).replace(/\/+$/, '');
    },
    get storefrontUrl() {
      return printed(output, /storefront\s+(http:\/\/\S+)/);
    },
    get secretKey() {
      return printed(output, /secret key\s+(sk_\w+)/);
    },
    get publishableKey() {
      return printed(output, /publishable key\s+(pk_\w+)/);
    },
  };
}
