// A shop's access, changed: keys made, rolled and revoked, identity secrets
// rolled, origins edited, audit retention set. Each change is one atomic shop
// update plus its audit entry. Shared by the /v1 routes and the CLI.
import { problems } from '../http/problem.js';
import { InvalidOriginError, normalizeOrigin } from '../shops.js';
import type { ApiKeyRecord, Shop, Store } from '../store/store.js';
import { recordAudit, type AuditActor } from './audit.js';
import { isActive, newApiKey, publicKeyView } from './keys.js';
import type { Scope } from './scopes.js';
import { newIdentitySecret, publicIdentitySecretView } from './secrets.js';

export interface AccessDeps {
  store: Store;
  now: () => Date;
}

const HOUR_MS = 3_600_000;
/** Longest overlap a roll may ask for: long enough to redeploy, short enough that a leaked key dies. */
export const MAX_OVERLAP_HOURS = 24 * 30;

const conflict = problems.conflict;

async function update<R>(deps: AccessDeps, shopId: string, change: (shop: Shop, now: Date) => { shop: Shop; result: R }): Promise<R> {
  let result: R | undefined;
  const at = deps.now();
  const updated = await deps.store.updateShop(shopId, (shop) => {
    const out = change(shop, at);
    result = out.result;
    return out.shop;
  });
  if (!updated) throw problems.notFound(`No shop ${shopId}.`);
  return result as R;
}

const activeAdmins = (shop: Shop, now: Date, except?: string) =>
  shop.keys.filter((k) => k.kind === 'secret' && k.id !== except && isActive(k, now) && k.scopes.includes('admin'));

export async function listKeys(deps: AccessDeps, shopId: string) {
  const shop = await deps.store.getShop(shopId);
  if (!shop) throw problems.notFound(`No shop ${shopId}.`);
  const now = deps.now();
  // Newest first; long-expired keys stay listed (as inactive) so the history reads whole.
  return [...shop.keys].reverse().map((k) => publicKeyView(k, now));
}

export async function createKey(deps: AccessDeps, shopId: string, actor: AuditActor, input: { name: string; scopes: Scope[] }) {
  const made = await update(deps, shopId, (shop, now) => {
    if (shop.keys.filter((k) => isActive(k, now)).length >= 50) throw conflict('This shop has 50 active keys: revoke some first.');
    const fresh = newApiKey({ name: input.name, kind: 'secret', scopes: input.scopes }, now);
    return { shop: { ...shop, keys: [...shop.keys, fresh.record] }, result: { fresh, shop } };
  });
  await recordAudit(deps.store, made.shop, deps.now(), {
    actor,
    action: 'key.created',
    target: made.fresh.record.id,
    changes: { name: input.name, scopes: input.scopes },
  });
  return { ...publicKeyView(made.fresh.record, deps.now()), key: made.fresh.key };
}

const findKey = (shop: Shop, keyId: string): ApiKeyRecord => {
  const record = shop.keys.find((k) => k.id === keyId);
  if (!record) throw problems.notFound(`No key ${keyId} in this shop.`);
  return record;
};

export async function revokeKey(deps: AccessDeps, shopId: string, actor: AuditActor, keyId: string) {
  const out = await update(deps, shopId, (shop, now) => {
    const record = findKey(shop, keyId);
    if (!isActive(record, now)) return { shop, result: { shop, record, changed: false } };
    if (record.kind === 'publishable') throw conflict('The publishable key cannot be revoked, only rolled (every page carries it).');
    if (record.scopes.includes('admin') && activeAdmins(shop, now, record.id).length === 0) {
      throw conflict('This is the last admin key: create or roll another admin key first, or nobody could manage the shop.');
    }
    const revoked = { ...record, expiresAt: now.toISOString() };
    return { shop: { ...shop, keys: shop.keys.map((k) => (k.id === keyId ? revoked : k)) }, result: { shop, record: revoked, changed: true } };
  });
  if (out.changed) await recordAudit(deps.store, out.shop, deps.now(), { actor, action: 'key.revoked', target: keyId, changes: { name: out.record.name } });
  return publicKeyView(out.record, deps.now());
}

/**
 * A new value for the key, same name and scopes; the old one keeps working for
 * `overlapHours` (0: stops now), then answers 401.
 */
export async function rollKey(deps: AccessDeps, shopId: string, actor: AuditActor, keyId: string, overlapHours: number) {
  const out = await update(deps, shopId, (shop, now) => {
    const record = findKey(shop, keyId);
    if (!isActive(record, now)) throw conflict(`Key ${keyId} no longer works: roll its replacement instead.`);
    if (shop.keys.some((k) => k.replaces === keyId)) throw conflict(`Key ${keyId} was already rolled.`);
    const fresh = newApiKey({ name: record.name, kind: record.kind, scopes: record.scopes as Scope[], replaces: record.id }, now);
    const expiresAt = new Date(now.getTime() + overlapHours * HOUR_MS).toISOString();
    const keys = [...shop.keys.map((k) => (k.id === keyId ? { ...k, expiresAt } : k)), fresh.record];
    const rolled: Shop = { ...shop, keys, ...(record.kind === 'publishable' && { publishableKey: fresh.key }) };
    return { shop: rolled, result: { shop, fresh, expiresAt } };
  });
  await recordAudit(deps.store, out.shop, deps.now(), {
    actor,
    action: 'key.rolled',
    target: keyId,
    changes: { newKeyId: out.fresh.record.id, oldKeyExpiresAt: out.expiresAt },
  });
  return { ...publicKeyView(out.fresh.record, deps.now()), key: out.fresh.key, previous: { id: keyId, expiresAt: out.expiresAt } };
}

export async function listIdentitySecrets(deps: AccessDeps, shopId: string) {
  const shop = await deps.store.getShop(shopId);
  if (!shop) throw problems.notFound(`No shop ${shopId}.`);
  return shop.identitySecrets.map((s) => publicIdentitySecretView(s, deps.now()));
}

/** A new identity secret; those before it verify for `overlapHours` more. Secrets long expired are dropped. */
export async function rollIdentitySecret(deps: AccessDeps, shopId: string, actor: AuditActor, overlapHours: number) {
  const out = await update(deps, shopId, (shop, now) => {
    const fresh = newIdentitySecret(now);
    const expiresAt = new Date(now.getTime() + overlapHours * HOUR_MS).toISOString();
    const older = shop.identitySecrets
      .filter((s) => isActive(s, now))
      .map((s) => ({ ...s, expiresAt: s.expiresAt && s.expiresAt < expiresAt ? s.expiresAt : expiresAt }));
    return { shop: { ...shop, identitySecrets: [fresh.record, ...older] }, result: { shop, fresh, expiresAt } };
  });
  await recordAudit(deps.store, out.shop, deps.now(), {
    actor,
    action: 'identity-secret.rolled',
    target: out.fresh.record.id,
    changes: { previousExpiresAt: out.expiresAt },
  });
  return { ...publicIdentitySecretView(out.fresh.record, deps.now()), identitySecret: out.fresh.secret, previousExpiresAt: out.expiresAt };
}

function originOr400(input: string): string {
  try {
    return normalizeOrigin(input);
  } catch (error) {
    if (error instanceof InvalidOriginError) throw problems.validation([{ pointer: '/origin', detail: error.message }]);
    throw error;
  }
}

export const MAX_ORIGINS = 50;

export async function addOrigin(deps: AccessDeps, shopId: string, actor: AuditActor, input: string) {
  const origin = originOr400(input);
  const out = await update(deps, shopId, (shop) => {
    if (shop.origins.includes(origin)) return { shop, result: { shop, changed: false } };
    if (shop.origins.length >= MAX_ORIGINS) throw conflict(`A shop registers at most ${MAX_ORIGINS} origins.`);
    return { shop: { ...shop, origins: [...shop.origins, origin] }, result: { shop, changed: true } };
  });
  if (out.changed) await recordAudit(deps.store, out.shop, deps.now(), { actor, action: 'origin.added', target: origin });
  return { origin, added: out.changed };
}

export async function removeOrigin(deps: AccessDeps, shopId: string, actor: AuditActor, input: string) {
  const origin = originOr400(input);
  const out = await update(deps, shopId, (shop) => {
    if (!shop.origins.includes(origin)) throw problems.notFound(`${origin} is not registered for this shop.`);
    return { shop: { ...shop, origins: shop.origins.filter((o) => o !== origin) }, result: { shop } };
  });
  await recordAudit(deps.store, out.shop, deps.now(), { actor, action: 'origin.removed', target: origin });
}

export async function setAuditRetention(deps: AccessDeps, shopId: string, actor: AuditActor, days: number) {
  const out = await update(deps, shopId, (shop) => ({ shop: { ...shop, auditRetentionDays: days }, result: { shop } }));
  await recordAudit(deps.store, { ...out.shop, auditRetentionDays: days }, deps.now(), { actor, action: 'audit.retention-set', changes: { days } });
  return { retentionDays: days };
}
