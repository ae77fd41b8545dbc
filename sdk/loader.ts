// The script tag: <script async src="https://API_ORIGIN/kudos.js" data-key="pk_…">.
// Built as a classic script (IIFE) so it runs anywhere; it adds no global but `Kudos`.
import { lazyLoadWidgets } from './lazy-widgets.js';
import type { QueueModule } from './queue-item.js';
import { createRuntimeWith, installWith } from './runtime-core.js';

/** The queue chunk's file under widgets/, stamped in by rollup.config.mjs (hashed, so cached for good). */
declare const __KUDOS_QUEUE_CHUNK__: string;

const script = document.currentScript as HTMLScriptElement | null;
const data = script?.dataset;

if (!data?.key) {
  console.warn('Kudos: add data-key="pk_…" to the Kudos <script> tag.');
} else {
  const src = script!.src;
  let tries = 0;
  // Chunks sit next to the loader, wherever it is served from.
  const chunk = (name: string) => new URL(`widgets/${name}.js`, src).href;
  installWith(
    {
      key: data.key,
      api: data.api || new URL(src).origin,
      customerId: data.customerId,
      customerHash: data.customerHash,
      locale: data.locale,
    },
    // A failed module fetch stays failed for its URL in this document: a retry asks with another one.
    (init) => createRuntimeWith(init, () => import(chunk(__KUDOS_QUEUE_CHUNK__) + (tries++ ? '?' + tries : '')) as Promise<QueueModule>),
  );
  lazyLoadWidgets(chunk);
  // Opt-in floating elements: data-celebrate → <kudos-toast>, data-launcher → <kudos-launcher>.
  // An async script may run before <body> exists; <html> hosts them then (they are position: fixed).
  const root = document.body || document.documentElement;
  if ('celebrate' in data) root.append(document.createElement('kudos-toast'));
  if ('launcher' in data) root.append(document.createElement('kudos-launcher'));
}
