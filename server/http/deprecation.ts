// A route renamed in 0.x keeps its old path for one version (issue 14): the same
// handler, plus RFC 9745 `Deprecation` (when it was deprecated) and an RFC 8288
// `Link: <new path>; rel="successor-version"`, so a client's logs say where to go.
import type { RequestHandler } from 'express';

/** 2026-12-04T00:00:00Z, in Unix seconds: when issue 14's renames were deprecated. */
export const RENAMED_IN_ISSUE_14_AT = 1796342400;

/**
 * Middleware for a route served at `from…` that moved to `to…` (both relative to the
 * router, e.g. '/claims' → '/order-claims'): names the same request's new path.
 */
export function deprecatedAlias(from: string, to: string, since = RENAMED_IN_ISSUE_14_AT): RequestHandler {
  return (req, res, next) => {
    res.setHeader('Deprecation', `@${since}`);
    res.setHeader('Link', `<${req.baseUrl}${to}${req.path.slice(from.length)}>; rel="successor-version"`);
    next();
  };
}
