import { css } from 'lit';

// A chunk of its own (rollup.config.mjs): only the pages of list widgets download it.
/**
 * The card that list widgets share (badges, trophy case): `base`, `header`,
 * `heading`, muted `summary`/`description`/`status`, the `list` and its items,
 * `.body`/`.title` inside an item, `name`, `empty`, `invitation`, and the
 * `kudos-pulse` animation of loading placeholders. A widget adds
 * `cardStyles` after `hostStyles` and only writes what differs. Item rules use
 * `:where()` so any part selector of the widget overrides them.
 */
export const cardStyles = css`
[part~=base]{gap:calc(var(--_space)*.75);padding:calc(var(--_space)*.75)}
[part~=header]{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:.25em var(--_space)}
[part~=heading]{margin:0;font-size:1.125em;font-weight:700;line-height:1.25}
[part~=summary],[part~=description],[part~=status]{margin:0;color:var(--_muted);font-size:.875em}
[part~=list],[part~=skeleton]{list-style:none;margin:0;padding:0;display:grid;gap:calc(var(--_space)*.75)}
:where([part~=list],[part~=skeleton])>li{display:flex;align-items:flex-start;gap:.75em;min-width:0;padding:.75em;border:1px solid var(--_border);border-radius:var(--_radius);background:var(--_surface)}
.body{flex:1;min-width:0;display:flex;flex-direction:column;gap:.25em}
.title{display:flex;flex-wrap:wrap;align-items:center;gap:.25em .5em}
[part~=name]{font-weight:600;overflow-wrap:anywhere}
[part~=empty]{flex:1;display:grid;place-items:center;text-align:center}
[part~=invitation]{margin:0;padding:.75em;border-inline-start:.25em solid var(--_accent);border-radius:var(--_radius);background:color-mix(in srgb,var(--_text) 4%,var(--_surface))}
@keyframes kudos-pulse{to{opacity:.55}}
`;
