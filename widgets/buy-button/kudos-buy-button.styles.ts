import { css } from 'lit';

// One rule per line: Lit ships CSS as written. The card itself (base, name,
// status) comes from widgets/internal/card.ts; --_x are the private shorthands
// of the --kudos-* tokens. min-height: the loader's placeholder figure
// (sdk/widget-tags.ts); the image keeps its box while loading, so nothing moves
// when the data and the picture arrive. The picture takes the height the text leaves
// (at least 6rem, cropped to fit): a phone-wide card has no blank above "Buy now", and
// a narrow one with a longer text shrinks its picture rather than growing.
export const buyStyles = css`
:host{min-height:var(--kudos-buy-button-min-height,25rem)}
[part~=base]>*{margin:0}
[part~=image]{flex:1 1 0;min-height:6rem;object-fit:cover;border-radius:var(--_radius);background:var(--_track)}
[part~=price]{font-size:1.125em;font-weight:700}
[part~=countdown],[part~=notice]{color:var(--_muted);font-size:.875em}
[part~=stock],time{font-weight:600;font-variant-numeric:tabular-nums}
[part~=buy-button]{margin-top:auto}
button:disabled{cursor:default;background:var(--_track);color:var(--_muted)}
[part~=skeleton]{flex:1;border-radius:var(--_radius);background:var(--_track)}
`;
