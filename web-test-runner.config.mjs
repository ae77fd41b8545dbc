// Browser tests: widgets and SDK in the system's Chromium, against the real Kudos
// server (started by test/web/kudos-server-plugin.mjs; build it first with
// `npm run build:server`). See TOOLCHAIN.md for why these flags.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { a11ySnapshotPlugin } from '@web/test-runner-commands/plugins';
import { kudosServerPlugin } from './test/web/kudos-server-plugin.mjs';
import { CHROME_ARGS, chromePath } from './test/chromium.mjs';

const executablePath = chromePath();

export default {
  files: ['widgets/**/*.test.ts', 'sdk/**/*.test.ts'],
  // Lit's production build, as the bundles use: no dev-mode warnings in the logs.
  nodeResolve: { exportConditions: ['production'] },
  concurrency: 1,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        args: CHROME_ARGS,
      },
    }),
  ],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), kudosServerPlugin(),
    // Chromium's accessibility tree (a11ySnapshot), for what axe's rules do not look at.
    a11ySnapshotPlugin()],
  testFramework: { config: { timeout: 10000 } },
};
