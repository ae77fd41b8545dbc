import { apiHeaders, callApi } from './http.js';
import { hasSavedItems, saveItem, type EarlyCall, type QueueItem, type QueueModule } from './queue-item.js';
import { randomId } from './random-id.js';
import type { KudosConfig, KudosInit, KudosRuntime } from './types.js';
import { VERSION } from './version.js';

/** What the snippet leaves on `window.Kudos` before the runtime arrives: a function that queues its `arguments`. */
interface KudosStub {
  (...args: unknown[]): void;
  q?: Iterable<unknown>[];
}

let tracked = 0;
// The event id and time the next track takes instead of new ones, while `replay` runs an
// early call the loader stored with them (sdk/queue-item.ts EARLY_PREFIX).
let stamp: [id: string, at: Date | string] | undefined;

/**
 * Run calls made before the runtime arrived, each track with the id and time it was made with:
 * run twice (by its own page and by another that found them stored), an event is one storage
 * item and one event for the API.
 */
export function replay(runtime: KudosRuntime, calls: EarlyCall[]): void {
  for (const [args, id, at] of calls) {
    stamp = [id, at];
    // An array, or the snippet's `arguments` (an object once stored): its values either way.
    runtime(...(Object.values(args) as [string])); // never throws: problems become warnings
  }
  stamp = undefined;
}

const dispatch = (type: string) => document.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true }));

/**
 * Build a runtime without touching `window`. `loadQueue` gives the persisted queue
 * (sdk/queue.ts), which may arrive later (a test makes it fail). Events are in localStorage
 * from the moment they are tracked, so none is lost while it is on its way; only when
 * storage is blocked do they wait in memory to be handed over. (The script tag's runtime
 * comes in one chunk with its queue: sdk/runtime-chunk.ts.)
 * `early`: the GETs the script tag's loader started (KudosRuntime.early); `init.anonymousId`,
 * the visitor id: the loader's, or anonymousId() from the npm entry (sdk/runtime.ts), so the
 * runtime chunk does not carry that function again.
 */
export function createRuntimeWith(
  init: KudosInit & { anonymousId: string },
  loadQueue: () => Promise<QueueModule>,
  early = new Map<string, Promise<Response>>(),
): KudosRuntime {
  let config: KudosConfig = { ...init, api: init.api.replace(/\/+$/, '') };
  // One object per identity. Each tracked event keeps the one it was tracked under,
  // so events from before an identify still go out as the earlier visitor.
  let headers = apiHeaders(config);
  const url = config.api + '/v1/events';
  // Events storage refused, waiting for the queue in memory.
  const unsaved: (QueueItem | undefined)[] = [];
  let queue: Promise<ReturnType<QueueModule['queue']> | void> | undefined;
  // A chunk that could not load (offline) is tried again on the next event or when back online.
  const hand = (): Promise<void> =>
    (queue ||= loadQueue().then(
      (module) => module.queue(url),
      () => {
        queue = undefined;
        addEventListener('online', hand, { once: true });
        console.warn('Kudos: event queue not loaded; events wait in storage.');
      },
    )).then((q) => q && [...unsaved.splice(0), undefined].forEach(q.add));

  // Events an earlier page (or a closed tab) left are sent without waiting for a new one.
  if (hasSavedItems()) void hand();

  function track(type: unknown, properties?: Record<string, unknown>): void {
    if (typeof type != 'string') throw 'track needs an event type';
    // Fail here, where the caller can see it, rather than poison a batch later (cycles, BigInt).
    JSON.stringify(properties);
    const [id, at] = stamp || [randomId(), new Date()];
    const item = { u: url, h: headers, n: tracked++, e: { id, type, properties, occurredAt: new Date(at).toISOString() } };
    if (!saveItem(item)) unsaved.push(item);
    void hand();
  }

  function identify(identity?: { customerId?: string; customerHash?: string }): void {
    if (!identity?.customerId || !identity.customerHash) throw 'identify needs {customerId, customerHash}';
    config = { ...config, customerId: identity.customerId, customerHash: identity.customerHash };
    headers = apiHeaders(config);
    early.clear();
    dispatch('kudos-refresh');
  }

  // A page's tracking call must never break the page: problems become warnings.
  const kudos = ((command: string, ...args: unknown[]) => {
    try {
      if (command == 'track') track(args[0], args[1] as Record<string, unknown>);
      else if (command == 'identify') identify(args[0] as object);
      else if (command == 'refresh') dispatch('kudos-refresh');
      else throw `unknown command "${command}"`;
    } catch (problem) {
      console.warn('Kudos:', problem);
    }
  }) as KudosRuntime;

  return Object.defineProperties(kudos, {
    config: { get: () => config },
    version: { value: VERSION },
    early: { value: early },
    request: {
      value: <T>(path: string, { method, body }: { method?: string; body?: unknown } = {}) =>
        callApi<T>(config.api + path, headers, method, body),
    },
  });
}

/**
 * Install `create(init)` as `window.Kudos` and replay the calls the snippet stub queued,
 * in order. A runtime that is already installed (the script tag twice, or the tag and
 * `init()`) is kept, so there is only ever one identity.
 */
export function installWith(init: KudosInit, create: (init: KudosInit) => KudosRuntime): KudosRuntime {
  const global = window as unknown as { Kudos?: KudosStub | KudosRuntime };
  const existing = global.Kudos;
  if (existing && 'version' in existing) return existing;
  const runtime = (global.Kudos = create(init));
  for (const args of (existing as KudosStub | undefined)?.q || []) runtime(...(args as [string]));
  // Widgets defined before the runtime (npm entry, init() called late) show "not set up"; let them retry.
  runtime('refresh');
  return runtime;
}
