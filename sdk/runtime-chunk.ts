// What the script tag's loader (sdk/loader.ts) need not run at once: the runtime's commands,
// `Kudos.request` and the persisted event queue, in one hashed chunk
// (dist/public/widgets/chunks/runtime-<hash>.js). The loader imports it on the first
// `Kudos(…)` call or `Kudos.request`, or at once when the snippet queued calls or an earlier
// page left events. Widgets do not need it: they read `Kudos.config` and make their own
// API calls (widgets/internal/api.ts), so a page that only shows widgets never fetches it.
import * as queueModule from './queue.js';
import { createRuntimeWith } from './runtime-core.js';
import type { KudosConfig, KudosRuntime } from './types.js';

/**
 * Replace the loader's stand-in `window.Kudos` with the runtime, with the loader's config
 * (the same visitor id) and early requests, and run the calls queued on the stand-in, in order.
 */
export function install(config: KudosConfig, early: Map<string, Promise<Response>>, queued: unknown[][]): KudosRuntime {
  const runtime = createRuntimeWith(config, async () => queueModule, early);
  (window as unknown as { Kudos: KudosRuntime }).Kudos = runtime;
  for (const args of queued.splice(0)) runtime(...(args as [string]));
  return runtime;
}
