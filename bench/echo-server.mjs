// The yardstick for ingest figures: a server that answers a small JSON POST and
// does nothing else, in its own process, so a ratio to it says how much of
// Kudos' per-request cost is ours rather than the framework's or the machine's.
//   node bench/echo-server.mjs express|http   → prints "listening at http://127.0.0.1:PORT"
import express from 'express';
import { createServer } from 'node:http';

const kind = process.argv[2] ?? 'express';
let server;
if (kind === 'express') {
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.post('/v1/events', (req, res) => res.json({ results: [{ id: req.body?.id ?? null, status: 'accepted', awards: [] }] }));
  server = app.listen(0, '127.0.0.1');
} else {
  server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ results: [{ id: body.id ?? null, status: 'accepted', awards: [] }] }));
    });
  }).listen(0, '127.0.0.1');
}
server.on('listening', () => console.log(`listening at http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
