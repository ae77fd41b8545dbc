// The segments part of /openapi.json.
import type { z } from 'zod';
import { errorsSaying, json, responseSchema } from '../openapi-kit.js';
import type { Segments } from './engine.js';
import { SegmentsResponse } from './schemas.js';

// Built from a TypeScript type: this fails to compile when the schema and the type part ways.
const segmentsFit = (s: Segments): z.output<typeof SegmentsResponse> => s;
void segmentsFit;

const errors = errorsSaying({ '403': 'Needs a secret key with the analytics scope' });
const query = (name: string, description: string) => ({ name, in: 'query', required: false, schema: { type: 'string' }, description });

export const segmentsSchemas = { Segments: responseSchema(SegmentsResponse) };

export const segmentsPaths = {
  '/v1/segments': {
    get: {
      summary:
        'Segments over [from, to) (sk; docs/console.md "Segments"): per drop (product) views → holds → purchases by day; the repeat rate of customers whose first order was a drop sale; first-order retention of customers who got a micro-gift against those who did not',
      parameters: [
        query('from', 'YYYY-MM-DD (midnight UTC) or ISO datetime, included; default 12 weeks before `to`'),
        query('to', 'YYYY-MM-DD or ISO datetime, excluded; default now. At most 731 days after `from`'),
      ],
      responses: { '200': json('Segments'), ...errors },
    },
  },
};
