// The limits part of /openapi.json.
import { errors, json, responseSchema, schema } from '../openapi-kit.js';
import { LimitsInput } from './schemas.js';

/** `Limits` is what GET and PUT answer: every default filled in. */
export const limitsSchemas = { LimitsInput: schema(LimitsInput), Limits: responseSchema(LimitsInput) };

export const limitsPaths = {
  '/v1/limits': {
    get: { summary: 'This shop’s quotas for publishable-key traffic (sk); see docs/limits.md', responses: { '200': json('Limits'), ...errors } },
    put: { summary: 'Set the quotas for publishable-key traffic (sk)', requestBody: json('LimitsInput'), responses: { '200': json('Limits'), ...errors } },
  },
};
