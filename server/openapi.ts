// /openapi.json, generated from the same zod schemas the routes validate with.
import { errors, identityHeaders, json, pathParam, responseSchema, schema } from './openapi-kit.js';
import { BadgeDefinition, BadgeInput, BadgeList, CustomerState } from './loyalty/schemas.js';
import { EventBatch, EventInput, EventsResponse } from './events/schemas.js';
import { Problem } from './schemas.js';
import { trophyPaths, trophySchemas } from './trophies/openapi.js';
import { surveyPaths, surveySchemas } from './surveys/openapi.js';
import { productPaths, productSchemas } from './products/openapi.js';
import { shareSavePaths, shareSaveSchemas } from './share-save/openapi.js';
import { emailClaimPaths, emailClaimSchemas } from './email-claims/openapi.js';
import { loyaltyPaths, loyaltySchemas } from './loyalty/openapi.js';
import { limitsPaths, limitsSchemas } from './limits/openapi.js';
import { webhookPaths, webhookSchemas } from './webhooks/openapi.js';
import { popupPaths, popupSchemas } from './checkins/openapi.js';
import { customerDeleteOperation, metricsPaths, metricsSchemas } from './metrics/openapi.js';
import { historyPaths, historySchemas } from './history/openapi.js';
import { connectorPaths, connectorSchemas } from './connectors/openapi.js';
import { forecastPaths, forecastSchemas } from './forecast/openapi.js';
import { segmentsPaths, segmentsSchemas } from './segments/openapi.js';
import { accessPaths, accessSchemas } from './access/openapi.js';
import { pageParameters } from './paging.js';

/** `get /v1/customers/{customerId}` → `getV1CustomersCustomerId`: one per operation, derived so none is forgotten. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1));
  return method + words.join('');
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
function withOperationIds(paths: Record<string, Record<string, object>>) {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => [
      path,
      Object.fromEntries(
        Object.entries(item).map(([method, op]) => [method, METHODS.includes(method) ? { operationId: operationIdOf(method, path), ...op } : op]),
      ),
    ]),
  );
}

export function openApiDocument(): object {
  const document = {
    openapi: '3.1.0',
    info: {
      title: 'Kudos API',
      version: '1',
      description: 'Loyalty, badges and trophies for small shops.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    // Relative: the API is on the origin that serves this document.
    servers: [{ url: '/', description: 'This Kudos server' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'pk_… (browser) or sk_… (shop backend)' } },
      schemas: {
        EventInput: schema(EventInput),
        EventBatch: schema(EventBatch),
        EventsResponse: responseSchema(EventsResponse),
        CustomerState: responseSchema(CustomerState),
        BadgeInput: schema(BadgeInput),
        BadgeDefinition: responseSchema(BadgeDefinition),
        BadgeList: responseSchema(BadgeList),
        Problem: responseSchema(Problem),
        ...trophySchemas,
        ...surveySchemas,
        ...productSchemas,
        ...shareSaveSchemas,
        ...emailClaimSchemas,
        ...loyaltySchemas,
        ...limitsSchemas,
        ...webhookSchemas,
        ...popupSchemas,
        ...historySchemas,
        ...connectorSchemas,
        ...metricsSchemas,
        ...forecastSchemas,
        ...segmentsSchemas,
        ...accessSchemas,
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
          responses: { '200': json('EventsResponse', 'One result per event, in order'), ...errors },
        },
      },
      '/v1/customers/{customerId}': {
        delete: customerDeleteOperation,
        get: {
          summary: "A customer's points, tier and badges (sk, or pk with that customer's verified identity)",
          parameters: [pathParam('customerId'), ...identityHeaders],
          responses: { '200': json('CustomerState', 'Customer state'), ...errors },
        },
      },
      '/v1/badges': {
        get: {
          summary: 'Badge definitions of the shop, oldest first',
          parameters: pageParameters,
          responses: { '200': json('BadgeList', 'The badges (with pk: only those still offered)'), ...errors },
        },
      },
      '/v1/badges/{id}': {
        get: {
          summary: 'One badge definition',
          parameters: [pathParam('id')],
          responses: { '200': json('BadgeDefinition'), ...errors },
        },
        put: {
          summary: 'Create (201) or replace (200) a badge definition (sk)',
          parameters: [pathParam('id')],
          requestBody: json('BadgeInput'),
          responses: { '200': json('BadgeDefinition'), '201': json('BadgeDefinition'), ...errors },
        },
      },
      ...trophyPaths,
      ...surveyPaths,
      ...productPaths,
      ...shareSavePaths,
      ...emailClaimPaths,
      ...loyaltyPaths,
      ...limitsPaths,
      ...webhookPaths,
      ...popupPaths,
      ...metricsPaths,
      ...historyPaths,
      ...connectorPaths,
      ...forecastPaths,
      ...segmentsPaths,
      ...accessPaths,
    },
  };
  return { ...document, paths: withOperationIds(document.paths as Record<string, Record<string, object>>) };
}
