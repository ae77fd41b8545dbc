// Directory demo pages: the listing rendered with both demo shops' publishable
// keys (what a directory's own template does), and a checkout route that plays
// the owning shop's backend: it passes the Kudos parameters of its checkout URL
// on the purchase, signed with that shop's secret key, over the public API.
import { demoKeyOf } from '../access/secrets.js';
import express, { Router } from 'express';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { KudosServerClient } from '../../sdk/node.js';
import { parseOr400, problems } from '../http/problem.js';
import { Slug } from '../schemas.js';
import type { Shop, Store } from '../store/store.js';
import { Origin } from './schemas.js';
import { demoPartnerShop } from './seed.js';
import { getProduct } from './service.js';

const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

const CheckoutInput = z.strictObject({
  shop: z.enum(['coffee', 'ceramics']),
  product: Slug,
  kudos_src: z.enum(['directory', 'group', 'loyalty', 'market']).optional(),
  kudos_ref: Origin.optional(),
  kudos_reservation: z.string().min(1).max(200).optional(),
});

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function productsDemoRouter(options: { store: Store; examplesDir: string; selfUrl: () => string }): Router {
  const router = Router();
  const shops = async (): Promise<{ coffee: Shop; ceramics: Shop }> => {
    const coffee = (await options.store.listShops()).find((s) => s.demo);
    const ceramics = coffee && (await demoPartnerShop(options.store, coffee));
    if (!coffee || !ceramics) throw problems.notFound('The demo shops are not seeded on this server (KUDOS_DEMO=off).');
    return { coffee, ceramics };
  };

  router.get('/examples/directory.html', async (_req, res) => {
    const { coffee, ceramics } = await shops();
    const values: Record<string, string> = {
      COFFEE_NAME: coffee.name,
      COFFEE_KEY: coffee.publishableKey,
      CERAMICS_NAME: ceramics.name,
      CERAMICS_KEY: ceramics.publishableKey,
    };
    const template = await readFile(join(options.examplesDir, 'directory.html'), 'utf8');
    const html = template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in values ? escapeHtml(values[name]!) : whole));
    res.set('Content-Security-Policy', PAGE_CSP).set('Cache-Control', 'no-store').type('html').send(html);
  });

  router.post('/demo/directory-checkout', express.json({ limit: '4kb' }), async (req, res) => {
    const input = parseOr400(CheckoutInput, req.body ?? {});
    const shop = (await shops())[input.shop];
    const backend = new KudosServerClient({ api: options.selfUrl(), secretKey: demoKeyOf(shop) });
    const orderId = `dir-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const { shop: _, product, ...attribution } = input;
    const { price, currency } = await getProduct(options, shop.id, product);
    const [result] = await backend.sendEvents([
      {
        id: `purchase:${orderId}`,
        type: 'purchase',
        customerId: `guest-${orderId}`,
        properties: { orderId, total: price, currency, productId: product, ...attribution },
      },
    ]);
    res.json({ ...result!, orderId });
  });

  return router;
}
