import { css } from 'lit';

// One rule per line: Lit ships CSS as written (the minifier leaves template
// literals alone), so whitespace here is bytes in every storefront.
//
// --_x are the private shorthands for the public --kudos-* tokens (widgets/internal/tokens.ts).
// min-height: same custom property and fallback as the loader's
// `kudos-badges:not(:defined)` rule (sdk/widget-tags.ts), so nothing moves when the
// element upgrades; the loading skeleton (header + one row) fits inside it.
// The skeleton keeps one row: extra placeholders fall into zero-height rows.
// Locked icons are greyed; the text says what is missing, so colour is not the only cue.
export const badgesStyles = css`
:host{min-height:var(--kudos-badges-min-height,8rem)}
[part~=base]{min-height:inherit;display:flex;flex-direction:column;gap:calc(var(--_space)*.75);padding:calc(var(--_space)*.75);background:var(--_surface);border:1px solid var(--_border);border-radius:var(--_radius)}
[part~=header]{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:.25em var(--_space)}
[part~=heading]{margin:0;font-size:1.125em;font-weight:700;line-height:1.25}
[part~=heading]:focus{outline:none}
[part~=summary],[part~=description],[part~=status]{margin:0;color:var(--_muted);font-size:.875em}
[part~=list],[part~=skeleton]{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,var(--kudos-badges-item-min-width,14em)),1fr));gap:calc(var(--_space)*.75)}
[part~=skeleton]{grid-template-rows:auto;grid-auto-rows:0;row-gap:0;overflow:hidden}
:host([compact]) [part~=list],:host([compact]) [part~=skeleton]{grid-template-columns:1fr}
:host([compact]) [part~=list]{gap:calc(var(--_space)*.5)}
[part~=badge],[part~=skeleton-item]{display:flex;align-items:flex-start;gap:.75em;min-width:0;padding:.75em;border:1px solid var(--_border);border-radius:var(--_radius);background:var(--_surface)}
:host([compact]) [part~=badge]{align-items:center;padding:.5em .75em}
[part~=icon]{flex:none;display:grid;place-items:center;width:1.75em;height:1.75em;font-size:1.5em;line-height:1;border-radius:50%;background:color-mix(in srgb,var(--_accent) 10%,var(--_surface));object-fit:cover}
:host([compact]) [part~=icon]{font-size:1.125em}
[part~=badge-locked] [part~=icon]{filter:grayscale(1);opacity:.7;background:var(--_track)}
.body{flex:1;min-width:0;display:flex;flex-direction:column;gap:.25em}
.title{display:flex;flex-wrap:wrap;align-items:center;gap:.25em .5em}
[part~=name]{font-weight:600;overflow-wrap:anywhere}
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
@keyframes kudos-pulse{to{opacity:.55}}
[part~=empty],[part~=invitation]{margin:0;padding:.75em;border-radius:var(--_radius);background:color-mix(in srgb,var(--_text) 4%,var(--_surface))}
[part~=empty]{flex:1;display:grid;place-items:center;text-align:center;color:var(--_muted)}
[part~=invitation]{border-inline-start:.25em solid var(--_accent)}
@media (forced-colors:active){[part~=progress]::-webkit-progress-value{background:Highlight}[part~=badge-new]{outline:2px solid Highlight}}
`;
