// The loader and widget chunks. They are public code loaded cross-origin
// (module chunks are fetched in CORS mode), so any origin may read them.
import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chooseEncoding, precompressed } from './precompressed.js';

export function assetsRouter(publicDir: string): Router {
  const router = Router();
  const missing = () => !existsSync(join(publicDir, 'kudos.js'));
  router.use(['/kudos.js', '/widgets'], (_req, res, next) => {
    if (missing()) {
      res.status(503).type('text/plain').send('Bundles are not built yet: run "npm run build".');
      return;
    }
    res.set('Access-Control-Allow-Origin', '*');
    res.set('Cross-Origin-Resource-Policy', 'cross-origin');
    next();
  });
  router.get('/kudos.js', (req, res) => {
    // Short cache: the loader's URL never changes, so shops get fixes within minutes.
    res.set('Cache-Control', 'public, max-age=300');
    res.sendFile(chooseEncoding(req, res, join(publicDir, 'kudos.js')));
  });
  router.use('/widgets', precompressed(join(publicDir, 'widgets')));
  router.use(
    '/widgets/chunks',
    express.static(join(publicDir, 'widgets', 'chunks'), { immutable: true, maxAge: '365d', fallthrough: false }),
  );
  router.use('/widgets', express.static(join(publicDir, 'widgets'), { maxAge: '5m', fallthrough: false }));
  return router;
}
