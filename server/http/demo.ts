// Demo pages, served only when the demo shop is seeded. The purchase route plays
// the shop's backend: it signs with the secret key and calls the public API over
// HTTP, exactly as examples/shop-backend.mjs does.
import { currentIdentitySecret, demoKeyOf } from '../access/secrets.js';
import express, { Router } from 'express';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { KudosServerClient, customerHash } from '../../sdk/node.js';
import { parseOr400, problems } from './problem.js';
import { CustomerId } from '../schemas.js';
import type { Shop, Store } from '../store/store.js';
import { demoTrophyHandler } from '../trophies/demo.js';

export const DEMO_CUSTOMER = 'c_demo';

const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "base-uri 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PurchaseInput = z.strictObject({
  customerId: CustomerId,
  total: z.number().finite().positive().max(10_000).default(24),
});

const RefundInput = z.strictObject({
  customerId: CustomerId,
  orderId: z.string().min(1).max(128),
  amount: z.number().finite().positive().max(10_000).default(24),
});

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function demoRouter(options: { store: Store; examplesDir: string; selfUrl: () => string }): Router {
  const router = Router();
  const demoShop = async (): Promise<Shop> => {
    const shop = (await options.store.listShops()).find((s) => s.demo);
    if (!shop) throw problems.notFound('The demo shop is not seeded on this server (KUDOS_DEMO=off).');
    return shop;
  };

  router.get('/examples/storefront.html', async (req, res) => {
    const shop = await demoShop();
    const query = typeof req.query.customer === 'string' ? req.query.customer : DEMO_CUSTOMER;
    const customerId = parseOr400(CustomerId, query, ['customer']);
    // What a shop's own page template does: print the signed identity into the tag.
    const values: Record<string, string> = {
      SHOP_NAME: shop.name,
      PUBLISHABLE_KEY: shop.publishableKey,
      CUSTOMER_ID: customerId,
      CUSTOMER_HASH: customerHash(currentIdentitySecret(shop), customerId),
    };
    const template = await readFile(join(options.examplesDir, 'storefront.html'), 'utf8');
    const html = template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) =>
      name in values ? escapeHtml(values[name]!) : whole,
    );
    res.set('Content-Security-Policy', PAGE_CSP).set('Cache-Control', 'no-store').type('html').send(html);
  });

  router.use(
    '/examples',
    (_req, res, next) => {
      res.set('Content-Security-Policy', PAGE_CSP);
      next();
    },
    express.static(options.examplesDir, { index: false, fallthrough: false }),
  );

  router.post('/demo/purchase', express.json({ limit: '4kb' }), async (req, res) => {
    const shop = await demoShop();
    const { customerId, total } = parseOr400(PurchaseInput, req.body ?? {});
    const backend = new KudosServerClient({ api: options.selfUrl(), secretKey: demoKeyOf(shop) });
    const orderId = `demo-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const result = await backend.purchase({ customerId, orderId, total, currency: 'EUR' });
    // The storefront keeps the order id so its "Refund last order" button can refer to it.
    res.json({ ...result, orderId });
  });

  // Plays the shop backend refunding an order in full (or `amount` of it): points are clawed back.
  router.post('/demo/refund', express.json({ limit: '4kb' }), async (req, res) => {
    const shop = await demoShop();
    const { customerId, orderId, amount } = parseOr400(RefundInput, req.body ?? {});
    const backend = new KudosServerClient({ api: options.selfUrl(), secretKey: demoKeyOf(shop) });
    const [result] = await backend.sendEvents([
      { id: `refund:${orderId}`, type: 'refund', customerId, properties: { orderId, amount } },
    ]);
    res.json({ ...result!, orderId });
  });

  router.post('/demo/trophy', express.json({ limit: '4kb' }), demoTrophyHandler(demoShop, options.selfUrl));

  return router;
}
