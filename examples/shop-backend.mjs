// What a shop's backend does with Kudos, in plain Node (≥ 18):
//  1. render the signed identity of the signed-in shopper into the script tag;
//  2. after checkout, send the purchase with a secret API key (idempotent by id).
//
//   KUDOS_API=http://localhost:8787 KUDOS_API_KEY=sk_… KUDOS_IDENTITY_SECRET=… node examples/shop-backend.mjs c_42 24.00
//
// KUDOS_API_KEY: a secret key (sk_…; the `events` scope is enough). KUDOS_IDENTITY_SECRET:
// the shop's identity secret (for the demo shop, the value of its secret key).
import { createHmac } from 'node:crypto';

const api = process.env.KUDOS_API ?? 'http://localhost:8787';
// KUDOS_SECRET_KEY=sk_… is the name this example first used: still read.
const secretKey = process.env.KUDOS_API_KEY ?? (process.env.KUDOS_SECRET_KEY?.startsWith('sk_') ? process.env.KUDOS_SECRET_KEY : undefined);
const identitySecret = process.env.KUDOS_IDENTITY_SECRET;
const publishableKey = process.env.KUDOS_PUBLISHABLE_KEY ?? 'pk_…';
const [customerId = 'c_42', total = '24.00'] = process.argv.slice(2);
if (!secretKey) {
  console.error('Set KUDOS_API_KEY to a secret key sk_… (printed by "npm start" or "kudos shop create").');
  process.exit(2);
}

// 1. Identity: hex HMAC-SHA256 of the customer id, keyed with the identity secret (never an API key).
if (identitySecret) {
  const customerHash = createHmac('sha256', identitySecret).update(customerId).digest('hex');
  console.log('Script tag for this shopper:');
  console.log(
    `<script async blocking="render" src="${api}/kudos.js" data-key="${publishableKey}" ` +
      `data-customer-id="${customerId}" data-customer-hash="${customerHash}"></script>\n`,
  );
} else {
  console.log('(Set KUDOS_IDENTITY_SECRET to print the signed script tag for this shopper.)\n');
}

// 2. Purchase: the event id is the idempotency key. Derive it from the order so a
//    retry after a timeout can never count the order twice.
const orderId = `order-${Date.now()}`;
const response = await fetch(`${api}/v1/events`, {
  method: 'POST',
  headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
  body: JSON.stringify({
    id: `purchase:${orderId}`,
    type: 'purchase',
    customerId,
    properties: { orderId, total: Number(total), currency: 'EUR' },
  }),
});
const body = await response.json();
if (!response.ok) {
  console.error(`Kudos refused the purchase (${response.status}):`, body);
  process.exit(1);
}
for (const award of body.results[0].awards) console.log(`${customerId} earned the ${award.kind} "${award.name}"`);
console.log(`Recorded ${orderId} for ${customerId}: ${body.results[0].status}.`);
