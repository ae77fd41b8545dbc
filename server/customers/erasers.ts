// Erasing a customer (GDPR art. 17) must reach every feature that keeps data about
// them, not only the customer record: each feature that stores per-customer
// documents lists its eraser here, so forgetting one is a visible omission.
import type { Store } from '../store/store.js';
import { eraseGroupMemberships, eraseSurveyAnswers, eraseTrophyAwards } from './feature-erasers.js';
import { erasePopups } from '../gifts/erase.js';
import { eraseProductBuyers } from '../products/erase.js';
import { eraseTierStanding } from '../webhooks/tier-changes.js';

export type CustomerEraser = (store: Store, shopId: string, customerId: string) => Promise<void>;

export const customerErasers: readonly CustomerEraser[] = [eraseSurveyAnswers, eraseTrophyAwards, eraseGroupMemberships, erasePopups, eraseProductBuyers, eraseTierStanding];
