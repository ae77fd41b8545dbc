// Every response names its request, so a shop developer can quote one id and we
// can find the matching log line. A caller's own id (e.g. from a proxy) is kept
// when it is safe to echo into headers and logs; anything else is replaced.
import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export const requestIdOf = (res: Response): string | undefined => res.locals.requestId as string | undefined;

export const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.get('x-request-id');
  const id = incoming !== undefined && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = id;
  res.setHeader('X-Request-Id', id);
  next();
};
