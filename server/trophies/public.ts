// The public face of an award: the HTML page a shared link opens (Open Graph and
// Twitter meta so it unfurls) and its Open Badges 3.0 credential. Neither shows
// the shop's customer id: the recipient is a salted hash.
import { createHash } from 'node:crypto';
import type { Shop } from '../store/store.js';
import { LEVEL_LABEL, LEVEL_COLOUR, levelTitle, trophyShapes } from './drawing.js';
import { awardPageUrl } from './engine.js';
import type { IssuerIdentity } from './issuer-key.js';
import { CREDENTIALS_V2, OB_CONTEXT } from './jsonld.js';
import type { AwardDocument, TrophyLevel } from './schemas.js';
import type { Verification } from './signing.js';
import { statusEntry } from './status-list.js';

/**
 * VCDM 2.0 and the OB 3.0.3 context, both bundled (contexts/). The published OB 3.0
 * JSON Schema still requires `issuanceDate`, which VCDM 2.0 replaced with `validFrom`;
 * the credential carries both, and the third, inline context defines `issuanceDate`
 * as the VCDM 1.1 term so no property is undefined in JSON-LD safe mode.
 */
export const CREDENTIAL_CONTEXT = [
  CREDENTIALS_V2,
  OB_CONTEXT,
  { issuanceDate: { '@id': 'https://www.w3.org/2018/credentials#issuanceDate', '@type': 'http://www.w3.org/2001/XMLSchema#dateTime' } },
];


export const issuerUrl = (base: string, shop: Shop) => `${base}/t/issuers/${encodeURIComponent(shop.id)}`;
export const achievementUrl = (base: string, shopId: string, trophyId: string, level: TrophyLevel) =>
  `${base}/t/achievements/${encodeURIComponent(shopId)}/${encodeURIComponent(trophyId)}/${level}`;

/** The award's own image, or a drawn one: og:image and the credential need a picture. */
export const imageOf = (award: AwardDocument, base: string) => award.trophy.image ?? `${awardPageUrl(base, award.id)}.svg`;

/** The 1200×630 PNG social networks show for a shared link (og-image.ts). */
export const ogImageUrl = (award: AwardDocument, base: string) => `${awardPageUrl(base, award.id)}.png`;

/** Where "Visit the shop" goes: the shop's first registered site, if it has one. */
export const shopSiteOf = (shop: Shop): string | undefined => shop.origins.find((o) => /^https?:\/\//.test(o));

/** The shop as an OB 3.0 Profile: its id is the DID that signs, `url` its profile page. */
export const issuerProfile = (shop: Shop, base: string, issuer: IssuerIdentity) => ({
  id: issuer.did,
  type: ['Profile'],
  name: shop.name,
  url: issuerUrl(base, shop),
});

/** An OB 3.0 Achievement: one level of a trophy, as awarded (`award.trophy` is the snapshot kept with the award). */
export function achievementOf(
  award: Pick<AwardDocument, 'trophy' | 'level' | 'trophyId'>,
  shop: Shop,
  base: string,
  issuer: IssuerIdentity,
  image: string | undefined,
) {
  return {
    id: achievementUrl(base, shop.id, award.trophyId, award.level),
    type: ['Achievement'],
    achievementType: 'Award',
    name: `${award.trophy.name} (${levelTitle(award)})`,
    description: award.trophy.levelDescription ?? award.trophy.description,
    criteria: { narrative: award.trophy.criteriaNarrative },
    ...(image ? { image: { id: image, type: 'Image', caption: award.trophy.name } } : {}),
    creator: issuerProfile(shop, base, issuer),
  };
}

/** The unsigned credential of an award that has its status index (signing.ts signs it). */
export function credentialOf(award: AwardDocument & { statusIndex: number }, shop: Shop, base: string, issuer: IssuerIdentity): Record<string, unknown> {
  const page = awardPageUrl(base, award.id);
  const achievement = achievementOf(award, shop, base, issuer, imageOf(award, base));
  return {
    '@context': CREDENTIAL_CONTEXT,
    id: `${page}.json`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: achievement.name,
    description: award.reason,
    issuer: issuerProfile(shop, base, issuer),
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
      achievement,
    },
    credentialStatus: statusEntry(base, shop.id, award.statusIndex),
  };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const PAGE_STYLE = `body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2328;background:#f6f8fa}main{max-width:36rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #d0d7de;border-radius:.75rem}img{display:block;width:8rem;height:8rem;object-fit:contain;margin:0 auto 1rem}h1{margin:0 0 .25rem;font-size:1.5rem;line-height:1.25;text-align:center}.level{margin:0 0 1rem;text-align:center;font-weight:700;color:#57606a}.revoked{padding:.75rem;border-inline-start:.25rem solid #b42318;background:#fdf2f1}dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}small{color:#57606a}a{color:#1d4ed8}a.shop{display:block;padding:.75rem 1rem;border:2px solid #1d4ed8;border-radius:.5rem;text-align:center;font-weight:700;text-decoration:none}.actions{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem}.checks{list-style:none;padding:0}.checks li{margin:.25rem 0}.ok span{color:#1a7f37}.bad span{color:#b42318}`;
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
    `<p><small>A signed <a href="${escapeHtml(url)}.json">Open Badges 3.0 credential</a> of this trophy:</small></p>\n` +
    credentialActions(award, url);
  return shell(title, head, body);
}

/** Links to check the credential here and to keep a copy (a wallet or another verifier takes the file). */
const credentialActions = (award: AwardDocument, url: string) =>
  `<p class="actions"><a href="${escapeHtml(url)}/verify">Verify this trophy</a>` +
  `<a href="${escapeHtml(url)}.json" download="trophy-${escapeHtml(award.id)}.json" type="application/ld+json">Download the credential</a></p>`;

/** What checking the credential found: its signature (issuer key) and its revocation status. */
export function verificationPage(award: AwardDocument, shop: Shop, base: string, result: Verification): string {
  const url = awardPageUrl(base, award.id);
  const valid = result.signature && result.revoked === false;
  const title = `Verification: ${award.trophy.name} · ${shop.name}`;
  const check = (ok: boolean, text: string) => `<li class="${ok ? 'ok' : 'bad'}"><span aria-hidden="true">${ok ? '✓' : '✗'}</span> ${escapeHtml(text)}</li>\n`;
  const body =
    `<h1>${valid ? 'Valid trophy' : 'Not a valid trophy'}</h1>\n` +
    `<p class="level">${escapeHtml(award.trophy.name)} (${escapeHtml(levelTitle(award))}), awarded by ${escapeHtml(shop.name)}</p>\n` +
    '<ul class="checks">\n' +
    check(result.signature, result.signature ? `Signed by ${shop.name}'s issuer key (eddsa-rdfc-2022)` : `The signature does not check out: ${result.error ?? 'unknown error'}`) +
    (result.revoked === undefined
      ? check(false, 'The revocation status could not be checked')
      : check(!result.revoked, result.revoked ? 'Revoked by the issuer' : 'Not revoked (W3C Bitstring Status List)')) +
    '</ul>\n' +
    `<p><a href="${escapeHtml(url)}">Back to the trophy</a></p>\n` +
    credentialActions(award, url);
  return shell(title, '<meta name="robots" content="noindex">\n', body);
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
