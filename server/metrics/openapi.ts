// The KPIs part of /openapi.json. The console's own routes
// (/v1/console/*) are not public API: they change with the console and stay out.
import { z } from 'zod';
import { errorsSaying, json, responseSchema } from '../openapi-kit.js';
import type { Metrics } from './engine.js';
import type { ForecastAccuracy } from '../forecast/engine.js';
import { MetricsResponse } from './schemas.js';

// The answers are built from TypeScript types: these fail to compile when a schema and its type part ways.
// (One way: what the server builds must fit; the response test finds fields a schema names but the server never sends.)
const metricsFit = (m: Metrics & { forecastAccuracy: ForecastAccuracy }): z.output<typeof MetricsResponse> => m;
// (Stored records are interfaces without index signatures: their loose schemas are left out of the check.)
void metricsFit;

const errors = errorsSaying({ '403': 'Needs the secret key', '404': 'Kudos holds nothing about this customer in this shop' });
const query = (name: string, description: string) => ({ name, in: 'query', required: false, schema: { type: 'string' }, description });

export const metricsSchemas = {
  Metrics: responseSchema(MetricsResponse),
};

export const metricsPaths = {
  '/v1/metrics': {
    get: {
      summary: "The shop's KPIs over [from, to), each with a weekly series (sk); definitions in docs/console.md \"KPIs\"",
      parameters: [
        query('from', 'YYYY-MM-DD (midnight UTC) or ISO datetime, included; default 12 weeks before `to`'),
        query('to', 'YYYY-MM-DD or ISO datetime, excluded; default now. At most 731 days after `from`'),
      ],
      responses: {
        '200': json(
          'Metrics',
          'Each KPI with `series` (one point per week); `communityConversion` has the headline `recognition` and the other `sources` beside it; `forecastAccuracy` is GET /v1/forecast\'s answer for the period; `definitions` says in words what each number counts',
        ),
        ...errors,
      },
    },
  },
};
