// What the Programs tab can list and edit: one entry per kind of definition, with
// its routes and form fields. Badge forms are also checked live with the same zod
// schemas the server validates with.
import { GiftInput } from '../server/gifts/schemas.js';
import { BadgeInput, Slug } from '../server/schemas.js';
import { WEBHOOK_EVENT_TYPES, WebhookEndpointInput } from '../server/webhooks/schemas.js';
import { getPath, type Field, type Values } from './forms.js';
import { t, type MessageKey } from './messages.js';

export type KindKey = 'badges' | 'trophies' | 'program' | 'rewards' | 'campaigns' | 'surveys' | 'products' | 'checkins' | 'gifts' | 'webhooks';

export interface Kind {
  key: KindKey;
  /** GET: a list under `listKey`, or (single) the one document. */
  listPath: string;
  listKey?: string;
  putPath: (id: string) => string;
  /** One document per shop (the points program): no id, no list. */
  single?: boolean;
  fields: () => Field[];
  defaults: () => Values;
  /** Form values of a stored document, for what `valuesOf` cannot guess. */
  extraValues?: (doc: any) => Values;
  /** Last touches on the body (constants, null for "none"). */
  finish?: (body: Record<string, any>, values: Values) => void;
  /** Live check before sending: pointer → message. */
  validate?: (body: unknown, id: string | undefined) => Record<string, string>;
  describe: (doc: any) => string;
  /** Fields a read adds that a write refuses (views with computed parts). */
  readOnly?: string[];
}

const idField = (): Field => ({ name: 'id', label: 'id', type: 'text', required: true, hint: 'idHint', uiOnly: true });

/** Live check of a body and, for a new document, its id: with the server's own zod schema. */
const zodValidate =
  (schema: { safeParse: (v: unknown) => { error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } } }) =>
  (body: unknown, id: string | undefined) => {
    const errors = issuesToErrors(schema.safeParse(body).error?.issues ?? []);
    if (id !== undefined) Object.assign(errors, issuesToErrors(Slug.safeParse(id).error?.issues ?? [], '/id'));
    return errors;
  };

const issuesToErrors = (issues: readonly { path: readonly PropertyKey[]; message: string }[], base = '') => {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const pointer = base + (issue.path.length ? '/' + issue.path.map(String).join('/') : '');
    errors[pointer] ??= issue.message;
  }
  return errors;
};

const criteriaKindOf = (c: any): string =>
  c?.sumOf !== undefined ? 'sum' : c?.first ? 'first' : c?.streakWeeks !== undefined ? 'streak' : 'count';

export const EVENT_SUGGESTIONS = ['purchase', 'review', 'share', 'page_view', 'product_view', 'directory_click', 'survey_response', 'checkin'];

export const kinds = (): Kind[] => [
  {
    key: 'badges',
    listPath: '/v1/badges',
    listKey: 'badges',
    putPath: (id) => `/v1/badges/${encodeURIComponent(id)}`,
    fields: () => [
      idField(),
      { name: 'name', label: 'name', type: 'text', required: true },
      { name: 'description', label: 'description', type: 'textarea' },
      { name: 'icon', label: 'icon', type: 'text' },
      { name: 'criteria.event', label: 'event', type: 'text', required: true, hint: 'eventHint', list: 'kudos-events' },
      {
        name: 'criteria.kind',
        label: 'criteriaKind',
        type: 'select',
        uiOnly: true,
        options: [
          ['count', t('kindCount')],
          ['sum', t('kindSum')],
          ['first', t('kindFirst')],
          ['streak', t('kindStreak')],
        ],
      },
      { name: 'criteria.count', label: 'count', type: 'number', required: true, when: (v) => v['criteria.kind'] === 'count' },
      { name: 'criteria.sumOf', label: 'sumOf', type: 'text', required: true, when: (v) => v['criteria.kind'] === 'sum' },
      { name: 'criteria.atLeast', label: 'atLeast', type: 'number', required: true, when: (v) => v['criteria.kind'] === 'sum' },
      { name: 'criteria.streakWeeks', label: 'streakWeeks', type: 'number', required: true, when: (v) => v['criteria.kind'] === 'streak' },
      { name: 'maxAwards', label: 'maxAwards', type: 'number' },
      { name: 'disabled', label: 'badgeDisabled', type: 'checkbox', hint: 'badgeDisabledHint', onlyWhenChecked: true },
      {
        name: 'onRefund',
        label: 'onRefund',
        type: 'select',
        options: [
          ['', t('onRefundDefault')],
          ['keep', t('keep')],
          ['revoke', t('revoke')],
        ],
      },
    ],
    defaults: () => ({ 'criteria.event': 'purchase', 'criteria.kind': 'count', 'criteria.count': '1', onRefund: '' }),
    extraValues: (doc) => ({ 'criteria.kind': criteriaKindOf(doc.criteria) }),
    finish: (body, values) => {
      if (values['criteria.kind'] === 'first') (body.criteria ??= {}).first = true;
    },
    validate: zodValidate(BadgeInput),
    describe: (b) => `${b.icon ?? ''} ${b.name}`.trim(),
  },
  {
    key: 'trophies',
    listPath: '/v1/trophies',
    listKey: 'trophies',
    putPath: (id) => `/v1/trophies/${encodeURIComponent(id)}`,
    fields: () => [
      idField(),
      { name: 'name', label: 'name', type: 'text', required: true },
      { name: 'description', label: 'description', type: 'textarea', required: true },
      { name: 'image', label: 'image', type: 'text' },
      { name: 'criteriaNarrative', label: 'criteriaNarrative', type: 'textarea', required: true },
      {
        name: 'levels',
        label: 'levels',
        type: 'rows',
        fields: [
          { name: 'level', label: 'level', type: 'select', options: ['bronze', 'silver', 'gold'].map((l) => [l, l]) },
          { name: 'name', label: 'levelName', type: 'text' },
        ],
      },
    ],
    defaults: () => ({ levels: [{ level: 'bronze' }] }),
    describe: (tr) => tr.name,
  },
  {
    key: 'program',
    single: true,
    listPath: '/v1/program',
    putPath: () => '/v1/program',
    fields: () => [
      {
        name: 'earn',
        label: 'earn',
        type: 'rows',
        fields: [
          { name: 'event', label: 'event', type: 'text', list: 'kudos-events' },
          { name: 'points', label: 'points', type: 'number' },
          { name: 'per', label: 'per', type: 'text' },
        ],
      },
      { name: 'pendingDays', label: 'pendingDays', type: 'number' },
      { name: 'expiryDays', label: 'expiryDays', type: 'number', emptyIsNull: true },
      {
        name: 'tiers.basis',
        label: 'tierBasis',
        type: 'select',
        options: [
          ['', t('noTiers')],
          ['points', t('basisPoints')],
          ['spend', t('basisSpend')],
        ],
      },
      { name: 'tiers.windowDays', label: 'windowDays', type: 'number', emptyIsNull: true, when: (v) => !!v['tiers.basis'] },
      {
        name: 'tiers.levels',
        label: 'tiers',
        type: 'rows',
        when: (v) => !!v['tiers.basis'],
        fields: [
          { name: 'name', label: 'name', type: 'text' },
          { name: 'min', label: 'min', type: 'number' },
        ],
      },
    ],
    defaults: () => ({}),
    finish: (body, values) => {
      if (!values['tiers.basis']) body.tiers = null;
    },
    describe: () => t('program'),
  },
  {
    key: 'rewards',
    listPath: '/v1/rewards',
    listKey: 'rewards',
    putPath: (id) => `/v1/rewards/${encodeURIComponent(id)}`,
    fields: () => [
      idField(),
      { name: 'name', label: 'name', type: 'text', required: true },
      { name: 'description', label: 'description', type: 'textarea' },
      { name: 'cost', label: 'cost', type: 'number', required: true },
      {
        name: 'discount.kind',
        label: 'discountKind',
        type: 'select',
        options: [
          ['fixed', t('fixed')],
          ['percent', t('percent')],
        ],
      },
      { name: 'discount.amount', label: 'amount', type: 'number', required: true, when: (v) => v['discount.kind'] !== 'percent' },
      { name: 'discount.currency', label: 'currency', type: 'text', required: true, when: (v) => v['discount.kind'] !== 'percent' },
      { name: 'discount.percent', label: 'percentOff', type: 'number', required: true, when: (v) => v['discount.kind'] === 'percent' },
      { name: 'active', label: 'active', type: 'checkbox' },
    ],
    defaults: () => ({ 'discount.kind': 'fixed', 'discount.currency': 'EUR', active: true }),
    describe: (r) => `${r.name} · ${r.cost}`,
  },
  {
    key: 'campaigns',
    listPath: '/v1/console/campaigns',
    listKey: 'campaigns',
    putPath: (id) => `/v1/campaigns/${encodeURIComponent(id)}`,
    fields: () => [
      idField(),
      { name: 'name', label: 'name', type: 'text', required: true },
      {
        name: 'scope.kind',
        label: 'scope',
        type: 'select',
        options: [
          ['product', t('scopeProduct')],
          ['cart', t('scopeCart')],
        ],
      },
      { name: 'scope.productId', label: 'productId', type: 'text', required: true, when: (v) => v['scope.kind'] !== 'cart' },
      {
        name: 'tiers',
        label: 'tiers',
        type: 'rows',
        fields: [
          { name: 'members', label: 'members', type: 'number' },
          { name: 'percentOff', label: 'percentOff', type: 'number' },
        ],
      },
      { name: 'windowHours', label: 'windowHours', type: 'number', required: true },
      { name: 'maxMembers', label: 'maxMembers', type: 'number', required: true },
      { name: 'newCustomersOnly', label: 'newCustomersOnly', type: 'checkbox' },
      { name: 'codes.prefix', label: 'codePrefix', type: 'text', when: (v) => v['codes.issuer'] !== 'shop' },
    ],
    defaults: () => ({ 'scope.kind': 'product', tiers: [{ members: '2', percentOff: '10' }], windowHours: '24', maxMembers: '6' }),
    extraValues: (doc) => ({ 'codes.issuer': getPath(doc, 'codes.issuer') ?? 'kudos' }),
    finish: (body, values) => {
      body.codes = values['codes.issuer'] === 'shop' ? { issuer: 'shop' } : { issuer: 'kudos', prefix: body.codes?.prefix ?? '' };
    },
    describe: (c) => c.name,
  },
  {
    key: 'surveys',
    listPath: '/v1/surveys',
    listKey: 'surveys',
    putPath: (id) => `/v1/surveys/${encodeURIComponent(id)}`,
    fields: () => [
      idField(),
      { name: 'question.en', label: 'question', labelVars: { lang: 'English' }, type: 'textarea', required: true },
      { name: 'question.fr', label: 'question', labelVars: { lang: 'Français' }, type: 'textarea' },
      { name: 'question.de', label: 'question', labelVars: { lang: 'Deutsch' }, type: 'textarea' },
      {
        name: 'placement',
        label: 'placement',
        type: 'select',
        options: [
          ['cart', t('placementCart')],
          ['post-purchase', t('placementPost')],
          ['any', t('placementAny')],
        ],
      },
      { name: 'samplePercent', label: 'samplePercent', type: 'number' },
      { name: 'recontactDays', label: 'recontactDays', type: 'number' },
      { name: 'maxDisplays', label: 'maxDisplays', type: 'number' },
      { name: 'recordEvent', label: 'recordEvent', type: 'checkbox' },
    ],
    defaults: () => ({ placement: 'cart', samplePercent: '100', recontactDays: '30', maxDisplays: '1' }),
    describe: (s) => `${s.id} · ${s.question?.en ?? Object.values(s.question ?? {})[0] ?? ''}`,
  },
  {
    key: 'products',
    listPath: '/v1/console/products',
    listKey: 'products',
    putPath: (id) => `/v1/products/${encodeURIComponent(id)}`,
    fields: () => [
      idField(),
      { name: 'name', label: 'name', type: 'text', required: true },
      { name: 'description', label: 'description', type: 'textarea' },
      { name: 'price', label: 'price', type: 'number', required: true },
      { name: 'currency', label: 'currency', type: 'text', required: true },
      { name: 'imageUrl', label: 'image', type: 'text' },
      { name: 'checkoutUrl', label: 'checkoutUrl', type: 'text', required: true },
      { name: 'availableFrom', label: 'availableFrom', type: 'text', hint: 'isoHint' },
      { name: 'availableUntil', label: 'availableUntil', type: 'text', hint: 'isoHint' },
      { name: 'stock', label: 'stock', type: 'number' },
      { name: 'perCustomerLimit', label: 'perCustomerLimit', type: 'number' },
    ],
    defaults: () => ({ currency: 'EUR' }),
    describe: (p) => `${p.name}${p.stock !== undefined ? ` · ${p.stock}` : ''}`,
  },
  {
    key: 'checkins',
    listPath: '/v1/checkins',
    listKey: 'checkins',
    putPath: (id) => `/v1/checkins/${encodeURIComponent(id)}`,
    readOnly: ['day', 'url'],
    fields: () => [
      idField(),
      { name: 'name', label: 'name', type: 'text', required: true },
      { name: 'place', label: 'place', type: 'text' },
      { name: 'from', label: 'from', type: 'text', required: true, hint: 'isoHint' },
      { name: 'until', label: 'to', type: 'text', required: true, hint: 'isoHint' },
      { name: 'badgeId', label: 'badgeId', type: 'text' },
      { name: 'points', label: 'points', type: 'number' },
      { name: 'shopUrl', label: 'shopUrl', type: 'text' },
    ],
    defaults: () => ({}),
    describe: (c) => `${c.name}${c.place ? ` · ${c.place}` : ''}`,
  },
  {
    key: 'gifts',
    listPath: '/v1/gifts',
    listKey: 'gifts',
    putPath: (id) => `/v1/gifts/${encodeURIComponent(id)}`,
    readOnly: ['usage'],
    fields: () => [
      idField(),
      { name: 'name', label: 'name', type: 'text', required: true, hint: 'giftNameHint' },
      { name: 'description', label: 'description', type: 'textarea' },
      {
        name: 'gift.kind',
        label: 'giftKind',
        type: 'select',
        hint: 'giftKindHint',
        options: [
          ['code', t('giftCode')],
          ['points', t('giftPoints')],
        ],
      },
      { name: 'gift.prefix', label: 'giftPrefix', type: 'text', hint: 'giftPrefixHint', when: (v) => v['gift.kind'] !== 'points' },
      { name: 'gift.points', label: 'points', type: 'number', required: true, when: (v) => v['gift.kind'] === 'points' },
      {
        name: 'rule.kind',
        label: 'giftRule',
        type: 'select',
        options: [
          ['firstOrder', t('ruleFirstOrder')],
          ['nthOrder', t('ruleNthOrder')],
          ['afterCheckin', t('ruleAfterCheckin')],
          ['randomShare', t('ruleRandomShare')],
        ],
      },
      { name: 'rule.n', label: 'ruleN', type: 'number', required: true, when: (v) => v['rule.kind'] === 'nthOrder' },
      { name: 'rule.withinDays', label: 'ruleWithinDays', type: 'number', required: true, when: (v) => v['rule.kind'] === 'afterCheckin' },
      { name: 'rule.checkinId', label: 'ruleCheckinId', type: 'text', hint: 'ruleCheckinIdHint', when: (v) => v['rule.kind'] === 'afterCheckin' },
      { name: 'rule.percent', label: 'rulePercent', type: 'number', required: true, when: (v) => v['rule.kind'] === 'randomShare' },
      {
        name: 'budget.period',
        label: 'budgetPeriod',
        type: 'select',
        options: [
          ['', t('budgetNone')],
          ['day', t('budgetDay')],
          ['week', t('budgetWeek')],
          ['month', t('budgetMonth')],
          ['total', t('budgetTotal')],
        ],
      },
      { name: 'budget.max', label: 'budgetMax', type: 'number', required: true, when: (v) => !!v['budget.period'] },
      { name: 'active', label: 'giftActive', type: 'checkbox', hint: 'giftActiveHint' },
    ],
    defaults: () => ({ 'gift.kind': 'code', 'gift.prefix': 'GIFT-', 'rule.kind': 'firstOrder', 'budget.period': '', active: true }),
    validate: zodValidate(GiftInput),
    describe: (g) => `🎁 ${g.name}${g.active === false ? ` · ${t('paused')}` : ''}`,
  },
];

/** Outgoing webhook endpoints: not a program (no tab), but the same form machinery. */
export const webhookKind = (): Kind => ({
  key: 'webhooks',
  listPath: '/v1/webhooks',
  listKey: 'webhooks',
  putPath: (id) => `/v1/webhooks/${encodeURIComponent(id)}`,
  readOnly: ['secret', 'previousSecretExpiresAt'],
  fields: () => [
    { ...idField(), hint: 'webhookIdHint' },
    { name: 'url', label: 'webhookUrl', type: 'text', required: true, hint: 'webhookUrlHint' },
    {
      name: 'events',
      label: 'webhookEvents',
      type: 'checkboxes',
      required: true,
      options: WEBHOOK_EVENT_TYPES.map((type) => [type, `${type} — ${t(`ev_${type.replace(/\./g, '_')}` as MessageKey)}`]),
    },
    { name: 'description', label: 'description', type: 'text' },
    { name: 'enabled', label: 'webhookEnabled', type: 'checkbox', hint: 'webhookEnabledHint' },
  ],
  defaults: () => ({ events: ['award.created', 'points.changed'], enabled: true }),
  validate: zodValidate(WebhookEndpointInput),
  describe: (w) => w.description || w.id,
});
