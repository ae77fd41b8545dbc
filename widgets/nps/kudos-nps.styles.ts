import { css } from 'lit';

// One rule per line: Lit ships CSS as written, so whitespace here is bytes in every storefront.
//
// --_x are the private shorthands for the public --kudos-* tokens (widgets/internal/tokens.ts).
// The three steps share one grid cell; the inactive ones are inert and hidden but
// keep their size, so the card never changes height while it is answered.
// The follow-up step is no taller than the question (its "Optional" follows the label's
// text on its last line, its comment box starts at two rows and takes whatever height is left), so the
// question leaves no blank above its buttons.
// .room: the room the loader keeps for it (sdk/widget-tags.ts), the same custom property and
// fallback (none unless the shop sets it), kept until the server answers; the card (part=base) fills it.
// Each option is a native radio stretched invisibly over its numbered box: the
// browser gives one tab stop, arrow keys and the accessible name. Eleven equal
// columns: one row even on a 320 px phone (boxes ~22 px wide, 40 px tall).
export const npsStyles = css`
.room{min-height:var(--kudos-nps-min-height,0px)}
section{display:grid;padding:var(--_space)}
:host([compact]) section{padding:calc(var(--_space)*.75);font-size:.875em}
.step{grid-area:1/1;display:flex;flex-direction:column;gap:.75em;min-width:0}
.step[inert]{visibility:hidden}
fieldset{margin:0;padding:0;border:0;min-width:0}
legend,[part~=follow-up],p{font-weight:700;font-size:1.0625em;line-height:1.3}
legend,p{padding:0 0 .75em}
.head{line-height:1.3}
.head [part~=hint]{margin-inline-start:.5em}
[part~=scale]{display:grid;grid-template-columns:repeat(11,1fr);gap:.25em}
[part~=option]{position:relative}
[type=radio]{position:absolute;inset:0;width:100%;height:100%;margin:0;opacity:0;cursor:pointer}
[type=radio]+span{display:grid;place-items:center;min-height:2.5em;border:1px solid var(--_border);border-radius:var(--_radius);font-weight:600}
:hover>[type=radio]+span{border-color:var(--_accent)}
[type=radio]:focus-visible+span{outline:var(--kudos-focus-width,2px) solid var(--kudos-color-focus,var(--_accent));outline-offset:2px}
:checked+span{background:var(--_accent);border-color:var(--_accent);color:var(--kudos-color-accent-contrast,#fff)}
[part~=ends]{display:flex;justify-content:space-between;gap:1em;margin-top:.375em}
[part~=ends],[part~=hint]{color:var(--_muted);font-size:.875em}
[part~=actions]{display:flex;flex-wrap:wrap;gap:.5em;margin-top:auto}
.quiet,.quiet:hover{background:none;color:inherit;border-color:var(--_border)}
textarea{font:inherit;color:inherit;background:inherit;border:1px solid var(--_muted);border-radius:var(--_radius);padding:.5em;resize:vertical;width:100%;flex:1}
[part~=error]{margin:0;color:var(--_danger);font-size:1em}
[part~=thanks]{margin:auto 0;text-align:center;outline:0}
@media (forced-colors:active){:checked+span{forced-color-adjust:none;background:Highlight;color:HighlightText}}
`;
