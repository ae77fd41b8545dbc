/**
 * A random URL-safe id: 18 random bytes in base64url, 24 characters (144 bits),
 * what the API accepts for event and anonymous ids. Built on getRandomValues rather
 * than crypto.randomUUID because storefronts on plain http (local shops, staging)
 * are not secure contexts, where randomUUID does not exist.
 */
export function randomId(): string {
  // 18 bytes encode to exactly 24 characters: no "=" padding to strip.
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}
