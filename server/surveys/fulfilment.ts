// A delivered order asks for the post-delivery survey: every active survey the shop
// set to `askOnFulfilment` gets one `nps.survey_requested` webhook per order, carrying
// the signed link (./link.ts) the shop's mail tool sends. Fulfilments come from the
// Shopify and WooCommerce connections and from a backend's signed `order.fulfilled`;
// platforms redeliver, and an order can be fulfilled in parts, so the request is
// remembered per survey and order and made once.
import { createHash } from 'node:crypto';
import { currentIdentitySecret } from '../access/secrets.js';
import type { Shop, Store } from '../store/store.js';
import { enqueueWebhookFacts } from '../webhooks/ports.js';
import { LINK_ORDER_ID, surveyLink } from './link.js';
import { listSurveys } from './service.js';
import type { SurveyDefinition } from './schemas.js';

export const SURVEY_REQUESTS = 'survey-requests';
export const SURVEY_REQUESTED = 'nps.survey_requested';

export interface Fulfilment {
  /** The order as the link names it (letters, digits, . _ -). */
  orderId: string;
  customerId: string;
  /** The buyer's address, when the platform or backend gave it: the webhook carries it so the mail tool can send the link. */
  email?: string;
  at: string;
}

export interface SurveyRequest {
  surveyId: string;
  status: 'requested' | 'duplicate';
}

/** Names no customer (the link and address go out in the webhook only), so a customer erase has nothing here to remove. */
interface RequestRecord {
  surveyId: string;
  orderId: string;
  requestedAt: string;
}

const requestRef = (surveyId: string, orderId: string) => ({
  collection: SURVEY_REQUESTS,
  id: createHash('sha256').update(`${surveyId}\u0000${orderId}`).digest('base64url').slice(0, 32),
});

const activeAt = (s: SurveyDefinition, t: number) => (!s.startsAt || t >= Date.parse(s.startsAt)) && (!s.endsAt || t < Date.parse(s.endsAt));

/** Surveys asked after this fulfilment; an order id a link cannot name asks none. */
export async function requestPostDeliverySurveys(store: Store, now: () => Date, shop: Shop, base: string, fulfilment: Fulfilment): Promise<SurveyRequest[]> {
  if (!LINK_ORDER_ID.test(fulfilment.orderId) || !fulfilment.orderId) return [];
  const t = now().getTime();
  const surveys = (await listSurveys(store, shop.id)).filter((s) => s.askOnFulfilment && activeAt(s, t)).sort((a, b) => a.id.localeCompare(b.id));
  const out: SurveyRequest[] = [];
  for (const survey of surveys) {
    const ref = requestRef(survey.id, fulfilment.orderId);
    const record: RequestRecord = { surveyId: survey.id, orderId: fulfilment.orderId, requestedAt: now().toISOString() };
    const fresh = await store.updateDocuments(shop.id, [ref], ([current]) =>
      current ? { values: [current], result: false } : { values: [record], result: true },
    );
    out.push({ surveyId: survey.id, status: fresh ? 'requested' : 'duplicate' });
    if (!fresh) continue;
    const url = surveyLink(base, shop.id, survey.id, fulfilment.customerId, fulfilment.orderId, currentIdentitySecret(shop));
    await enqueueWebhookFacts(store, now, shop.id, [
      {
        sourceEventId: `survey-request:${ref.id}`,
        type: SURVEY_REQUESTED,
        subject: '',
        data: {
          surveyId: survey.id,
          orderId: fulfilment.orderId,
          customerId: fulfilment.customerId,
          url,
          fulfilledAt: fulfilment.at,
          ...(fulfilment.email && { email: fulfilment.email }),
        },
      },
    ]);
  }
  return out;
}
