// The KPIs section's strings. English here; French and German beside it
// (messages.fr.ts, messages.de.ts). `t` also knows the shared strings (console/messages.ts).
import { defineMessages } from '../../i18n.js';
import { t as shared } from '../../messages.js';

export const en = {
  kpis: 'KPIs',
  update: 'Update',
  kpiIntro: 'Figures for the period, with one point per week.',
  retention: 'Return-corrected retention',
  retentionHelp: 'New customers of the period with a second purchase not refunded in full.',
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
