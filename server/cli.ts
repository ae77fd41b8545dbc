// `kudos shop create --name NAME [--origin URL]...` prints one JSON line with the
// new shop's id, keys and identity secret; `kudos keys …`, `kudos identity roll`
// and `kudos shop origins …` manage a shop's access. With a server running on
// the same lowdb data file, the server makes the change (it owns the file);
// otherwise (no server, or PostgreSQL, which any number of processes share) the
// CLI opens the store itself.
import { parseArgs } from 'node:util';
import { featureDocuments } from './features.js';
import { AccessCommand, runAccessCommand } from './access/commands.js';
import { loadSealKey } from './access/key-file.js';
import { upgradeLegacyShops } from './access/migrate.js';
import { SCOPES } from './access/scopes.js';
import { DomainError } from './http/problem.js';
import { copyStore } from './store/copy.js';
import { ConfigError, loadConfig, type SealingConfig } from './config.js';
import { InvalidOriginError, newShop, normalizeOrigin } from './shops.js';
import { createStore, migrateStore, readShops, runningOwner, type StoreConfig } from './store/create-store.js';
import type { Store } from './store/store.js';
import { repairLog } from './store/repair.js';

const USAGE = `Usage:
  kudos shop create --name NAME [--origin URL]...   create a shop, print {"shopId","publishableKey","secretKey","identitySecret"}
  kudos shop list                                   list shops (id, name, origins)
  kudos shop origins list   --shop ID               the browser origins allowed to call with the shop's keys
  kudos shop origins add    --shop ID URL           allow one more (takes effect at once)
  kudos shop origins remove --shop ID URL
  kudos keys create --shop ID --name NAME --scope SCOPE...   a key with only these scopes, shown once
  kudos keys list   --shop ID
  kudos keys revoke --shop ID KEY_ID                 stops working at once
  kudos keys roll   --shop ID KEY_ID [--overlap HOURS]   new value; the old one works HOURS more (default 24)
  kudos identity roll --shop ID [--overlap HOURS]   new identity-signing secret, shown once
  kudos migrate                                     apply pending PostgreSQL migrations, print {"version","applied"}
  kudos store copy --from FILE|URL --to FILE|URL    copy every shop between a lowdb file and PostgreSQL (either
                                                    way) into an empty store, with a count check; servers stopped
  kudos import FILE [--url URL] [--key SK] [--format csv|ndjson]
                                                    bring past orders (CSV or NDJSON, dated) into a
                                                    running server; run again to resume. Prints
                                                    {"orders","accepted","duplicates"}. URL defaults
                                                    to KUDOS_URL or http://localhost:8787, the key to
                                                    KUDOS_API_KEY. Format in docs/import.md.
  kudos store repair                                with the server stopped: set damaged log lines aside
                                                    (in <data file>.wal.damaged-<time>) and keep every intact one

Scopes: ${SCOPES.join(', ')}.
The store is KUDOS_DATABASE_URL (PostgreSQL) when set, else the lowdb file
KUDOS_DATA (default ./data/kudos.json).`;

class UsageError extends Error {}

/** With a server on the data file, ask it; else open the store. */
async function viaServerOrStore<T>(config: StoreConfig & { sealing?: SealingConfig }, path: string, body: unknown, local: (store: Store) => Promise<T>): Promise<T> {
  const owner = runningOwner(config);
  if (owner) {
    const response = await fetch(`${owner.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) {
      const problem = answer as { detail?: string; errors?: { pointer: string; detail: string }[] };
      const detail = problem.errors?.map((e) => `${e.pointer || 'input'}: ${e.detail}`).join('; ') || problem.detail;
      throw new Error(`the running server refused: ${detail ?? response.status}`);
    }
    return answer as T;
  }
  loadSealKey(config.dataFile, config.sealing);
  const store = await createStore(config, featureDocuments());
  try {
    await upgradeLegacyShops(store);
    return await local(store);
  } finally {
    await store.close();
  }
}

async function createShop(config: StoreConfig & { sealing?: SealingConfig }, name: string, origins: string[]): Promise<object> {
  origins.forEach(normalizeOrigin); // fail before touching anything
  return viaServerOrStore(config, '/internal/shops', { name, origins }, async (store) => {
    const { shop, credentials } = newShop({ name, origins, identitySecret: true }, new Date());
    await store.createShop(shop);
    return credentials;
  });
}

async function access(config: StoreConfig & { sealing?: SealingConfig }, input: unknown): Promise<unknown> {
  const parsed = AccessCommand.safeParse(input);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
  return viaServerOrStore(config, '/internal/access', parsed.data, (store) =>
    runAccessCommand({ store, now: () => new Date() }, parsed.data),
  );
}

async function listShops(config: StoreConfig): Promise<object[]> {
  return (await readShops(config)).map((s) => ({ shopId: s.id, name: s.name, origins: s.origins }));
}

const hours = (text: string | undefined) => {
  if (text === undefined) return 24;
  const n = Number(text.replace(/h$/, ''));
  if (!Number.isFinite(n) || n < 0) throw new UsageError('--overlap takes a number of hours, e.g. 24');
  return n;
};

export async function run(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        origin: { type: 'string', multiple: true },
        shop: { type: 'string' },
        scope: { type: 'string', multiple: true },
        overlap: { type: 'string' },
        url: { type: 'string' },
        key: { type: 'string' },
        format: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const [group, verb, third, ...rest] = positionals;
    const command = positionals.join(' ');
    if (values.help || command === '') {
      console.log(USAGE);
      return 0;
    }
    const config = loadConfig();
    const print = (value: unknown) => console.log(JSON.stringify(value));
    if (command === 'shop create') {
      const name = values.name?.trim();
      if (!name) throw new UsageError('--name is required');
      print(await createShop(config, name, values.origin ?? []));
      return 0;
    }
    if (command === 'store copy') {
      if (!values.from || !values.to) throw new UsageError('store copy needs --from and --to (a lowdb file or a postgres:// URL)');
      console.log(JSON.stringify({ copied: await copyStore(values.from, values.to, featureDocuments()) }));
      return 0;
    }
    if (command === 'migrate') {
      if (!config.databaseUrl) throw new UsageError('migrate needs KUDOS_DATABASE_URL (the lowdb file needs no migrations)');
      console.log(JSON.stringify(await migrateStore(config.databaseUrl)));
      return 0;
    }
    if (command === 'shop list') {
      for (const shop of await listShops(config)) print(shop);
      return 0;
    }
    const shopId = values.shop;
    if (group === 'shop' && verb === 'origins' && third !== undefined) {
      if (!shopId) throw new UsageError('--shop is required');
      if (third === 'list') print(await access(config, { op: 'origins.list', shopId }));
      else if ((third === 'add' || third === 'remove') && rest.length === 1) print(await access(config, { op: `origins.${third}`, shopId, origin: rest[0] }));
      else throw new UsageError(`unknown command "${command}"`);
      return 0;
    }
    if (group === 'keys' && verb !== undefined) {
      if (!shopId) throw new UsageError('--shop is required');
      if (verb === 'create' && positionals.length === 2) {
        if (!values.name?.trim()) throw new UsageError('--name is required');
        print(await access(config, { op: 'keys.create', shopId, name: values.name, scopes: values.scope ?? [] }));
      } else if (verb === 'list' && positionals.length === 2) {
        for (const key of (await access(config, { op: 'keys.list', shopId })) as object[]) print(key);
      } else if (verb === 'revoke' && third !== undefined && rest.length === 0) {
        print(await access(config, { op: 'keys.revoke', shopId, keyId: third }));
      } else if (verb === 'roll' && third !== undefined && rest.length === 0) {
        print(await access(config, { op: 'keys.roll', shopId, keyId: third, overlapHours: hours(values.overlap) }));
      } else throw new UsageError(`unknown command "${command}"`);
      return 0;
    }
    if (command === 'identity roll') {
      if (!shopId) throw new UsageError('--shop is required');
      print(await access(config, { op: 'identity.roll', shopId, overlapHours: hours(values.overlap) }));
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
      // KUDOS_API_KEY; an sk_ in KUDOS_SECRET_KEY (the name the examples first used) is still taken.
      const fromEnv = process.env.KUDOS_API_KEY ?? (process.env.KUDOS_SECRET_KEY?.startsWith('sk_') ? process.env.KUDOS_SECRET_KEY : undefined);
      const key = values.key ?? fromEnv;
      if (!key?.startsWith('sk_')) throw new UsageError('import needs the shop\'s secret key: --key sk_… or KUDOS_API_KEY');
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
    const message = error instanceof DomainError ? (error.errors?.map((e) => `${e.pointer}: ${e.detail}`).join('; ') || error.detail) : (error as Error).message;
    console.error(`kudos: ${message}`);
    if (usage) console.error(USAGE);
    return usage ? 2 : 1;
  }
}

process.exitCode = await run(process.argv.slice(2));
