// The micro-gifts part of /openapi.json, from the zod schemas the routes validate with.
import { errorsSaying, json, pathParam, responseSchema, schema } from '../openapi-kit.js';
import { pageParameters } from '../paging.js';
import { GiftDefinition, GiftInput, GiftList } from './schemas.js';

const errors = errorsSaying({ '403': 'Needs the secret key', '404': 'No such gift in this shop' });
const body = (ref: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });

export const giftSchemas = {
  GiftInput: schema(GiftInput),
  Gift: responseSchema(GiftDefinition),
  GiftList: responseSchema(GiftList),
};

export const giftPaths = {
  '/v1/gifts': { get: { summary: 'Micro-gift rules with this period’s usage, oldest first (sk)', parameters: pageParameters, responses: { '200': json('GiftList'), ...errors } } },
  '/v1/gifts/{id}': {
    put: {
      summary: 'Create (201) or replace (200) a micro-gift: an add-on code or bonus points, for first / Nth orders, orders after a check-in, or a sticky random share, within a budget (sk)',
      parameters: [pathParam('id')],
      requestBody: body('GiftInput'),
      responses: { '200': json('Gift', 'Replaced; with `usage`'), '201': json('Gift', 'Created; with `usage`'), ...errors },
    },
    get: { summary: 'A micro-gift with `usage` {period, granted, remaining} (sk)', parameters: [pathParam('id')], responses: { '200': json('Gift'), ...errors } },
  },
};
