// Browser tests: widgets and SDK in the system's Chromium, against the real Kudos
// server (started by test/web/kudos-server-plugin.mjs; build it first with
// `npm run build:server`). See TOOLCHAIN.md for why these flags.
import { existsSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { kudosServerPlugin } from './test/web/kudos-server-plugin.mjs';

const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  throw new Error(
    `web-test-runner: no Chromium at ${executablePath}. Install it (apt-get install -y chromium) ` +
      `or point CHROME_PATH at a Chrome/Chromium binary. Test tools cannot download browsers here.`,
  );
}

export default {
  files: ['widgets/**/*.test.ts', 'sdk/**/*.test.ts'],
  // Lit's production build, as the bundles use: no dev-mode warnings in the logs.
  nodeResolve: { exportConditions: ['production'] },
  concurrency: 1,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        args: [
          '--no-sandbox',
          '--headless=new',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), kudosServerPlugin()],
  testFramework: { config: { timeout: 10000 } },
};
