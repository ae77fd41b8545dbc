// The 429 a shop's browser quota answers, wherever publishable-key traffic is stored
// (events, buy-button views and clicks): one wording, one Retry-After.
import type { Response } from 'express';
import { DomainError } from '../errors.js';
import type { QuotaExceeded } from '../store/store.js';

export function quotaProblem(res: Response, error: QuotaExceeded): DomainError {
  const what =
    error.quota === 'events'
      ? `its ${error.limit} browser events per day`
      : `its ${error.limit} anonymous visitors (records of visitors idle for the set number of days are freed)`;
  res.set('Retry-After', error.quota === 'events' ? '3600' : '86400');
  return new DomainError(
    'quota-exceeded',
    `This shop has used ${what}; nothing of this request was stored. The shop can raise its limits with PUT /v1/limits (see docs/limits.md).`,
  );
}
