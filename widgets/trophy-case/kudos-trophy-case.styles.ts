import { css } from 'lit';

// One rule per line: Lit ships CSS as written, so whitespace here is bytes in every storefront.
// --_x are private shorthands for the public --kudos-* tokens (widgets/internal/tokens.ts).
// min-height: same custom property and fallback as the loader's reservation
// (sdk/widget-tags.ts), so nothing moves when the element upgrades.
// Level colours are dark enough for AA text on the surface; the level is also written out.
// The loading text stays still (a fading text would fail contrast); a decorative disc pulses.
// Forced colours need no rule of their own: borders already take CanvasText there.
// Locked trophies are greyed; the "How to earn it" text says why, so colour is not the only cue.
export const trophyStyles = css`
:host{--_g:calc(var(--kudos-space,1em)*.75);--_l:var(--_muted);min-height:var(--kudos-trophy-case-min-height,8rem)}
[part~=base]{min-height:inherit;display:flex;flex-direction:column;gap:var(--_g);padding:var(--_g);background:var(--_surface);border:1px solid var(--_border);border-radius:var(--_radius)}
[part~=header]{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:0 1em}
[part~=heading]{margin:0;font-size:1.125em;font-weight:700;line-height:1.25}
[part~=heading]:focus{outline:none}
p,[part~=description],[part~=status],[part~=criteria]{margin:0;color:var(--_muted);font-size:.875em}
[part~=list]{list-style:none;margin:0;padding:0;display:grid;gap:var(--_g)}
[part~=trophy]{display:flex;flex-wrap:wrap;align-items:flex-start;gap:.75em;padding:.75em;border:1px solid var(--_border);border-radius:var(--_radius)}
[part~=trophy-bronze]{--_l:var(--kudos-trophy-bronze,#8b4513)}
[part~=trophy-silver]{--_l:var(--kudos-trophy-silver,#4b5563)}
[part~=trophy-gold]{--_l:var(--kudos-trophy-gold,#7a5c00)}
[part~=trophy-earned]{border-inline-start:.25em solid var(--_l)}
[part~=image]{display:grid;place-items:center;width:2.5em;height:2.5em;font-size:1.25em;border-radius:50%;background:color-mix(in srgb,var(--_l) 14%,var(--_surface));object-fit:cover}
[part~=trophy-locked] [part~=image]{filter:grayscale(1);opacity:.6}
.body{flex:1 1 12em;display:flex;flex-direction:column;gap:.25em}
.title{display:flex;flex-wrap:wrap;align-items:center;gap:.5em}
[part~=name]{font-weight:600;overflow-wrap:anywhere;color:inherit}
[part~=trophy-locked] [part~=name]{color:var(--_muted)}
[part~=level]{padding:0 .5em;border:1px solid;border-radius:1em;color:var(--_l);font-size:.75em;font-weight:700}
[part~=share-button]{align-self:center;margin-inline-start:auto;background:var(--_surface);color:var(--_accent);border-color:currentColor}
[part~=empty],[part~=loading]{flex:1;display:grid;place-items:center;text-align:center}
[part~=loading]{gap:.5em}
[part~=loading]::before{content:'';width:2.5em;height:2.5em;border-radius:50%;background:color-mix(in srgb,var(--_muted) 20%,var(--_surface));animation:kudos-pulse 1.4s ease-in-out infinite alternate}
@keyframes kudos-pulse{to{opacity:.55}}
[part~=invitation]{padding:.75em;border-inline-start:.25em solid var(--_accent);border-radius:var(--_radius);background:color-mix(in srgb,var(--_muted) 8%,var(--_surface))}
`;
