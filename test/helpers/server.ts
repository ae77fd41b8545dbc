// A real Kudos server on port 0 with a real lowdb file in a temp folder.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { customerHash } from '../../server/identity.js';
import { startServer, type RunningServer, type StartOptions } from '../../server/server.js';
import { logFiles } from '../../server/store/write-ahead-log.js';

export interface TestShop {
  shopId: string;
  publishableKey: string;
  secretKey: string;
}

export interface TestServer {
  server: RunningServer;
  url: string;
  dir: string;
  dataFile: string;
  shop: TestShop;
  otherShop: TestShop;
  call(path: string, init?: CallInit): Promise<Response>;
  stop(): Promise<void>;
  /** Stops and removes the temp folder. */
  dispose(): Promise<void>;
}

export interface CallInit {
  method?: string;
  key?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export const tempDir = (prefix = 'kudos-test-') => mkdtempSync(join(tmpdir(), prefix));

/**
 * The data files exactly as they are on disk now, copied elsewhere: what a
 * restart after a crash at this instant would find. Returns the copy's data file.
 */
export function crashCopy(dataFile: string): string {
  const copy = join(tempDir('kudos-crash-'), 'kudos.json');
  const log = `${dataFile}.wal`;
  // The files (snapshot, log segments, log) with their identity and size: a copy
  // is an instant's state only if none of them changed while it was made (a fold's
  // rename or an append runs beside this, on libuv's threads).
  const state = () =>
    [dataFile, ...logFiles(log)]
      .map((file) => {
        try {
          const { ino, size } = statSync(file);
          return `${file}:${ino}:${size}`;
        } catch {
          return `${file}:-`;
        }
      })
      .join('|');
  for (let attempt = 0; ; attempt++) {
    if (attempt === 100) throw new Error(`crashCopy: ${dataFile} kept changing while it was copied`);
    const before = state();
    rmSync(dirname(copy), { recursive: true, force: true });
    mkdirSync(dirname(copy));
    for (const file of [dataFile, ...logFiles(log)]) {
      try {
        copyFileSync(file, copy + file.slice(dataFile.length));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    if (state() === before) return copy;
  }
}

export function identityHeaders(shop: TestShop, customerId: string): Record<string, string> {
  return { 'x-kudos-customer': customerId, 'x-kudos-customer-hash': customerHash(shop.secretKey, customerId) };
}

export function purchase(id: string, customerId: string, total = 10) {
  return { id, type: 'purchase', customerId, properties: { orderId: `o-${id}`, total, currency: 'EUR' } };
}

export async function startTestServer(options: Partial<StartOptions> & { dir?: string } = {}): Promise<TestServer> {
  const dir = options.dir ?? tempDir();
  const dataFile = join(dir, 'kudos.json');
  const server = await startServer({ dataFile, port: 0, ...options, log: options.log ?? (() => {}) });
  const shop = await server.createShop({ name: 'Test Shop', origins: ['https://shop.example'] });
  const otherShop = await server.createShop({ name: 'Other Shop', origins: ['https://other.example'] });
  const call = (path: string, init: CallInit = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.key) headers.authorization = `Bearer ${init.key}`;
    let body: string | undefined = init.rawBody;
    if (init.body !== undefined) body = JSON.stringify(init.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    return fetch(`${server.url}${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.close();
  };
  return {
    server,
    url: server.url,
    dir,
    dataFile,
    shop,
    otherShop,
    call,
    stop,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
