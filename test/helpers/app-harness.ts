// The app (createApp) on port 0 over a real lowdb file, with an injected clock and
// two shops: for HTTP tests that need options startServer does not take (velocity
// limits, predictable codes and tokens, a public URL).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, type AppOptions } from '../../server/app.js';
import { examplesDir, publicDir } from '../../server/paths.js';
import { newShop } from '../../server/shops.js';
import { LowdbStore } from '../../server/store/lowdb-store.js';
import type { Shop } from '../../server/store/store.js';
import { identityHeaders, tempDir } from './server.js';
import { featureDocuments } from '../../server/features.js';

export interface HarnessCall {
  method?: string;
  /** Default: the shop's publishable key. */
  key?: string;
  /** A verified shopper: identity headers signed with the shop's secret key. */
  as?: string;
  /** An anonymous visitor's id. */
  anon?: string;
  shop?: ShopWithKey;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A stored shop with the secret key it was created with (the store keeps only its digest). */
export type ShopWithKey = Shop & { secretKey: string };

export interface AppHarness {
  url: string;
  /** The lowdb data file (its snapshot is complete after close()). */
  dataFile: string;
  shop: ShopWithKey;
  other: ShopWithKey;
  store: LowdbStore;
  clock: { t: number };
  call(path: string, init?: HarnessCall): Promise<Response>;
  close(): Promise<void>;
}

export async function appHarness(options: {
  t0: number;
  shop?: { name: string; origins: string[] };
  app?: Partial<AppOptions>;
  /** Where the data file's temp folder goes (e.g. /dev/shm for a test making thousands of durable writes). */
  tmpRoot?: string;
}): Promise<AppHarness> {
  const dir = options.tmpRoot ? mkdtempSync(join(options.tmpRoot, 'kudos-test-')) : tempDir();
  const clock = { t: options.t0 };
  const now = () => new Date(clock.t);
  const dataFile = join(dir, 'kudos.json');
  const store = await LowdbStore.open(dataFile, { ...featureDocuments(), now: () => clock.t });
  const withKey = ({ shop, credentials }: ReturnType<typeof newShop>): ShopWithKey => ({ ...shop, secretKey: credentials.secretKey });
  const shop = withKey(newShop(options.shop ?? { name: 'Test Shop', origins: ['https://shop.example'] }, now()));
  const other = withKey(newShop({ name: 'Other', origins: [] }, now()));
  // The store gets the shop as newShop made it: the key the harness keeps is for calling only.
  for (const { secretKey: _, ...stored } of [shop, other]) await store.createShop(stored);
  const app = createApp({ store, now, publicDir, examplesDir, selfUrl: () => '', log: () => {}, ...options.app });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    dataFile,
    shop,
    other,
    store,
    clock,
    call(path, init = {}) {
      const s = init.shop ?? shop;
      const headers: Record<string, string> = { ...init.headers };
      headers.authorization = `Bearer ${init.key ?? s.publishableKey}`;
      if (init.as) Object.assign(headers, identityHeaders({ ...s, shopId: s.id }, init.as));
      if (init.anon) headers['x-kudos-anonymous-id'] = init.anon;
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      return fetch(url + path, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
