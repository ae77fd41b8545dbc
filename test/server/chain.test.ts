// server/http/chain.ts: middleware run as one router layer keep a router layer's contract.
import express, { type RequestHandler } from 'express';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { chain } from '../../server/http/chain.js';

const servers: import('node:http').Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

/** An app with `middleware` then a route that answers what ran, and an error handler that names the error. */
async function serve(middleware: RequestHandler): Promise<string> {
  const app = express();
  app.use(middleware);
  app.get('/', (_req, res) => res.json({ ran: res.locals.ran }));
  app.use(((error, _req, res, _next) => res.status(500).json({ error: String(error?.message ?? error), ran: res.locals.ran })) as express.ErrorRequestHandler);
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

const mark =
  (name: string, then: (next: (error?: unknown) => void) => unknown = (next) => next()): RequestHandler =>
  (_req, res, next) => {
    res.locals.ran = [...(res.locals.ran ?? []), name];
    return then(next);
  };

describe('chain', () => {
  it('runs each middleware in order, then the routes after it', async () => {
    const url = await serve(chain(mark('a'), mark('b', (next) => setTimeout(next, 1)), mark('c')));
    expect(await (await fetch(url)).json()).toEqual({ ran: ['a', 'b', 'c'] });
    // Outside a route, next('route') skips nothing: as when each was a layer of its own.
    const route = await serve(chain(mark('a', (next) => next('route')), mark('b')));
    expect(await (await fetch(route)).json()).toEqual({ ran: ['a', 'b'] });
  });

  it('a throw, a rejected promise or next(error) skips the rest and reaches the error handler', async () => {
    const thrown = await serve(chain(mark('a'), mark('b', () => { throw new Error('thrown'); }), mark('c')));
    expect(await (await fetch(thrown)).json()).toEqual({ error: 'thrown', ran: ['a', 'b'] });
    const rejected = await serve(chain(mark('a', async () => { throw new Error('rejected'); }), mark('b')));
    expect(await (await fetch(rejected)).json()).toEqual({ error: 'rejected', ran: ['a'] });
    const passed = await serve(chain(mark('a', (next) => next(new Error('passed'))), mark('b')));
    expect(await (await fetch(passed)).json()).toEqual({ error: 'passed', ran: ['a'] });
  });

  it('a middleware that answers ends the request there', async () => {
    const url = await serve(chain(mark('a'), ((_req, res) => void res.status(204).end()) as RequestHandler, mark('c')));
    const res = await fetch(url);
    expect(res.status).toBe(204);
  });
});
