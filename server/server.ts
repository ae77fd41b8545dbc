// Starting and stopping a Kudos server: open the store, build the app, listen.
// Used by `npm start` (main.ts), the tests and the browser-test harness.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { stdoutAccessLog, type AccessLog } from './http/log.js';
import type { RateLimitOptions } from './http/rate-limit.js';
import { examplesDir as defaultExamplesDir, publicDir as defaultPublicDir } from './paths.js';
import { seedDemoShop } from './seed.js';
import { seedDemoDirectory } from './products/seed.js';
import { newShop, type ShopCredentials } from './shops.js';
import { loadSealKey, type SealKeySource } from './access/key-file.js';
import type { SealingConfig } from './config.js';
import { upgradeLegacyShops } from './access/migrate.js';
import { sealAtRest } from './access/seal-at-rest.js';
import { rekeyCheckinEmails } from './checkins/rekey-emails.js';
import { createStore, SERVER_WARM_CONNECTIONS } from './store/create-store.js';
import { featureDocuments } from './features.js';
import { followUpRunner, runPendingFollowUps } from './events/record-events.js';
import type { Shop, Store } from './store/store.js';
import type { OpenLogFile } from './store/write-ahead-log.js';
import { WebhookWorker, type Timer } from './webhooks/worker.js';

export interface StartOptions {
  port?: number;
  /** Defaults to 127.0.0.1; null listens on every interface (IPv6 and IPv4 where available). */
  host?: string | null;
  /** The embedded lowdb store's file (used when no databaseUrl is given). */
  dataFile: string;
  /** A postgres:// URL: the PostgreSQL store, shared with other instances. */
  databaseUrl?: string;
  /** Public base of award and check-in links (KUDOS_PUBLIC_URL). */
  publicUrl?: string;
  /** Create the demo shop and its badges when the store has none. */
  seedDemo?: boolean;
  publicDir?: string;
  examplesDir?: string;
  now?: () => Date;
  eventRetentionDays?: number;
  /** How the store opens its log for appending (fault-injection tests pass a failing file system). */
  openLogFile?: OpenLogFile;
  log?: (message: string, error: unknown) => void;
  /** One JSON line per request on stdout by default; off when `log` is given (tests). */
  accessLog?: AccessLog | false;
  /** The sealing key from the configuration (KUDOS_SEALING_KEY); without one, the key file beside the data file. */
  sealing?: SealingConfig;
  /** /v1 rate limits per key + IP; false turns them off (see server/http/rate-limit.ts for defaults). */
  rateLimit?: RateLimitOptions | false;
  /** Express `trust proxy` (KUDOS_TRUST_PROXY); default off. */
  trustProxy?: boolean | number | string;
  /** Outgoing webhooks: private targets (KUDOS_ALLOW_PRIVATE_WEBHOOKS; default off), and the worker's timer and jitter for exact tests. */
  webhooks?: { allowPrivate?: boolean; timer?: Timer; random?: () => number; newSecret?: () => string };
}

export interface RunningServer {
  url: string;
  store: Store;
  demoShop?: Shop;
  /** The second demo shop (ceramics drop) of /examples/directory.html. */
  demoDirectoryShop?: Shop;
  /** The webhook delivery worker (tests call `runDue()`). */
  webhooks: WebhookWorker;
  /** Without `identitySecret`, the shop signs shopper ids with its secret key (as tests and older shops do). */
  createShop(input: { name: string; origins?: string[]; identitySecret?: boolean }): Promise<ShopCredentials>;
  /** Where the sealing key came from; `generated` the first time only (print it once). */
  sealKey: SealKeySource;
  /** Graceful: in-flight requests finish (up to graceMs, default 10 s), then the store flushes. */
  close(options?: { graceMs?: number }): Promise<void>;
}

function displayHost(address: AddressInfo): string {
  if (address.address === '::' || address.address === '0.0.0.0') return 'localhost';
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const now = options.now ?? (() => new Date());
  const sealKey = loadSealKey(options.dataFile, options.sealing);
  const store = await createStore(options, {
    ...featureDocuments(),
    now: () => now().getTime(),
    eventRetentionDays: options.eventRetentionDays,
    openLogFile: options.openLogFile,
    warmConnections: SERVER_WARM_CONNECTIONS,
  });
  let url = '';
  const allowPrivate = options.webhooks?.allowPrivate ?? false;
  try {
    await upgradeLegacyShops(store);
    // Before listening: data from before sealing (or under an older sealing key) is sealed now.
    await sealAtRest(store);
    // Check-in email pointers named by a plain hash of the address get the shop's keyed digest.
    await rekeyCheckinEmails(store);
    // Follow-ups a crash cut short (written with their events, never run or not to the end).
    const logError = options.log ?? ((message: string, error: unknown) => console.error(`kudos: ${message}`, error));
    await runPendingFollowUps(store, now, logError);
    const demoShop = options.seedDemo ? await seedDemoShop(store, now) : undefined;
    const app = createApp({
      store,
      now,
      publicDir: options.publicDir ?? defaultPublicDir,
      examplesDir: options.examplesDir ?? defaultExamplesDir,
      adminToken: store.local?.adminToken,
      selfUrl: () => url,
      log: options.log,
      accessLog: options.accessLog ?? (options.log ? false : stdoutAccessLog),
      rateLimit: options.rateLimit,
      trustProxy: options.trustProxy,
      publicUrl: options.publicUrl,
      demoShop: () => demoShop,
      webhooks: { allowPrivate, newSecret: options.webhooks?.newSecret },
      draining: () => closing,
    });
    let closing = false;
    const server: Server = await new Promise((resolve, reject) => {
      const host = options.host === undefined ? '127.0.0.1' : options.host;
      const s = host === null ? app.listen(options.port ?? 0) : app.listen(options.port ?? 0, host);
      s.once('listening', () => resolve(s));
      s.once('error', reject);
    });
    // Requests started and not yet answered (or abandoned), so close() can wait for them.
    let inFlight = 0;
    let drained: (() => void) | undefined;
    server.on('request', (_req, res) => {
      inFlight++;
      // While draining, a keep-alive client must not slip new requests in, and a
      // connection whose last request just finished is closed at once.
      if (closing && !res.headersSent) res.setHeader('Connection', 'close');
      res.once('close', () => {
        inFlight--;
        if (closing) setImmediate(() => server.closeIdleConnections());
        if (inFlight === 0) drained?.();
      });
    });
    /** Resolves when no request is in flight, or after `ms`. */
    const settle = (ms: number) =>
      new Promise<void>((resolve) => {
        if (inFlight === 0) return resolve();
        const timer = setTimeout(resolve, ms);
        drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    const address = server.address() as AddressInfo;
    url = `http://${displayHost(address)}:${address.port}`;
    store.local?.advertise(url);
    // Its products link to this server's own demo checkout: seeded once the address is known.
    const demoDirectoryShop = demoShop ? await seedDemoDirectory(store, now, demoShop, url) : undefined;
    const webhooks = new WebhookWorker({ store, now, allowPrivate, timer: options.webhooks?.timer, random: options.webhooks?.random, log: options.log });
    webhooks.start();
    // Then on a timer: follow-ups another instance left when it died are done without a restart.
    const followUps = followUpRunner(store, now, logError);
    followUps.start();
    return {
      url,
      store,
      demoShop,
      demoDirectoryShop,
      webhooks,
      sealKey,
      async createShop(input) {
        const { shop, credentials } = newShop({ name: input.name, origins: input.origins ?? [], identitySecret: input.identitySecret }, now());
        await store.createShop(shop);
        return credentials;
      },
      async close({ graceMs = 10_000 } = {}) {
        // Stop accepting (a request arriving on a kept-alive connection meanwhile
        // is answered 503 shutting-down), let requests already inside finish
        // (their writes get acknowledged and flushed) for up to graceMs.
        closing = true;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await settle(graceMs);
        await webhooks.stop();
        await followUps.stop();
        // Then the store: a request still waiting for a database connection is
        // answered 503 shutting-down with Retry-After (never pg's "Cannot use a pool
        // after calling end", a 500), transactions already running commit.
        await store.close();
        // Those answers go out before the connections that are left are dropped.
        await settle(1000);
        server.closeAllConnections();
        await closed;
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
