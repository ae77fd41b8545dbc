// The trophy part of /openapi.json, spliced into server/openapi.ts.
import { errorsSaying, json, pathParam, problem, responseSchema, schema } from '../openapi-kit.js';
import { AwardInput, AwardResponse, RevocationInput, TrophyDefinition, TrophyInput } from './schemas.js';
import { pageOf, pageParameters } from '../paging.js';

const id = pathParam('id');
const awardId = pathParam('awardId');
const shopId = pathParam('shopId');
const html = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });
const linkedData = (type: string, description: string, schema: object) => ({ description, content: { [type]: { schema } } });
/** JSON-LD documents Kudos serves for verifiers: their shape is the standard's (Open Badges 3.0, DID Core, VCDM 2.0). */
const LinkedDataObject = { type: 'object', required: ['@context', 'id'], properties: { '@context': {}, id: { type: 'string' } } };
const SignedCredential = {
  type: 'object',
  required: ['@context', 'id', 'type', 'issuer', 'credentialSubject', 'proof'],
  properties: {
    '@context': { type: 'array' },
    id: { type: 'string' },
    type: { type: 'array', items: { type: 'string' } },
    issuer: {},
    credentialSubject: { type: 'object' },
    credentialStatus: { type: 'object' },
    proof: { type: 'object', required: ['type', 'cryptosuite', 'verificationMethod', 'proofValue'] },
  },
};
const errors = errorsSaying({
  '403': 'Needs the secret key',
  '404': "Not found in this shop (another shop's objects are never visible)",
});

export const trophySchemas = {
  TrophyInput: schema(TrophyInput),
  TrophyDefinition: responseSchema(TrophyDefinition),
  TrophyList: responseSchema(pageOf(TrophyDefinition)),
  TrophyAwardInput: schema(AwardInput),
  TrophyAward: responseSchema(AwardResponse),
  TrophyRevocationInput: schema(RevocationInput),
};

export const trophyPaths = {
  '/v1/trophies': {
    get: { summary: 'Trophy definitions of the shop, oldest first (pk or sk)', parameters: pageParameters, responses: { '200': json('TrophyList'), ...errors } },
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
      summary: 'Deprecated: use POST …/revocation. Revoke an award (sk); optional body {reason}. Revoking twice keeps the first revocation.',
      deprecated: true,
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
      summary: 'Public page of an award (HTML with Open Graph/Twitter meta, links to verify and download; no key)',
      security: [],
      parameters: [awardId],
      responses: { '200': html('The page'), '404': html('A small "Trophy not found" page') },
    },
  },
  '/t/{awardId}.json': {
    get: {
      summary: 'The award as a signed Open Badges 3.0 OpenBadgeCredential (Data Integrity eddsa-rdfc-2022; no key)',
      security: [],
      parameters: [awardId],
      responses: { '200': linkedData('application/ld+json', 'The signed credential', SignedCredential), '404': problem('No award with this id') },
    },
  },
  '/t/{awardId}/verify': {
    get: {
      summary: 'A page saying whether the credential verifies: signature and revocation status (no key)',
      security: [],
      parameters: [awardId],
      responses: { '200': html('The verification result'), '404': html('A small "Trophy not found" page') },
    },
  },
  '/t/issuers/{shopId}': {
    get: {
      summary: "The shop's Open Badges issuer Profile (no key)",
      security: [],
      parameters: [shopId],
      responses: { '200': linkedData('application/ld+json', 'The Profile', LinkedDataObject), '404': problem('No such issuer') },
    },
  },
  '/t/issuers/{shopId}/did.json': {
    get: {
      summary: "The shop's DID document (what did:web resolves to when the public URL is https; no key)",
      security: [],
      parameters: [shopId],
      responses: { '200': linkedData('application/did+ld+json', 'The DID document', LinkedDataObject), '404': problem('No such issuer') },
    },
  },
  '/t/achievements/{shopId}/{trophyId}/{level}': {
    get: {
      summary: 'One level of a trophy as an Open Badges 3.0 Achievement (no key)',
      security: [],
      parameters: [shopId, pathParam('trophyId'), pathParam('level')],
      responses: { '200': linkedData('application/ld+json', 'The Achievement', LinkedDataObject), '404': problem('No such achievement') },
    },
  },
  '/t/status/{shopId}/{list}': {
    get: {
      summary: "One of the shop's revocation lists: a signed W3C BitstringStatusListCredential (no key)",
      security: [],
      parameters: [shopId, pathParam('list')],
      responses: { '200': linkedData('application/vc', 'The signed status list credential', SignedCredential), '404': problem('No such status list') },
    },
  },
};
