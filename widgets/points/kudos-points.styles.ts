import { css } from 'lit';

// One rule per line: Lit ships CSS as written, so every character is bytes in every storefront.
// Selectors are elements where the template makes them unambiguous (shorter than [part~=…]).
// The reset comes before every rule that sets a margin or padding (same specificity: order decides).
// The tier bar is a native <progress> tinted with accent-color: forced-colors and platform looks come free.
// Boxes and the skeleton use the shared --_track tint (on the surface token, so a dark theme stays legible); the --_x shorthands for the public --kudos-* tokens (README.md) come from hostStyles (internal/tokens.ts).
// height: same custom property and fallback as the loader's `kudos-points:not(:defined)` min-height
// (sdk/widget-tags.ts), so nothing moves when the element upgrades; and the card keeps that height
// whatever a shopper's balance, gifts and activity take (more scrolls inside it, its section being
// focusable for that): a returning shopper's page moves no more than a fresh one's (CLS 0).
export const pointsStyles = css`
:host{height:var(--kudos-points-min-height,33.5rem)}
:not(button){margin:0;padding:0;list-style:none}
section{gap:.5em;padding:.75em;height:100%;overflow:auto}
h3,small,time,[part~=balance]{font-size:.875em;color:var(--_muted)}
b{font-size:2.25em;color:var(--_text)}
progress{width:100%;accent-color:var(--_accent)}
ul:not([part~=earn]),[part~=tier]{display:grid;gap:.5em}
li{display:grid;grid-template-columns:1fr auto;align-items:center;gap:0 .75em}
[part~=reward]{padding:.5em .75em;border:1px solid var(--_border);border-radius:var(--_radius)}
li>button,li>small+small{grid-area:1/2/3}
button:disabled{opacity:.6}
[part~=code],[part~=gift],[part~=notice],[part~=error],[part~=empty],[part~=invitation]{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5em;padding:.75em;border-radius:var(--_radius);border-inline-start:.25em solid var(--_accent);background:var(--_track)}
code{font:700 1.25em monospace;user-select:all}
[part~=notice],[part~=error]{border-color:var(--_danger)}
[part~=skeleton]{height:5em;border-radius:var(--_radius);background:var(--_track);animation:kudos-pulse 1.4s infinite alternate}
@keyframes kudos-pulse{to{opacity:.5}}
`;
