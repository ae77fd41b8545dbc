// The verified-email part of /openapi.json, from the zod schemas the routes validate with.
import { deprecatedPaths, errorsSaying, json, pathParam, problem, responseSchema, schema } from '../openapi-kit.js';
import { EmailClaimConfirmInput, EmailClaimInput, EmailClaimView, VerifiedIdentity } from './schemas.js';

const errors = {
  ...errorsSaying({ '404': 'No such claim in this shop' }),
  '409': problem('The shop has no webhook for email.verification_requested'),
  '410': problem('The code was used, expired (10 minutes) or had 5 wrong tries'),
  '429': problem('Too many requests per IP or per address; see Retry-After'),
};

export const emailClaimSchemas = {
  EmailClaimInput: schema(EmailClaimInput),
  EmailClaimView: responseSchema(EmailClaimView),
  EmailClaimConfirmInput: schema(EmailClaimConfirmInput),
  VerifiedIdentity: responseSchema(VerifiedIdentity),
};

const paths = {
  '/v1/email-verifications': {
    post: {
      summary: 'A shopper without an account asks to prove an email address (pk): the shop’s backend gets the code by webhook and mails it',
      requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/EmailClaimInput' } } } },
      responses: { '201': json('EmailClaimView'), ...errors },
    },
  },
  '/v1/email-verifications/{id}/confirm': {
    post: {
      summary: 'Type the code back (pk): answers an identity for the address, signed like one from the shop’s backend',
      parameters: [pathParam('id')],
      requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/EmailClaimConfirmInput' } } } },
      responses: { '200': json('VerifiedIdentity'), ...errors },
    },
  },
};

export const emailClaimPaths = { ...paths, ...deprecatedPaths(paths, '/v1/email-claims', '/v1/email-verifications') };
