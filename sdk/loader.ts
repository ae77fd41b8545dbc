// The script tag: <script async blocking="render" src="https://API_ORIGIN/kudos.js" data-key="pk_…">.
// Built as a classic script (IIFE) so it runs anywhere; it adds no global but `Kudos`.
// What it does at once: put up `Kudos` (config, early requests, and a queue for calls),
// reserve the widgets' room, and for each widget on the page ask for its file, preload the
// chunks that file imports and start its first API requests: all in one round trip. The
// runtime proper (commands, `Kudos.request`, the event queue) is a chunk fetched when first
// needed (sdk/runtime-chunk.ts); widgets need only `Kudos.config` and `Kudos.early`.
import { anonymousId } from './anonymous-id.js';
import { apiHeaders } from './http.js';
import { lazyLoadWidgets } from './lazy-widgets.js';
import { EARLY_PREFIX, type EarlyCall } from './queue-item.js';
import { randomId } from './random-id.js';
import type { KudosConfig, KudosRuntime } from './types.js';
import { VERSION } from './version.js';

/** The runtime chunk's file under widgets/, stamped in by rollup.config.mjs (hashed, so cached for good). */
declare const __KUDOS_RUNTIME_CHUNK__: string;
/** The chunks (under widgets/chunks/) every widget's file imports. Stamped in by rollup.config.mjs. */
declare const __KUDOS_CHUNKS__: string[];

type RuntimeChunk = typeof import('./runtime-chunk.js');

const script = document.currentScript as HTMLScriptElement | null;
const data = script?.dataset;
const global = window as unknown as { Kudos?: KudosRuntime & { q?: unknown[][] } };

if (!data?.key) {
  // Short: the loader's bytes are on every page; docs/getting-started.md says what goes there.
  console.warn('Kudos: no data-key');
} else {
  const src = script!.src;
  // Chunks sit next to the loader, wherever it is served from.
  // A URL, not its href: import() and `+` turn it into its string themselves (5 B fewer).
  const chunk = (name: string) => new URL(`widgets/${name}.js`, src) as unknown as string;
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
    // The snippet's calls, then the page's own until the runtime chunk has run them, each with
    // the event id and time it gets if it is a track; stored at once (EARLY_PREFIX), so an event
    // tracked before the chunk arrives is not lost when the page closes: the next page's chunk runs it.
    // (The snippet's are `arguments` objects, kept as they are: the runtime reads any call's values.)
    const stamp = (args: unknown): EarlyCall => [args as unknown[], randomId(), new Date()];
    const queued = (kudos?.q || []).map(stamp);
    const key = EARLY_PREFIX + randomId();
    let tries = 0;
    let runtime: Promise<KudosRuntime | void> | undefined;
    // A failed module fetch stays failed for its URL in this document: the next call retries
    // with another one (the browser has said what failed in the console). Every call stores the
    // queue first; the chunk removes it once it has run it.
    const load = () => {
      try {
        localStorage.setItem(key, JSON.stringify([config, queued]));
      } catch {
        // blocked, full, or properties JSON cannot hold (the runtime warns about those): memory only
      }
      return (runtime ||= import(chunk(__KUDOS_RUNTIME_CHUNK__) + (tries++ ? '?' + tries : '')).then(
        (module: RuntimeChunk) => module.install(config, early, queued, key),
        () => void (runtime = undefined),
      ));
    };
    kudos = global.Kudos = Object.assign(
      (...args: unknown[]) => {
        queued.push(stamp(args));
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
    // hasSavedItems() (sdk/queue-item.ts) spelled out: the throw of a blocked storage is caught here.
    try {
      if (queued.length || /kudos:q/.test(Object.keys(localStorage) as unknown as string)) void load();
    } catch {
      // blocked: no earlier page can have left anything
    }
  }
  lazyLoadWidgets(
    (tag) => {
      // What the widget's file imports is fetched now, with it, not once it has arrived and been
      // read. As an import(), like a <link rel=modulepreload> but shorter to write; the file's own
      // import of it is then the same module (a failure is the widget's import's to report).
      for (const name of __KUDOS_CHUNKS__) import(chunk('chunks/' + name)).catch(() => {});
      return chunk(tag);
    },
    (element, requests) => {
      // The identity now (an identify() may have come since).
      const { config, early } = global.Kudos!;
      for (let path of requests) {
        if (path[0] == '~') path = config.customerId ? '/v1/customers/' + encodeURIComponent(config.customerId) : path.slice(1);
        // A query parameter left empty at the end is dropped: the widget leaves it out (kudos-nps's placement).
        path = path.replace(/{(\w+)}/g, (_, name) => encodeURIComponent(element.getAttribute(name) ?? '')).replace(/\?\w+=$/, '');
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
