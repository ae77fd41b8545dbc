// The check-in points part of /openapi.json (the market list and the withdraw page included), from the zod schemas the routes validate with.
import { errorsSaying, html, json, pathParam, responseSchema, schema, text } from '../openapi-kit.js';
import { CheckinInput, CheckinLinkInput, CheckinLinkResult, CheckinList, CheckinPointView, CheckinQrTarget, MarketListPage, MarketListQuery } from './schemas.js';
import { pageParameters } from '../paging.js';

const withoutMeta = ({ $schema: _ignored, ...rest }: Record<string, unknown>) => rest;

const errors = errorsSaying({ '403': 'Needs the secret key', '404': 'No such check-in point in this shop' });
const body = (ref: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const point = json('CheckinPoint', 'The check-in point, with `day` (the event day a QR printed now is for) and `url` (the page that QR opens)');

export const checkinSchemas = {
  CheckinInput: schema(CheckinInput),
  CheckinLinkInput: schema(CheckinLinkInput),
  CheckinPoint: responseSchema(CheckinPointView),
  CheckinList: responseSchema(CheckinList),
  CheckinQrTarget: responseSchema(CheckinQrTarget),
  CheckinLinkResult: responseSchema(CheckinLinkResult),
  MarketListPage: responseSchema(MarketListPage),
};

export const checkinPaths = {
  '/v1/checkins': { get: { summary: 'Check-in points of the shop, oldest first (sk)', parameters: pageParameters, responses: { '200': json('CheckinList'), ...errors } } },
  '/v1/checkins/{id}': {
    put: {
      summary: 'Create (201) or replace (200) a check-in point: name, place, active window, badge/points, optional consent text (sk)',
      parameters: [pathParam('id')],
      requestBody: body('CheckinInput'),
      responses: { '200': point, '201': point, ...errors },
    },
    get: { summary: 'A check-in point (sk)', parameters: [pathParam('id')], responses: { '200': point, ...errors } },
  },
  '/v1/checkins/{id}/qr': {
    get: {
      summary: 'Printable QR code of the day’s check-in page (sk); the URL it encodes is in `Kudos-Checkin-Url` and `Link`',
      parameters: [
        pathParam('id'),
        { name: 'format', in: 'query', schema: { type: 'string', enum: ['svg', 'png', 'json'], default: 'svg' } },
        { name: 'day', in: 'query', schema: { type: 'string', format: 'date' }, description: 'An event day of the window (default: today, or the first day)' },
      ],
      responses: {
        '200': {
          description: 'The QR code (or {url, day, checkinId} with format=json)',
          content: {
            'image/svg+xml': { schema: { type: 'string' } },
            'image/png': { schema: { type: 'string', contentEncoding: 'binary' } },
            'application/json': { schema: { $ref: '#/components/schemas/CheckinQrTarget' } },
          },
        },
        ...errors,
      },
    },
  },
  '/v1/checkins/links': {
    post: {
      summary: 'The shop knows this email is this customer now: market visits checked in with it move to them (first customer wins) (sk)',
      requestBody: body('CheckinLinkInput'),
      responses: { '200': json('CheckinLinkResult'), ...errors },
    },
  },
  '/c/{token}': {
    get: {
      summary: 'Hosted check-in page (HTML, no key: the daily signed token is the credential)',
      security: [],
      parameters: [pathParam('token')],
      responses: { '200': html('The form'), '403': html('Not open yet'), '404': html('Unknown or forged token'), '410': html('An earlier day’s token, or the event is over') },
    },
    post: {
      summary: 'Check in (form post: optional `email` with `consent=yes`); grants at once',
      security: [],
      parameters: [pathParam('token')],
      responses: { '200': html('What was earned, or "already checked in"'), '400': html('Email without consent, or not an email'), '429': html('Velocity limit per IP, or the shop’s anonymous visitors quota (a page saying check-ins are full, Retry-After a day)') },
    },
  },
  '/c/{token}/qr': {
    get: {
      summary: 'The QR code of a check-in page as SVG (no key: whoever holds the page link may print it; the code only encodes the link)',
      security: [],
      parameters: [pathParam('token')],
      responses: { '200': text('image/svg+xml', 'The QR code of /c/{token}'), '404': html('Unknown or forged token') },
    },
  },
  '/w/{shopId}/{visitId}/{mac}': {
    get: {
      summary: 'Consent withdrawal page of a market-list sign-up (HTML, no key: the signed link is the credential); asks to confirm',
      security: [],
      parameters: [pathParam('shopId'), pathParam('visitId'), pathParam('mac')],
      responses: { '200': html('Asks to confirm'), '404': html('Unknown or forged link') },
    },
    post: {
      summary: 'Withdraw: the email and its consent leave the visit and the market list (the check-in stays); checkin.withdrawn is told',
      security: [],
      parameters: [pathParam('shopId'), pathParam('visitId'), pathParam('mac')],
      responses: { '200': html('Removed (or removed before)'), '404': html('Unknown or forged link') },
    },
  },
  '/v1/market-list': {
    get: {
      summary: 'The market list (sk): check-in sign-ups with an email and consent, newest first; ?q= (email or stall), ?limit= (1–500), ?cursor=',
      parameters: Object.entries(MarketListQuery.shape).map(([name, s]) => ({ name, in: 'query', schema: withoutMeta(schema(s)) })),
      responses: { '200': json('MarketListPage'), ...errors },
    },
  },
  '/v1/market-list.csv': {
    get: { summary: 'The whole market list as CSV (sk)', responses: { '200': text('text/csv', 'Columns: email,consent_text,consent_at,stall,day,checked_in_at'), ...errors } },
  },
};

