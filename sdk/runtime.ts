import { anonymousId } from './anonymous-id.js';
import { apiHeaders, callApi } from './http.js';
import { createOutbox } from './outbox.js';
import { randomId } from './random-id.js';
import type { EventResult, KudosConfig, KudosInit, KudosRuntime } from './types.js';
import { VERSION } from './version.js';

/** What the snippet leaves on `window.Kudos` before the runtime arrives: a function that queues its `arguments`. */
interface KudosStub {
  (...args: unknown[]): void;
  q?: Iterable<unknown>[];
}

const dispatch = (type: string, detail?: unknown) =>
  document.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));

/** Build a runtime without touching `window` (tests, several shops on one page). */
export function createRuntime(init: KudosInit): KudosRuntime {
  let config: KudosConfig = { ...init, api: init.api.replace(/\/+$/, ''), anonymousId: anonymousId() };
  // One object per identity. Each tracked event keeps the one it was tracked under,
  // so events from before an identify still go out as the earlier visitor.
  let headers = apiHeaders(config);

  const enqueue = createOutbox(async (batchHeaders, events) => {
    const answer = await callApi<{ results: EventResult[] }>(`${config.api}/v1/events`, batchHeaders, 'POST', { events });
    for (const result of answer.results) for (const award of result.awards) dispatch('kudos-award', award);
  });

  function track(type: unknown, properties?: Record<string, unknown>): void {
    if (typeof type != 'string') throw 'track needs an event type';
    // Fail here, where the caller can see it, rather than poison a batch later (cycles, BigInt).
    JSON.stringify(properties);
    enqueue({ id: randomId(), type, properties, occurredAt: new Date().toISOString() }, headers);
  }

  function identify(identity?: { customerId?: string; customerHash?: string }): void {
    if (!identity?.customerId || !identity.customerHash) throw 'identify needs {customerId, customerHash}';
    config = { ...config, customerId: identity.customerId, customerHash: identity.customerHash };
    headers = apiHeaders(config);
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
    request: {
      value: <T>(path: string, { method, body }: { method?: string; body?: unknown } = {}) =>
        callApi<T>(config.api + path, headers, method, body),
    },
  });
}

/**
 * Install the runtime as `window.Kudos` and replay the calls the snippet stub queued,
 * in order. A runtime that is already installed (the script tag twice, or the tag and
 * `init()`) is kept, so there is only ever one outbox and one identity.
 */
export function installRuntime(init: KudosInit): KudosRuntime {
  const global = window as unknown as { Kudos?: KudosStub | KudosRuntime };
  const existing = global.Kudos;
  if (existing && 'version' in existing) return existing;
  const runtime = (global.Kudos = createRuntime(init));
  for (const args of (existing as KudosStub | undefined)?.q || []) runtime(...(args as [string]));
  // Widgets defined before the runtime (npm entry, init() called late) show "not set up"; let them retry.
  runtime('refresh');
  return runtime;
}
