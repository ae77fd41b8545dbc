import { apiHeaders, callApi } from '../../sdk/http.js';
import type { KudosRuntime } from '../../sdk/types.js';

/** What a widget uses of the runtime: its identity and API calls under it. */
export type Runtime = Pick<KudosRuntime, 'config' | 'request'>;

/** Why a widget could not load: no runtime on the page, no network, or an API answer that is not 2xx. */
export type ErrorKind = 'setup' | 'network' | 'server';

/** Thrown when `window.Kudos` is missing (or still the snippet's call-queue stub). */
export class KudosSetupError extends Error {
  readonly status = -1;
  constructor() {
    super('Kudos: no window.Kudos. Add the Kudos <script> tag, or call init() from the npm package.');
    this.name = 'KudosSetupError';
  }
}

/**
 * The installed runtime, or `undefined` while only the snippet stub (a queue
 * function without `request`) or nothing at all is on the page.
 */
export function getRuntime(): KudosRuntime | undefined {
  const k = (globalThis as { Kudos?: Partial<KudosRuntime> }).Kudos;
  return k && typeof k.request === 'function' && k.config ? (k as KudosRuntime) : undefined;
}

/**
 * The installed runtime's identity, with API calls made here; throws `KudosSetupError` with
 * a clear message when there is none. Widgets make their own calls (the HTTP code is in the
 * base chunk they share), so the script tag's loader carries none: its `Kudos.request` is
 * fetched with the event queue. A GET the loader already started (`early`) is read, once,
 * instead of asked again.
 */
export function requireRuntime(): Runtime {
  const rt = getRuntime();
  if (!rt) throw new KudosSetupError();
  const { config, early } = rt;
  return {
    config,
    request(path, init) {
      const sent = init?.method || init?.body !== undefined ? undefined : early?.get(path);
      early?.delete(path);
      return callApi(config.api + path, apiHeaders(config), init?.method, init?.body, sent);
    },
  };
}

/**
 * Classify a rejection from `Kudos.request` (status 0 = network, per the runtime contract),
 * and say it in the console.
 * A server answer is also told to the person installing: one console
 * warning with the problem's title and detail (which origin, which id, how identities are
 * signed; the server ends it with a docs link), next to the element itself, while shoppers
 * see the friendly message.
 */
export function errorKind(error: unknown, widget: Element): ErrorKind {
  // No runtime: an error (not a warning), since no widget can work until the tag is fixed.
  if (error instanceof KudosSetupError) return console.error(error.message), 'setup';
  const e = error as { status: number; problem: { title: string; detail?: string } };
  if (!(e.status > 0)) return 'network';
  console.warn(e.problem.title, e.problem.detail, widget);
  return 'server';
}

/** Path segment encoding for ids put into API paths. */
export const seg = (id: string) => encodeURIComponent(id);
