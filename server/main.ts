// `npm start`: serve the API, loader, widgets and demo pages on one port.
import { demoKeyOf } from './access/secrets.js';
import { relative } from 'node:path';
import { ConfigError, describeStore, loadConfig, type Config } from './config.js';
import { startServer } from './server.js';
import { StoreLockedError } from './store/process-lock.js';
import { SealError } from './access/seal.js';
import { bufferedAccessLog } from './http/log.js';
import { demoCheckinUrl } from './checkins/demo.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`kudos: ${error.message}`);
  process.exit(2);
}

/** HOST when set; else loopback while the demo is on, every interface when it is off. */
function listenHost(c: { host: string | null; seedDemo: boolean }): string | null {
  return c.host ?? (c.seedDemo ? '127.0.0.1' : null);
}

// Batched off the request path; what is still waiting is written when the process exits.
const accessLog = config.accessLog ? bufferedAccessLog() : false;
if (accessLog) process.on('exit', () => accessLog.flush());

try {
  const server = await startServer({
    port: config.port,
    // With the demo on (its routes sign with secret keys), loopback unless HOST says otherwise.
    host: listenHost(config),
    dataFile: config.dataFile,
    databaseUrl: config.databaseUrl,
    seedDemo: config.seedDemo,
    publicUrl: config.publicUrl,
    accessLog,
    trustProxy: config.trustProxy,
    webhooks: { allowPrivate: config.allowPrivateWebhooks },
    sealing: config.sealing,
  });
  const where = config.databaseUrl ? describeStore(config) : relative(process.cwd(), config.dataFile) || config.dataFile;
  const lines = [
    `Kudos is running at ${server.url}/   (start here: what is running, links to everything)`,
    `  ${config.databaseUrl ? 'database   ' : 'data file  '}      ${where}`,
    `  API docs         ${server.url}/openapi.json`,
    `  shop console     ${server.url}/console   (sign in with any of a shop's secret keys)`,
  ];
  if (server.sealKey.generated) {
    lines.push(
      '',
      'A new sealing key (KUDOS_SEALING_KEY) encrypts secrets and emails in the data file. Shown this once:',
      `  KUDOS_SEALING_KEY=${server.sealKey.generated}`,
      `  kept in ${relative(process.cwd(), server.sealKey.from) || server.sealKey.from} (mode 0600); see docs/access.md to keep it elsewhere and rotate it`,
    );
  }
  if (server.sealKey.from === 'KUDOS_SECRET_KEY') {
    lines.push('', 'The sealing key is read from KUDOS_SECRET_KEY, its old name: rename the variable KUDOS_SEALING_KEY (same value).');
  }
  if (server.demoShop) {
    const shop = server.demoShop;
    lines.push(
      '',
      `Demo shop "${shop.name}" (${shop.id})`,
      `  storefront       ${server.url}/examples/storefront.html`,
      `  publishable key  ${shop.publishableKey}   (safe in web pages)`,
      `  secret key       ${demoKeyOf(shop)}   (shop backend only)`,
    );
    const checkin = await demoCheckinUrl(server.store, shop, config.publicUrl ?? server.url);
    if (checkin) lines.push(`  market check-in  ${checkin}`, `  today's QR       ${checkin}/qr`);
  }
  if (server.demoDirectoryShop) {
    const shop = server.demoDirectoryShop;
    lines.push(
      '',
      `Demo shop "${shop.name}" (${shop.id}), running a drop`,
      `  directory        ${server.url}/examples/directory.html`,
      `  publishable key  ${shop.publishableKey}   (safe in web pages)`,
      `  secret key       ${demoKeyOf(shop)}   (shop backend only)`,
    );
  }
  console.log(lines.join('\n'));
  // Graceful: stop accepting, finish in-flight requests (≤ KUDOS_SHUTDOWN_GRACE_MS), flush the store;
  // a request that cannot be served by then answers 503 shutting-down with Retry-After.
  // A second signal means "now": the write-ahead log keeps what was acknowledged.
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`kudos: ${signal}, finishing in-flight requests`);
    try {
      await server.close({ graceMs: config.shutdownGraceMs });
      process.exit(0);
    } catch (error) {
      console.error('kudos: shutdown failed', error);
      process.exit(1);
    }
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  if (error instanceof StoreLockedError || (error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`kudos: ${(error as Error).message}`);
    process.exit(1);
  }
  if (error instanceof SealError) {
    // A configuration problem like any bad variable (exit 2): most often a data file or database moved without its key.
    console.error(`kudos: the data cannot be opened with this KUDOS_SEALING_KEY: ${error.message}. Start with the key it was sealed with (and any older one in KUDOS_SEALING_KEY_PREVIOUS); see docs/access.md.`);
    process.exit(2);
  }
  throw error;
}
