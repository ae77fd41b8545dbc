// /v1 routes of a shop's access: who am I, keys, identity secrets, origins and
// the audit log. What each needs: accessScopes below.
import { Router, type Response } from 'express';
import { z } from 'zod';
import { callerOf } from '../http/auth.js';
import { parseOr400, problems } from '../http/problem.js';
import { createdKey, page, PageQuery } from '../paging.js';
import type { Store } from '../store/store.js';
import { CLI_ACTOR, DEFAULT_AUDIT_RETENTION_DAYS, MAX_AUDIT_RETENTION_DAYS, listAudit, recordAudit, type AuditActor } from './audit.js';
import { Scope } from './scopes.js';
import {
  addOrigin,
  createKey,
  listIdentitySecrets,
  listKeys,
  MAX_OVERLAP_HOURS,
  removeOrigin,
  revokeKey,
  rollIdentitySecret,
  rollKey,
  setAuditRetention,
  type AccessDeps,
} from './service.js';
import { routeScope, type RouteScope } from './route-scopes.js';

export const KeyCreateInput = z.strictObject({
  name: z.string().trim().min(1).max(80),
  scopes: z.array(Scope).min(1).max(5),
});
export const RollInput = z.strictObject({
  /** How long the old value keeps working, in hours (0: stops at once). */
  overlapHours: z.number().min(0).max(MAX_OVERLAP_HOURS).default(24),
});
export const OriginInput = z.strictObject({ origin: z.string().min(1).max(300) });
export const AuditSettingsInput = z.strictObject({ retentionDays: z.number().int().min(1).max(MAX_AUDIT_RETENTION_DAYS) });
export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^\d{4}-\d{2}-\d{2}\.\d{1,5}$/).optional(),
  /** Keeps entries whose action, key name or target contains it. */
  q: z.string().trim().min(1).max(100).optional(),
});
export const KeyId = z.string().regex(/^key_[A-Za-z0-9]{1,40}$/, 'a key id looks like key_…');

const actorOf = (res: Response): AuditActor => {
  const { key } = callerOf(res);
  return { keyId: key.id, keyName: key.name };
};

export { CLI_ACTOR };

/** What a key needs for each route of accessRouter: its feature's registry entry lists them (server/features.ts). */
export const accessScopes: readonly RouteScope[] = [
  // Who am I: the console asks it after sign-in to show only what the key may use.
  routeScope('GET', '/key', 'any', 'pk'),
  // Keys, secrets, origins, audit: the shop's own access (these routes write their own audit entries).
  routeScope('GET', '/keys', 'admin'),
  routeScope('POST', '/keys', 'admin'),
  routeScope('GET', '/keys/:id', 'admin'),
  { method: 'DELETE', path: '/keys/:id', scope: 'admin' },
  routeScope('POST', '/keys/:id/roll', 'admin'),
  routeScope('GET', '/identity-secrets', 'admin'),
  routeScope('POST', '/identity-secrets/roll', 'admin'),
  routeScope('GET', '/shop/origins', 'admin'),
  routeScope('POST', '/shop/origins', 'admin'),
  { method: 'DELETE', path: '/shop/origins/:origin', scope: 'admin' },
  routeScope('GET', '/audit', 'admin'),
  routeScope('GET', '/audit/export', 'admin'),
  { method: 'PUT', path: '/audit/settings', scope: 'admin' },
];

export function accessRouter(store: Store, now: () => Date): Router {
  const router = Router();
  const deps: AccessDeps = { store, now };
  const shopIdOf = (res: Response) => callerOf(res).shop.id;

  router.get('/key', (_req, res) => {
    const { shop, role, key } = callerOf(res);
    res.json({ shop: { id: shop.id, name: shop.name }, key: { id: key.id, name: key.name, kind: role, scopes: key.scopes } });
  });

  router.get('/keys', async (req, res) => {
    const query = parseOr400(PageQuery, { ...req.query });
    // Newest first, as the shop's keys were added (keys made in the same millisecond too).
    const keys = (await listKeys(deps, shopIdOf(res))).map((key, i, all) => ({ key, at: `${key.createdAt}\u0000${String(all.length - i).padStart(6, '0')}` }));
    const listed = page(keys, (k) => k.at, query, 'desc');
    res.json({ ...listed, data: listed.data.map((k) => k.key) });
  });
  router.post('/keys', async (req, res) => {
    const input = parseOr400(KeyCreateInput, req.body);
    res.status(201).set('Cache-Control', 'no-store').json(await createKey(deps, shopIdOf(res), actorOf(res), input));
  });
  router.get('/keys/:id', async (req, res) => {
    const id = parseOr400(KeyId, req.params.id, ['id']);
    const key = (await listKeys(deps, shopIdOf(res))).find((k) => k.id === id);
    if (!key) throw problems.notFound(`No key ${id} in this shop.`);
    res.json(key);
  });
  router.delete('/keys/:id', async (req, res) => {
    res.json(await revokeKey(deps, shopIdOf(res), actorOf(res), parseOr400(KeyId, req.params.id, ['id'])));
  });
  router.post('/keys/:id/roll', async (req, res) => {
    const id = parseOr400(KeyId, req.params.id, ['id']);
    const { overlapHours } = parseOr400(RollInput, req.body ?? {});
    res.status(201).set('Cache-Control', 'no-store').json(await rollKey(deps, shopIdOf(res), actorOf(res), id, overlapHours));
  });

  router.get('/identity-secrets', async (req, res) => {
    const query = parseOr400(PageQuery, { ...req.query });
    res.json(page(await listIdentitySecrets(deps, shopIdOf(res)), createdKey, query));
  });
  router.post('/identity-secrets/roll', async (req, res) => {
    const { overlapHours } = parseOr400(RollInput, req.body ?? {});
    res.status(201).set('Cache-Control', 'no-store').json(await rollIdentitySecret(deps, shopIdOf(res), actorOf(res), overlapHours));
  });

  router.get('/shop/origins', (req, res) => {
    const query = parseOr400(PageQuery, { ...req.query });
    res.json(page(callerOf(res).shop.origins, (origin) => origin, query));
  });
  router.post('/shop/origins', async (req, res) => {
    const { origin, added } = await addOrigin(deps, shopIdOf(res), actorOf(res), parseOr400(OriginInput, req.body).origin);
    res.status(added ? 201 : 200).json({ origin });
  });
  router.delete('/shop/origins/:origin', async (req, res) => {
    await removeOrigin(deps, shopIdOf(res), actorOf(res), String(req.params.origin));
    res.status(204).end();
  });

  router.get('/audit', async (req, res) => {
    const query = parseOr400(AuditQuery, req.query);
    const { shop } = callerOf(res);
    res.json({
      ...(await listAudit(store, shop, now(), { limit: query.limit, ...(query.cursor && { cursor: query.cursor }), ...(query.q && { q: query.q }) })),
      retentionDays: shop.auditRetentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS,
    });
  });
  router.get('/audit/export', async (_req, res) => {
    const { shop } = callerOf(res);
    await recordAudit(store, shop, now(), { actor: actorOf(res), action: 'audit.exported' });
    const lines: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAudit(store, shop, now(), { limit: 200, ...(cursor && { cursor }) });
      for (const entry of page.data) lines.push(JSON.stringify(entry));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    res
      .type('application/x-ndjson')
      .set('Content-Disposition', `attachment; filename="kudos-audit-${shop.id}.ndjson"`)
      .send(lines.join('\n') + (lines.length ? '\n' : ''));
  });
  router.put('/audit/settings', async (req, res) => {
    const { retentionDays } = parseOr400(AuditSettingsInput, req.body);
    res.json(await setAuditRetention(deps, shopIdOf(res), actorOf(res), retentionDays));
  });
  return router;
}
