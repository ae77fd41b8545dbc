// A shop's bounds for publishable-key traffic (docs/limits.md). The publishable
// key is public: whatever arrives with it must fit in these, per shop.
import { z } from 'zod';

export const LimitsInput = z.strictObject({
  /** Browser (publishable-key) events accepted per rolling 24 hours; their ids are remembered that long. */
  browserEventsPerDay: z.number().int().min(100).max(10_000_000).default(20_000),
  /** Anonymous visitors (X-Kudos-Anonymous-Id) with a record at once. */
  anonymousVisitors: z.number().int().min(100).max(10_000_000).default(10_000),
  /** An anonymous visitor's record is forgotten after this many days without activity. */
  anonymousIdleDays: z.number().int().min(1).max(365).default(30),
  /** Anonymous answers to one NPS survey from one address (an IPv6 /64) per rolling 24 hours; verified shoppers answer once each. */
  anonymousSurveyResponsesPerIp: z.number().int().min(1).max(10_000).default(10),
});
export type Limits = z.output<typeof LimitsInput>;
export const DEFAULT_LIMITS: Limits = LimitsInput.parse({});
