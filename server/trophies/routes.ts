// Trophy HTTP routes: definitions and manual awards under /v1 (after the API key
// middleware), and the public award pages under /t (no key).
import { randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { nanoid } from 'nanoid';
import { callerOf, requireSecretKey } from '../http/auth.js';
import { parseOr400, problems, sendProblem } from '../http/problem.js';
import { createdKey, page, PageQuery } from '../paging.js';
import { Slug } from '../schemas.js';
import { AWARDS_BY_ID } from './lookups.js';
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
import { didDocumentOf, signedCredentialOf, signedStatusListOf, verifyAward } from './credentials.js';
import { CREDENTIALS_V2, OB_CONTEXT } from './jsonld.js';
import { PUBLIC_PAGE_CSP, achievementOf, awardPage, awardSvg, issuerProfile, notFoundPage, verificationPage } from './public.js';
import { ListMoved, listOf, revokedRef } from './status-list.js';
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
import { customerAudit, routeScope, type RouteScope } from '../access/route-scopes.js';

/** When DELETE …/awards/{awardId} was deprecated (Unix seconds: 2026-12-04T00:00:00Z). */
const DELETE_REVOKE_DEPRECATED_AT = 1796342400;

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

/** What a key needs for each route of trophiesRouter: its feature's registry entry lists them (server/features.ts). */
export const trophyScopes: readonly RouteScope[] = [
  routeScope('GET', '/trophies', 'staff', 'pk'),
  routeScope('GET', '/trophies/:id', 'staff', 'pk'),
  routeScope('PUT', '/trophies/:id', 'admin'),
  // At the counter: award and revoke trophies.
  customerAudit(routeScope('POST', '/trophies/:id/awards', 'staff')),
  routeScope('GET', '/trophies/:id/awards/:awardId', 'staff'),
  customerAudit(routeScope('DELETE', '/trophies/:id/awards/:awardId', 'staff')),
  customerAudit(routeScope('POST', '/trophies/:id/awards/:awardId/revocation', 'staff')),
];

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

  router.get('/trophies', async (req, res) => {
    const query = parseOr400(PageQuery, { ...req.query });
    const trophies = await store.listDocuments<TrophyDefinition>(callerOf(res).shop.id, TROPHIES);
    res.json(page(trophies, createdKey, query));
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
    async function revokeHandler(req: Request, res: Response) {
      const shopId = callerOf(res).shop.id;
      const id = parseOr400(Slug, req.params.id, ['id']);
      const awardId = parseOr400(AwardId, req.params.awardId, ['awardId']);
      const body = req.body === undefined && !reasonRequired ? { reason: 'Revoked by the shop.' } : req.body;
      const { reason } = parseOr400(RevocationInput, body);
      const at = now();
      const revoked = await revokeInItsList(shopId, id, awardId, reason, at);
      res.json(awardResponse(revoked, base(req)));
    };
  /** Revokes with the award's status list in the same write; retried if the award got its index in between. */
  async function revokeInItsList(shopId: string, trophyId: string, awardId: string, reason: string, at: Date): Promise<AwardDocument> {
    for (let attempt = 0; ; attempt++) {
      const award = await store.getDocument<AwardDocument>(shopId, { collection: AWARDS, id: awardId });
      if (!award || award.trophyId !== trophyId) throw problems.notFound(`No award "${awardId}" of trophy "${trophyId}" in this shop.`);
      const list = award.statusIndex === undefined ? undefined : listOf(award.statusIndex);
      const refs: DocumentRef[] = [
        { collection: AWARDS, id: awardId },
        { collection: HOLDERS, id: award.customerId },
        ...(list === undefined ? [] : [revokedRef(list)]),
      ];
      try {
        return await store.updateDocuments(shopId, refs, (current) => revokeAward(current, { trophyId, awardId, reason, at, list }));
      } catch (error) {
        if (!(error instanceof ListMoved) || attempt >= 5) throw error;
      }
    }
  }

  // One way to revoke (issue 14): POST …/revocation, which asks for a reason. DELETE stays for
  // one version so existing backends keep working, and says so on every answer (RFC 9745 and
  // RFC 8594 headers) and in /openapi.json.
  const deprecatedRevoke = revoke(false);
  router.delete('/trophies/:id/awards/:awardId', requireSecretKey, (req, res) => {
    res.setHeader('Deprecation', `@${DELETE_REVOKE_DEPRECATED_AT}`);
    res.setHeader('Link', `<${req.baseUrl}${req.path}/revocation>; rel="successor-version"`);
    return deprecatedRevoke(req, res);
  });
  router.post('/trophies/:id/awards/:awardId/revocation', requireSecretKey, revoke(true));

  return router;
}

/**
 * `/t/:awardId` (HTML), `/t/:awardId.json` (signed credential), `/t/:awardId.svg` (drawn image), `/t/:awardId.png` (og:image),
 * `/t/:awardId/verify` (verification page), `/t/issuers/:shopId` (issuer profile) and its
 * `did.json`, `/t/achievements/...` (achievements), `/t/status/:shopId/:list` (revocation lists). No key.
 */
export function publicTrophyRouter(store: Store, options: Pick<TrophyOptions, 'publicUrl'> & { now?: () => Date } = {}): Router {
  const router = Router();
  const base = (req: Request) => publicBaseUrl(req, options.publicUrl);
  const now = options.now ?? (() => new Date());

  // Award ids are unique across shops (nanoid), but documents are per shop: an
  // index over every shop's awards finds it (no key on these pages, so no shop to start from).
  const findAward = async (awardId: string) => {
    const [found] = await store.findDocuments<AwardDocument>(AWARDS_BY_ID, { equals: awardId, limit: 1 });
    const shop = found && (await store.getShop(found.shopId));
    return shop ? { shop, award: found.value } : undefined;
  };

  // Verifiers and wallets fetch these from anywhere.
  const linkedData = (res: Response, type: string, body: unknown) =>
    res.set('Access-Control-Allow-Origin', '*').set('X-Content-Type-Options', 'nosniff').type(type).send(JSON.stringify(body));
  const shopOr404 = async (req: Request, res: Response) => {
    const shop = await store.getShop(String(req.params.shopId));
    if (!shop) sendProblem(res.set('Access-Control-Allow-Origin', '*'), problems.notFound('No such issuer.'));
    return shop;
  };

  router.get('/t/issuers/:shopId', async (req, res) => {
    const shop = await shopOr404(req, res);
    if (!shop) return;
    const { identity } = await didDocumentOf(store, shop, base(req));
    linkedData(res, 'application/ld+json', { '@context': [CREDENTIALS_V2, OB_CONTEXT], ...issuerProfile(shop, base(req), identity) });
  });

  router.get('/t/issuers/:shopId/did.json', async (req, res) => {
    const shop = await shopOr404(req, res);
    if (!shop) return;
    linkedData(res, 'application/did+ld+json', (await didDocumentOf(store, shop, base(req))).document);
  });

  router.get('/t/achievements/:shopId/:trophyId/:level', async (req, res) => {
    const shop = await shopOr404(req, res);
    if (!shop) return;
    const trophyId = Slug.safeParse(req.params.trophyId);
    const trophy = trophyId.success ? await store.getDocument<TrophyDefinition>(shop.id, { collection: TROPHIES, id: trophyId.data }) : undefined;
    const level = trophy?.levels.find((l) => l.level === req.params.level);
    if (!trophy || !level) return sendProblem(res.set('Access-Control-Allow-Origin', '*'), problems.notFound('No such achievement.'));
    const { identity } = await didDocumentOf(store, shop, base(req));
    const snapshot = {
      trophyId: trophy.id,
      level: level.level,
      trophy: {
        name: trophy.name,
        description: trophy.description,
        criteriaNarrative: trophy.criteriaNarrative,
        ...(level.name ? { levelName: level.name } : {}),
        ...(level.description ? { levelDescription: level.description } : {}),
      },
    };
    const achievement = achievementOf(snapshot, shop, base(req), identity, trophy.image);
    linkedData(res, 'application/ld+json', { '@context': [CREDENTIALS_V2, OB_CONTEXT], ...achievement });
  });

  router.get('/t/status/:shopId/:list', async (req, res) => {
    const shop = await shopOr404(req, res);
    if (!shop) return;
    const list = /^(0|[1-9][0-9]{0,6})$/.test(req.params.list) ? Number(req.params.list) : undefined;
    const credential = list === undefined ? undefined : await signedStatusListOf(store, shop, list, base(req), now());
    if (!credential) return sendProblem(res.set('Access-Control-Allow-Origin', '*'), problems.notFound('No such status list.'));
    // Short-lived: a revocation shows within a minute.
    res.set('Cache-Control', 'max-age=60');
    linkedData(res, 'application/vc', credential);
  });

  router.get('/t/:award/verify', async (req, res) => {
    res.set('Content-Security-Policy', PUBLIC_PAGE_CSP).set('Cache-Control', 'no-cache').set('Referrer-Policy', 'no-referrer');
    const found = AwardId.safeParse(req.params.award).success ? await findAward(req.params.award) : undefined;
    if (!found) return res.status(404).type('html').send(notFoundPage());
    const result = await verifyAward(store, found.shop, found.award, base(req), now());
    res.type('html').send(verificationPage(found.award, found.shop, base(req), result));
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
      const credential = await signedCredentialOf(store, found.shop, found.award, base(req));
      res.type('application/ld+json').send(JSON.stringify(credential));
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
