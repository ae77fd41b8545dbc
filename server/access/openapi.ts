// The shop's own access in /openapi.json: who am I, keys, identity secrets, origins
// and the audit log. Request bodies are the schemas routes.ts validates with;
// answers are server/access/schemas.ts. All but GET /v1/key need an admin key.
import { errorsSaying, json, responseSchema, schema, text } from '../openapi-kit.js';
import { AuditQuery, AuditSettingsInput, KeyCreateInput, KeyId, OriginInput, RollInput } from './routes.js';
import { AuditPage, AuditSettings, IdentitySecretList, IdentitySecretRolled, KeyCreated, KeyList, KeyRolled, KeyView, OriginAdded, OriginPage, WhoAmI } from './schemas.js';
import { pageParameters } from '../paging.js';

const errors = errorsSaying({
  '403': 'Needs a secret key with the admin scope',
  '404': 'No such key, or origin not registered, in this shop',
  '409': 'Refused to leave the shop unmanageable or over a limit: the last admin key, the publishable key revoked, a key rolled twice, 50 keys or origins',
});
const body = (ref: string, required = true) => ({ required, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const withoutMeta = ({ $schema: _ignored, ...rest }: Record<string, unknown>) => rest;
const keyId = { name: 'id', in: 'path', required: true, schema: withoutMeta(schema(KeyId)) };
const roll = 'The old value keeps working for `overlapHours` (default 24, 0: stops now); the answer carries the new value, the only time it is shown';

export const accessSchemas = {
  KeyCreateInput: schema(KeyCreateInput),
  RollInput: schema(RollInput),
  OriginInput: schema(OriginInput),
  AuditSettingsInput: schema(AuditSettingsInput),
  WhoAmI: responseSchema(WhoAmI),
  Key: responseSchema(KeyView),
  KeyList: responseSchema(KeyList),
  KeyCreated: responseSchema(KeyCreated),
  KeyRolled: responseSchema(KeyRolled),
  IdentitySecretList: responseSchema(IdentitySecretList),
  IdentitySecretRolled: responseSchema(IdentitySecretRolled),
  OriginAdded: responseSchema(OriginAdded),
  OriginPage: responseSchema(OriginPage),
  AuditPage: responseSchema(AuditPage),
  AuditSettings: responseSchema(AuditSettings),
};

export const accessPaths = {
  '/v1/key': {
    get: { summary: 'The shop and the calling key: its kind and scopes (any key, pk too)', responses: { '200': json('WhoAmI'), ...errors } },
  },
  '/v1/keys': {
    get: { summary: 'The shop’s keys, newest first, revoked and expired ones listed as inactive; hints only, never a key (admin)', parameters: pageParameters, responses: { '200': json('KeyList'), ...errors } },
    post: {
      summary: 'A new secret key with a name and scopes (admin); the key is in this answer only',
      requestBody: body('KeyCreateInput'),
      responses: { '201': json('KeyCreated'), ...errors },
    },
  },
  '/v1/keys/{id}': {
    get: { summary: 'One key (admin)', parameters: [keyId], responses: { '200': json('Key'), ...errors } },
    delete: {
      summary: 'Revoke a key at once (admin); revoking it again answers the same. Not the publishable key (roll it) nor the last admin key',
      parameters: [keyId],
      responses: { '200': json('Key', 'The key, inactive'), ...errors },
    },
  },
  '/v1/keys/{id}/roll': {
    post: { summary: `A new value for the key, same name and scopes (admin). ${roll}`, parameters: [keyId], requestBody: body('RollInput', false), responses: { '201': json('KeyRolled'), ...errors } },
  },
  '/v1/identity-secrets': {
    get: { summary: 'The identity secrets that sign shoppers’ ids (X-Kudos-Customer-Hash), never their values, oldest first (admin)', parameters: pageParameters, responses: { '200': json('IdentitySecretList'), ...errors } },
  },
  '/v1/identity-secrets/roll': {
    post: { summary: `A new identity secret (admin). ${roll}`, requestBody: body('RollInput', false), responses: { '201': json('IdentitySecretRolled'), ...errors } },
  },
  '/v1/shop/origins': {
    get: { summary: 'The origins whose pages may use the publishable key, in alphabetical order (admin)', parameters: pageParameters, responses: { '200': json('OriginPage'), ...errors } },
    post: { summary: 'Register an origin (https://shop.example); registering it again changes nothing (admin)', requestBody: body('OriginInput'), responses: { '201': json('OriginAdded', 'Registered'), '200': json('OriginAdded', 'Registered before: nothing changed'), ...errors } },
  },
  '/v1/shop/origins/{origin}': {
    delete: {
      summary: 'Stop accepting the publishable key from an origin (admin)',
      parameters: [{ name: 'origin', in: 'path', required: true, schema: { type: 'string' }, description: 'URL-encoded, as registered: https%3A%2F%2Fshop.example' }],
      responses: { '204': { description: 'No longer accepted' }, ...errors },
    },
  },
  '/v1/audit': {
    get: {
      summary: 'Who changed what, newest first, kept `retentionDays` (admin); customers appear as digests',
      parameters: Object.entries(AuditQuery.shape).map(([name, s]) => ({ name, in: 'query', schema: withoutMeta(schema(s)) })),
      responses: { '200': json('AuditPage'), ...errors },
    },
  },
  '/v1/audit/export': {
    get: { summary: 'The whole audit log as NDJSON, one entry a line (admin); the export itself is audited', responses: { '200': text('application/x-ndjson', 'One AuditEntry as JSON a line'), ...errors } },
  },
  '/v1/audit/settings': {
    put: { summary: 'How many days the audit log keeps entries (admin)', requestBody: body('AuditSettingsInput'), responses: { '200': json('AuditSettings'), ...errors } },
  },
};
