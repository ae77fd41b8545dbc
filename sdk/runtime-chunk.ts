// What the script tag's loader (sdk/loader.ts) need not run at once: the runtime's commands,
// `Kudos.request` and the persisted event queue, in one hashed chunk
// (dist/public/widgets/chunks/runtime-<hash>.js). The loader imports it on the first
// `Kudos(…)` call or `Kudos.request`, or at once when the snippet queued calls or an earlier
// page left events. Widgets do not need it: they read `Kudos.config` and make their own
// API calls (widgets/internal/api.ts), so a page that only shows widgets never fetches it.
import { EARLY_PREFIX, type EarlyCall } from './queue-item.js';
import * as queueModule from './queue.js';
import { createRuntimeWith, replay } from './runtime-core.js';
import type { KudosConfig, KudosRuntime } from './types.js';

const loadQueue = async () => queueModule;

/**
 * Replace the loader's stand-in `window.Kudos` with the runtime, with the loader's config
 * (the same visitor id) and early requests, and run the calls queued on the stand-in, in order,
 * with the event ids the loader gave them; then forget their stored copy (`key`), and run what
 * pages closed before their runtime arrived left stored, each as the identity of its page.
 */
export function install(config: KudosConfig, early: Map<string, Promise<Response>>, queued: EarlyCall[], key: string): KudosRuntime {
  const runtime = createRuntimeWith(config, loadQueue, early);
  (window as unknown as { Kudos: KudosRuntime }).Kudos = runtime;
  replay(runtime, queued.splice(0));
  try {
    // Its tracks are in the event queue now (sdk/queue.ts), stored there in this same task.
    localStorage.removeItem(key);
    for (const other of Object.keys(localStorage)) {
      if (!other.startsWith(EARLY_PREFIX)) continue;
      const stored = localStorage.getItem(other);
      localStorage.removeItem(other);
      try {
        const [pageConfig, calls] = JSON.parse(stored!) as [KudosConfig, EarlyCall[]];
        // Another tab whose chunk is still on its way runs the same calls again when it arrives:
        // the same event ids, one storage item each, counted once by the API. (Its identify and
        // refresh calls tell this page's widgets to reload once: harmless, and no bytes to filter.)
        replay(createRuntimeWith(pageConfig, loadQueue), calls);
      } catch {
        // not ours to understand (a hand edit): dropped, as the queue drops such items
      }
    }
  } catch {
    // storage blocked: nothing was stored either
  }
  return runtime;
}
