// How Shopify and WooCommerce sign a webhook: base64 of HMAC-SHA256 over the raw
// body, keyed with the webhook's secret (Shopify: X-Shopify-Hmac-Sha256;
// WooCommerce: X-WC-Webhook-Signature, WC_Webhook::generate_signature). Compared in
// constant time over the decoded bytes.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const platformSignature = (rawBody: Buffer, secret: string) => createHmac('sha256', secret).update(rawBody).digest('base64');

export function verifyPlatformSignature(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (typeof header !== 'string' || header.length === 0 || header.length > 200 || !secret) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(header.trim(), 'base64');
  // Buffer.from ignores junk in base64; re-encoding must give back what was sent.
  if (given.length !== expected.length || given.toString('base64') !== header.trim()) return false;
  return timingSafeEqual(given, expected);
}
