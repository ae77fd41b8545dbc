import { css } from 'lit';

/**
 * Shared host styles for every Kudos widget.
 *
 * `:host` sets every inherited text property the widgets rely on from a
 * `--kudos-*` token with a fallback, so a storefront's `body` styles (serif
 * fonts, letter-spacing, uppercase, centred text…) never leak into the shadow
 * tree; only the tokens cross the boundary. `font-size` falls back to `medium`:
 * the reader's default size, unaffected by `html { font-size: 62.5% }` tricks.
 *
 * Defaults are dark on light and meet WCAG AA: text #1f2328 and muted #57606a on
 * #fff are 15.8:1 and 6.4:1; accent #1d4ed8 on #fff, and #fff on it, 6.7:1.
 *
 * The `--_x` custom properties are private shorthands for the public tokens,
 * shared by every widget's styles (one copy on the page instead of one per widget).
 *
 * The card every data widget draws (`part=base`: surface, border, radius, a column that fills
 * the reserved height), its `h2` size and its focusable heading's focus style are here once
 * rather than in each widget; `:where()` keeps the card rule at zero specificity, so a widget's
 * own `section{display:grid}` or `[part~=base]{…}` still decides.
 *
 * Written one rule per line: Lit ships CSS as written.
 */
export const hostStyles = css`
:host{box-sizing:border-box;display:block;font-family:var(--kudos-font-family,system-ui,sans-serif);font-size:var(--kudos-font-size,medium);font-weight:var(--kudos-font-weight,400);font-style:normal;font-variant:normal;line-height:var(--kudos-line-height,1.5);color:var(--kudos-color-text,#1f2328);letter-spacing:var(--kudos-letter-spacing,normal);word-spacing:var(--kudos-word-spacing,normal);text-transform:var(--kudos-text-transform,none);text-align:var(--kudos-text-align,start);text-indent:0;text-shadow:none;white-space:normal}
:host{--_text:var(--kudos-color-text,#1f2328);--_muted:var(--kudos-color-muted,#57606a);--_surface:var(--kudos-color-surface,#fff);--_border:var(--kudos-color-border,#d0d7de);--_accent:var(--kudos-color-accent,#1d4ed8);--_danger:var(--kudos-color-danger,#b42318);--_radius:var(--kudos-radius,.5em);--_space:var(--kudos-space,1em);--_track:color-mix(in srgb,var(--_text) 12%,var(--_surface))}
:host([hidden]){display:none}
:where([part~=base]){min-height:inherit;display:flex;flex-direction:column;background:var(--_surface);border:1px solid var(--_border);border-radius:var(--_radius)}
h2{font-size:1.125em}
[part~=heading]:focus{outline:0}
div[part~=error]{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5em var(--_space);padding:.75em;border:1px solid color-mix(in srgb,var(--_danger) 40%,var(--_surface));border-inline-start:.25em solid var(--_danger);border-radius:var(--_radius);background:color-mix(in srgb,var(--_danger) 6%,var(--_surface))}
[part~=error-message]{margin:0;flex:1 1 16em}
*,::before,::after{box-sizing:inherit}
:focus-visible{outline:var(--kudos-focus-width,2px) solid var(--kudos-color-focus,var(--_accent));outline-offset:2px}
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip-path:inset(50%);white-space:nowrap;border:0}
button{font:inherit;letter-spacing:inherit;text-transform:inherit;cursor:pointer;min-height:2.5em;padding:.375em 1em;border:1px solid transparent;border-radius:var(--_radius);background:var(--_accent);color:var(--kudos-color-accent-contrast,#fff);font-weight:600}
button:hover{background:color-mix(in srgb,var(--_accent) 85%,#000)}
@media (prefers-reduced-motion:reduce){*,::before,::after{animation:none!important;transition:none!important}}
@media (forced-colors:active){button{border-color:ButtonText}}
`;
