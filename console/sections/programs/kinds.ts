// What the Programs section can list and edit: one entry per kind of definition, with
// its routes and form fields (labels and help lines in the shop owner's words).
import { getPath } from '../../forms.js';
import { idField, type Kind } from '../../kind.js';
import { browserZone, timeZones } from '../../time.js';
import { t } from './messages.js';

const criteriaKindOf = (c: any): string =>
  c?.sumOf !== undefined ? 'sum' : c?.first ? 'first' : c?.streakWeeks !== undefined ? 'streak' : 'count';

/** Events the engine knows, with what each means in a shop (shown in the event pickers' suggestions). */
export const EVENT_SUGGESTIONS = (): [string, string][] => [
  ['purchase', t('evPurchase')],
  ['review', t('evReview')],
  ['share', t('evShare')],
  ['page_view', t('evPageView')],
  ['product_view', t('evProductView')],
  ['directory_click', t('evDirectoryClick')],
  ['survey_response', t('evSurveyResponse')],
  ['market_checkin', t('evMarketCheckin')],
];

export const PROGRAM_KINDS = ['badges', 'trophies', 'program', 'rewards', 'campaigns', 'surveys', 'products', 'checkins', 'gifts'] as const;
export type ProgramKey = (typeof PROGRAM_KINDS)[number];

export const kinds = (): (Kind & { key: ProgramKey })[] => [
  {
    key: 'badges',
    title: () => t('badges'),
    liveCheck: true,
    listPath: '/v1/badges',
    putPath: (id) => `/v1/badges/${encodeURIComponent(id)}`,
    fields: () => [
      idField(),
      { name: 'name', label: t('name'), type: 'text', required: true },
      { name: 'description', label: t('description'), type: 'textarea' },
      { name: 'icon', label: t('icon'), type: 'text', hint: t('iconHint') },
      { name: 'criteria.event', label: t('event'), type: 'text', required: true, hint: t('eventHint'), list: 'kudos-events' },
      {
        name: 'criteria.kind',
        label: t('criteriaKind'),
        type: 'select',
        uiOnly: true,
        options: [
          ['count', t('kindCount')],
          ['sum', t('kindSum')],
          ['first', t('kindFirst')],
          ['streak', t('kindStreak')],
        ],
      },
      { name: 'criteria.count', label: t('count'), type: 'number', required: true, when: (v) => v['criteria.kind'] === 'count' },
      { name: 'criteria.sumOf', label: t('sumOf'), type: 'text', required: true, when: (v) => v['criteria.kind'] === 'sum' },
      { name: 'criteria.atLeast', label: t('atLeast'), type: 'number', required: true, when: (v) => v['criteria.kind'] === 'sum' },
      { name: 'criteria.streakWeeks', label: t('streakWeeks'), type: 'number', required: true, when: (v) => v['criteria.kind'] === 'streak' },
      { name: 'maxAwards', label: t('maxAwards'), type: 'number', hint: t('maxAwardsHint') },
      { name: 'active', label: t('badgeActive'), type: 'checkbox', hint: t('badgeActiveHint') },
      {
        name: 'onRefund',
        label: t('onRefund'),
        type: 'select',
        options: [
          ['', t('onRefundDefault')],
          ['keep', t('keep')],
          ['revoke', t('revoke')],
        ],
      },
    ],
    defaults: () => ({ 'criteria.event': 'purchase', 'criteria.kind': 'count', 'criteria.count': '1', onRefund: '', active: true }),
    extraValues: (doc) => ({ 'criteria.kind': criteriaKindOf(doc.criteria) }),
    finish: (body, values) => {
      if (values['criteria.kind'] === 'first') (body.criteria ??= {}).first = true;
    },
    describe: (b) => `${b.icon ?? ''} ${b.name}`.trim(),
  },
  {
    key: 'trophies',
    title: () => t('trophies'),
    liveCheck: true,
    listPath: '/v1/trophies',
    putPath: (id) => `/v1/trophies/${encodeURIComponent(id)}`,
    fields: () => [
      idField(),
      { name: 'name', label: t('name'), type: 'text', required: true },
      { name: 'description', label: t('description'), type: 'textarea', required: true },
      { name: 'image', label: t('image'), type: 'text' },
      { name: 'criteriaNarrative', label: t('criteriaNarrative'), type: 'textarea', required: true },
      {
        name: 'levels',
        label: t('levels'),
        type: 'rows',
        fields: [
          { name: 'level', label: t('level'), type: 'select', options: ['bronze', 'silver', 'gold'].map((l) => [l, l]) },
          { name: 'name', label: t('levelName'), type: 'text' },
        ],
      },
    ],
    defaults: () => ({ levels: [{ level: 'bronze' }] }),
    describe: (tr) => tr.name,
  },
  {
    key: 'program',
    title: () => t('program'),
    liveCheck: true,
    single: true,
    listPath: '/v1/program',
    putPath: () => '/v1/program',
    fields: () => [
      {
        name: 'earn',
        label: t('earn'),
        type: 'rows',
        hint: t('earnHint'),
        fields: [
          { name: 'event', label: t('earnEvent'), type: 'text', list: 'kudos-events' },
          { name: 'points', label: t('points'), type: 'number' },
          {
            name: 'per',
            label: t('per'),
            type: 'select',
            options: [
              ['', t('perEvent')],
              ['total', t('perMoney')],
            ],
          },
        ],
      },
      { name: 'pendingDays', label: t('pendingDays'), type: 'number', hint: t('pendingDaysHint') },
      { name: 'expiryDays', label: t('expiryDays'), type: 'number', emptyIsNull: true, hint: t('expiryDaysHint') },
      {
        name: 'tiers.basis',
        label: t('tierBasis'),
        type: 'select',
        options: [
          ['', t('noTiers')],
          ['points', t('basisPoints')],
          ['spend', t('basisSpend')],
        ],
      },
      { name: 'tiers.windowDays', label: t('windowDays'), type: 'number', emptyIsNull: true, when: (v) => !!v['tiers.basis'] },
      {
        name: 'tiers.levels',
        label: t('tiers'),
        type: 'rows',
        when: (v) => !!v['tiers.basis'],
        fields: [
          { name: 'name', label: t('name'), type: 'text' },
          { name: 'min', label: t('min'), type: 'number' },
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
    title: () => t('rewards'),
    liveCheck: true,
    listPath: '/v1/rewards',
    putPath: (id) => `/v1/rewards/${encodeURIComponent(id)}`,
    fields: () => [
      idField(),
      { name: 'name', label: t('name'), type: 'text', required: true },
      { name: 'description', label: t('description'), type: 'textarea' },
      { name: 'cost', label: t('cost'), type: 'number', required: true, hint: t('costHint') },
      {
        name: 'discount.kind',
        label: t('discountKind'),
        type: 'select',
        options: [
          ['fixed', t('fixed')],
          ['percent', t('percent')],
        ],
      },
      { name: 'discount.amount', label: t('amount'), type: 'number', required: true, when: (v) => v['discount.kind'] !== 'percent' },
      { name: 'discount.currency', label: t('currency'), type: 'text', required: true, when: (v) => v['discount.kind'] !== 'percent' },
      { name: 'discount.percent', label: t('percentOff'), type: 'number', required: true, when: (v) => v['discount.kind'] === 'percent' },
      { name: 'active', label: t('active'), type: 'checkbox' },
    ],
    defaults: () => ({ 'discount.kind': 'fixed', 'discount.currency': 'EUR', active: true }),
    describe: (r) => `${r.name} · ${r.cost}`,
  },
  {
    key: 'campaigns',
    title: () => t('campaigns'),
    liveCheck: true,
    listPath: '/v1/console/campaigns',
    listKey: 'campaigns',
    putPath: (id) => `/v1/campaigns/${encodeURIComponent(id)}`,
    fields: () => [
      idField(),
      { name: 'name', label: t('name'), type: 'text', required: true },
      {
        name: 'scope.kind',
        label: t('scope'),
        type: 'select',
        options: [
          ['product', t('scopeProduct')],
          ['cart', t('scopeCart')],
        ],
      },
      { name: 'scope.productId', label: t('productId'), type: 'text', required: true, when: (v) => v['scope.kind'] !== 'cart' },
      {
        name: 'tiers',
        label: t('tiers'),
        type: 'rows',
        fields: [
          { name: 'members', label: t('members'), type: 'number' },
          { name: 'percentOff', label: t('percentOff'), type: 'number' },
        ],
      },
      { name: 'windowHours', label: t('windowHours'), type: 'number', required: true, hint: t('windowHoursHint') },
      { name: 'maxMembers', label: t('maxMembers'), type: 'number', required: true },
      { name: 'newCustomersOnly', label: t('newCustomersOnly'), type: 'checkbox' },
      { name: 'codes.prefix', label: t('codePrefix'), type: 'text', when: (v) => v['codes.issuer'] !== 'shop', hint: t('codePrefixHint') },
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
    title: () => t('surveys'),
    liveCheck: true,
    listPath: '/v1/surveys',
    putPath: (id) => `/v1/surveys/${encodeURIComponent(id)}`,
    fields: () => [
      idField(),
      { name: 'question.en', label: t('question', { lang: 'English' }), type: 'textarea', required: true },
      { name: 'question.fr', label: t('question', { lang: 'Français' }), type: 'textarea' },
      { name: 'question.de', label: t('question', { lang: 'Deutsch' }), type: 'textarea' },
      {
        name: 'placement',
        label: t('placement'),
        type: 'select',
        options: [
          ['cart', t('placementCart')],
          ['post-purchase', t('placementPost')],
          ['any', t('placementAny')],
        ],
      },
      { name: 'samplePercent', label: t('samplePercent'), type: 'number', hint: t('samplePercentHint') },
      { name: 'recontactDays', label: t('recontactDays'), type: 'number', hint: t('recontactDaysHint') },
      { name: 'maxDisplays', label: t('maxDisplays'), type: 'number' },
      { name: 'recordEvent', label: t('recordEvent'), type: 'checkbox' },
      { name: 'askOnFulfilment', label: t('askOnFulfilment'), type: 'checkbox', hint: t('askOnFulfilmentHint') },
    ],
    defaults: () => ({ placement: 'cart', samplePercent: '100', recontactDays: '30', maxDisplays: '1' }),
    describe: (s) => `${s.id} · ${s.question?.en ?? Object.values(s.question ?? {})[0] ?? ''}`,
  },
  {
    key: 'products',
    title: () => t('products'),
    liveCheck: true,
    listPath: '/v1/console/products',
    listKey: 'products',
    putPath: (id) => `/v1/products/${encodeURIComponent(id)}`,
    fields: () => [
      idField(),
      { name: 'name', label: t('name'), type: 'text', required: true },
      { name: 'description', label: t('description'), type: 'textarea' },
      { name: 'price', label: t('price'), type: 'number', required: true },
      { name: 'currency', label: t('currency'), type: 'text', required: true },
      { name: 'imageUrl', label: t('image'), type: 'text' },
      { name: 'checkoutUrl', label: t('checkoutUrl'), type: 'text', required: true },
      { name: 'availableFrom', label: t('availableFrom'), type: 'datetime', hint: t('availableFromHint'), timeZone: () => browserZone() },
      { name: 'availableUntil', label: t('availableUntil'), type: 'datetime', hint: t('availableUntilHint'), timeZone: () => browserZone() },
      { name: 'stock', label: t('stock'), type: 'number', hint: t('stockHint') },
      { name: 'perCustomerLimit', label: t('perCustomerLimit'), type: 'number' },
    ],
    defaults: () => ({ currency: 'EUR' }),
    describe: (p) => `${p.name}${p.stock !== undefined ? ` · ${p.stock}` : ''}`,
  },
  {
    key: 'checkins',
    title: () => t('checkins'),
    liveCheck: true,
    listPath: '/v1/checkins',
    putPath: (id) => `/v1/checkins/${encodeURIComponent(id)}`,
    readOnly: ['day', 'url'],
    fields: () => [
      idField(),
      { name: 'name', label: t('name'), type: 'text', required: true },
      { name: 'place', label: t('place'), type: 'text', hint: t('placeHint') },
      {
        name: 'timeZone',
        label: t('timeZone'),
        type: 'select',
        hint: t('timeZoneHint'),
        options: timeZones().map((z) => [z, z.replace(/_/g, ' ')]),
      },
      { name: 'from', label: t('from'), type: 'datetime', required: true, hint: t('checkinFromHint'), timeZone: (v) => String(v.timeZone || 'UTC') },
      { name: 'until', label: t('to'), type: 'datetime', required: true, hint: t('checkinUntilHint'), timeZone: (v) => String(v.timeZone || 'UTC') },
      { name: 'consentText', label: t('consentText'), type: 'textarea', hint: t('consentTextHint') },
      { name: 'badgeId', label: t('badgeId'), type: 'text', hint: t('checkinBadgeHint') },
      { name: 'points', label: t('points'), type: 'number', hint: t('checkinPointsHint') },
      { name: 'shopUrl', label: t('shopUrl'), type: 'text', hint: t('shopUrlHint') },
    ],
    defaults: () => ({ timeZone: browserZone() }),
    describe: (c) => `${c.name}${c.place ? ` · ${c.place}` : ''}`,
  },
  {
    key: 'gifts',
    title: () => t('gifts'),
    liveCheck: true,
    listPath: '/v1/gifts',
    putPath: (id) => `/v1/gifts/${encodeURIComponent(id)}`,
    readOnly: ['usage'],
    fields: () => [
      idField(),
      { name: 'name', label: t('name'), type: 'text', required: true, hint: t('giftNameHint') },
      { name: 'description', label: t('description'), type: 'textarea' },
      {
        name: 'gift.kind',
        label: t('giftKind'),
        type: 'select',
        hint: t('giftKindHint'),
        options: [
          ['code', t('giftCode')],
          ['points', t('giftPoints')],
        ],
      },
      { name: 'gift.prefix', label: t('giftPrefix'), type: 'text', hint: t('giftPrefixHint'), when: (v) => v['gift.kind'] !== 'points' },
      { name: 'gift.points', label: t('points'), type: 'number', required: true, when: (v) => v['gift.kind'] === 'points' },
      {
        name: 'rule.kind',
        label: t('giftRule'),
        type: 'select',
        options: [
          ['firstOrder', t('ruleFirstOrder')],
          ['nthOrder', t('ruleNthOrder')],
          ['afterCheckin', t('ruleAfterCheckin')],
          ['randomShare', t('ruleRandomShare')],
        ],
      },
      { name: 'rule.n', label: t('ruleN'), type: 'number', required: true, when: (v) => v['rule.kind'] === 'nthOrder' },
      { name: 'rule.withinDays', label: t('ruleWithinDays'), type: 'number', required: true, when: (v) => v['rule.kind'] === 'afterCheckin' },
      { name: 'rule.checkinId', label: t('ruleCheckinId'), type: 'text', hint: t('ruleCheckinIdHint'), when: (v) => v['rule.kind'] === 'afterCheckin' },
      { name: 'rule.percent', label: t('rulePercent'), type: 'number', required: true, when: (v) => v['rule.kind'] === 'randomShare' },
      {
        name: 'budget.period',
        label: t('budgetPeriod'),
        type: 'select',
        options: [
          ['', t('budgetNone')],
          ['day', t('budgetDay')],
          ['week', t('budgetWeek')],
          ['month', t('budgetMonth')],
          ['total', t('budgetTotal')],
        ],
      },
      { name: 'budget.max', label: t('budgetMax'), type: 'number', required: true, when: (v) => !!v['budget.period'] },
      { name: 'active', label: t('giftActive'), type: 'checkbox', hint: t('giftActiveHint') },
    ],
    defaults: () => ({ 'gift.kind': 'code', 'gift.prefix': 'GIFT-', 'rule.kind': 'firstOrder', 'budget.period': '', active: true }),
    describe: (g) => `🎁 ${g.name}${g.active === false ? ` · ${t('paused')}` : ''}`,
  },
];
