// The webhooks part of /openapi.json, from the zod schemas the routes validate with.
import { z } from 'zod';
import { errorsSaying, json, pathParam, problem, responseSchema, schema } from '../openapi-kit.js';
import { EventResult } from '../events/schemas.js';
import { DeliveryAttemptPage, DeliveryView, PendingDeliveryPage, SignedOrderInput, WebhookEndpointInput, WebhookEndpointView } from './schemas.js';
import { pageOf, pageParameters } from '../paging.js';

const SignedOrderResult = z.object({
  results: z.array(EventResult),
  /** For `order.fulfilled`: each survey set to `askOnFulfilment`, `requested` (webhook queued) or `duplicate` (asked before for this order). */
  surveys: z.array(z.object({ surveyId: z.string(), status: z.enum(['requested', 'duplicate']) })).optional(),
});

const id = pathParam('id');
const errors = errorsSaying({ '403': 'Needs the secret key', '404': 'No such webhook endpoint (or delivery) in this shop' });

export const webhookSchemas = {
  WebhookEndpointInput: schema(WebhookEndpointInput),
  WebhookEndpoint: responseSchema(WebhookEndpointView),
  WebhookEndpointList: responseSchema(pageOf(WebhookEndpointView)),
  WebhookDelivery: responseSchema(DeliveryView),
  WebhookDeliveryList: responseSchema(PendingDeliveryPage),
  WebhookAttemptList: responseSchema(DeliveryAttemptPage),
  OrderInput: schema(SignedOrderInput),
  SignedOrderResult: responseSchema(SignedOrderResult),
};

export const webhookPaths = {
  '/v1/webhooks': {
    get: { summary: 'Webhook endpoints of the shop, without secrets, oldest first (sk)', parameters: pageParameters, responses: { '200': json('WebhookEndpointList'), ...errors } },
  },
  '/v1/webhooks/{id}': {
    put: {
      summary: 'Create (201, with its `whsec_` signing secret, shown this once) or update (200) an endpoint (sk). https only; no private, loopback or link-local addresses',
      parameters: [id],
      requestBody: json('WebhookEndpointInput'),
      responses: { '200': json('WebhookEndpoint'), '201': json('WebhookEndpoint', 'Created; `secret` is shown only now'), ...errors },
    },
    get: { summary: 'One endpoint, without its secret (sk)', parameters: [id], responses: { '200': json('WebhookEndpoint'), ...errors } },
    delete: { summary: 'Remove an endpoint; its pending deliveries fail (sk)', parameters: [id], responses: { '204': { description: 'Removed' }, ...errors } },
  },
  '/v1/webhooks/{id}/rotate': {
    post: {
      summary: 'New signing secret (shown once); the previous one keeps signing deliveries for 24 hours (sk)',
      parameters: [id],
      responses: { '200': json('WebhookEndpoint'), ...errors },
    },
  },
  '/v1/webhooks/{id}/deliveries': {
    get: { summary: 'The deliveries still pending (not yet delivered or given up), oldest first (sk)', parameters: [id, ...pageParameters], responses: { '200': json('WebhookDeliveryList'), ...errors } },
  },
  '/v1/webhooks/{id}/attempts': {
    get: { summary: 'The last 100 delivery attempts, newest first: what the endpoint answered, or why there was no answer (sk)', parameters: [id, ...pageParameters], responses: { '200': json('WebhookAttemptList'), ...errors } },
  },
  '/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver': {
    post: {
      summary: 'Send a delivery again now, with the same id (sk)',
      parameters: [id, pathParam('deliveryId')],
      responses: { '202': json('WebhookDelivery', 'Queued'), ...errors },
    },
  },
  '/v1/webhooks/orders': {
    post: {
      summary: 'Signed orders in: order.created → purchase `purchase:<orderId>`, order.refunded → refund `refund:<orderId>:<refundId>`, order.fulfilled → the `nps.survey_requested` webhook of each survey set to `askOnFulfilment`, once per order (idempotent)',
      security: [],
      parameters: [
        { name: 'Kudos-Shop', in: 'header', required: true, schema: { type: 'string' }, description: 'shop_…' },
        {
          name: 'Kudos-Signature',
          in: 'header',
          required: true,
          schema: { type: 'string' },
          description: 't=<unix seconds>,v1=<hex HMAC-SHA256(shop secret key, t + "." + raw body)>; at most 5 minutes old',
        },
      ],
      requestBody: json('OrderInput'),
      responses: {
        '200': json('SignedOrderResult', 'The event result (`duplicate` when the order was sent before); for order.fulfilled, the surveys asked'),
        '400': problem('Malformed JSON or a field that does not validate (only after the signature verifies)'),
        '401': problem('Unknown shop, bad or stale signature (one answer for all)'),
        '413': problem('Body over the size limit'),
        '415': problem('Body is not application/json'),
      },
    },
  },
};
