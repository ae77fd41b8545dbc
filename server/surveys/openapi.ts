// The surveys part of /openapi.json, from the zod schemas the routes validate with.
import { errorsSaying, html, identityHeaders, json, pathParam, problem, responseSchema, schema } from '../openapi-kit.js';
import { SurveyLinkInput, SurveyLinkResult } from './hosted.js';
import { pageOf, pageParameters } from '../paging.js';
import {
  DisplayInput,
  DisplayResult,
  Eligibility,
  PublicSurvey,
  ResponseInput,
  ResponseResult,
  SurveyDefinition,
  SurveyInput,
  SurveySummary,
} from './schemas.js';

const id = pathParam('id');
const person = identityHeaders;
const errors = errorsSaying({
  '403': 'Key role or shopper identity does not allow this',
  '404': 'No such survey (or display) in this shop',
});

export const surveySchemas = {
  SurveyLinkInput: schema(SurveyLinkInput),
  SurveyLinkResult: responseSchema(SurveyLinkResult),
  SurveyInput: schema(SurveyInput),
  SurveyDefinition: responseSchema(SurveyDefinition),
  SurveyList: responseSchema(pageOf(SurveyDefinition)),
  PublicSurvey: responseSchema(PublicSurvey),
  SurveyEligibility: responseSchema(Eligibility),
  DisplayInput: schema(DisplayInput),
  DisplayResult: responseSchema(DisplayResult),
  ResponseInput: schema(ResponseInput),
  ResponseResult: responseSchema(ResponseResult),
  SurveySummary: responseSchema(SurveySummary),
};

export const surveyPaths = {
  '/v1/surveys': {
    get: { summary: 'Every survey of the shop, oldest first (sk)', parameters: pageParameters, responses: { '200': json('SurveyList'), ...errors } },
  },
  '/v1/surveys/{id}': {
    put: {
      summary: 'Create (201) or replace (200) an NPS survey (sk)',
      parameters: [id],
      requestBody: { content: json('SurveyInput').content },
      responses: { '200': json('SurveyDefinition'), '201': json('SurveyDefinition'), ...errors },
    },
    get: {
      summary: 'A survey: the whole definition with sk, the parts a page renders with pk',
      parameters: [id],
      responses: {
        '200': {
          description: 'SurveyDefinition (sk) or PublicSurvey (pk)',
          content: {
            'application/json': {
              schema: { oneOf: [{ $ref: '#/components/schemas/SurveyDefinition' }, { $ref: '#/components/schemas/PublicSurvey' }] },
            },
          },
        },
        ...errors,
      },
    },
  },
  '/v1/surveys/{id}/eligibility': {
    get: {
      summary: 'Should this person see the survey now? (active dates, placement, sticky sampling, cap, recontact window)',
      parameters: [id, { name: 'placement', in: 'query', schema: { enum: ['cart', 'post-purchase'] } }, ...person],
      responses: { '200': json('SurveyEligibility'), ...errors },
    },
  },
  '/v1/surveys/{id}/displays': {
    post: {
      summary: 'Record a display (checked again: 409 when no longer eligible), or its dismissal; repeats change nothing',
      parameters: [id, ...person],
      requestBody: { content: json('DisplayInput').content },
      responses: { '200': json('DisplayResult'), '409': problem('Not eligible now, or the display was answered'), ...errors },
    },
  },
  '/v1/surveys/{id}/responses': {
    post: {
      summary: 'Answer a display: score 0–10, optional comment; one per display, replays are `duplicate`',
      parameters: [id, ...person],
      requestBody: { content: json('ResponseInput').content },
      responses: {
        '201': json('ResponseResult', 'Recorded'),
        '200': json('ResponseResult', 'The same response again (duplicate)'),
        '409': problem('The display was answered with another response, or dismissed'),
        ...errors,
        '429': problem('Rate limit per key and address, anonymous answers per address, or (an anonymous answer recording survey_response) the shop’s anonymous visitors quota (quota-exceeded); see Retry-After'),
      },
    },
  },
  '/v1/surveys/{id}/links': {
    post: {
      summary:
        "A signed post-delivery survey link for one customer (and order), for the shop's fulfilment email (sk): /s/{shopId}/{surveyId}?c=&o=&h= with h = hex HMAC-SHA256(identitySecret, \"kudos-survey:<surveyId>:<orderId>:<customerId>\"), which a Shopify template or a PHP snippet can also compute (docs/nps.md)",
      parameters: [id],
      requestBody: json('SurveyLinkInput'),
      responses: { '200': json('SurveyLinkResult'), ...errors },
    },
  },
  '/s/{shopId}/{surveyId}': {
    get: {
      summary: 'Hosted post-delivery survey page (HTML, no key: the signed link is the credential); answers count as post-delivery NPS',
      security: [],
      parameters: [pathParam('shopId'), pathParam('surveyId'), ...['c', 'o', 'h'].map((name) => ({ name, in: 'query', required: name !== 'o', schema: { type: 'string' } }))],
      responses: { '200': html('The question, or "already answered"'), '404': html('Unknown survey or forged link'), '410': html('The survey is over') },
    },
    post: {
      summary: 'Answer (form post: `score` 0–10, optional `comment`); one answer per customer and survey',
      security: [],
      parameters: [pathParam('shopId'), pathParam('surveyId')],
      responses: { '200': html('Thanks'), '400': html('No score, or a comment too long'), '404': html('Unknown survey or forged link'), '410': html('The survey is over'), '429': html('Velocity limit per IP') },
    },
  },
  '/v1/surveys/{id}/summary': {
    get: {
      summary: 'NPS, bands, score distribution, weekly trend and latest comments (sk). Dismissals are not responses',
      parameters: [id, { name: 'weeks', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 104, default: 12 } }],
      responses: { '200': json('SurveySummary'), ...errors },
    },
  },
};
