// The customer-data part of /openapi.json: a customer's export and erase (GDPR art. 15, 17, 20).
import type { z } from 'zod';
import { errorsSaying, json, pathParam, responseSchema } from '../openapi-kit.js';
import type { CustomerExport } from './export.js';
import { CustomerExportSchema } from './schemas.js';

// The export is built from a TypeScript type: this fails to compile when the schema and the type part ways.
// (Stored records are interfaces without index signatures: their loose schemas are left out of the check.)
const exportFits = (e: Omit<CustomerExport, 'record' | 'trophyAwards'>): Omit<z.output<typeof CustomerExportSchema>, 'record' | 'trophyAwards'> => e;
void exportFits;

const errors = errorsSaying({ '403': 'Needs the secret key', '404': 'Kudos holds nothing about this customer in this shop' });

export const customerDataSchemas = {
  CustomerExport: responseSchema(CustomerExportSchema),
};

export const customerDataPaths = {
  '/v1/customers/{customerId}': {
    delete: {
      summary: 'Erase a customer (sk): their record, and every feature eraser (survey answers, trophy awards, group memberships…)',
      parameters: [pathParam('customerId')],
      responses: { '204': { description: 'Erased' }, ...errors },
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
