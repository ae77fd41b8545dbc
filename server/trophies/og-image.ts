// The picture a shared trophy link unfurls with: a 1200×630 PNG (the size Facebook, X,
// LinkedIn and WhatsApp expect; none of them shows an SVG og:image), drawn as SVG and
// rendered by resvg. Text uses the host's fonts (DejaVu or Liberation on Debian); a host
// without fonts still gets the drawn trophy and its colour.
import { Resvg } from '@resvg/resvg-js';
import { escapeXml, LEVEL_COLOUR, LEVEL_LABEL, levelTitle, trophyShapes } from './drawing.js';
import type { AwardDocument } from './schemas.js';

export const OG_IMAGE = { width: 1200, height: 630 } as const;
const FONT = "'DejaVu Sans', 'Liberation Sans', Arial, sans-serif";

/** Up to `lines` lines of at most `width` characters, cut at spaces, the last one ellipsed if needed. */
export function wrap(text: string, width: number, lines: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.trim().split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= width) line = next;
    else {
      if (line) out.push(line);
      line = word.length > width ? `${word.slice(0, width - 1)}…` : word;
    }
  }
  if (line) out.push(line);
  if (out.length <= lines) return out;
  const kept = out.slice(0, lines);
  kept[lines - 1] = `${kept[lines - 1]!.slice(0, width - 1)}…`;
  return kept;
}

export function ogImageSvg(award: AwardDocument, shopName: string): string {
  const colour = LEVEL_COLOUR[award.level];
  // About 16 bold characters fit the 580 px text column at 56 px.
  const name = wrap(award.trophy.name, 16, 3);
  const nameY = 290 - (name.length - 1) * 33;
  const text = (x: number, y: number, size: number, weight: number, fill: string, value: string) =>
    `<text x="${x}" y="${y}" font-family="${FONT}" font-size="${size}" font-weight="${weight}" fill="${fill}">${escapeXml(value)}</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${OG_IMAGE.width}" height="${OG_IMAGE.height}" viewBox="0 0 1200 630">` +
    `<rect width="1200" height="630" fill="#f6f3ee"/>` +
    `<rect x="40" y="40" width="1120" height="550" rx="32" fill="#fff" stroke="${colour}" stroke-width="6"/>` +
    `<g transform="translate(90 125) scale(6)">${trophyShapes(colour, LEVEL_LABEL[award.level].toUpperCase())}</g>` +
    text(540, nameY - 95, 34, 400, '#57606a', wrap(shopName, 28, 1)[0] ?? '') +
    name.map((line, i) => text(540, nameY + i * 66, 56, 700, '#1f2328', line)).join('') +
    text(540, nameY + (name.length - 1) * 66 + 70, 40, 700, colour, wrap(levelTitle(award), 26, 1)[0] ?? '') +
    (award.revokedAt ? text(540, 520, 36, 700, '#b42318', 'Revoked') : text(540, 520, 30, 400, '#57606a', 'Open Badges 3.0 credential')) +
    `</svg>`
  );
}

// Rendering takes tens of milliseconds: keep the latest few, keyed by what the picture shows.
const cache = new Map<string, Buffer>();
const CACHE_SIZE = 64;

export function ogImagePng(award: AwardDocument, shopName: string): Buffer {
  const key = JSON.stringify([award.id, award.revokedAt ?? null, award.trophy.name, award.trophy.levelName ?? null, shopName]);
  const hit = cache.get(key);
  if (hit) return hit;
  const png = new Resvg(ogImageSvg(award, shopName), {
    fitTo: { mode: 'original' },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  })
    .render()
    .asPng();
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, png);
  return png;
}
