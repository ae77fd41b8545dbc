/**
 * Every element the loader knows → `[height, ...requests]`.
 *
 * `height`: the room to reserve until its chunk has defined it ('' = reserve nothing): what its
 * content takes with the demo shop's data, on a phone and from 768 px wide, as one CSS value:
 * `clamp(DESKTOP, (768px - 100vw) * 1e4, PHONE)` is PHONE below 768 px and DESKTOP from there,
 * with no media query. The loader's rule is `min-height: var(--<tag>-min-height, height)` and the
 * widget's `:host` has the same, so nothing moves when it upgrades nor when its data arrives
 * (test/e2e/loading.test.ts measures both viewports). A shop whose content is taller sets the property.
 * Points reserve what the demo's returning shopper (an order, a gift) takes on a phone, and keep
 * it as the card's height: more scrolls inside it (widgets/points/README.md).
 *
 * `requests`: the GETs the widget makes first, which the loader starts itself, in parallel
 * with the widget's chunks (the widget's `Kudos.request` of the same path then takes that
 * answer: one round trip saved). `~rest` is `/v1/customers/<id>` for a signed-in shopper,
 * else `rest` (nothing when empty); `{name}` is the element's `name` attribute, and a query
 * parameter left empty at the end (`?placement=` without the attribute) is dropped. They must
 * say what the widget's `_fetch` asks first: a path that drifts costs a wasted request
 * (test/e2e/loading.test.ts counts them).
 *
 * Adding a widget is one line here; its chunk is `widgets/<tag>.js`, built from
 * `widgets/<folder>/<tag>.ts`. A tag whose chunk is not built yet costs a 404 and a warning.
 */
export const WIDGET_TAGS: Record<string, string[]> = {
  'kudos-badges': ['clamp(14rem,(768px - 100vw)*1e4,45rem)', '~/v1/badges'],
  'kudos-points': ['33.5rem', '~/v1/program', '/v1/rewards'],
  'kudos-trophy-case': ['clamp(10.25rem,(768px - 100vw)*1e4,15.5rem)', '~/v1/trophies'],
  'kudos-share-save': ['14rem', '/v1/campaigns/{campaign}'],
  // Nothing reserved unless the shop sets --kudos-nps-min-height: most visitors are never asked,
  // and a room given back when the answer says so would move the page for all of them (its README).
  'kudos-nps': ['0px', '/v1/surveys/{survey}/eligibility?placement={placement}'],
  'kudos-buy-button': ['25rem'],
  // Floating, inserted by the loader for data-celebrate / data-launcher: nothing to reserve.
  'kudos-toast': [''],
  'kudos-launcher': ['', '~'],
};
