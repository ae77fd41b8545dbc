// The loyalty part of /openapi.json: program, rewards, redemptions, claims.
import { z } from 'zod';
import { errors, json, pathParam, problem, schema } from './openapi-kit.js';
import { ClaimAcceptInput, ClaimInput, CustomerList, ProgramInput, RedemptionInput, RewardInput } from './schemas.js';

export const loyaltySchemas = {
  ProgramInput: schema(ProgramInput),
  RewardInput: schema(RewardInput),
  RedemptionInput: schema(RedemptionInput),
  ClaimInput: schema(ClaimInput),
  ClaimAcceptInput: schema(ClaimAcceptInput),
  CustomerList: z.toJSONSchema(CustomerList, { io: 'output', unrepresentable: 'any' }),
};

const conflict = { '409': problem('Not enough points, reward not offered, or claim already used') };

export const loyaltyPaths = {
  '/v1/program': {
    get: { summary: 'The loyalty program: earn rules, pending period, expiry, tiers', responses: { '200': json('ProgramInput'), ...errors } },
    put: { summary: 'Replace the loyalty program (sk)', requestBody: json('ProgramInput'), responses: { '200': json('ProgramInput'), ...errors } },
  },
  '/v1/rewards': {
    get: { summary: 'Rewards catalog (pk: active ones only)', responses: { '200': { description: '{rewards: Reward[]}' }, ...errors } },
  },
  '/v1/rewards/{id}': {
    get: { summary: 'One reward', parameters: [pathParam('id')], responses: { '200': { description: 'Reward' }, ...errors } },
    put: {
      summary: 'Create (201) or replace (200) a reward (sk)',
      parameters: [pathParam('id')],
      requestBody: json('RewardInput'),
      responses: { '200': { description: 'Reward' }, '201': { description: 'Reward' }, ...errors },
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
      responses: { '201': { description: '{id, code, points, balance, …}' }, '200': { description: 'Replay of the same id' }, ...conflict, ...errors },
    },
  },
  '/v1/claims': {
    post: { summary: 'Claim link for a guest order (sk)', requestBody: json('ClaimInput'), responses: { '201': { description: '{token, expiresAt, url?}' }, ...errors } },
  },
  '/v1/claims/{token}': {
    get: { summary: 'Claim status and order total', parameters: [pathParam('token')], responses: { '200': { description: '{status, expiresAt, order}' }, ...errors } },
  },
  '/v1/claims/{token}/accept': {
    post: {
      summary: 'Credit the order to a customer, once (pk + identity, or sk with customerId)',
      parameters: [pathParam('token')],
      requestBody: json('ClaimAcceptInput'),
      responses: { '200': { description: '{customerId, awards}' }, '410': problem('Claim expired'), ...conflict, ...errors },
    },
  },
};
