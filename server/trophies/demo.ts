// POST /demo/trophy: the demo shop's backend awarding "Community roaster" to the
// shopper, through the public API with the secret key, as a real shop backend would.
import { demoKeyOf } from '../access/secrets.js';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { DomainError, parseOr400, problems } from '../http/problem.js';
import { CustomerId } from '../schemas.js';
import type { Shop } from '../store/store.js';
import { DEMO_TROPHY_ID } from './seed.js';
import type { TrophyLevel } from './schemas.js';
import type { TrophyView } from './view.js';

const DemoTrophyInput = z.strictObject({ customerId: CustomerId });
const LEVELS: TrophyLevel[] = ['bronze', 'silver', 'gold'];

export function demoTrophyHandler(demoShop: () => Promise<Shop>, selfUrl: () => string): RequestHandler {
  return async (req, res) => {
    const shop = await demoShop();
    const { customerId } = parseOr400(DemoTrophyInput, req.body ?? {});
    const call = async (path: string, body?: unknown) => {
      const response = await fetch(selfUrl() + path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${demoKeyOf(shop)}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const answer = (await response.json()) as Record<string, any>;
      if (!response.ok) throw new DomainError('demo-backend', answer.detail ?? answer.title, { status: response.status });
      return answer;
    };
    const state = (await call(`/v1/customers/${encodeURIComponent(customerId)}`)) as { trophies: TrophyView[] };
    const held = new Set(state.trophies.filter((t) => t.id === DEMO_TROPHY_ID).map((t) => t.level));
    const level = LEVELS.find((l) => !held.has(l));
    if (!level) throw problems.conflict('Nothing left to award: you already hold every level of this trophy.');
    const award = await call(`/v1/trophies/${DEMO_TROPHY_ID}/awards`, {
      customerId,
      level,
      reason: 'Helped other coffee lovers in the demo storefront.',
    });
    res.status(201).json({ ...award, award: { kind: 'trophy', id: DEMO_TROPHY_ID, name: 'Community roaster', awardedAt: award.awardedAt } });
  };
}
