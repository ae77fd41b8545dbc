// The share-to-save part of /openapi.json, from the zod schemas the routes validate with.
import { z } from 'zod';
import { errorsSaying, json, pathParam, problem, responseSchema, schema } from '../openapi-kit.js';
import { CampaignDefinition, CampaignInput, GroupCreateInput, GroupMemberView, GroupView, PublicCampaign, SuppliedCodeInput } from './schemas.js';

const path = pathParam;
const errors = errorsSaying({
  '403': 'Secret key needed, shopper identity missing or not verified, or a returning customer on a new-customers-only campaign',
  '404': 'No such campaign or group in this shop',
});
const groupErrors = {
  ...errors,
  '409': problem('Already a member (or the owner), group full, too many open groups, or campaign not running'),
  '410': problem('The group window is over (closed at its tier, or expired)'),
  '429': problem('Velocity limit per IP or per shop, or (a group started with the publishable key) the shop’s browser events quota (quota-exceeded); see Retry-After'),
};
const person = [
  { name: 'X-Kudos-Customer', in: 'header', required: true, schema: { type: 'string' } },
  { name: 'X-Kudos-Customer-Hash', in: 'header', required: true, schema: { type: 'string' } },
];

export const shareSaveSchemas = {
  CampaignInput: schema(CampaignInput),
  Campaign: responseSchema(CampaignDefinition),
  PublicCampaign: responseSchema(PublicCampaign),
  GroupCreateInput: schema(GroupCreateInput),
  GroupView: responseSchema(GroupView),
  GroupMemberView: responseSchema(GroupMemberView),
  GroupMemberList: responseSchema(z.array(GroupMemberView)),
  SuppliedCodeInput: schema(SuppliedCodeInput),
};

export const shareSavePaths = {
  '/v1/campaigns/{id}': {
    put: {
      summary: 'Create (201) or replace (200) a share-to-save campaign (sk)',
      parameters: [path('id')],
      requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/CampaignInput' } } } },
      responses: { '200': json('Campaign', 'Replaced'), '201': json('Campaign', 'Created'), ...errors },
    },
    get: {
      summary: 'The campaign: its public offer with pk, everything with sk',
      parameters: [path('id')],
      responses: {
        '200': {
          description: 'PublicCampaign (pk) or Campaign (sk)',
          content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/PublicCampaign' }, { $ref: '#/components/schemas/Campaign' }] } } },
        },
        ...errors,
      },
    },
  },
  '/v1/groups': {
    post: {
      summary: 'Start a group (pk + verified shopper): answers its code, share link, deadline and next tier',
      parameters: person,
      requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/GroupCreateInput' } } } },
      responses: { '201': json('GroupView'), ...groupErrors },
    },
  },
  '/v1/groups/{code}/join': {
    post: {
      summary: 'Join a group (pk + verified shopper); at a tier every member gets a single-use code',
      parameters: [path('code'), ...person],
      responses: { '200': json('GroupView'), ...groupErrors },
    },
  },
  '/v1/groups/{code}': {
    get: {
      summary: 'Progress of a group for anyone with the link; `you` (own code) only for an identified member',
      parameters: [path('code')],
      responses: { '200': json('GroupView'), ...errors },
    },
  },
  '/v1/groups/{code}/members': {
    get: {
      summary: 'Members of a group with their discount and code status (sk)',
      parameters: [path('code')],
      responses: { '200': json('GroupMemberList'), ...errors },
    },
  },
  '/v1/groups/{code}/members/{customerId}/discount-code': {
    put: {
      summary: 'The shop supplies a member the code it made for their discount (sk; campaigns with codes.issuer "shop"). Idempotent',
      parameters: [path('code'), path('customerId')],
      requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/SuppliedCodeInput' } } } },
      responses: {
        '200': json('GroupMemberView'),
        ...errors,
        '409': problem('No code due (the member holds one, is due none, or is due another discount now), or the code belongs to another member'),
      },
    },
  },
};
