import { css } from 'lit';

// One rule per line: Lit ships CSS as written (the minifier leaves template
// literals alone), so whitespace here is bytes in every storefront.
//
// --_x are the private shorthands for the public --kudos-* tokens; the card, header,
// list, items and invitation are `cardStyles` (widgets/internal/tokens.ts).
// min-height: same custom property and fallback as the loader's
// `kudos-badges:not(:defined)` rule (sdk/widget-tags.ts), so nothing moves when the
// element upgrades; the loading skeleton (header + one row) fits inside it.
// The skeleton keeps one row: extra placeholders fall into zero-height rows.
// Locked icons are greyed; the text says what is missing, so colour is not the only cue.
export const badgesStyles = css`
:host{min-height:var(--kudos-badges-min-height,clamp(14rem,(768px - 100vw)*1e4,45rem))}
[part~=list],[part~=skeleton]{grid-template-columns:repeat(auto-fill,minmax(min(100%,var(--kudos-badges-item-min-width,14em)),1fr))}
[part~=skeleton]{grid-template-rows:auto;grid-auto-rows:0;row-gap:0;overflow:hidden}
:host([compact]) [part~=list],:host([compact]) [part~=skeleton]{grid-template-columns:1fr}
:host([compact]) [part~=list]{gap:calc(var(--_space)*.5)}
:host([compact]) [part~=badge]{align-items:center;padding:.5em .75em}
[part~=icon]{flex:none;display:grid;place-items:center;width:1.75em;height:1.75em;font-size:1.5em;line-height:1;border-radius:50%;background:color-mix(in srgb,var(--_accent) 10%,var(--_surface));object-fit:cover}
:host([compact]) [part~=icon]{font-size:1.125em}
[part~=badge-locked] [part~=icon]{filter:grayscale(1);opacity:.7;background:var(--_track)}
:host([compact]) [part~=description]{display:none}
[part~=new-tag]{padding:0 .5em;border-radius:1em;background:var(--_accent);color:var(--kudos-color-accent-contrast,#fff);font-size:.75em;font-weight:700;line-height:1.6}
[part~=badge-new]{border-color:var(--_accent);box-shadow:0 0 0 1px var(--_accent);background:color-mix(in srgb,var(--_accent) 7%,var(--_surface));animation:kudos-earned .7s ease-out}
@keyframes kudos-earned{0%{transform:scale(.94);box-shadow:0 0 0 .5em color-mix(in srgb,var(--_accent) 35%,transparent)}}
[part~=progress]{-webkit-appearance:none;appearance:none;display:block;width:100%;height:.5em;margin:.25em 0 0;border:0;border-radius:1em;overflow:hidden;background:var(--_track);color:var(--_accent)}
[part~=progress]::-webkit-progress-bar{background:var(--_track)}
[part~=progress]::-webkit-progress-value{background:currentColor;border-radius:1em}
[part~=progress]::-moz-progress-bar{background:currentColor;border-radius:1em}
[part~=skeleton-item]{display:grid;grid-template-columns:2.625em 1fr;align-content:center;align-items:center;gap:.5em .75em;padding-block:.625em;overflow:hidden;animation:kudos-pulse 1.4s ease-in-out infinite alternate}
[part~=skeleton-item]::before{content:'';grid-row:span 2;width:2.625em;height:2.625em;border-radius:50%;background:var(--_track)}
[part~=skeleton-item] span{height:.75em;width:60%;border-radius:1em;background:var(--_track)}
[part~=skeleton-item] span+span{width:85%;height:.625em}
[part~=empty]{margin:0;padding:.75em;border-radius:var(--_radius);background:color-mix(in srgb,var(--_text) 4%,var(--_surface));color:var(--_muted)}
@media (forced-colors:active){[part~=progress]::-webkit-progress-value{background:Highlight}[part~=badge-new]{outline:2px solid Highlight}}
`;
