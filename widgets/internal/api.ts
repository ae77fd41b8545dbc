import type { KudosRuntime } from '../../sdk/types.js';

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

/** The installed runtime; throws `KudosSetupError` with a clear message when there is none. */
export function requireRuntime(): KudosRuntime {
  const rt = getRuntime();
  if (!rt) throw new KudosSetupError();
  return rt;
}

/** Classify a rejection from `Kudos.request` (status 0 = network, per the runtime contract). */
export function errorKind(error: unknown): ErrorKind {
  if (error instanceof KudosSetupError) return 'setup';
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status > 0 ? 'server' : 'network';
}

/** Path segment encoding for ids put into API paths. */
export const seg = (id: string) => encodeURIComponent(id);
