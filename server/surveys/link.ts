// Signed post-delivery survey links, pure. The shop's emails carry
// /s/<shopId>/<surveyId>?c=<customer>&o=<order>&h=<hex HMAC-SHA256>, signed with
// the shop's identity secret, as the theme signs shopper ids: a Shopify
// notification template signs it with Liquid's `hmac_sha256`, WooCommerce with
// PHP's hash_hmac, a backend with POST /v1/surveys/:id/links. The link lets its
// holder answer that one survey as that customer, once.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Order ids in links: no ':' so the signed text splits one way only (the customer id is the rest). */
export const LINK_ORDER_ID = /^[A-Za-z0-9._-]{0,100}$/;

/** The text signed: `kudos-survey:<surveyId>:<orderId>:<customerId>` (surveyId is a slug, orderId has no ':'). */
export const linkMessage = (surveyId: string, orderId: string, customerId: string) => `kudos-survey:${surveyId}:${orderId}:${customerId}`;

export const linkSignature = (secret: string, surveyId: string, orderId: string, customerId: string) =>
  createHmac('sha256', secret).update(linkMessage(surveyId, orderId, customerId), 'utf8').digest('hex');

/** Any of the shop's identity secrets that verify now (a roll's overlap keeps old emails working). */
export function linkVerifies(secrets: readonly string[], surveyId: string, orderId: string, customerId: string, hash: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(hash) || !LINK_ORDER_ID.test(orderId)) return false;
  const given = Buffer.from(hash, 'hex');
  return secrets.some((s) => timingSafeEqual(Buffer.from(linkSignature(s, surveyId, orderId, customerId), 'hex'), given));
}

export function surveyLink(base: string, shopId: string, surveyId: string, customerId: string, orderId: string, secret: string): string {
  const q = new URLSearchParams({ c: customerId, o: orderId, h: linkSignature(secret, surveyId, orderId, customerId) });
  return `${base}/s/${encodeURIComponent(shopId)}/${encodeURIComponent(surveyId)}?${q}`;
}

/** The display and response ids of a link's answer: derived, so a resubmitted form is a duplicate. */
export function linkIds(surveyId: string, orderId: string, customerId: string): { displayId: string; responseId: string } {
  const d = createHash('sha256').update(linkMessage(surveyId, orderId, customerId)).digest('base64url');
  return { displayId: `pd-${d.slice(0, 30)}`, responseId: `pr-${d.slice(0, 30)}` };
}
