/**
 * A random id the API accepts for event and anonymous ids (8–64 of letters, digits, _ and -):
 * five random 32-bit numbers joined by "-" (160 bits, 9 to 54 characters). Built on
 * getRandomValues rather than crypto.randomUUID because storefronts on plain http (local
 * shops, staging) are not secure contexts, where randomUUID does not exist; and short to
 * write, since the loader carries it.
 */
export const randomId = (): string => crypto.getRandomValues(new Uint32Array(5)).join('-');
