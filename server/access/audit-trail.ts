// The audit entries of ordinary routes, from the route table: a secret key's
// successful configuration change, manual award or revocation, export or
// erasure. Written BEFORE the answer leaves: the handler's res.end is held
// until the entry is stored, so a caller never sees a success the audit log
// lacks (a crash or a failed write after the answer would lose it silently).
// When the entry cannot be stored the answer becomes a 500 problem saying so:
// the change itself was made, and the log names the request.
import type { Request, RequestHandler, Response } from 'express';
import type { Store } from '../store/store.js';
import { callerOf } from '../http/auth.js';
import { DomainError, sendProblem } from '../http/problem.js';
import { requestIdOf } from '../http/request-id.js';
import { boundedChanges, customerRef, recordAudit } from './audit.js';
import type { RouteScope, RouteScopeTable } from './route-scopes.js';

const paramsOf = (pattern: string, path: string): Record<string, string> => {
  const names = pattern.split('/');
  const values = path.split('/');
  const out: Record<string, string> = {};
  names.forEach((name, i) => {
    if (name.startsWith(':') && values[i] !== undefined) out[name.slice(1)] = decodeURIComponent(values[i]!);
  });
  return out;
};

const BODY_HEADERS = ['content-type', 'content-length', 'content-disposition', 'etag', 'last-modified', 'location'];

export const auditNotRecorded = () =>
  new DomainError(
    'audit-not-recorded',
    'The change was made, but its audit entry could not be stored, so it is not reported as a success. Check its result before repeating it.',
  );

function entryOf(req: Request, res: Response, route: RouteScope, path: string) {
  const caller = callerOf(res);
  const { customerId, ...params } = paramsOf(route.path, path);
  const bodyCustomer = typeof req.body?.customerId === 'string' ? (req.body.customerId as string) : undefined;
  const who = customerId ?? bodyCustomer;
  const target = Object.values(params).join('/') || undefined;
  return {
    shop: caller.shop,
    entry: {
      actor: { keyId: caller.key.id, keyName: caller.key.name },
      action: `${route.method} ${route.path}`,
      ...(target && { target }),
      ...(who && { customer: customerRef(caller.shop, who) }),
      ...(route.audit === 'config' && req.body !== undefined && { changes: boundedChanges(req.body) }),
    },
  };
}

export function auditTrail(store: Store, now: () => Date, log: (message: string, error: unknown) => void, scopes: RouteScopeTable): RequestHandler {
  return (req: Request, res, next) => {
    const route = scopes.of(req.method, req.path);
    if (!route?.audit) return next();
    const path = req.path;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    let held = false;
    res.end = ((...args: unknown[]) => {
      const caller = callerOf(res);
      if (held || res.statusCode >= 300 || !caller || caller.role !== 'secret') return end(...args);
      held = true;
      const { shop, entry } = entryOf(req, res, route, path);
      recordAudit(store, shop, now(), entry).then(
        () => end(...args),
        (error) => {
          log(`audit entry not written (request ${requestIdOf(res) ?? '-'}) ${req.method} ${req.path}`, error);
          res.end = end as Response['end'];
          // The success body's own headers go; security, CORS and request-id headers stay.
          for (const name of BODY_HEADERS) res.removeHeader(name);
          sendProblem(res, auditNotRecorded());
        },
      );
      return res;
    }) as Response['end'];
    next();
  };
}
