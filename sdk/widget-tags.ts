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
  'kudos-points': '12rem',
  'kudos-trophy-case': '8rem',
  'kudos-share-save': '14rem',
  // Most visitors are never asked: reserving space would leave a hole. Put it last in its container.
  'kudos-nps': '',
  'kudos-buy-button': '25rem',
  // Floating, inserted by the loader for data-celebrate / data-launcher: nothing to reserve.
  'kudos-toast': '',
  'kudos-launcher': '',
};
