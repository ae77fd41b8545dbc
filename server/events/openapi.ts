// The events part of /openapi.json: POST /v1/events, from the schemas the route validates with.
import { errors, identityHeaders, json, responseSchema, schema } from '../openapi-kit.js';
import { EventBatch, EventInput, EventsResponse } from './schemas.js';

export const eventsSchemas = {
  EventInput: schema(EventInput),
  EventBatch: schema(EventBatch),
  EventsResponse: responseSchema(EventsResponse),
};

export const eventsPaths = {
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
      responses: { '200': json('EventsResponse', 'One result per event, in order'), ...errors },
    },
  },
};
