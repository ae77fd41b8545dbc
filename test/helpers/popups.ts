// A real server on port 0 (createApp over a real lowdb file) with an injected
// clock, for the check-in and micro-gift HTTP tests.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../../server/app.js';
import type { CheckinOptions } from '../../server/checkins/routes.js';
import { examplesDir, publicDir } from '../../server/paths.js';
import { newShop } from '../../server/shops.js';
import { LowdbStore } from '../../server/store/lowdb-store.js';
import type { Shop } from '../../server/store/store.js';
import { identityHeaders, tempDir } from './server.js';

export interface PopupHarness {
  url: string;
  shop: Shop;
  other: Shop;
  store: LowdbStore;
  clock: { t: number };
  call(path: string, init?: { method?: string; key?: string; as?: string; shop?: Shop; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  /** A browser-like request to the hosted page (form posts, cookies kept per `jar`). */
  page(path: string, init?: { form?: Record<string, string>; jar?: Map<string, string>; lang?: string; ip?: string }): Promise<Response>;
  close(): Promise<void>;
}

export async function popupHarness(t0: number, checkins: CheckinOptions = {}): Promise<PopupHarness> {
  const dir = tempDir();
  const clock = { t: t0 };
  const now = () => new Date(clock.t);
  const store = await LowdbStore.open(join(dir, 'kudos.json'), { now: () => clock.t });
  const shop = newShop({ name: 'Mia’s Ceramics', origins: ['https://mia.example'] }, now());
  const other = newShop({ name: 'Other', origins: [] }, now());
  await store.createShop(shop);
  await store.createShop(other);
  const app = createApp({ store, now, publicDir, examplesDir, selfUrl: () => '', log: () => {}, checkins: { publicUrl: 'https://kudos.example', ...checkins } });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    shop,
    other,
    store,
    clock,
    call(path, init = {}) {
      const s = init.shop ?? shop;
      const headers: Record<string, string> = { ...init.headers };
      headers.authorization = `Bearer ${init.key ?? s.publishableKey}`;
      if (init.as) Object.assign(headers, identityHeaders({ ...s, shopId: s.id }, init.as));
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      return fetch(url + path, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    },
    async page(path, init = {}) {
      const headers: Record<string, string> = { 'accept-language': init.lang ?? 'en' };
      if (init.jar?.size) headers.cookie = [...init.jar].map(([k, v]) => `${k}=${v}`).join('; ');
      if (init.ip) headers['x-forwarded-for'] = init.ip;
      const body = init.form && new URLSearchParams(init.form).toString();
      if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const r = await fetch(url + path.replace('https://kudos.example', ''), { method: body === undefined ? 'GET' : 'POST', headers, body });
      for (const c of r.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const [k, v] = pair!.split('=');
        init.jar?.set(k!, v!);
      }
      return r;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
