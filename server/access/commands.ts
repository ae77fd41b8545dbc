// What the CLI asks (`kudos keys …`, `kudos shop origins …`, `kudos identity roll`):
// one shape whether it runs the change itself or, while a server owns the data
// file, asks that server (POST /internal/access with the local admin token).
import { z } from 'zod';
import { CLI_ACTOR } from './audit.js';
import { Scope } from './scopes.js';
import { addOrigin, createKey, listKeys, MAX_OVERLAP_HOURS, removeOrigin, revokeKey, rollIdentitySecret, rollKey, type AccessDeps } from './service.js';
import { problems } from '../http/problem.js';

const shopId = z.string().regex(/^shop_[A-Za-z0-9_-]{1,64}$/, 'a shop id looks like shop_…');
const overlapHours = z.number().min(0).max(MAX_OVERLAP_HOURS);

export const AccessCommand = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('keys.create'), shopId, name: z.string().trim().min(1).max(80), scopes: z.array(Scope).min(1).max(5) }),
  z.strictObject({ op: z.literal('keys.list'), shopId }),
  z.strictObject({ op: z.literal('keys.revoke'), shopId, keyId: z.string().min(1).max(60) }),
  z.strictObject({ op: z.literal('keys.roll'), shopId, keyId: z.string().min(1).max(60), overlapHours }),
  z.strictObject({ op: z.literal('identity.roll'), shopId, overlapHours }),
  z.strictObject({ op: z.literal('origins.list'), shopId }),
  z.strictObject({ op: z.literal('origins.add'), shopId, origin: z.string().min(1).max(300) }),
  z.strictObject({ op: z.literal('origins.remove'), shopId, origin: z.string().min(1).max(300) }),
]);
export type AccessCommand = z.infer<typeof AccessCommand>;

export async function runAccessCommand(deps: AccessDeps, command: AccessCommand): Promise<unknown> {
  switch (command.op) {
    case 'keys.create':
      return createKey(deps, command.shopId, CLI_ACTOR, { name: command.name, scopes: command.scopes });
    case 'keys.list':
      return listKeys(deps, command.shopId);
    case 'keys.revoke':
      return revokeKey(deps, command.shopId, CLI_ACTOR, command.keyId);
    case 'keys.roll':
      return rollKey(deps, command.shopId, CLI_ACTOR, command.keyId, command.overlapHours);
    case 'identity.roll':
      return rollIdentitySecret(deps, command.shopId, CLI_ACTOR, command.overlapHours);
    case 'origins.list':
      return originsOf(deps, command.shopId);
    // The CLI prints the origins a change leaves, so an operator sees the whole list at once.
    case 'origins.add':
      await addOrigin(deps, command.shopId, CLI_ACTOR, command.origin);
      return originsOf(deps, command.shopId);
    case 'origins.remove':
      await removeOrigin(deps, command.shopId, CLI_ACTOR, command.origin);
      return originsOf(deps, command.shopId);
  }
}

async function originsOf(deps: AccessDeps, shopId: string): Promise<{ origins: string[] }> {
  const shop = await deps.store.getShop(shopId);
  if (!shop) throw problems.notFound(`No shop ${shopId}.`);
  return { origins: [...shop.origins] };
}
