// The no-code Shopify / WooCommerce connections part of /openapi.json, from the zod schemas
// the routes validate with.
import { z } from 'zod';
import { errorsSaying, json, pathParam, problem, responseSchema, schema } from '../openapi-kit.js';
import { EventResult } from '../events/schemas.js';
import { ConnectionInput, ConnectionView } from './schemas.js';
import { pageOf, pageParameters } from '../paging.js';

const errors = errorsSaying({ '403': 'Needs the secret key', '404': 'No such connection in this shop' });

/** What a platform's delivery gets back: one of a ping, stock levels, an ignored topic, or the orders' events. */
const ConnectDelivery = z.object({
  ok: z.literal(true),
  ping: z.literal(true).optional(),
  stock: z.number().int().optional(),
  ignored: z.string().optional(),
  results: z.array(EventResult).optional(),
  /** Refunds kept until their order arrives. */
  waiting: z.number().int().optional(),
  /** Post-delivery surveys a fulfilment asked: `requested` (the nps.survey_requested webhook is queued) or `duplicate`. */
  surveys: z.array(z.object({ surveyId: z.string(), status: z.enum(['requested', 'duplicate']) })).optional(),
});

export const connectorSchemas = {
  ConnectionInput: schema(ConnectionInput),
  Connection: responseSchema(ConnectionView),
  ConnectionList: responseSchema(pageOf(ConnectionView)),
  ConnectDelivery: responseSchema(ConnectDelivery),
};

export const connectorPaths = {
  '/v1/connections': {
    get: { summary: "The shop's Shopify and WooCommerce connections, without secrets, in id order (sk)", parameters: pageParameters, responses: { '200': json('ConnectionList'), ...errors } },
  },
  '/v1/connections/{id}': {
    get: { summary: 'One connection: the delivery URL and topics to set up on the platform (sk)', parameters: [pathParam('id')], responses: { '200': json('Connection'), ...errors } },
    put: {
      summary: "Create (201) or replace (200) a connection with the platform's signing secret (sk)",
      parameters: [pathParam('id')],
      requestBody: json('ConnectionInput'),
      responses: { '200': json('Connection', 'Replaced'), '201': json('Connection', 'Created'), ...errors },
    },
    delete: { summary: 'Remove a connection; its deliveries are refused from now on (sk)', parameters: [pathParam('id')], responses: { '204': { description: 'Removed' }, ...errors } },
  },
  '/v1/connect/{platform}/{shopId}/{connectionId}': {
    post: {
      summary: "A platform's webhook delivery (no key: signed with the connection's secret). Orders and refunds become purchases and refunds; fulfilled (Shopify) or completed (WooCommerce) orders ask the post-delivery surveys; product updates set stock levels",
      security: [],
      parameters: [
        { name: 'platform', in: 'path', required: true, schema: { type: 'string', enum: ['shopify', 'woocommerce'] } },
        pathParam('shopId'),
        pathParam('connectionId'),
        { name: 'X-Shopify-Hmac-Sha256', in: 'header', schema: { type: 'string' }, description: 'Shopify: base64 HMAC-SHA256 of the raw body' },
        { name: 'X-Shopify-Topic', in: 'header', schema: { type: 'string' } },
        { name: 'X-WC-Webhook-Signature', in: 'header', schema: { type: 'string' }, description: 'WooCommerce: base64 HMAC-SHA256 of the raw body' },
        { name: 'X-WC-Webhook-Topic', in: 'header', schema: { type: 'string' } },
      ],
      requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
      responses: {
        '200': json('ConnectDelivery', 'Acknowledged (a WooCommerce ping, stock levels, an ignored topic, or the events recorded)'),
        '400': problem('Malformed JSON, or an order the connector cannot read (only after the signature verifies)'),
        '401': problem('Unknown shop or connection, or bad signature (one answer for all)'),
        '404': problem('Unknown platform'),
        '413': problem('Body over the size limit'),
      },
    },
  },
};
