import { css } from 'lit';

// One rule per line: Lit ships CSS as written, so whitespace here is bytes in every storefront.
// --_x are private shorthands for the public --kudos-* tokens; the card, header, list,
// items, empty and invitation are `cardStyles` (widgets/internal/tokens.ts).
// min-height: same custom property and fallback as the loader's reservation
// (sdk/widget-tags.ts), so nothing moves when the element upgrades.
// Level colours are dark enough for AA text on the surface; the level is also written out.
// The loading text stays still (a fading text would fail contrast); a decorative disc pulses.
// Forced colours need no rule of their own: borders already take CanvasText there.
// Locked trophies are greyed; the "How to earn it" text says why, so colour is not the only cue.
export const trophyStyles = css`
:host{--_l:var(--_muted);min-height:var(--kudos-trophy-case-min-height,clamp(10.25rem,(768px - 100vw)*1e4,15.5rem))}
p,[part~=criteria]{margin:0;color:var(--_muted);font-size:.875em}
[part~=trophy]{flex-wrap:wrap}
[part~=trophy-bronze]{--_l:var(--kudos-trophy-bronze,#8b4513)}
[part~=trophy-silver]{--_l:var(--kudos-trophy-silver,#4b5563)}
[part~=trophy-gold]{--_l:var(--kudos-trophy-gold,#7a5c00)}
[part~=trophy-earned]{border-inline-start:.25em solid var(--_l)}
[part~=image]{display:grid;place-items:center;width:2.5em;height:2.5em;font-size:1.25em;border-radius:50%;background:color-mix(in srgb,var(--_l) 14%,var(--_surface));object-fit:cover}
[part~=trophy-locked] [part~=image]{filter:grayscale(1);opacity:.6}
.body{flex:1 1 12em}
[part~=name]{color:inherit}
[part~=trophy-locked] [part~=name]{color:var(--_muted)}
[part~=level]{padding:0 .5em;border:1px solid;border-radius:1em;color:var(--_l);font-size:.75em;font-weight:700}
[part~=share-button]{align-self:center;margin-inline-start:auto;background:var(--_surface);color:var(--_accent);border-color:currentColor}
[part~=loading]{flex:1;display:grid;place-items:center;text-align:center;gap:.5em}
[part~=loading]::before{content:'';width:2.5em;height:2.5em;border-radius:50%;background:color-mix(in srgb,var(--_muted) 20%,var(--_surface));animation:kudos-pulse 1.4s ease-in-out infinite alternate}
`;
