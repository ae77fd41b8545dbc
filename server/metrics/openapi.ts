// The KPIs, customer-data and console parts of /openapi.json.
import { errorsSaying, pathParam } from '../openapi-kit.js';

const errors = errorsSaying({ '403': 'Needs the secret key', '404': 'Kudos holds nothing about this customer in this shop' });
const query = (name: string, description: string) => ({ name, in: 'query', required: false, schema: { type: 'string' }, description });

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
        '200': {
          description:
            '{from, to, weeks, returnCorrectedRetention, retention, repeatPurchase, repeat30, nps, communityConversion (headline `recognition`, other `sources` beside it), awards, points, groupUnlock, definitions}: each KPI with `series` (one point per week); `definitions` says in words what each number counts',
        },
        ...errors,
      },
    },
  },
  '/v1/customers/{customerId}/export': {
    get: {
      summary: 'Everything Kudos holds about one customer, as JSON (sk): record, ledger, orders, badges, trophy awards, groups, survey answers',
      parameters: [pathParam('customerId')],
      responses: { '200': { description: 'CustomerExport' }, ...errors },
    },
  },
  '/v1/console/install': {
    get: {
      summary: "The shop's script tag, element tags and the origin and time of the last browser events (sk; the console's Install tab)",
      responses: { '200': { description: '{shop, publishableKey, scriptTag, elements, lastSeen}' }, ...errors },
    },
  },
  '/v1/console/products': {
    get: {
      summary: "The shop's buy-button products (sk; the console's Programs tab)",
      responses: { '200': { description: '{products: Product[]}' }, ...errors },
    },
  },
  '/v1/console/campaigns': {
    get: {
      summary: "The shop's share-to-save campaigns (sk; the console's Programs tab)",
      responses: { '200': { description: '{campaigns: Campaign[]}' }, ...errors },
    },
  },
};
