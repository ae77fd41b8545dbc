// Request and response shapes of the NPS surveys API (the single source of truth
// for validation, types and /openapi.json, as server/schemas.ts is for the core).
import { z } from 'zod';
import { Currency, Slug } from '../schemas.js';

export const SurveyId = Slug;

const LocaleTag = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/, 'a language tag such as "en", "fr" or "de-CH"');

/** Text per language: `{"en": "…", "fr": "…"}`. Widgets pick the reader's language, then the first one given. */
const Localized = (max: number) =>
  z
    .record(LocaleTag, z.string().trim().min(1).max(max))
    .refine((texts) => Object.keys(texts).length >= 1 && Object.keys(texts).length <= 20, {
      message: 'give the text in 1 to 20 languages, e.g. {"en": "…"}',
    });

export const Placement = z.enum(['cart', 'post-purchase', 'any']);
export type Placement = z.infer<typeof Placement>;

export const SurveyInput = z
  .strictObject({
    question: Localized(200),
    /** Asked after the score, per band; widgets fall back to their own wording for a band left out. */
    followUps: z
      .strictObject({ detractor: Localized(200), passive: Localized(200), promoter: Localized(200) })
      .partial()
      .optional(),
    placement: Placement.default('any'),
    /** Share of people who are ever asked; sticky per person. */
    samplePercent: z.number().finite().min(0).max(100).default(100),
    /** No survey of this shop is shown to a person within this many days of any display (0 = no wait). */
    recontactDays: z.number().int().min(0).max(365).default(30),
    /** Displays of this survey per person, dismissed ones included. */
    maxDisplays: z.number().int().min(1).max(100).default(1),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }).optional(),
    /** Also record each response as a `survey_response` event, so badges (and points) can reward it. */
    recordEvent: z.boolean().default(false),
    /**
     * Ask this survey after each delivered order: a fulfilment (Shopify, WooCommerce or a
     * backend's `order.fulfilled`) sends the `nps.survey_requested` webhook with the signed link.
     */
    askOnFulfilment: z.boolean().default(false),
  })
  .superRefine((s, ctx) => {
    if (s.startsAt && s.endsAt && Date.parse(s.endsAt) <= Date.parse(s.startsAt)) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
    }
  });
export type SurveyInput = z.infer<typeof SurveyInput>;

export const SurveyDefinition = z.object({
  id: SurveyId,
  question: z.record(z.string(), z.string()),
  followUps: z.record(z.string(), z.record(z.string(), z.string())).optional(),
  placement: Placement,
  samplePercent: z.number(),
  recontactDays: z.number(),
  maxDisplays: z.number(),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  recordEvent: z.boolean(),
  askOnFulfilment: z.boolean().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SurveyDefinition = SurveyInput & { id: string; createdAt: string; updatedAt: string };

/** What a page needs to render the survey (publishable key). */
export const PublicSurvey = SurveyDefinition.pick({ id: true, question: true, followUps: true, placement: true });
export type PublicSurvey = Pick<SurveyDefinition, 'id' | 'question' | 'followUps' | 'placement'>;

export const EligibilityQuery = z.strictObject({
  /** Where the page shows it; a survey for another placement answers `show: false`. */
  placement: z.enum(['cart', 'post-purchase']).optional(),
});

export const IneligibleReason = z.enum(['inactive', 'placement', 'not-sampled', 'cap', 'recontact']);
export type IneligibleReason = z.infer<typeof IneligibleReason>;

export const Eligibility = z.object({
  show: z.boolean(),
  reason: IneligibleReason.optional(),
  survey: PublicSurvey.optional(),
});

const ClientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8–64 characters of letters, digits, _ and -');

export const DisplayInput = z.strictObject({
  /** Chosen by the client; repeating it changes nothing. */
  id: ClientId,
  /** The person closed the survey without answering (counts toward the display cap). */
  dismissed: z.literal(true).optional(),
  /** Where the page shows it: answers to a display in the cart count as in-cart NPS (GET /v1/metrics `nps.inCart`). */
  placement: z.enum(['cart', 'post-purchase']).optional(),
});

export const DisplayResult = z.object({
  id: z.string(),
  surveyId: z.string(),
  shownAt: z.string(),
  dismissedAt: z.string().optional(),
});

export const MAX_COMMENT_LENGTH = 1000;

export const ResponseInput = z.strictObject({
  /** Chosen by the client; a replay with the same id and answer is reported `duplicate`. */
  id: ClientId,
  displayId: ClientId,
  score: z.number().int().min(0).max(10),
  comment: z.string().max(MAX_COMMENT_LENGTH).optional(),
  orderId: z.string().min(1).max(128).optional(),
  cartValue: z.number().finite().min(0).max(1_000_000_000).optional(),
  currency: Currency.optional(),
});
export type ResponseInput = z.infer<typeof ResponseInput>;

export const ResponseResult = z.object({
  id: z.string(),
  surveyId: z.string(),
  displayId: z.string(),
  score: z.number(),
  band: z.enum(['detractor', 'passive', 'promoter']),
  respondedAt: z.string(),
  status: z.enum(['accepted', 'duplicate']),
  awards: z.array(z.unknown()),
});

export const SummaryQuery = z.strictObject({
  weeks: z.coerce.number().int().min(1).max(104).optional(),
});

const BandFigures = z.object({ count: z.number(), percent: z.number() });

export const SurveySummary = z.object({
  surveyId: z.string(),
  responses: z.number(),
  displays: z.number(),
  dismissals: z.number(),
  promoters: BandFigures,
  passives: BandFigures,
  detractors: BandFigures,
  /** round(%promoters − %detractors), halves away from zero; null without responses. Dismissals are not responses. */
  nps: z.number().nullable(),
  /** Responses and NPS of signed-in customers only (verified identity). */
  verified: z.object({ responses: z.number(), nps: z.number().nullable() }),
  /** Responses and NPS of anonymous visitors only (one per anonymous id, capped per address). */
  anonymous: z.object({ responses: z.number(), nps: z.number().nullable() }),
  /** In-cart answers (a cart survey, or a display the cart showed) and post-delivery answers (the hosted page), apart. */
  channels: z.object({
    cart: z.object({ responses: z.number(), nps: z.number().nullable() }),
    postDelivery: z.object({ responses: z.number(), nps: z.number().nullable() }),
  }),
  /** Responses per score, index = score 0–10. */
  distribution: z.array(z.number()),
  trend: z.array(
    z.object({
      weekStart: z.string(),
      responses: z.number(),
      promoters: z.number(),
      passives: z.number(),
      detractors: z.number(),
      nps: z.number().nullable(),
    }),
  ),
  comments: z.array(
    z.object({
      score: z.number(),
      comment: z.string(),
      at: z.string(),
      orderId: z.string().optional(),
    }),
  ),
});
export type SurveySummary = z.infer<typeof SurveySummary>;
