// The drawn trophy shared by the small SVG (a trophy without its own image) and the
// 1200×630 og:image, and the level words and colours both use.
import type { AwardDocument } from './schemas.js';

export const LEVEL_LABEL = { bronze: 'Bronze', silver: 'Silver', gold: 'Gold' } as const;
export const LEVEL_COLOUR = { bronze: '#a0522d', silver: '#6b7280', gold: '#b8860b' } as const;

export const levelTitle = (award: Pick<AwardDocument, 'trophy' | 'level'>) => award.trophy.levelName ?? LEVEL_LABEL[award.level];

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);

/** A trophy in a circle on a 64×64 grid, with a word (the level) under it. */
export function trophyShapes(colour: string, label: string): string {
  return `<circle cx="32" cy="32" r="31" fill="#fff" stroke="${colour}" stroke-width="2"/><path d="M20 14h24v8a12 12 0 0 1-24 0z" fill="${colour}"/><path d="M20 17h-6v3a7 7 0 0 0 7 7M44 17h6v3a7 7 0 0 1-7 7" fill="none" stroke="${colour}" stroke-width="2.5"/><rect x="29" y="33" width="6" height="8" fill="${colour}"/><rect x="22" y="41" width="20" height="5" rx="1" fill="${colour}"/><text x="32" y="56" font-family="sans-serif" font-size="6" text-anchor="middle" fill="${colour}">${escapeXml(label)}</text>`;
}
