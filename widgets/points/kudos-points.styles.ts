import { css } from 'lit';

// One rule per line: Lit ships CSS as written, so every character is bytes in every storefront.
// Selectors are elements where the template makes them unambiguous (shorter than [part~=…]).
// The reset comes before every rule that sets a margin or padding (same specificity: order decides).
// The tier bar is a native <progress> tinted with accent-color: forced-colors and platform looks come free.
// --_t: the progress track; the other --_x shorthands for the public --kudos-* tokens (README.md) come from hostStyles (internal/tokens.ts).
// min-height: same custom property and fallback as the loader's `kudos-points:not(:defined)` rule
// (sdk/widget-tags.ts), so nothing moves when the element upgrades.
export const pointsStyles = css`
:host{--_t:color-mix(in srgb,currentColor 10%,transparent);min-height:var(--kudos-points-min-height,28.25rem)}
:not(button){margin:0;padding:0;list-style:none}
section{gap:.5em;padding:.75em}
h3,small,time,[part~=balance]{font-size:.875em;color:var(--_muted)}
b{font-size:2.25em;color:var(--_text)}
progress{width:100%;accent-color:var(--_accent)}
ul:not([part~=earn]),[part~=tier]{display:grid;gap:.5em}
li{display:grid;grid-template-columns:1fr auto;align-items:center;gap:0 .75em}
[part~=reward]{padding:.5em .75em;border:1px solid var(--_border);border-radius:var(--_radius)}
li>button,li>small+small{grid-area:1/2/3}
button:disabled{opacity:.6}
[part~=code],[part~=gift],[part~=notice],[part~=error],[part~=empty],[part~=invitation]{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5em;padding:.75em;border-radius:var(--_radius);border-inline-start:.25em solid var(--_accent);background:var(--_t)}
code{font:700 1.25em monospace;user-select:all}
[part~=notice],[part~=error]{border-color:var(--_danger)}
[part~=skeleton]{height:5em;border-radius:var(--_radius);background:var(--_t);animation:kudos-pulse 1.4s infinite alternate}
@keyframes kudos-pulse{to{opacity:.5}}
`;
