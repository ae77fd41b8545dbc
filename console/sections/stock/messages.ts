// The stock section's strings. English here; French and German beside it
// (messages.fr.ts, messages.de.ts). `t` also knows the shared strings (console/messages.ts).
import { defineMessages } from '../../i18n.js';
import { t as shared } from '../../messages.js';

export const en = {
  stock: 'Stock',
  stockIntro: 'Units on hand per SKU, for forecast accuracy. Set a count here after a stocktake; Shopify and WooCommerce product updates and POST /v1/stock set it too. Kudos does not count stock down by itself.',
  inRangeOf: '{inRange} of {skus} SKUs within {min}–{max} stock days now',
  setStock: 'Set the stock of a SKU',
  sku: 'SKU',
  skuHint: 'As in your orders’ line items: no spaces or “*”. A new SKU is added.',
  onHand: 'Units on hand',
  saveStock: 'Save stock',
  stockSaved: 'Stock of {sku} saved.',
  target: 'Target stock days',
  targetHint: 'A SKU is in range when units on hand ÷ forecast daily demand falls between these.',
  targetMin: 'At least (days)',
  targetMax: 'At most (days)',
  saveTarget: 'Save target',
  targetSaved: 'Target stock days saved.',
  dailyDemand: 'Daily demand (forecast)',
  stockDays: 'Stock days',
  status: 'Status',
  actions: 'Actions',
  below: 'Below range',
  inside: 'In range',
  above: 'Above range',
  notSet: 'not set',
  noDemand: 'no demand forecast',
  set: 'Set',
  setFor: 'Set the stock of {sku}',
  empty: 'No SKU yet: set a count above, or connect Shopify or WooCommerce.',
};

export type Messages = Record<keyof typeof en, string>;

export const t = defineMessages(en, { fr: () => import('./messages.fr.js'), de: () => import('./messages.de.js') }, shared);
