// `kudos shop create --name NAME [--origin URL]...` prints one JSON line with the
// new shop's id and keys. With a server running on the same lowdb data file, the
// server creates it (it owns the file); otherwise (no server, or PostgreSQL, which
// any number of processes share) the CLI opens the store itself.
import { parseArgs } from 'node:util';
import { copyStore } from './store/copy.js';
import { ConfigError, loadConfig } from './config.js';
import { InvalidOriginError, newShop, normalizeOrigin, shopCredentials } from './shops.js';
import { createStore, migrateStore, readShops, runningOwner, type StoreConfig } from './store/create-store.js';
import { repairLog } from './store/repair.js';

const USAGE = `Usage:
  kudos shop create --name NAME [--origin URL]...   create a shop, print {"shopId","publishableKey","secretKey"}
  kudos shop list                                   list shops (id, name, origins)
  kudos migrate                                     apply pending PostgreSQL migrations, print {"version","applied"}
  kudos store copy --from FILE|URL --to FILE|URL    copy every shop between a lowdb file and PostgreSQL (either
                                                    way) into an empty store, with a count check; servers stopped
  kudos import FILE [--url URL] [--key SK] [--format csv|ndjson]
                                                    bring past orders (CSV or NDJSON, dated) into a
                                                    running server; run again to resume. Prints
                                                    {"orders","accepted","duplicates"}. URL defaults
                                                    to KUDOS_URL or http://localhost:8787, the key to
                                                    KUDOS_SECRET_KEY. Format in docs/import.md.
  kudos store repair                                with the server stopped: set damaged log lines aside
                                                    (in <data file>.wal.damaged-<time>) and keep every intact one

The store is KUDOS_DATABASE_URL (PostgreSQL) when set, else the lowdb file
KUDOS_DATA (default ./data/kudos.json).`;

class UsageError extends Error {}

async function createShop(config: StoreConfig, name: string, origins: string[]): Promise<object> {
  origins.forEach(normalizeOrigin); // fail before touching anything
  const owner = runningOwner(config);
  if (owner) {
    const response = await fetch(`${owner.url}/internal/shops`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, origins }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(`the running server refused: ${(body as { detail?: string }).detail ?? response.status}`);
    return body as object;
  }
  const store = await createStore(config);
  try {
    const shop = newShop({ name, origins }, new Date());
    await store.createShop(shop);
    return shopCredentials(shop);
  } finally {
    await store.close();
  }
}

async function listShops(config: StoreConfig): Promise<object[]> {
  return (await readShops(config)).map((s) => ({ shopId: s.id, name: s.name, origins: s.origins }));
}

export async function run(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        origin: { type: 'string', multiple: true },
        url: { type: 'string' },
        key: { type: 'string' },
        format: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const command = positionals.join(' ');
    if (values.help || command === '') {
      console.log(USAGE);
      return 0;
    }
    const config = loadConfig();
    if (command === 'shop create') {
      const name = values.name?.trim();
      if (!name) throw new UsageError('--name is required');
      console.log(JSON.stringify(await createShop(config, name, values.origin ?? [])));
      return 0;
    }
    if (command === 'store copy') {
      if (!values.from || !values.to) throw new UsageError('store copy needs --from and --to (a lowdb file or a postgres:// URL)');
      console.log(JSON.stringify({ copied: await copyStore(values.from, values.to) }));
      return 0;
    }
    if (command === 'migrate') {
      if (!config.databaseUrl) throw new UsageError('migrate needs KUDOS_DATABASE_URL (the lowdb file needs no migrations)');
      console.log(JSON.stringify(await migrateStore(config.databaseUrl)));
      return 0;
    }
    if (command === 'shop list') {
      for (const shop of await listShops(config)) console.log(JSON.stringify(shop));
      return 0;
    }
    if (command === 'store repair') {
      const report = repairLog(config.dataFile);
      console.log(JSON.stringify(report));
      if (report.setAside.length > 0) {
        console.error(`kudos: kept ${report.kept} intact lines of ${report.log}; set aside line(s) ${report.setAside.join(', ')} in ${report.setAsideIn}.`);
      } else {
        console.error(`kudos: ${report.log} has no damaged line (${report.kept} lines); nothing changed.`);
      }
      return 0;
    }
    if (positionals[0] === 'import') {
      if (positionals.length !== 2) throw new UsageError('import takes one FILE');
      const key = values.key ?? process.env.KUDOS_SECRET_KEY;
      if (!key?.startsWith('sk_')) throw new UsageError('import needs the shop\'s secret key: --key sk_… or KUDOS_SECRET_KEY');
      const url = values.url ?? process.env.KUDOS_URL ?? 'http://localhost:8787';
      // Loaded only for this command: the shop commands stay quick to start.
      const { importHistory } = await import('./history/import-command.js');
      const summary = await importHistory({ file: positionals[1]!, url, key, format: values.format, progress: process.stderr });
      console.log(JSON.stringify(summary));
      return 0;
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`kudos: ${error.message}`);
      return 2;
    }
    const usage = error instanceof UsageError || error instanceof InvalidOriginError || (error as Error).name === 'ImportFileError' || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    console.error(`kudos: ${(error as Error).message}`);
    if (usage) console.error(USAGE);
    return usage ? 2 : 1;
  }
}

process.exitCode = await run(process.argv.slice(2));
