// The history part of /openapi.json.
import { errorsSaying, json, responseSchema, schema } from '../openapi-kit.js';
import { HistoryBatch, HistoryResult } from './schemas.js';

const errors = errorsSaying({
  '400': 'A field does not validate, or an `occurredAt` is missing, more than 5 minutes ahead or older than 1096 days; nothing of the batch is recorded',
  '403': 'Needs the secret key',
});

export const historySchemas = { HistoryBatch: schema(HistoryBatch), HistoryResult: responseSchema(HistoryResult) };

export const historyPaths = {
  '/v1/history/orders': {
    post: {
      summary:
        'Past orders and refunds (sk; up to 500, each dated): points, tiers, badges and KPIs as if they had arrived when they happened, with no celebration, gift or webhook. Ids are those of POST /v1/webhooks/orders, so a re-run or a live delivery of the same order is a duplicate',
      requestBody: json('HistoryBatch'),
      responses: { '200': json('HistoryResult'), ...errors },
    },
  },
};
