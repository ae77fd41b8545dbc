// The script tag: <script async src="https://API_ORIGIN/kudos.js" data-key="pk_…">.
// Built as a classic script (IIFE) so it runs anywhere; it adds no global but `Kudos`.
import { lazyLoadWidgets } from './lazy-widgets.js';
import { installRuntime } from './runtime.js';

const script = document.currentScript as HTMLScriptElement | null;
const data = script?.dataset;

if (!data?.key) {
  console.warn('Kudos: add data-key="pk_…" to the Kudos <script> tag.');
} else {
  const src = script!.src;
  installRuntime({
    key: data.key,
    api: data.api || new URL(src).origin,
    customerId: data.customerId,
    customerHash: data.customerHash,
    locale: data.locale,
  });
  // Chunks sit next to the loader, wherever it is served from.
  lazyLoadWidgets((tag) => new URL(`widgets/${tag}.js`, src).href);
  // Opt-in floating elements: data-celebrate → <kudos-toast>, data-launcher → <kudos-launcher>.
  // An async script may run before <body> exists; <html> hosts them then (they are position: fixed).
  const root = document.body || document.documentElement;
  if ('celebrate' in data) root.append(document.createElement('kudos-toast'));
  if ('launcher' in data) root.append(document.createElement('kudos-launcher'));
}
