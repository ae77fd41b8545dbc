// The audit entries of ordinary routes, from the route table: a secret key's
// successful configuration change, manual award or revocation, export or
// erasure. Written once the answer is sent, so it never fails the request; a
// write that fails is logged.
import type { Request, RequestHandler } from 'express';
import type { Store } from '../store/store.js';
import { callerOf } from '../http/auth.js';
import { boundedChanges, customerRef, recordAudit } from './audit.js';
import { routeScopeOf } from './route-scopes.js';

const paramsOf = (pattern: string, path: string): Record<string, string> => {
  const names = pattern.split('/');
  const values = path.split('/');
  const out: Record<string, string> = {};
  names.forEach((name, i) => {
    if (name.startsWith(':') && values[i] !== undefined) out[name.slice(1)] = decodeURIComponent(values[i]!);
  });
  return out;
};

export function auditTrail(store: Store, now: () => Date, log: (message: string, error: unknown) => void): RequestHandler {
  return (req: Request, res, next) => {
    const route = routeScopeOf(req.method, req.path);
    if (!route?.audit) return next();
    const path = req.path;
    res.once('finish', () => {
      const caller = callerOf(res);
      if (res.statusCode >= 300 || !caller || caller.role !== 'secret') return;
      const { customerId, ...params } = paramsOf(route.path, path);
      const bodyCustomer = typeof req.body?.customerId === 'string' ? (req.body.customerId as string) : undefined;
      const who = customerId ?? bodyCustomer;
      const target = Object.values(params).join('/') || undefined;
      recordAudit(store, caller.shop, now(), {
        actor: { keyId: caller.key.id, keyName: caller.key.name },
        action: `${route.method} ${route.path}`,
        ...(target && { target }),
        ...(who && { customer: customerRef(caller.shop, who) }),
        ...(route.audit === 'config' && req.body !== undefined && { changes: boundedChanges(req.body) }),
      }).catch((error) => log('audit entry not written', error));
    });
    next();
  };
}
