import { css } from 'lit';

// One rule per line: Lit ships CSS as written. --_x are private shorthands for
// the public --kudos-* tokens (README.md). min-height: the same custom property
// and fallback as the loader's placeholder (sdk/widget-tags.ts), so nothing moves
// when the element upgrades; the loading skeleton fits inside it.
export const shareSaveStyles = css`
:host{--_t:color-mix(in srgb,var(--_accent) 8%,var(--_surface));min-height:var(--kudos-share-save-min-height,14rem)}
[part~=base]{align-items:flex-start;gap:.625em;padding:var(--_space)}
[part~=base]>*{margin:0;max-width:100%}
[part~=offer],[part~=people],[part~=countdown],[part~=apps],[part~=tier]{color:var(--_muted);font-size:.875em}
[part~=tiers]{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5em}
[part~=tier]{padding:0 .75em;border:1px solid var(--_border);border-radius:1em}
[part~=tier-reached],[part~=code-box],[part~=notice]{border:1px solid var(--_accent);background:var(--_t);color:inherit}
[part~=invitation],[part~=role],[part~=status],[part~=tier-reached],time{font-weight:600}
progress{width:100%;accent-color:var(--_accent)}
[part~=code-box],[part~=share],form{display:flex;flex-wrap:wrap;align-items:center;gap:.5em;width:100%}
[part~=code-box],[part~=notice]{padding:.625em;border-radius:var(--_radius)}
code{font:700 1.125em monospace;overflow-wrap:anywhere}
form label{width:100%}
input{flex:1 1 12em;min-height:2.5em;padding:0 .5em;font:inherit;color:inherit;border:1px solid var(--_border);border-radius:var(--_radius)}
a{color:var(--_accent)}
[part~=skeleton]{width:100%;height:5em;border-radius:var(--_radius);background:var(--_t)}
`;
