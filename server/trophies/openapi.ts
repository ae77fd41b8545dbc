// The trophy part of /openapi.json, spliced into server/openapi.ts.
import { errorsSaying, json, pathParam, problem, schema } from '../openapi-kit.js';
import { AwardInput, AwardResponse, RevocationInput, TrophyDefinition, TrophyInput } from './schemas.js';

const id = pathParam('id');
const awardId = pathParam('awardId');
const errors = errorsSaying({
  '403': 'Needs the secret key',
  '404': "Not found in this shop (another shop's objects are never visible)",
});

export const trophySchemas = {
  TrophyInput: schema(TrophyInput),
  TrophyDefinition: schema(TrophyDefinition),
  TrophyAwardInput: schema(AwardInput),
  TrophyAward: schema(AwardResponse),
  TrophyRevocationInput: schema(RevocationInput),
};

export const trophyPaths = {
  '/v1/trophies': {
    get: { summary: 'Trophy definitions of the shop (pk or sk)', responses: { '200': { description: '{trophies: TrophyDefinition[]}' }, ...errors } },
  },
  '/v1/trophies/{id}': {
    get: { summary: 'One trophy definition (pk or sk)', parameters: [id], responses: { '200': json('TrophyDefinition'), ...errors } },
    put: {
      summary: 'Create (201) or replace (200) a trophy: name, description, image, criteria narrative, bronze/silver/gold levels (sk)',
      parameters: [id],
      requestBody: json('TrophyInput'),
      responses: { '200': json('TrophyDefinition'), '201': json('TrophyDefinition'), ...errors },
    },
  },
  '/v1/trophies/{id}/awards': {
    post: {
      summary: 'Award the trophy to a customer (sk). `id` makes retries idempotent (200 with the same award). One award per customer and level.',
      parameters: [id],
      requestBody: json('TrophyAwardInput'),
      responses: {
        '201': json('TrophyAward'),
        '200': json('TrophyAward'),
        '409': problem('The customer already holds this level, or the request id was used for another award'),
        ...errors,
      },
    },
  },
  '/v1/trophies/{id}/awards/{awardId}': {
    get: { summary: 'One award (sk)', parameters: [id, awardId], responses: { '200': json('TrophyAward'), ...errors } },
    delete: {
      summary: 'Revoke an award (sk); optional body {reason}. Revoking twice keeps the first revocation.',
      parameters: [id, awardId],
      responses: { '200': json('TrophyAward'), ...errors },
    },
  },
  '/v1/trophies/{id}/awards/{awardId}/revocation': {
    post: {
      summary: 'Revoke an award with a reason (sk)',
      parameters: [id, awardId],
      requestBody: json('TrophyRevocationInput'),
      responses: { '200': json('TrophyAward'), ...errors },
    },
  },
  '/t/{awardId}': {
    get: {
      summary: 'Public page of an award (HTML with Open Graph/Twitter meta; no key). `/t/{awardId}.json` is its Open Badges 3.0 OpenBadgeCredential',
      security: [],
      parameters: [awardId],
      responses: { '200': { description: 'text/html' }, '404': { description: 'text/html, or problem+json for .json' } },
    },
  },
};
