/**
 * Every element the loader knows → the height to reserve until its chunk has
 * defined it ('' = reserve nothing). The widget reads the same custom property
 * (`--<tag>-min-height`) with the same fallback, so nothing moves when it upgrades.
 *
 * Adding a widget is one line here; its chunk is `widgets/<tag>.js`, built from
 * `widgets/<folder>/<tag>.ts`. A tag whose chunk is not built yet costs a 404 and a warning.
 */
export const WIDGET_TAGS: Record<string, string> = {
  'kudos-badges': '8rem',
  'kudos-points': '',
  'kudos-trophy-case': '',
  'kudos-share-save': '',
  'kudos-nps': '',
  'kudos-buy-button': '',
};
