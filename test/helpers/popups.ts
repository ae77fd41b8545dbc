// A real server on port 0 (createApp over a real lowdb file) with an injected
// clock, for the check-in and micro-gift HTTP tests.
import type { CheckinOptions } from '../../server/checkins/routes.js';
import { appHarness, type AppHarness } from './app-harness.js';

export interface PopupHarness extends AppHarness {
  /** A browser-like request to the hosted page (form posts, cookies kept per `jar`). */
  page(path: string, init?: { form?: Record<string, string>; jar?: Map<string, string>; lang?: string; ip?: string }): Promise<Response>;
}

export async function popupHarness(t0: number, checkins: CheckinOptions = {}): Promise<PopupHarness> {
  const h = await appHarness({
    t0,
    shop: { name: 'Mia’s Ceramics', origins: ['https://mia.example'] },
    app: { checkins: { publicUrl: 'https://kudos.example', ...checkins } },
  });
  return {
    ...h,
    async page(path, init = {}) {
      const headers: Record<string, string> = { 'accept-language': init.lang ?? 'en' };
      if (init.jar?.size) headers.cookie = [...init.jar].map(([k, v]) => `${k}=${v}`).join('; ');
      if (init.ip) headers['x-forwarded-for'] = init.ip;
      const body = init.form && new URLSearchParams(init.form).toString();
      if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const r = await fetch(h.url + path.replace('https://kudos.example', ''), { method: body === undefined ? 'GET' : 'POST', headers, body });
      for (const c of r.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const [k, v] = pair!.split('=');
        init.jar?.set(k!, v!);
      }
      return r;
    },
  };
}
