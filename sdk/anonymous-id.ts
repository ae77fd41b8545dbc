import { randomId } from './random-id.js';

const STORAGE_KEY = 'kudos:aid';

// Shared by every runtime on the page, so a visitor stays one person even when
// storage is blocked (privacy modes, sandboxed iframes throw on access).
let inMemoryId: string | undefined;

/** The visitor's anonymous id, kept across visits in localStorage when the browser allows it. */
export function anonymousId(): string {
  try {
    let id = localStorage.getItem(STORAGE_KEY);
    // Anything else there (another script's value, a hand edit) would make the API refuse every request.
    if (!/^[\w-]{8,64}$/.test(id!)) localStorage.setItem(STORAGE_KEY, (id = randomId()));
    return id!;
  } catch {
    return (inMemoryId ||= randomId());
  }
}
