// npm entry, for shops that bundle their own code: `init()` instead of the script tag.
import { installRuntime } from './runtime.js';
import type { KudosInit, KudosRuntime } from './types.js';

export { createRuntime, installRuntime } from './runtime.js';
export { VERSION } from './version.js';
export type * from './types.js';

/**
 * Install `window.Kudos` (and run calls queued before it) for the widgets and `Kudos('track', …)`.
 * Calling it again keeps the runtime already installed.
 */
export function init(options: KudosInit): KudosRuntime {
  return installRuntime(options);
}
