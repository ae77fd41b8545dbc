// web-test-runner plugin: runs the real Kudos server (lowdb file in a temp dir, port 0)
// for the browser tests and gives them server commands (executeServerCommand from
// @web/test-runner-commands). Secret keys stay in Node: the browser only ever gets
// publishable keys and identity hashes computed here.
//
// Commands (payload → result):
//   kudos-shop      {badges?: [{id, name, description?, icon?, criteria}], customerId?: string|null, unregistered?: boolean}
//                   → {api, shopId, publishableKey, customerId?, customerHash?}
//                   A fresh shop with the test page origins registered (none with unregistered: true);
//                   customerId null = anonymous.
//   kudos-identity  {publishableKey, customerId} → {customerId, customerHash}
//   kudos-badge     {publishableKey, badge: {id, name, description?, icon?, criteria}} → definition
//   kudos-trophy    {publishableKey, trophy: {id, name, description, image?, criteriaNarrative, levels}} → definition
//   kudos-trophy-award {publishableKey, trophyId, customerId, level?, reason?} → {awardId, url, credentialUrl, …}
//   kudos-purchase  {publishableKey, customerId, total, currency?, orderId?} → {id, status, awards}
//   kudos-mailer    {publishableKey}  the shop subscribes a (never delivered) webhook to email.verification_requested
//   kudos-mailbox   {publishableKey} → [{claimId, email, code, customerId, expiresAt}]  what that webhook would carry
//   kudos-group-code {publishableKey, group, customerId, discountCode, percentOff} → member  (the shop's backend supplies a code)
//   kudos-program   {publishableKey, program} → program   (PUT /v1/program with the secret key)
//   kudos-reward    {publishableKey, reward: {id, name, cost, discount, …}} → reward
//   kudos-gift      {publishableKey, id, gift: {name, gift, rule, budget?}} → gift   (micro-gift, PUT /v1/gifts/:id, sk)
//   kudos-claim     {publishableKey, orderId, total} → {token, expiresAt}   (a guest order's claim link)
//   kudos-campaign  {publishableKey, id, campaign} → campaign   (share-to-save, PUT /v1/campaigns/:id)
//   kudos-product   {publishableKey, id, product} → product   (buy button / drop, PUT /v1/products/:id, sk)
//   kudos-survey    {publishableKey, survey: {id, question, …}} → survey definition (PUT /v1/surveys/:id, sk)
//   kudos-survey-summary {publishableKey, surveyId} → GET /v1/surveys/:id/summary (sk)
//   kudos-hanging-api  → {api}  a TCP server that accepts connections and never answers (loading forever)
//   kudos-dead-api     → {api}  a port nothing listens on (network error)
//   kudos-gate      {action: 'create', up?: boolean, record?: boolean} → {gate, api}
//                   {action: 'up' | 'down' | 'hang', gate} → {gate, up}
//                   A TCP pass-through to the real API that can be switched off (connections reset,
//                   a real network error) and on again: for retry/recovery tests. 'hang' holds new
//                   connections open without an answer (a server that never answers) until the next
//                   'up'/'down' resets them. record: through the recording pass-through (kudos-requests).
//   kudos-fixture   → {api, key, customerId, customerHash, awardEvent}
//                   A fresh shop (as kudos-shop) whose badge is earned the first time the shopper
//                   sends the browser-safe event `awardEvent`.
//   kudos-requests  {key} → [{method, path, headers, body}]  Requests the API received with that key,
//                   in order (headers: authorization, content-type and x-kudos-*; body parsed JSON).
//   kudos-fail-next {key, status, times?, retryAfter?} → true  The next `times` (default 1) requests with
//                   that key get `status` and a problem+json body (CORS headers included, so the page can
//                   read it), with `Retry-After: <retryAfter>` when given.
//
// `api` in every answer is a recording pass-through in front of the real server (it forwards
// every byte; it only records, and answers itself when kudos-fail-next asked it to).
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const hash = (secretKey, customerId) => createHmac('sha256', secretKey).update(customerId).digest('hex');

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

/** @param {{serverModule?: string}} [options] */
/** The server's own openText (dist/server/access/seal.js), set at serverStart. */
let openText = (value) => value;

export function kudosServerPlugin({ serverModule = 'dist/server/server.js' } = {}) {
  /** @type {{url: string, close(): Promise<void>, createShop(o: {name: string, origins: string[]}): Promise<{shopId: string, publishableKey: string, secretKey: string}>} | undefined} */
  let kudos;
  let apiUrl = '';
  let apiPort = 0;
  let tmpDir;
  let startError;
  let origins = [];
  /** publishableKey → {shopId, secretKey} */
  const shops = new Map();
  const helperServers = new Set();
  const sockets = new Set();
  const gates = new Map();
  /** key → recorded requests / pending injected failures */
  const recorded = new Map();
  const failures = new Map();
  let directUrl = '';

  const keyOf = (req) => /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];

  /** The recording pass-through the browser talks to. */
  async function handle(req, res) {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const key = keyOf(req);
    if (key && req.method !== 'OPTIONS') {
      let parsed;
      try {
        parsed = body.length ? JSON.parse(body.toString('utf8')) : undefined;
      } catch {
        parsed = body.toString('utf8');
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([name]) => name === 'authorization' || name === 'content-type' || name.startsWith('x-kudos-')),
      );
      const list = recorded.get(key) ?? [];
      list.push({ method: req.method, path: new URL(req.url, 'http://x').pathname, headers, body: parsed, at: Date.now() });
      recorded.set(key, list);
      const failure = failures.get(key);
      if (failure && failure.times > 0) {
        failure.times--;
        const origin = req.headers.origin;
        res.writeHead(failure.status, {
          'Content-Type': 'application/problem+json',
          ...(origin ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {}),
          ...(failure.retryAfter !== undefined
            ? { 'Retry-After': String(failure.retryAfter), 'Access-Control-Expose-Headers': 'Retry-After' }
            : {}),
        });
        res.end(
          JSON.stringify({
            type: 'about:blank',
            title: http.STATUS_CODES[failure.status] ?? 'Injected failure',
            status: failure.status,
            detail: 'Failure injected by the kudos-fail-next test command.',
          }),
        );
        return;
      }
    }
    const upstream = http.request(
      { host: '127.0.0.1', port: apiPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  }

  function api() {
    if (!kudos) {
      throw new Error(
        `kudos-server plugin: the Kudos server is not running (${startError?.message ?? 'not started'}). ` +
          `Build it with "npm run build:server" so ${serverModule} exists.`,
      );
    }
    return kudos;
  }

  function shopFor(publishableKey) {
    const shop = shops.get(publishableKey);
    if (!shop) throw new Error(`kudos-server plugin: unknown publishable key ${publishableKey}; create it with kudos-shop`);
    return shop;
  }

  async function secretCall(publishableKey, method, urlPath, body) {
    const { secretKey } = shopFor(publishableKey);
    const res = await fetch(directUrl + urlPath, {
      method,
      headers: { Authorization: `Bearer ${secretKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${urlPath} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  }

  function track(server) {
    helperServers.add(server);
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    });
    return server;
  }

  async function createGate(up, record) {
    const gate = { id: randomUUID(), up: Boolean(up), conns: new Set(), held: new Set(), hang: false };
    const server = track(
      net.createServer((client) => {
        if (gate.hang) return void gate.held.add(client);
        if (!gate.up) return client.destroy();
        const upstream = net.connect(record ? Number(new URL(apiUrl).port) : apiPort, '127.0.0.1');
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        client.on('close', () => gate.conns.delete(client));
        gate.conns.add(client);
        client.pipe(upstream).pipe(client);
      }),
    );
    const port = await listen(server);
    gate.api = `http://127.0.0.1:${port}`;
    gates.set(gate.id, gate);
    return gate;
  }

  const commands = {
    async 'kudos-fixture'() {
      const shop = await commands['kudos-shop']({
        badges: [{ id: 'spread-the-word', name: 'Spread the word', icon: '📣', criteria: { event: 'share', count: 1 } }],
      });
      return {
        api: shop.api,
        key: shop.publishableKey,
        customerId: shop.customerId,
        customerHash: shop.customerHash,
        awardEvent: 'share',
      };
    },
    async 'kudos-requests'({ key }) {
      return recorded.get(key) ?? [];
    },
    async 'kudos-fail-next'({ key, status = 503, times = 1, retryAfter }) {
      if (!Number.isInteger(status) || status < 400 || status > 599) throw new Error('kudos-fail-next: status must be 4xx or 5xx');
      failures.set(key, { status, times, retryAfter });
      return true;
    },
    async 'kudos-shop'({ badges = [], customerId, unregistered = false } = {}) {
      const shop = await api().createShop({ name: `wtr ${randomUUID().slice(0, 8)}`, origins: unregistered ? [] : origins });
      shops.set(shop.publishableKey, { shopId: shop.shopId, secretKey: shop.secretKey });
      for (const { id, ...badge } of badges) {
        await secretCall(shop.publishableKey, 'PUT', `/v1/badges/${encodeURIComponent(id)}`, badge);
      }
      const who = customerId === null ? undefined : (customerId ?? `c_${randomUUID().slice(0, 12)}`);
      return {
        api: apiUrl,
        shopId: shop.shopId,
        publishableKey: shop.publishableKey,
        ...(who ? { customerId: who, customerHash: hash(shop.secretKey, who) } : {}),
      };
    },
    async 'kudos-identity'({ publishableKey, customerId }) {
      return { customerId, customerHash: hash(shopFor(publishableKey).secretKey, customerId) };
    },
    async 'kudos-trophy'({ publishableKey, trophy: { id, ...trophy } }) {
      return secretCall(publishableKey, 'PUT', `/v1/trophies/${encodeURIComponent(id)}`, trophy);
    },
    async 'kudos-trophy-award'({ publishableKey, trophyId, customerId, level, reason = 'Helped other shoppers' }) {
      return secretCall(publishableKey, 'POST', `/v1/trophies/${encodeURIComponent(trophyId)}/awards`, { customerId, level, reason });
    },
    async 'kudos-survey'({ publishableKey, survey: { id, ...survey } }) {
      return secretCall(publishableKey, 'PUT', `/v1/surveys/${encodeURIComponent(id)}`, survey);
    },
    async 'kudos-survey-summary'({ publishableKey, surveyId }) {
      const { secretKey } = shopFor(publishableKey);
      const res = await fetch(`${directUrl}/v1/surveys/${encodeURIComponent(surveyId)}/summary`, {
        headers: { Authorization: `Bearer ${secretKey}` },
      });
      if (!res.ok) throw new Error(`summary answered ${res.status}: ${await res.text()}`);
      return res.json();
    },
    async 'kudos-campaign'({ publishableKey, id, campaign }) {
      return secretCall(publishableKey, 'PUT', `/v1/campaigns/${encodeURIComponent(id)}`, campaign);
    },
    async 'kudos-product'({ publishableKey, id, product }) {
      return secretCall(publishableKey, 'PUT', `/v1/products/${encodeURIComponent(id)}`, product);
    },
    async 'kudos-group-code'({ publishableKey, group, customerId, discountCode, percentOff }) {
      return secretCall(publishableKey, 'PUT', `/v1/groups/${group}/members/${encodeURIComponent(customerId)}/discount-code`, { discountCode, percentOff });
    },
    async 'kudos-mailer'({ publishableKey }) {
      // A shop backend that sends verification emails (the webhook is never delivered here: tests read the outbox).
      return secretCall(publishableKey, 'PUT', '/v1/webhooks/mailer', { url: 'https://mailer.shop.example/kudos', events: ['email.verification_requested'] });
    },
    async 'kudos-mailbox'({ publishableKey }) {
      const deliveries = await api().store.listDocuments(shopFor(publishableKey).shopId, 'webhook-deliveries');
      return deliveries.map((d) => JSON.parse(openText(d.body))).filter((b) => b.type === 'email.verification_requested').map((b) => b.data);
    },
    async 'kudos-program'({ publishableKey, program }) {
      return secretCall(publishableKey, 'PUT', '/v1/program', program);
    },
    async 'kudos-claim'({ publishableKey, orderId, total }) {
      return secretCall(publishableKey, 'POST', '/v1/order-claims', {
        event: { id: `purchase:${orderId}`, type: 'purchase', properties: { orderId, total, currency: 'EUR' } },
      });
    },
    async 'kudos-gift'({ publishableKey, id, gift }) {
      return secretCall(publishableKey, 'PUT', `/v1/gifts/${encodeURIComponent(id)}`, gift);
    },
    async 'kudos-reward'({ publishableKey, reward: { id, ...reward } }) {
      return secretCall(publishableKey, 'PUT', `/v1/rewards/${encodeURIComponent(id)}`, reward);
    },
    async 'kudos-badge'({ publishableKey, badge: { id, ...badge } }) {
      return secretCall(publishableKey, 'PUT', `/v1/badges/${encodeURIComponent(id)}`, badge);
    },
    async 'kudos-purchase'({ publishableKey, customerId, total, currency = 'EUR', orderId, properties = {} }) {
      const order = orderId ?? `o_${randomUUID().slice(0, 12)}`;
      const answer = await secretCall(publishableKey, 'POST', '/v1/events', {
        id: `purchase-${order}`,
        type: 'purchase',
        customerId,
        properties: { ...properties, orderId: order, total, currency },
      });
      return answer.results[0];
    },
    async 'kudos-hanging-api'() {
      const server = track(net.createServer(() => {}));
      return { api: `http://127.0.0.1:${await listen(server)}` };
    },
    async 'kudos-dead-api'() {
      const server = net.createServer();
      const port = await listen(server);
      await new Promise((resolve) => server.close(resolve));
      return { api: `http://127.0.0.1:${port}` };
    },
    async 'kudos-gate'({ action, gate: id, up, record }) {
      api();
      if (action === 'create') {
        const gate = await createGate(up, record);
        return { gate: gate.id, api: gate.api, up: gate.up };
      }
      const gate = gates.get(id);
      if (!gate) throw new Error(`kudos-server plugin: unknown gate ${id}`);
      if (action !== 'up' && action !== 'down' && action !== 'hang') throw new Error(`kudos-gate: action must be create, up, down or hang`);
      gate.hang = action === 'hang';
      for (const c of gate.held) c.destroy();
      gate.held.clear();
      if (gate.hang) return { gate: gate.id, up: gate.up };
      gate.up = action === 'up';
      if (!gate.up) for (const c of gate.conns) c.destroy();
      return { gate: gate.id, up: gate.up };
    },
  };

  return {
    name: 'kudos-server',

    async serverStart({ config, logger }) {
      const hosts = new Set(['localhost', '127.0.0.1', config.hostname].filter(Boolean));
      origins = [...hosts].map((h) => `http://${h}:${config.port}`);
      const file = path.resolve(serverModule);
      try {
        if (!existsSync(file)) throw new Error(`${serverModule} does not exist`);
        const { startServer } = await import(pathToFileURL(file).href);
        // Delivery bodies are sealed at rest: the mailbox opens them with the server's own sealer.
        ({ openText } = await import(pathToFileURL(path.join(path.dirname(file), 'access', 'seal.js')).href));
        tmpDir = await mkdtemp(path.join(os.tmpdir(), 'kudos-wtr-'));
        kudos = await startServer({
          port: 0,
          host: '127.0.0.1',
          dataFile: path.join(tmpDir, 'kudos.json'),
          seedDemo: false,
          accessLog: false,
        });
        directUrl = kudos.url.replace(/\/+$/, '');
        apiPort = Number(new URL(directUrl).port);
        const proxy = track(http.createServer((req, res) => void handle(req, res).catch(() => res.destroy())));
        apiUrl = `http://127.0.0.1:${await listen(proxy)}`;
      } catch (error) {
        // Tests that need the server fail with this message; the others still run.
        startError = error;
        logger.error(
          `kudos-server plugin: could not start the Kudos server from ${serverModule}: ${error.message}. ` +
            `Run "npm run build:server" first.`,
        );
      }
    },

    async serverStop() {
      for (const s of sockets) s.destroy();
      await Promise.all([...helperServers].map((s) => new Promise((resolve) => s.close(() => resolve()))));
      await kudos?.close();
      kudos = undefined;
      if (tmpDir) await rm(tmpDir, { recursive: true, force: true });
    },

    async executeCommand({ command, payload }) {
      const run = commands[command];
      if (!run) return undefined; // not ours: let other plugins answer
      return (await run(payload ?? {})) ?? true;
    },
  };
}
