// The products part of /openapi.json, from the zod schemas the routes validate with.
import { errorsSaying, identityHeaders, json, pathParam, problem, responseSchema, schema } from '../openapi-kit.js';
import { InteractionInput, ProductDefinition, ProductInput, ProductOwnerView, PublicProduct, Reservation, ReservationInput, ReservationStatus } from './schemas.js';

const errors = errorsSaying({
  '403': 'Secret key needed to write, origin not registered, or (reservations) an insiders-only window the shopper does not qualify for',
  '404': 'No such product in this shop',
});

export const productSchemas = {
  ProductInput: schema(ProductInput),
  Product: responseSchema(ProductDefinition),
  ProductOwnerView: responseSchema(ProductOwnerView),
  PublicProduct: responseSchema(PublicProduct),
  ReservationInput: schema(ReservationInput),
  Reservation: responseSchema(Reservation),
  ReservationStatus: responseSchema(ReservationStatus),
  InteractionInput: schema(InteractionInput),
};

export const productPaths = {
  '/v1/products/{id}': {
    put: {
      summary: 'Create (201) or replace (200) a buy-button product or drop (sk); raising `stock` restocks',
      parameters: [pathParam('id')],
      requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/ProductInput' } } } },
      responses: { '200': json('Product', 'Replaced'), '201': json('Product', 'Created'), ...errors },
    },
    get: {
      summary: 'The public view (pk; no identity needed): price, window state, stock left. ETag + Cache-Control; 304 on If-None-Match. With sk: the definition, sold and held',
      parameters: [pathParam('id'), { name: 'If-None-Match', in: 'header', schema: { type: 'string' } }],
      responses: {
        '200': {
          description: 'PublicProduct (pk) or ProductOwnerView (sk)',
          content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/PublicProduct' }, { $ref: '#/components/schemas/ProductOwnerView' }] } } },
        },
        '304': { description: 'Not modified' }, ...errors },
    },
  },
  '/v1/products/{id}/reservations': {
    post: {
      summary:
        'Hold one unit for a few minutes (pk + identity or anonymous id) and get the checkout URL with kudos_src, kudos_ref and kudos_reservation; unlimited products answer 200 with the URL and no token',
      parameters: [pathParam('id'), ...identityHeaders],
      requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/ReservationInput' } } } },
      responses: {
        '200': json('Reservation', 'Nothing to hold: the checkout URL with attribution'),
        '201': json('Reservation', 'One unit held'),
        ...errors,
        '409': problem('Not on sale yet, sale ended, sold out, or the per-customer limit reached (see the problem type)'),
      },
    },
  },
  '/v1/products/{id}/reservations/{token}': {
    get: {
      summary:
        'For the shop’s checkout before taking payment (sk): is the unit still held, already sold, or lapsed — and would a purchase with this token count as a sale now (canConfirm)',
      parameters: [pathParam('id'), pathParam('token')],
      responses: { '200': json('ReservationStatus'), ...errors },
    },
  },
  '/v1/products/{id}/interactions': {
    post: {
      summary: 'A buy button was seen (view) or pressed (click): recorded as product_view / directory_click with kudos_ref (pk + identity or anonymous id). 204',
      parameters: [pathParam('id'), ...identityHeaders],
      requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/InteractionInput' } } } },
      responses: { '204': { description: 'Recorded' }, ...errors },
    },
  },
};
