// The public face of an award: the HTML page a shared link opens (Open Graph and
// Twitter meta so it unfurls) and its Open Badges 3.0 credential. Neither shows
// the shop's customer id: the recipient is a salted hash.
import { createHash } from 'node:crypto';
import type { Shop } from '../store/store.js';
import { LEVEL_LABEL, LEVEL_COLOUR, levelTitle, trophyShapes } from './drawing.js';
import { awardPageUrl } from './engine.js';
import type { AwardDocument } from './schemas.js';

/**
 * VCDM 2.0 plus the OB 3.0 context. The published schema (draft 2019-09) still
 * requires `issuanceDate`, so the credential carries it alongside `validFrom`.
 */
export const CREDENTIAL_CONTEXT = [
  'https://www.w3.org/ns/credentials/v2',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
];

/** How a revoked credential says so (docs/trophies.md). */
export const STATUS_TYPE = 'KudosAwardStatus';

export const issuerUrl = (base: string, shop: Shop) => `${base}/t/issuers/${encodeURIComponent(shop.id)}`;

/** The award's own image, or a drawn one: og:image and the credential need a picture. */
export const imageOf = (award: AwardDocument, base: string) => award.trophy.image ?? `${awardPageUrl(base, award.id)}.svg`;

/** The 1200×630 PNG social networks show for a shared link (og-image.ts). */
export const ogImageUrl = (award: AwardDocument, base: string) => `${awardPageUrl(base, award.id)}.png`;

/** Where "Visit the shop" goes: the shop's first registered site, if it has one. */
export const shopSiteOf = (shop: Shop): string | undefined => shop.origins.find((o) => /^https?:\/\//.test(o));

export function credentialOf(award: AwardDocument, shop: Shop, base: string): Record<string, unknown> {
  const page = awardPageUrl(base, award.id);
  const achievementId = `${base}/t/achievements/${encodeURIComponent(shop.id)}/${encodeURIComponent(award.trophyId)}/${award.level}`;
  const name = `${award.trophy.name} (${levelTitle(award)})`;
  return {
    '@context': CREDENTIAL_CONTEXT,
    id: `${page}.json`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name,
    description: award.reason,
    issuer: { id: issuerUrl(base, shop), type: ['Profile'], name: shop.name },
    issuanceDate: award.awardedAt,
    validFrom: award.awardedAt,
    awardedDate: award.awardedAt,
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [
        {
          type: 'IdentityObject',
          identityType: 'ext:shopCustomerId',
          hashed: true,
          identityHash: `sha256$${award.identityHash}`,
          salt: award.salt,
        },
      ],
      narrative: award.reason,
      achievement: {
        id: achievementId,
        type: ['Achievement'],
        achievementType: 'Award',
        name,
        description: award.trophy.levelDescription ?? award.trophy.description,
        criteria: { narrative: award.trophy.criteriaNarrative },
        image: { id: imageOf(award, base), type: 'Image', caption: award.trophy.name },
        creator: { id: issuerUrl(base, shop), type: ['Profile'], name: shop.name },
      },
    },
    credentialStatus: {
      id: `${page}.json#status`,
      type: STATUS_TYPE,
      revoked: Boolean(award.revokedAt),
      ...(award.revokedAt ? { revokedAt: award.revokedAt, revocationReason: award.revocationReason } : {}),
    },
    ...(award.revokedAt ? { revoked: true } : {}),
  };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const PAGE_STYLE = `body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2328;background:#f6f8fa}main{max-width:36rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #d0d7de;border-radius:.75rem}img{display:block;width:8rem;height:8rem;object-fit:contain;margin:0 auto 1rem}h1{margin:0 0 .25rem;font-size:1.5rem;line-height:1.25;text-align:center}.level{margin:0 0 1rem;text-align:center;font-weight:700;color:#57606a}.revoked{padding:.75rem;border-inline-start:.25rem solid #b42318;background:#fdf2f1}dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}small{color:#57606a}a{color:#1d4ed8}a.shop{display:block;padding:.75rem 1rem;border:2px solid #1d4ed8;border-radius:.5rem;text-align:center;font-weight:700;text-decoration:none}`;
const styleHash = createHash('sha256').update(PAGE_STYLE).digest('base64');

/** No script at all; the one style block is allowed by its hash. */
export const PUBLIC_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${styleHash}'`,
  'img-src https: http: data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function shell(title: string, head: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${head}<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

const dateOf = (iso: string) => new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));

export function awardPage(award: AwardDocument, shop: Shop, base: string): string {
  const url = awardPageUrl(base, award.id);
  const image = imageOf(award, base);
  const ogImage = ogImageUrl(award, base);
  const site = shopSiteOf(shop);
  const level = levelTitle(award);
  const title = `${award.trophy.name} (${level}) · ${shop.name}`;
  const revoked = Boolean(award.revokedAt);
  const description = revoked
    ? `This trophy from ${shop.name} was revoked.`
    : `Awarded by ${shop.name}: ${award.reason}`;
  const meta = (attr: 'property' | 'name', key: string, value: string) =>
    `<meta ${attr}="${key}" content="${escapeHtml(value)}">\n`;
  const head =
    `<meta name="description" content="${escapeHtml(description)}">\n` +
    (revoked ? '<meta name="robots" content="noindex">\n' : '') +
    `<link rel="alternate" type="application/ld+json" href="${escapeHtml(url)}.json">\n` +
    meta('property', 'og:type', 'website') +
    meta('property', 'og:title', title) +
    meta('property', 'og:description', description) +
    meta('property', 'og:image', ogImage) +
    meta('property', 'og:image:type', 'image/png') +
    meta('property', 'og:image:width', '1200') +
    meta('property', 'og:image:height', '630') +
    meta('property', 'og:image:alt', award.trophy.name) +
    meta('property', 'og:url', url) +
    meta('property', 'og:site_name', shop.name) +
    meta('name', 'twitter:card', 'summary_large_image') +
    meta('name', 'twitter:title', title) +
    meta('name', 'twitter:description', description) +
    meta('name', 'twitter:image', ogImage) +
    meta('name', 'twitter:image:alt', award.trophy.name);
  const body =
    `<img src="${escapeHtml(image)}" alt="" width="128" height="128">\n` +
    `<h1>${escapeHtml(award.trophy.name)}</h1>\n` +
    `<p class="level">${escapeHtml(level)}</p>\n` +
    (revoked
      ? `<p class="revoked" role="status"><strong>This trophy was revoked</strong> on ${escapeHtml(dateOf(award.revokedAt!))}` +
        (award.revocationReason ? `: ${escapeHtml(award.revocationReason)}` : '') +
        '. It is no longer valid.</p>\n'
      : '') +
    `<p>${escapeHtml(award.trophy.levelDescription ?? award.trophy.description)}</p>\n` +
    '<dl>\n' +
    `<dt>Awarded by</dt><dd>${escapeHtml(shop.name)}</dd>\n` +
    `<dt>Date</dt><dd><time datetime="${escapeHtml(award.awardedAt)}">${escapeHtml(dateOf(award.awardedAt))}</time></dd>\n` +
    `<dt>Reason</dt><dd>${escapeHtml(award.reason)}</dd>\n` +
    `<dt>How it is earned</dt><dd>${escapeHtml(award.trophy.criteriaNarrative)}</dd>\n` +
    '</dl>\n' +
    (site ? `<p><a class="shop" href="${escapeHtml(site)}">Visit ${escapeHtml(shop.name)}</a></p>\n` : '') +
    `<p><small>A verifiable <a href="${escapeHtml(url)}.json">Open Badges 3.0 credential</a> of this trophy.</small></p>`;
  return shell(title, head, body);
}

export function notFoundPage(): string {
  return shell(
    'Trophy not found',
    '<meta name="robots" content="noindex">\n',
    '<h1>Trophy not found</h1>\n<p>This link does not point to a trophy. Check that it was copied in full.</p>',
  );
}

/** A drawn trophy for awards without an image (og:image and the credential need one). */
export function awardSvg(award: AwardDocument): string {
  const colour = LEVEL_COLOUR[award.level];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 64 64" role="img" aria-label="${escapeHtml(award.trophy.name)}">${trophyShapes(colour, LEVEL_LABEL[award.level].toUpperCase())}</svg>`;
}
