// The runtime with its queue bundled in: the npm entry and tests. The script tag
// (sdk/loader.ts) builds the same runtime but imports the queue as a chunk.
import { anonymousId } from './anonymous-id.js';
import * as queueModule from './queue.js';
import { createRuntimeWith, installWith } from './runtime-core.js';
import type { KudosInit, KudosRuntime } from './types.js';

/** Build a runtime without touching `window` (tests, several shops on one page). */
export const createRuntime = (init: KudosInit): KudosRuntime =>
  createRuntimeWith({ ...init, anonymousId: anonymousId() }, async () => queueModule);

/**
 * Install the runtime as `window.Kudos` and replay the calls the snippet stub queued,
 * in order. A runtime that is already installed is kept.
 */
export const installRuntime = (init: KudosInit): KudosRuntime => installWith(init, createRuntime);
