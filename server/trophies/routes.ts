// Trophy HTTP routes: definitions and manual awards under /v1 (after the API key
// middleware), and the public award pages under /t (no key).
import { randomBytes } from 'node:crypto';
import { Router, type Request } from 'express';
import { nanoid } from 'nanoid';
import { callerOf, requireSecretKey } from '../http/auth.js';
import { parseOr400, problems, sendProblem } from '../http/problem.js';
import { Slug } from '../schemas.js';
import type { DocumentRef, Store } from '../store/store.js';
import {
  AWARD_REQUESTS,
  AWARDS,
  HOLDERS,
  TROPHIES,
  awardResponse,
  grantAward,
  revokeAward,
  trophyDefinition,
  trophyState,
} from './engine.js';
import { PUBLIC_PAGE_CSP, awardPage, awardSvg, credentialOf, notFoundPage } from './public.js';
import { ogImagePng } from './og-image.js';
import {
  AwardId,
  AwardInput,
  RevocationInput,
  TrophyInput,
  type AwardDocument,
  type HolderDocument,
  type TrophyDefinition,
} from './schemas.js';
import type { LockedTrophyView, TrophyView } from './view.js';

export interface TrophyOptions {
  /** Public base URL of award pages; default KUDOS_PUBLIC_URL, else the request's own origin. */
  publicUrl?: string;
  /** Award ids and identity salts; injectable so tests can pin them. */
  newAwardId?: () => string;
  newSalt?: () => string;
}

const trimSlash = (s: string) => s.replace(/\/+$/, '');

/** Where award pages live: KUDOS_PUBLIC_URL when set (behind a proxy, a CDN), else the origin this request came to. */
export function publicBaseUrl(req: Request, configured: string | undefined): string {
  return configured ? trimSlash(configured) : `${req.protocol}://${req.get('host')}`;
}

async function customerAwards(store: Store, shopId: string, customerId: string): Promise<AwardDocument[]> {
  const holder = await store.getDocument<HolderDocument>(shopId, { collection: HOLDERS, id: customerId });
  const awards = await Promise.all(
    (holder?.awards ?? []).map((a) => store.getDocument<AwardDocument>(shopId, { collection: AWARDS, id: a.awardId })),
  );
  return awards.filter((a): a is AwardDocument => a !== undefined);
}

/** A customer's earned (not revoked) trophies and the shop's trophies they hold at no level. */
export async function customerTrophies(
  store: Store,
  shopId: string,
  customerId: string,
  baseUrl = '',
): Promise<{ trophies: TrophyView[]; lockedTrophies: LockedTrophyView[] }> {
  const [definitions, awards] = await Promise.all([
    store.listDocuments<TrophyDefinition>(shopId, TROPHIES),
    customerAwards(store, shopId, customerId),
  ]);
  return trophyState(definitions.sort((a, b) => a.createdAt.localeCompare(b.createdAt)), awards, baseUrl);
}

/** Earned (not revoked) trophies of a customer, `url` absolute when `baseUrl` is given. */
export async function trophiesForCustomer(store: Store, shopId: string, customerId: string, baseUrl = ''): Promise<TrophyView[]> {
  return (await customerTrophies(store, shopId, customerId, baseUrl)).trophies;
}

export function trophiesRouter(store: Store, now: () => Date, options: TrophyOptions = {}): Router {
  const router = Router();
  const newAwardId = options.newAwardId ?? (() => nanoid());
  const newSalt = options.newSalt ?? (() => randomBytes(16).toString('hex'));
  const base = (req: Request) => publicBaseUrl(req, options.publicUrl);

  const trophyOr404 = async (shopId: string, id: string) => {
    const trophy = await store.getDocument<TrophyDefinition>(shopId, { collection: TROPHIES, id });
    if (!trophy) throw problems.notFound(`No trophy "${id}" in this shop.`);
    return trophy;
  };

  router.get('/trophies', async (_req, res) => {
    const trophies = await store.listDocuments<TrophyDefinition>(callerOf(res).shop.id, TROPHIES);
    res.json({ trophies: trophies.sort((a, b) => a.createdAt.localeCompare(b.createdAt)) });
  });

  router.get('/trophies/:id', async (req, res) => {
    const id = parseOr400(Slug, req.params.id, ['id']);
    res.json(await trophyOr404(callerOf(res).shop.id, id));
  });

  router.put('/trophies/:id', requireSecretKey, async (req, res) => {
    const shopId = callerOf(res).shop.id;
    const id = parseOr400(Slug, req.params.id, ['id']);
    const input = parseOr400(TrophyInput, req.body);
    const at = now();
    const { trophy, created } = await store.updateDocuments(shopId, [{ collection: TROPHIES, id }], ([existing]) => {
      const trophy = trophyDefinition(id, input, existing as TrophyDefinition | undefined, at);
      return { values: [trophy], result: { trophy, created: existing === undefined } };
    });
    res.status(created ? 201 : 200).json(trophy);
  });

  router.post('/trophies/:id/awards', requireSecretKey, async (req, res) => {
    const shopId = callerOf(res).shop.id;
    const id = parseOr400(Slug, req.params.id, ['id']);
    const input = parseOr400(AwardInput, req.body);
    const trophy = await trophyOr404(shopId, id);
    const awardId = newAwardId();
    const refs: DocumentRef[] = [
      { collection: HOLDERS, id: input.customerId },
      { collection: AWARDS, id: awardId },
    ];
    if (input.id) refs.push({ collection: AWARD_REQUESTS, id: `${trophy.id}:${input.id}` });
    const salt = newSalt();
    const at = now();
    const result = await store.updateDocuments(shopId, refs, (current) => grantAward(current, { trophy, input, awardId, salt, at }));
    const award = result.created
      ? result.award
      : await store.getDocument<AwardDocument>(shopId, { collection: AWARDS, id: result.awardId });
    if (!award) throw problems.notFound('The award of this request id no longer exists.');
    res.status(result.created ? 201 : 200).json(awardResponse(award, base(req)));
  });

  router.get('/trophies/:id/awards/:awardId', requireSecretKey, async (req, res) => {
    const shopId = callerOf(res).shop.id;
    const id = parseOr400(Slug, req.params.id, ['id']);
    const awardId = parseOr400(AwardId, req.params.awardId, ['awardId']);
    const award = await store.getDocument<AwardDocument>(shopId, { collection: AWARDS, id: awardId });
    if (!award || award.trophyId !== id) throw problems.notFound(`No award "${awardId}" of trophy "${id}" in this shop.`);
    res.json(awardResponse(award, base(req)));
  });

  const revoke = (reasonRequired: boolean) =>
    async function revokeHandler(req: Request, res: import('express').Response) {
      const shopId = callerOf(res).shop.id;
      const id = parseOr400(Slug, req.params.id, ['id']);
      const awardId = parseOr400(AwardId, req.params.awardId, ['awardId']);
      const body = req.body === undefined && !reasonRequired ? { reason: 'Revoked by the shop.' } : req.body;
      const { reason } = parseOr400(RevocationInput, body);
      const award = await store.getDocument<AwardDocument>(shopId, { collection: AWARDS, id: awardId });
      if (!award || award.trophyId !== id) throw problems.notFound(`No award "${awardId}" of trophy "${id}" in this shop.`);
      const at = now();
      const revoked = await store.updateDocuments(
        shopId,
        [
          { collection: AWARDS, id: awardId },
          { collection: HOLDERS, id: award.customerId },
        ],
        (current) => revokeAward(current, { trophyId: id, awardId, reason, at }),
      );
      res.json(awardResponse(revoked, base(req)));
    };
  router.delete('/trophies/:id/awards/:awardId', requireSecretKey, revoke(false));
  router.post('/trophies/:id/awards/:awardId/revocation', requireSecretKey, revoke(true));

  return router;
}

/** `/t/:awardId` (HTML), `/t/:awardId.json` (credential), `/t/:awardId.svg` (drawn image), `/t/:awardId.png` (og:image), `/t/issuers/:shopId` (issuer profile). No key. */
export function publicTrophyRouter(store: Store, options: Pick<TrophyOptions, 'publicUrl'> = {}): Router {
  const router = Router();
  const base = (req: Request) => publicBaseUrl(req, options.publicUrl);

  // Award ids are unique across shops (nanoid), but documents are per shop.
  const findAward = async (awardId: string) => {
    for (const shop of await store.listShops()) {
      const award = await store.getDocument<AwardDocument>(shop.id, { collection: AWARDS, id: awardId });
      if (award) return { shop, award };
    }
    return undefined;
  };

  router.get('/t/issuers/:shopId', async (req, res) => {
    const shop = await store.getShop(req.params.shopId);
    res.set('Access-Control-Allow-Origin', '*');
    if (!shop) return sendProblem(res, problems.notFound('No such issuer.'));
    const id = `${base(req)}/t/issuers/${encodeURIComponent(shop.id)}`;
    res.json({ '@context': ['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'], id, type: 'Profile', name: shop.name });
  });

  router.get('/t/:award', async (req, res) => {
    const match = /^([A-Za-z0-9_-]{21})(\.json|\.svg|\.png)?$/.exec(req.params.award);
    const found = match ? await findAward(match[1]!) : undefined;
    const kind = match?.[2] ?? (/\.json$/.test(req.params.award) ? '.json' : '');
    res.set('X-Content-Type-Options', 'nosniff');
    if (kind === '.json') {
      // Verifiers fetch credentials from anywhere.
      res.set('Access-Control-Allow-Origin', '*').set('Cache-Control', 'no-cache');
      if (!found) return sendProblem(res, problems.notFound('No trophy award with this id.'));
      res.type('application/ld+json').send(JSON.stringify(credentialOf(found.award, found.shop, base(req))));
      return;
    }
    if (kind === '.png') {
      if (!found) return sendProblem(res, problems.notFound('No trophy award with this id.'));
      res.set('Cache-Control', 'public, max-age=300').type('image/png').send(ogImagePng(found.award, found.shop.name));
      return;
    }
    if (kind === '.svg') {
      if (!found) return sendProblem(res, problems.notFound('No trophy award with this id.'));
      res.set('Content-Security-Policy', "default-src 'none'").type('image/svg+xml').send(awardSvg(found.award));
      return;
    }
    res.set('Content-Security-Policy', PUBLIC_PAGE_CSP).set('Cache-Control', 'no-cache').set('Referrer-Policy', 'no-referrer');
    if (!found) return res.status(404).type('html').send(notFoundPage());
    res.type('html').send(awardPage(found.award, found.shop, base(req)));
  });

  return router;
}
