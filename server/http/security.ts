// Security headers (helmet). Pages set their own Content-Security-Policy where they are
// served (demo storefront, trophy pages, …: each knows what it loads); API answers are
// data, so they get the strictest one. Public assets (loader, widget chunks, trophy
// images and credentials) are meant to be embedded by other sites: the assets router and
// this middleware mark them Cross-Origin-Resource-Policy: cross-origin.
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** For JSON and problem+json: nothing to load, nothing may frame it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

const headers = helmet({
  contentSecurityPolicy: false,
  // Helmet's default; loader, chunks and /t/ resources are switched to cross-origin below or by their router.
  crossOriginResourcePolicy: { policy: 'same-origin' },
  // The demo storefront opens share links and trophy pages in new tabs: no opener is needed.
  crossOriginOpenerPolicy: { policy: 'same-origin' },
  referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
});

const PUBLIC_CROSS_ORIGIN = /^\/(t\/|kudos\.js$|widgets\/)/;

export const securityHeaders: RequestHandler = (req, res, next) =>
  headers(req, res, (error?: unknown) => {
    if (error) return next(error);
    if (PUBLIC_CROSS_ORIGIN.test(req.path)) res.set('Cross-Origin-Resource-Policy', 'cross-origin');
    if (req.path.startsWith('/v1/') || req.path === '/healthz' || req.path === '/openapi.json') res.set('Content-Security-Policy', API_CSP);
    next();
  });
