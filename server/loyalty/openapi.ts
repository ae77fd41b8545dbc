// The loyalty part of /openapi.json: a customer's state, badges, program, rewards, redemptions, claims.
import { deprecatedPaths, errors, identityHeaders, json, pathParam, problem, responseSchema, schema } from '../openapi-kit.js';
import { BadgeDefinition, BadgeInput, BadgeList, CustomerState, ClaimAccepted, ClaimAcceptInput, ClaimInput, ClaimLink, ClaimStatus, CustomerList, ProgramInput, Redemption, RedemptionInput, Reward, RewardInput, RewardList } from './schemas.js';
import { pageParameters } from '../paging.js';

export const loyaltySchemas = {
  CustomerState: responseSchema(CustomerState),
  BadgeInput: schema(BadgeInput),
  BadgeDefinition: responseSchema(BadgeDefinition),
  BadgeList: responseSchema(BadgeList),
  ProgramInput: schema(ProgramInput),
  RewardInput: schema(RewardInput),
  RedemptionInput: schema(RedemptionInput),
  ClaimInput: schema(ClaimInput),
  ClaimAcceptInput: schema(ClaimAcceptInput),
  CustomerList: responseSchema(CustomerList),
  /** The program as answered: every default filled in. */
  Program: responseSchema(ProgramInput),
  Reward: responseSchema(Reward),
  RewardList: responseSchema(RewardList),
  Redemption: responseSchema(Redemption),
  ClaimLink: responseSchema(ClaimLink),
  ClaimStatus: responseSchema(ClaimStatus),
  ClaimAccepted: responseSchema(ClaimAccepted),
};

const conflict = { '409': problem('Not enough points, reward not offered, or claim already used') };

const paths = {
  '/v1/customers/{customerId}': {
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
  '/v1/program': {
    get: { summary: 'The loyalty program: earn rules, pending period, expiry, tiers', responses: { '200': json('Program'), ...errors } },
    put: { summary: 'Replace the loyalty program (sk)', requestBody: json('ProgramInput'), responses: { '200': json('Program'), ...errors } },
  },
  '/v1/rewards': {
    get: { summary: 'Rewards catalog, oldest first (pk: active ones only)', parameters: pageParameters, responses: { '200': json('RewardList'), ...errors } },
  },
  '/v1/rewards/{id}': {
    get: { summary: 'One reward', parameters: [pathParam('id')], responses: { '200': json('Reward'), ...errors } },
    put: {
      summary: 'Create (201) or replace (200) a reward (sk)',
      parameters: [pathParam('id')],
      requestBody: json('RewardInput'),
      responses: { '200': json('Reward', 'Replaced'), '201': json('Reward', 'Created'), ...errors },
    },
  },
  '/v1/customers': {
    get: {
      summary: 'The shop’s customers in id order, a page at a time, optionally those whose id starts with q (sk)',
      parameters: [
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 } },
        { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'nextCursor of the previous page' },
        { name: 'q', in: 'query', schema: { type: 'string', maxLength: 128 }, description: 'The start of a customer id' },
      ],
      responses: { '200': json('CustomerList', '{data: [{customerId, points, tier, badges, createdAt, lastActivityAt}], nextCursor}'), ...errors },
    },
  },
  '/v1/customers/{customerId}/redemptions': {
    post: {
      summary: 'Spend points on a reward: a single-use code (sk, or pk with that customer’s identity); never below zero',
      parameters: [pathParam('customerId')],
      requestBody: json('RedemptionInput'),
      responses: { '201': json('Redemption', 'The single-use code'), '200': json('Redemption', 'Replay of the same id (`duplicate`)'), ...conflict, ...errors },
    },
  },
  '/v1/order-claims': {
    post: { summary: 'Claim link for a guest order (sk)', requestBody: json('ClaimInput'), responses: { '201': json('ClaimLink'), ...errors } },
  },
  '/v1/order-claims/{token}': {
    get: { summary: 'Claim status and order total', parameters: [pathParam('token')], responses: { '200': json('ClaimStatus'), ...errors } },
  },
  '/v1/order-claims/{token}/accept': {
    post: {
      summary: 'Credit the order to a customer, once (pk + identity, or sk with customerId)',
      parameters: [pathParam('token')],
      requestBody: json('ClaimAcceptInput'),
      responses: { '200': json('ClaimAccepted'), '410': problem('Claim expired'), ...conflict, ...errors },
    },
  },
};

export const loyaltyPaths = { ...paths, ...deprecatedPaths(paths, '/v1/claims', '/v1/order-claims') };
