// Middleware that every request of a path runs, one after another, as one router layer.
// Express's router matches, traces and dispatches each layer it holds on its own; the API's
// ~15 path-less middlewares (request id, headers, log, CORS, limits, key, scopes, body,
// audit) cost about 1 µs apiece that way on every request (issue 20, bench/floor.mjs --pipeline).
import type { NextFunction, RequestHandler } from 'express';

/**
 * `handlers` as one: each runs when the one before calls `next()`. As they did as layers of a
 * router: a handler's throw or rejected promise becomes `next(error)`; `next(error)` (and
 * `next('router')`) skips the rest and goes on to the router with it; `next('route')`, which
 * skips nothing outside a route, goes on to the next handler.
 */
export function chain(...handlers: RequestHandler[]): RequestHandler {
  return (req, res, done) => {
    let at = 0;
    const next: NextFunction = (error?: unknown) => {
      if (error && error !== 'route') return done(error);
      const handler = handlers[at++];
      if (!handler) return done();
      try {
        const result: unknown = handler(req, res, next);
        if (result instanceof Promise) result.catch((failure: unknown) => done(failure || new Error('Rejected promise')));
      } catch (failure) {
        done(failure);
      }
    };
    next();
  };
}
