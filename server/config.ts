// The server's configuration: the environment read once, at start-up, checked with
// zod, and passed in from there. No other module reads process.env, so a bad value
// stops `npm start` with a message naming the variable instead of surfacing later,
// in the middle of a request.
import { resolve } from 'node:path';
import { z } from 'zod';
import { isSealKeyText } from './access/seal.js';

export interface Config {
  /** PORT: where `npm start` listens (default 8787; 0 picks a free port). */
  port: number;
  /** HOST: the interface to listen on; null (unset) listens on every interface. */
  host: string | null;
  /** KUDOS_DATA: the embedded lowdb store's file (default ./data/kudos.json). */
  dataFile: string;
  /** KUDOS_DATABASE_URL: a postgres:// URL selects the PostgreSQL store instead of lowdb. */
  databaseUrl?: string;
  /** KUDOS_DEMO: off / false / 0 skips seeding the demo shops. */
  seedDemo: boolean;
  /** KUDOS_PUBLIC_URL: the public base of award and check-in links (behind a proxy or CDN). */
  publicUrl?: string;
  /** KUDOS_ACCESS_LOG: off / false / 0 silences the per-request JSON log line. */
  accessLog: boolean;
  /** KUDOS_TRUST_PROXY: Express `trust proxy` (see trustProxyValue). */
  trustProxy: boolean | number | string;
  /** KUDOS_SHUTDOWN_GRACE_MS: how long a stop (SIGTERM) lets requests in flight finish (default 10 000). */
  shutdownGraceMs: number;
  /** KUDOS_ALLOW_PRIVATE_WEBHOOKS=1: deliver webhooks to private addresses and localhost (development). */
  allowPrivateWebhooks: boolean;
  /**
   * KUDOS_SEALING_KEY: seals secrets and emails at rest (docs/access.md); unset, the server
   * keeps a generated one in a file beside the data file. KUDOS_SEALING_KEY_PREVIOUS: older
   * keys (comma-separated) that still open what they sealed.
   */
  sealing: SealingConfig;
}

export interface SealingConfig {
  key?: string;
  previous: string[];
  /** Which variable the key came from: KUDOS_SECRET_KEY is the name it had first (still read). */
  from?: 'KUDOS_SEALING_KEY' | 'KUDOS_SECRET_KEY';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const OFF = /^(off|false|0|no)$/i;
const ON = /^(on|true|1|yes)$/i;

/** Unset and empty mean the same: the default. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const flag = (fallback: boolean) =>
  optional(z.string().regex(new RegExp(`${OFF.source}|${ON.source}`, 'i'), 'must be on/off, true/false, 1/0 or yes/no')).transform((v) =>
    v === undefined ? fallback : ON.test(v.trim()),
  );

/**
 * `trust proxy`: unset, "off" or "false" → off (req.ip is the socket's address); a
 * number → that many proxy hops; "on"/"true" → every hop (only behind a proxy that
 * overwrites X-Forwarded-For); anything else → Express's list of trusted addresses
 * or subnets, e.g. "loopback" or "loopback, 10.0.0.0/8".
 */
export function trustProxyValue(value: string | undefined): boolean | number | string {
  const v = value?.trim() ?? '';
  if (v === '' || /^(off|false|0)$/i.test(v)) return false;
  if (/^(on|true)$/i.test(v)) return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

const SEAL_KEY_HINT =
  "must be 32 random bytes, base64url (43 characters) or hex (64): node -e \"console.log(require('crypto').randomBytes(32).toString('base64url'))\"";
const sealKeyText = z
  .string()
  .trim()
  .refine((v) => !/^(sk|pk)_/.test(v), {
    message: "holds a shop API key; the sealing key is the server's own (docs/access.md). Give API keys to tools as KUDOS_API_KEY",
    abort: true,
  })
  .refine(isSealKeyText, SEAL_KEY_HINT);
const sealKeyList = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string().refine(isSealKeyText, `each comma-separated key ${SEAL_KEY_HINT}`)));

/** Values never echoed in an error: credentials. */
const SECRET_VARIABLES = new Set(['KUDOS_DATABASE_URL', 'KUDOS_SEALING_KEY', 'KUDOS_SEALING_KEY_PREVIOUS', 'KUDOS_SECRET_KEY', 'KUDOS_SECRET_KEY_PREVIOUS']);

const Env = z.object({
  PORT: optional(z.coerce.number().int('must be a whole number').min(0, 'must be 0–65535').max(65535, 'must be 0–65535')),
  HOST: optional(z.string()),
  KUDOS_DATA: optional(z.string()),
  KUDOS_DATABASE_URL: optional(
    z.string().refine((v) => /^postgres(ql)?:\/\/.+/.test(v), 'must be a postgres:// or postgresql:// URL, e.g. postgres://kudos:secret@localhost:5432/kudos'),
  ),
  KUDOS_DEMO: flag(true),
  KUDOS_PUBLIC_URL: optional(
    z
      .string()
      .refine((v) => /^https?:\/\/[^/]/.test(v) && URL.canParse(v), 'must be an http(s) URL such as https://rewards.example.com')
      .transform((v) => v.replace(/\/+$/, '')),
  ),
  KUDOS_ACCESS_LOG: flag(true),
  KUDOS_TRUST_PROXY: optional(z.string()),
  KUDOS_ALLOW_PRIVATE_WEBHOOKS: flag(false),
  KUDOS_SHUTDOWN_GRACE_MS: optional(z.coerce.number().int('must be a whole number of milliseconds').min(0, 'must be 0 or more')),
  KUDOS_SEALING_KEY: optional(sealKeyText),
  KUDOS_SEALING_KEY_PREVIOUS: optional(sealKeyList),
  // The sealing key's first name. Shop backends used the same name for their sk_ API key
  // (the old examples), so an sk_… value here is theirs and is left alone.
  KUDOS_SECRET_KEY: optional(z.string().trim()).refine((v) => v === undefined || v.startsWith('sk_') || isSealKeyText(v), SEAL_KEY_HINT),
  KUDOS_SECRET_KEY_PREVIOUS: optional(sealKeyList),
});

function sealingOf(e: z.infer<typeof Env>): SealingConfig {
  const legacy = e.KUDOS_SECRET_KEY && !e.KUDOS_SECRET_KEY.startsWith('sk_') ? e.KUDOS_SECRET_KEY : undefined;
  const previous = [...(e.KUDOS_SEALING_KEY_PREVIOUS ?? []), ...(e.KUDOS_SECRET_KEY_PREVIOUS ?? [])];
  if (e.KUDOS_SEALING_KEY) {
    // Both set while an operator renames: the old one still opens what it sealed.
    if (legacy && legacy !== e.KUDOS_SEALING_KEY) previous.push(legacy);
    return { key: e.KUDOS_SEALING_KEY, previous, from: 'KUDOS_SEALING_KEY' };
  }
  if (legacy) return { key: legacy, previous, from: 'KUDOS_SECRET_KEY' };
  return { previous };
}

/** Parses the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '?');
        // Never echo a credential: a database URL may carry a password.
        const shown = SECRET_VARIABLES.has(name) ? '' : ` (got ${JSON.stringify(env[name])})`;
        return `${name}: ${issue.message}${shown}`;
      }),
    );
  }
  const e = parsed.data;
  return {
    port: e.PORT ?? 8787,
    host: e.HOST ?? null,
    dataFile: resolve(cwd, e.KUDOS_DATA ?? 'data/kudos.json'),
    databaseUrl: e.KUDOS_DATABASE_URL,
    seedDemo: e.KUDOS_DEMO,
    publicUrl: e.KUDOS_PUBLIC_URL,
    accessLog: e.KUDOS_ACCESS_LOG,
    trustProxy: trustProxyValue(e.KUDOS_TRUST_PROXY),
    allowPrivateWebhooks: e.KUDOS_ALLOW_PRIVATE_WEBHOOKS,
    shutdownGraceMs: e.KUDOS_SHUTDOWN_GRACE_MS ?? 10_000,
    sealing: sealingOf(e),
  };
}

/**
 * Where the data lives, for start-up messages: never the database password. Never
 * throws: a Unix-socket URL (`postgres://kudos@/shop?host=/var/run/postgresql`, which
 * pg accepts) has no host WHATWG URL can parse, and URL's error carries the whole input,
 * password included, into the crash report.
 */
export function describeStore(config: Pick<Config, 'dataFile' | 'databaseUrl'>): string {
  if (!config.databaseUrl) return config.dataFile;
  const url = parseDatabaseUrl(config.databaseUrl);
  if (!url) return 'postgres://(a URL this message cannot show)';
  const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
  const socket = url.searchParams.get('host');
  return `postgres://${user}${url.hostname === EMPTY_HOST ? '' : url.host}${url.pathname}${socket ? `?host=${socket}` : ''}`;
}

/** Stands in for the empty host of a socket URL while it is parsed (pg-connection-string does the same). */
const EMPTY_HOST = 'empty-host.invalid';

function parseDatabaseUrl(text: string): URL | undefined {
  for (const candidate of [text, text.replace(/^(postgres(?:ql)?:\/\/(?:[^@/?#]*@)?)(?=\/)/, `$1${EMPTY_HOST}`)]) {
    try {
      return new URL(candidate);
    } catch {
      // the next candidate, or undefined: the caller shows no part of a URL it could not read
    }
  }
  return undefined;
}
