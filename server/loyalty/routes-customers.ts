import { Router, type Request, type Response } from 'express';
import { customAlphabet } from 'nanoid';
import { customerView } from './engine/apply.js';
import { REDEMPTION_EVENT } from './engine/customer.js';
import { balanceOf, InsufficientPoints } from './engine/points.js';
import { callerOf, requireSecretKey, shopperOf } from '../http/auth.js';
import { DomainError, parseOr400, problems } from '../http/problem.js';
import { CustomerId } from '../schemas.js';
import { CustomerListQuery, RedemptionInput, type Reward } from './schemas.js';
import type { CustomerRecord } from './engine/customer.js';
import { programOf, REWARDS } from './service.js';
import { recordEvents } from '../events/record-events.js';
import type { Store } from '../store/store.js';
import { customerTrophies, publicBaseUrl } from '../trophies/routes.js';
import { customerGifts } from '../gifts/ports.js';
import { customerAudit, routeScope, type RouteScope } from '../access/route-scopes.js';

// Unambiguous characters (no 0/O, 1/I): codes get typed at checkouts.
const discountCode = customAlphabet('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', 10);
const randomId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 16);

/** The customer a request may act for: any with the secret key, only the verified shopper with a publishable key. */
function authorizedCustomer(req: Request, res: Response): string {
  const caller = callerOf(res);
  const customerId = parseOr400(CustomerId, req.params.customerId, ['customerId']);
  if (caller.role === 'publishable') {
    const shopper = shopperOf(req, caller.shop);
    if (shopper.kind !== 'customer' || shopper.customerId !== customerId) {
      throw problems.identity('With a publishable key, send X-Kudos-Customer and its hash for this same customer.');
    }
  }
  return customerId;
}

const encodeCursor = (customerId: string) => Buffer.from(customerId, 'utf8').toString('base64url');
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

/**
 * Where a prefix search starts in id order: just below every id that starts with `q`
 * (the store's `after` is exclusive), so a search reads from there, not from the first id.
 */
function startBefore(q: string): string {
  const last = q.charCodeAt(q.length - 1);
  return last > 0 ? q.slice(0, -1) + String.fromCharCode(last - 1) + '\uffff' : q.slice(0, -1);
}

/**
 * A page of the shop's customers in id order. Anonymous visitors' records (keys that start
 * with "~", after every customer id) are not customers and end the list.
 */
export async function customerPage(store: Store, shopId: string, query: CustomerListQuery): Promise<{ page: CustomerRecord[]; nextCursor: string | null }> {
  const { limit, cursor, q } = query;
  const page: CustomerRecord[] = [];
  let after = cursor !== undefined ? decodeCursor(cursor) : q ? startBefore(q) : undefined;
  // One more than asked tells whether there is a next page.
  for (;;) {
    const batch = await store.listCustomers(shopId, { after, limit: limit + 1 });
    for (const customer of batch) {
      const id = customer.customerId;
      if (id.startsWith('~') || (q && id > q && !id.startsWith(q))) return { page, nextCursor: null };
      if (q && !id.startsWith(q)) continue;
      if (page.length === limit) return { page, nextCursor: encodeCursor(page.at(-1)!.customerId) };
      page.push(customer);
    }
    if (batch.length < limit + 1) return { page, nextCursor: null };
    after = batch.at(-1)!.customerId;
  }
}

/** What a key needs for each route of customersRouter: its feature's registry entry lists them (server/features.ts). */
export const customersScopes: readonly RouteScope[] = [
  // At the counter: look a customer up, redeem for them.
  routeScope('GET', '/customers', 'staff'),
  routeScope('GET', '/customers/:customerId', 'staff', 'pk'),
  customerAudit(routeScope('POST', '/customers/:customerId/redemptions', 'staff', 'pk')),
];

export function customersRouter(store: Store, now: () => Date, options: { publicUrl?: string } = {}): Router {
  const router = Router();

  router.get('/customers', requireSecretKey, async (req, res) => {
    const shopId = callerOf(res).shop.id;
    const query = parseOr400(CustomerListQuery, { ...req.query });
    const [{ page, nextCursor }, badges, program] = await Promise.all([customerPage(store, shopId, query), store.listBadges(shopId), programOf(store, shopId)]);
    const at = now().toISOString();
    res.json({
      data: page.map((record) => {
        const view = customerView(record.customerId, record, { badges, program }, at);
        return {
          customerId: record.customerId,
          points: view.points,
          tier: view.tier,
          badges: view.badges.length,
          createdAt: record.createdAt,
          lastActivityAt: record.lastActivityAt ?? null,
        };
      }),
      nextCursor,
    });
  });

  router.get('/customers/:customerId', async (req, res) => {
    const customerId = authorizedCustomer(req, res);
    const shopId = callerOf(res).shop.id;
    const [customer, badges, program] = await Promise.all([
      store.getCustomer(shopId, customerId),
      store.listBadges(shopId),
      programOf(store, shopId),
    ]);
    res.json({
      ...customerView(customerId, customer, { badges, program }, now().toISOString()),
      ...(await customerTrophies(store, shopId, customerId, publicBaseUrl(req, options.publicUrl))),
      ...(await customerGifts(store, shopId, customerId)),
    });
  });

  router.post('/customers/:customerId/redemptions', async (req, res) => {
    const customerId = authorizedCustomer(req, res);
    const shopId = callerOf(res).shop.id;
    const input = parseOr400(RedemptionInput, req.body);
    const reward = await store.getDocument<Reward>(shopId, { collection: REWARDS, id: input.rewardId });
    if (!reward) throw problems.notFound(`No reward "${input.rewardId}" in this shop.`);
    if (!reward.active) throw new DomainError('reward-inactive', `"${reward.name}" is not offered right now.`);
    const eventId = `redeem:${input.id ?? randomId()}`;
    const at = now().toISOString();
    let outcome;
    try {
      [outcome] = await recordEvents(store, now, shopId, [
        {
          id: eventId,
          type: REDEMPTION_EVENT,
          customerId,
          occurredAt: at,
          properties: { rewardId: reward.id, cost: reward.cost, code: discountCode() },
        },
      ]);
    } catch (error) {
      if (error instanceof InsufficientPoints) {
        throw new DomainError('insufficient-points', error.message);
      }
      throw error;
    }
    const customer = await store.getCustomer(shopId, customerId);
    const entry = customer?.ledger?.find((e) => e.eventId === eventId && e.kind === 'redeem');
    // A replayed id that was first used for something else is a client bug worth naming.
    if (!entry || entry.rewardId !== reward.id) {
      throw new DomainError('id-reused', `"${input.id}" was used for another redemption.`);
    }
    res.status(outcome!.status === 'accepted' ? 201 : 200).json({
      id: eventId.slice('redeem:'.length),
      status: outcome!.status,
      rewardId: reward.id,
      name: reward.name,
      discount: reward.discount,
      code: entry.code,
      points: entry.points,
      balance: balanceOf(customer!.ledger, at).available,
    });
  });

  return router;
}
