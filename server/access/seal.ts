// Secrets the server must read back (identity secrets, the shop's derivation
// secret, webhook secrets, emails) are sealed before they reach the store:
// AES-256-GCM under the sealing key (KUDOS_SEALING_KEY, see key-file.ts), so a
// copied data file holds no usable secret. A sealed value names the key that
// sealed it (its fingerprint), which is what lets an operator rotate the key:
// the previous one, given as KUDOS_SEALING_KEY_PREVIOUS, still opens old values.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = 'sealed:v1:';

export class SealError extends Error {}

interface SealKey {
  id: string;
  bytes: Buffer;
}

/** A key as written in KUDOS_SEALING_KEY: 32 random bytes, base64url (43 chars) or hex (64 chars). */
export function parseSealKey(text: string): SealKey {
  const trimmed = text.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64url');
  if (bytes.length !== 32) throw new SealError('a sealing key must be 32 bytes, base64url (43 characters) or hex (64)');
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes };
}

export const isSealKeyText = (text: string): boolean => {
  try {
    parseSealKey(text);
    return true;
  } catch {
    return false;
  }
};

export const newSealKeyText = () => randomBytes(32).toString('base64url');

export class Sealer {
  private current: SealKey;
  private readonly byId = new Map<string, SealKey>();

  constructor(current: string, previous: readonly string[] = []) {
    this.current = parseSealKey(current);
    for (const key of [this.current, ...previous.map(parseSealKey)]) this.byId.set(key.id, key);
  }

  /**
   * Seal with this key from now on; keys seen before still open what they
   * sealed (several servers in one test process each bring their own key file).
   */
  use(current: string, previous: readonly string[] = []): void {
    this.current = parseSealKey(current);
    for (const key of [this.current, ...previous.map(parseSealKey)]) this.byId.set(key.id, key);
  }

  get keyId(): string {
    return this.current.id;
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.bytes, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}${this.current.id}:${iv.toString('base64url')}:${body.toString('base64url')}`;
  }

  open(sealed: string): string {
    if (!sealed.startsWith(PREFIX)) throw new SealError('not a sealed value');
    const [id, ivText, bodyText] = sealed.slice(PREFIX.length).split(':');
    const key = this.byId.get(id ?? '');
    if (!key || !ivText || !bodyText) {
      throw new SealError(`sealed with key ${id}, which is neither KUDOS_SEALING_KEY nor one of KUDOS_SEALING_KEY_PREVIOUS`);
    }
    const body = Buffer.from(bodyText, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(ivText, 'base64url'));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
  }

  /** Sealed under an older key: worth re-sealing under the current one. */
  isStale(sealed: string): boolean {
    return !sealed.startsWith(`${PREFIX}${this.current.id}:`);
  }
}

export const isSealed = (value: unknown): value is string => typeof value === 'string' && value.startsWith(PREFIX);

// One sealer per process: the key comes from the environment (or the key file
// beside the data file, see key-file.ts), set at start. Tests and embedded apps
// that set nothing get a random key for this process.
const processSealer = new Sealer(newSealKeyText());

/** Seals a value for the store. */
export const sealText = (plain: string): string => processSealer.seal(plain);

/** Opens a stored value; one written before its field was sealed (plain text) reads as it is. */
export const openText = (stored: string): string => (isSealed(stored) ? processSealer.open(stored) : stored);

/** Plain, or sealed under a key other than the current one: the start-up pass (re)seals it. */
export const needsSealing = (stored: unknown): stored is string => typeof stored === 'string' && (!isSealed(stored) || processSealer.isStale(stored));

/** What the start-up pass writes back: sealed under the current key. */
export const resealed = (stored: string): string => sealText(openText(stored));

export function useSealKey(current: string, previous: readonly string[] = []): void {
  processSealer.use(current, previous);
}

export const sealer = (): Sealer => processSealer;
