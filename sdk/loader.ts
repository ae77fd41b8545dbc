// The script tag: <script async src="https://API_ORIGIN/kudos.js" data-key="pk_…">.
// Built as a classic script (IIFE) so it runs anywhere; it adds no global but `Kudos`.
// What it does at once: put up `Kudos` (config, early requests, and a queue for calls),
// reserve the widgets' room, and for each widget on the page ask for its file, preload the
// chunks that file imports and start its first API requests: all in one round trip. The
// runtime proper (commands, `Kudos.request`, the event queue) is a chunk fetched when first
// needed (sdk/runtime-chunk.ts); widgets need only `Kudos.config` and `Kudos.early`.
import { anonymousId } from './anonymous-id.js';
import { apiHeaders } from './http.js';
import { lazyLoadWidgets } from './lazy-widgets.js';
import { hasSavedItems } from './queue-item.js';
import type { KudosConfig, KudosRuntime } from './types.js';
import { VERSION } from './version.js';

/** The runtime chunk's file under widgets/, stamped in by rollup.config.mjs (hashed, so cached for good). */
declare const __KUDOS_RUNTIME_CHUNK__: string;
/**
 * `[names, most, {tag: indexes}]`: the chunks (under widgets/chunks/) each widget's file imports,
 * as indexes into `names`; `most` for the tags not listed. Stamped in by rollup.config.mjs.
 */
declare const __KUDOS_CHUNKS__: [string[], string, Record<string, string>];

type RuntimeChunk = typeof import('./runtime-chunk.js');

const script = document.currentScript as HTMLScriptElement | null;
const data = script?.dataset;
const global = window as unknown as { Kudos?: KudosRuntime & { q?: unknown[][] } };

if (!data?.key) {
  console.warn('Kudos: add data-key="pk_…" to the Kudos <script> tag.');
} else {
  const src = script!.src;
  // Chunks sit next to the loader, wherever it is served from.
  const chunk = (name: string) => new URL(`widgets/${name}.js`, src).href;
  // A runtime already here (the tag twice, or init() from the npm package) is kept: one identity.
  let kudos = global.Kudos;
  if (!kudos?.version) {
    // key, customerId, customerHash, locale: the data-* attributes as they are.
    const config = {
      ...data,
      api: (data.api || new URL(src).origin).replace(/\/+$/, ''),
      anonymousId: anonymousId(),
    } as KudosConfig;
    const early = new Map<string, Promise<Response>>();
    // The snippet's calls, then the page's own until the runtime chunk has run them.
    const queued = kudos?.q || [];
    let tries = 0;
    let runtime: Promise<KudosRuntime | void> | undefined;
    // A failed module fetch stays failed for its URL in this document: the next call retries
    // with another one (the browser has said what failed in the console).
    const load = () =>
      (runtime ||= import(chunk(__KUDOS_RUNTIME_CHUNK__) + (tries++ ? '?' + tries : '')).then(
        (module: RuntimeChunk) => module.install(config, early, queued),
        () => void (runtime = undefined),
      ));
    kudos = global.Kudos = Object.assign(
      (...args: unknown[]) => {
        queued.push(args);
        void load();
      },
      {
        config,
        early,
        version: VERSION,
        request: <T>(...args: Parameters<KudosRuntime['request']>) => load().then((rt) => rt!.request<T>(...args)),
      },
    ) as unknown as KudosRuntime;
    // Events an earlier page (or a closed tab) left are sent without waiting for a new one.
    if (queued.length || hasSavedItems()) void load();
  }
  const [names, most, chunksOf] = __KUDOS_CHUNKS__;
  lazyLoadWidgets(
    (tag) => {
      // What the widget's file imports is fetched now, with it, not once it has arrived and been
      // read. As an import(), like a <link rel=modulepreload> but shorter to write; the file's own
      // import of it is then the same module (a failure is the widget's import's to report).
      for (const i of chunksOf[tag] ?? most) import(chunk('chunks/' + names[+i])).catch(() => {});
      return chunk(tag);
    },
    (element, requests) => {
      // The identity now (an identify() may have come since).
      const { config, early } = global.Kudos!;
      for (let path of requests) {
        if (path[0] == '~') path = config.customerId ? '/v1/customers/' + encodeURIComponent(config.customerId) : path.slice(1);
        path = path.replace(/{(\w+)}/g, (_, name) => encodeURIComponent(element.getAttribute(name) ?? ''));
        if (path && !early!.has(path)) {
          const sent = fetch(config.api + path, { headers: apiHeaders(config) });
          // Unclaimed (the widget asked something else first), its failure is nobody's to report.
          sent.catch(() => {});
          early!.set(path, sent);
        }
      }
    },
  );
  // Opt-in floating elements: data-celebrate → <kudos-toast>, data-launcher → <kudos-launcher>.
  // An async script may run before <body> exists; <html> hosts them then (they are position: fixed).
  for (const [name, tag] of [['celebrate', 'toast'], ['launcher', 'launcher']]) {
    if (name! in data) (document.body || document.documentElement).append(document.createElement('kudos-' + tag));
  }
}
