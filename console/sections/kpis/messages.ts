// The KPIs section's strings. English here; French and German beside it
// (messages.fr.ts, messages.de.ts). `t` also knows the shared strings (console/messages.ts).
import { defineMessages } from '../../i18n.js';
import { t as shared } from '../../messages.js';

export const en = {
  kpis: 'KPIs',
  update: 'Update',
  kpiIntro: 'Figures for the period, with one point per week.',
  retention: 'First-order retention',
  rcRetention: 'Return-corrected retention',
  rcRetentionOf: '{retained} of {buyers} buyers',
  rcRetentionDef: 'Among the customers who ordered in the period, the share with at least two orders in it that were not refunded in full.',
  npsCart: 'In the cart',
  npsDelivery: 'After delivery',
  npsDef: '% promoters (9–10) minus % detractors (0–6), over the answers given in the period by their own day; in-cart and post-delivery answers also apart.',
  forecast: 'Forecast accuracy',
  forecastOf: '{inRange} of {skus} SKUs within {min}–{max} stock days',
  wape: 'forecast error (WAPE)',
  forecastDef: 'The share of SKUs whose stock on hand divided by forecast daily demand (exponential smoothing of daily sales) falls in your target range at the end of the period; WAPE compares the forecast made at its start with what sold.',
  besideIt: 'Beside it:',
  conversionDef: 'The share of the period’s orders from loyalty and recognition: a redeemed reward code, a badge or trophy link. Group, directory and market orders are shown beside it, never added to it.',
  retentionHelp: 'New customers of the period with a later purchase not refunded in full.',
  repeat: 'Repeat purchase rate',
  repeat30: '30-day repeat rate',
  nps: 'Experience NPS',
  npsHelp: '% promoters − % detractors, over {n} responses.',
  conversion: 'Community conversion',
  conversionHelp: 'Purchases brought by each community source, over {n} purchases.',
  awardsKpi: 'Awards over time',
  pointsKpi: 'Points issued vs redeemed',
  groupUnlock: 'Group unlock rate',
  groupUnlockHelp: '{unlocked} of {created} groups reached a discount.',
  issued: 'issued',
  redeemed: 'redeemed',
  loyalty: 'loyalty',
  group: 'group',
  directory: 'directory',
  market: 'market',
  badge: 'badges',
  trophy: 'trophies',
};

export type Messages = Record<keyof typeof en, string>;

export const t = defineMessages(en, { fr: () => import('./messages.fr.js'), de: () => import('./messages.de.js') }, shared);
