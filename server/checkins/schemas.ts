// Check-in points (a stall at a market, a pop-up): request and stored shapes.
import { z } from 'zod';
import { Award, CustomerId, Slug } from '../schemas.js';
import { pageOf } from '../paging.js';

const MAX_WINDOW_DAYS = 62;

const TimeZone = z
  .string()
  .max(64)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'an IANA time zone such as "Europe/Paris"' },
  );

export const CheckinInput = z
  .strictObject({
    name: z.string().trim().min(1).max(80),
    /** Where the stall is, shown on the page ("Place du marché, stand 12"). */
    place: z.string().trim().max(200).optional(),
    /** The active window: outside it the page grants nothing. */
    from: z.iso.datetime({ offset: true }),
    until: z.iso.datetime({ offset: true }),
    /** Event days (and so the daily QR tokens) are calendar days in this zone. */
    timeZone: TimeZone.default('UTC'),
    /** The badge the page promises; its criteria count `market_checkin` events, e.g. {"event":"market_checkin","count":1}. */
    badgeId: Slug.optional(),
    /** Bonus points granted at check-in, on top of any earn rule for `market_checkin`. */
    points: z.number().int().min(1).max(100_000).optional(),
    /** With it, the page offers an optional email field and a checkbox stating this purpose; without it, anonymous only. */
    consentText: z.string().trim().min(10).max(500).optional(),
    /** "Shop online" link on the page; `kudos_src=market&kudos_ref=<id>` is added for attribution. */
    shopUrl: z.url({ protocol: /^https?$/ }).max(2048).optional(),
  })
  .superRefine((c, ctx) => {
    const span = Date.parse(c.until) - Date.parse(c.from);
    if (span <= 0) ctx.addIssue({ code: 'custom', path: ['until'], message: '"until" must be after "from"' });
    else if (span > MAX_WINDOW_DAYS * 86_400_000) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: `the active window is at most ${MAX_WINDOW_DAYS} days` });
    }
  });
export type CheckinInput = z.output<typeof CheckinInput>;

export type CheckinPoint = CheckinInput & { id: string; createdAt: string; updatedAt: string };

/** A check-in point as the API answers it: the definition, the event day a QR printed now is for, and the page that QR opens. */
export const CheckinPointView = z.object({
  ...CheckinInput.shape,
  id: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  day: z.string(),
  url: z.string(),
});
export const CheckinList = pageOf(CheckinPointView);
/** GET /v1/checkins/:id/qr?format=json: what the QR code encodes. */
export const CheckinQrTarget = z.object({ url: z.string(), day: z.string(), checkinId: z.string() });
/** POST /v1/checkins/links: the visits that moved to the customer, and what they earned them. */
export const CheckinLinkResult = z.object({
  customerId: z.string(),
  linked: z.array(z.object({ checkinId: z.string(), visitId: z.string(), at: z.string() })),
  awards: z.array(Award),
});
/** GET /v1/market-list: a page of sign-ups, newest first. */
export const MarketListPage = z.object({
  data: z.array(
    z.object({
      email: z.string(),
      consentText: z.string(),
      consentAt: z.string(),
      checkinId: z.string(),
      day: z.string(),
      checkedInAt: z.string(),
      visitId: z.string(),
      /** The person's consent-withdrawal link (for the shop's emails): it removes the email from this list. */
      withdrawUrl: z.string(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const QrQuery = z.strictObject({
  format: z.enum(['svg', 'png', 'json']).default('svg'),
  /** The event day to print for (YYYY-MM-DD in the point's zone); default today, or the first day of the window. */
  day: z.iso.date().optional(),
});

/** What the shopper agreed to, kept with the email: the exact text and when. */
export interface Consent {
  text: string;
  at: string;
  locale: string;
}

/** One person's check-in at one point. */
export interface Visit {
  visitId: string;
  checkinId: string;
  /** Event day (YYYY-MM-DD, the point's zone). */
  day: string;
  at: string;
  anonymousId: string;
  /** The customer key the check-in was recorded for (`~anon:<id>`). */
  customerKey: string;
  email?: string;
  consent?: Consent;
  /** The identified customer the visit was later linked to (first one wins). */
  linkedTo?: string;
  linkedAt?: string;
}

export const CheckinLinkInput = z.strictObject({
  /** The shop's customer who signed up with this email: their market visits move to them. */
  customerId: CustomerId,
  email: z.email().max(254),
});

export const MarketListQuery = z.strictObject({
  q: z.string().max(254).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(400).regex(/^[A-Za-z0-9_-]*$/, 'the nextCursor of the previous page').optional(),
});
