// The forecast part of /openapi.json.
import type { z } from 'zod';
import { errorsSaying, json, responseSchema, schema } from '../openapi-kit.js';
import type { ForecastAccuracy, ForecastSettings } from './engine.js';
import { ForecastResponse, ForecastSettingsInput, ForecastSettingsResponse, StockBatch, StockResult } from './schemas.js';

// The answers are built from TypeScript types: these fail to compile when a schema and its type part ways.
const forecastFits = (f: ForecastAccuracy): z.output<typeof ForecastResponse> => f;
const settingsFit = (s: ForecastSettings): z.output<typeof ForecastSettingsResponse> => s;
void forecastFits;
void settingsFit;

const errors = errorsSaying({ '403': 'Needs a secret key with the scope docs/access.md names' });
const query = (name: string, description: string) => ({ name, in: 'query', required: false, schema: { type: 'string' }, description });

export const forecastSchemas = {
  StockBatch: schema(StockBatch),
  StockResult: responseSchema(StockResult),
  ForecastSettingsInput: schema(ForecastSettingsInput),
  ForecastSettings: responseSchema(ForecastSettingsResponse),
  ForecastAccuracy: responseSchema(ForecastResponse),
};

export const forecastPaths = {
  '/v1/stock': {
    post: {
      summary:
        'Stock levels per SKU (sk; up to 1000): units on hand, dated (`at`, default now; bounded like occurredAt). A level older than one already set joins the history without replacing it. Shopify and WooCommerce connections set them from product updates',
      requestBody: json('StockBatch'),
      responses: { '200': json('StockResult'), ...errors },
    },
  },
  '/v1/forecast': {
    get: {
      summary:
        "Forecast accuracy over [from, to) (sk; docs/forecast.md): per SKU the daily demand forecast (exponential smoothing of daily sales), stock days = on hand / demand at the period's end (or now), the share of SKUs inside the shop's target range, and the WAPE of the forecast made at the period's start against the units sold in its whole days",
      parameters: [
        query('from', 'YYYY-MM-DD (midnight UTC) or ISO datetime, included; default 12 weeks before `to`'),
        query('to', 'YYYY-MM-DD or ISO datetime, excluded; default now. At most 731 days after `from`'),
      ],
      responses: { '200': json('ForecastAccuracy'), ...errors },
    },
  },
  '/v1/forecast/settings': {
    get: { summary: "The shop's forecast settings (sk): alpha, lookbackDays, targetDays {min, max}", responses: { '200': json('ForecastSettings'), ...errors } },
    put: { summary: 'Sets the forecast settings (sk, admin)', requestBody: json('ForecastSettingsInput'), responses: { '200': json('ForecastSettings'), ...errors } },
  },
};
