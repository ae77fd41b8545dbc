// /openapi.json, generated from the same zod schemas the routes validate with.
import { z } from 'zod';
import { BadgeDefinition, BadgeInput, CustomerState, EventBatch, EventInput, EventsResponse, Problem } from './schemas.js';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
const json = (ref: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const errors = {
  '400': problem('Malformed JSON or a field that does not validate; `errors[].pointer` says which'),
  '401': problem('Missing or unknown key'),
  '403': problem('Key role, origin or shopper identity does not allow this'),
  '404': problem("Not found in this shop (another shop's objects are never visible)"),
  '413': problem('Body over the size limit'),
  '415': problem('Body is not application/json'),
};
const identityHeaders = [
  { name: 'X-Kudos-Customer', in: 'header', schema: { type: 'string' } },
  { name: 'X-Kudos-Customer-Hash', in: 'header', schema: { type: 'string' }, description: 'hex HMAC-SHA256(secretKey, customerId)' },
  { name: 'X-Kudos-Anonymous-Id', in: 'header', schema: { type: 'string' } },
];

export function openApiDocument(): object {
  return {
    openapi: '3.1.0',
    info: { title: 'Kudos API', version: '1', description: 'Loyalty, badges and trophies for small shops.' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'pk_… (browser) or sk_… (shop backend)' } },
      schemas: {
        EventInput: schema(EventInput),
        EventBatch: schema(EventBatch),
        EventsResponse: schema(EventsResponse),
        CustomerState: schema(CustomerState),
        BadgeInput: schema(BadgeInput),
        BadgeDefinition: schema(BadgeDefinition),
        Problem: schema(Problem),
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/v1/events': {
        post: {
          summary: 'Record one event or a batch of up to 100; answers after they are durably stored',
          parameters: identityHeaders,
          requestBody: {
            content: {
              'application/json': {
                schema: { oneOf: [{ $ref: '#/components/schemas/EventInput' }, { $ref: '#/components/schemas/EventBatch' }] },
              },
            },
          },
          responses: { '200': { description: 'One result per event, in order', ...json('EventsResponse') }, ...errors },
        },
      },
      '/v1/customers/{customerId}': {
        get: {
          summary: "A customer's points, tier and badges (sk, or pk with that customer's verified identity)",
          parameters: [{ name: 'customerId', in: 'path', required: true, schema: { type: 'string' } }, ...identityHeaders],
          responses: { '200': { description: 'Customer state', ...json('CustomerState') }, ...errors },
        },
      },
      '/v1/badges': {
        get: {
          summary: 'Badge definitions of the shop',
          responses: { '200': { description: '{badges: BadgeDefinition[]}' }, ...errors },
        },
      },
      '/v1/badges/{id}': {
        get: {
          summary: 'One badge definition',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': json('BadgeDefinition'), ...errors },
        },
        put: {
          summary: 'Create (201) or replace (200) a badge definition (sk)',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: json('BadgeInput'),
          responses: { '200': json('BadgeDefinition'), '201': json('BadgeDefinition'), ...errors },
        },
      },
    },
  };
}
