// Serves the brotli and gzip copies the build writes beside each browser asset
// (rollup.config.mjs `precompress`): compressing at the highest levels once, at
// build time, costs nothing per request, and the wire then carries what
// bench/bundle-size.mjs counts rather than 2.3× that.
import type { Request, RequestHandler, Response } from 'express';
import { existsSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';

const SUFFIX = { br: '.br', gzip: '.gz' } as const;

/**
 * The copy of `file` this request accepts (with Content-Encoding and the original
 * file's Content-Type set), or `file` itself. Always varies on Accept-Encoding, so a
 * shared cache never hands brotli to a client that did not ask for it.
 */
export function chooseEncoding(req: Request, res: Response, file: string): string {
  res.vary('Accept-Encoding');
  // Brotli whenever accepted: browsers list it last ("gzip, deflate, br") though it is smaller.
  const encoding = req.acceptsEncodings('br') ? 'br' : req.acceptsEncodings('gzip') ? 'gzip' : undefined;
  if (!encoding) return file;
  const copy = file + SUFFIX[encoding];
  if (!existsSync(copy)) return file;
  res.type(extname(file));
  res.set('Content-Encoding', encoding);
  return copy;
}

/**
 * For express.static over `dir`: points the request at the compressed copy when
 * the client accepts one. Paths that leave `dir` are left to express.static, which refuses them.
 */
export function precompressed(dir: string): RequestHandler {
  const root = resolve(dir);
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    const file = resolve(join(root, path));
    if (!file.startsWith(root + sep)) return next();
    const chosen = chooseEncoding(req, res, file);
    if (chosen !== file) req.url = req.url.replace(req.path, req.path + chosen.slice(file.length));
    next();
  };
}
