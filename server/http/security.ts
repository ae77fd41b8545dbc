// Security headers (helmet). Pages set their own Content-Security-Policy where they are
// served (demo storefront, trophy pages, …: each knows what it loads); API answers are
// data, so they get the strictest one. Public assets (loader, widget chunks, trophy
// images and credentials) are meant to be embedded by other sites: the assets router and
// this middleware mark them Cross-Origin-Resource-Policy: cross-origin.
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** For JSON and problem+json: nothing to load, nothing may frame it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * What helmet sets, worked out once: with fixed options its headers never depend on the
 * request, so its fourteen middlewares need not run on every request (a few µs each time,
 * ~1 % of single-event ingest CPU). Helmet stays the source of the values.
 */
const HELMET: ReadonlyArray<readonly [string, string | undefined]> = (() => {
  const steps: [string, string | undefined][] = [];
  const recorder = {
    setHeader: (name: string, value: unknown) => void steps.push([name, String(value)]),
    removeHeader: (name: string) => void steps.push([name, undefined]),
  };
  let done = false;
  helmet({
    contentSecurityPolicy: false,
    // Helmet's default; loader, chunks and /t/ resources are switched to cross-origin below or by their router.
    crossOriginResourcePolicy: { policy: 'same-origin' },
    // The demo storefront opens share links and trophy pages in new tabs: no opener is needed.
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  })({} as never, recorder as never, (error?: unknown) => {
    if (error) throw error;
    done = true;
  });
  // Helmet runs its middlewares synchronously; were that to change, headers would be missing here.
  if (!done) throw new Error('helmet did not finish synchronously');
  return steps;
})();

const PUBLIC_CROSS_ORIGIN = /^\/(t\/|kudos\.js$|widgets\/)/;

export const securityHeaders: RequestHandler = (req, res, next) => {
  for (const [name, value] of HELMET) {
    if (value === undefined) res.removeHeader(name);
    else res.setHeader(name, value);
  }
  const path = req.path;
  if (PUBLIC_CROSS_ORIGIN.test(path)) res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  if (path.startsWith('/v1/') || path === '/healthz' || path === '/openapi.json') res.setHeader('Content-Security-Policy', API_CSP);
  next();
};
