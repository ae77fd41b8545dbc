// The KPIs and customer-data parts of /openapi.json. The console's own routes
// (/v1/console/*) are not public API: they change with the console and stay out.
import { z } from 'zod';
import type { CustomerExport } from '../customers/export.js';
import { CustomerExportSchema } from '../customers/schemas.js';
import { errorsSaying, json, pathParam, responseSchema } from '../openapi-kit.js';
import type { Metrics } from './engine.js';
import type { ForecastAccuracy } from '../forecast/engine.js';
import { MetricsResponse } from './schemas.js';

// The answers are built from TypeScript types: these fail to compile when a schema and its type part ways.
// (One way: what the server builds must fit; the response test finds fields a schema names but the server never sends.)
const metricsFit = (m: Metrics & { forecastAccuracy: ForecastAccuracy }): z.output<typeof MetricsResponse> => m;
// (Stored records are interfaces without index signatures: their loose schemas are left out of the check.)
const exportFits = (e: Omit<CustomerExport, 'record' | 'trophyAwards'>): Omit<z.output<typeof CustomerExportSchema>, 'record' | 'trophyAwards'> => e;
void metricsFit;
void exportFits;

const errors = errorsSaying({ '403': 'Needs the secret key', '404': 'Kudos holds nothing about this customer in this shop' });
const query = (name: string, description: string) => ({ name, in: 'query', required: false, schema: { type: 'string' }, description });

export const metricsSchemas = {
  Metrics: responseSchema(MetricsResponse),
  CustomerExport: responseSchema(CustomerExportSchema),
};

/** Goes next to GET /v1/customers/{customerId} (same path object). */
export const customerDeleteOperation = {
  summary: 'Erase a customer (sk): their record, and every feature eraser (survey answers, trophy awards, group memberships…)',
  parameters: [pathParam('customerId')],
  responses: { '204': { description: 'Erased' }, ...errors },
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
  '/v1/customers/{customerId}/export': {
    get: {
      summary: 'Everything Kudos holds about one customer, as JSON (sk): record, ledger, orders, badges, trophy awards, groups, survey answers',
      parameters: [pathParam('customerId')],
      responses: { '200': json('CustomerExport'), ...errors },
    },
  },
};
