import { WIDGET_TAGS } from './widget-tags.js';

const TAGS = Object.keys(WIDGET_TAGS);
const SELECTOR = TAGS.join();

/**
 * Keep room for widgets whose chunk is still on its way, so the storefront does
 * not jump when they render. A constructed stylesheet is not subject to CSP
 * style-src, unlike a <style> element. Returns `release(tag)`, which gives the room
 * back when a chunk cannot load (an element that never upgrades should not leave a hole).
 */
function reserveSpace(): (tag: string) => void {
  const heights = new Map(Object.entries(WIDGET_TAGS).filter(([, height]) => height));
  const css = () =>
    [...heights].map(([tag, height]) => `${tag}:not(:defined){display:block;min-height:var(--${tag}-min-height,${height})}`).join('');
  let sheet: CSSStyleSheet | undefined;
  try {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css());
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  } catch {
    // Browsers without constructable stylesheets only miss the reservation.
  }
  return (tag) => heights.delete(tag) && sheet?.replaceSync(css());
}

/**
 * Import the chunk of each known widget present in the document, now or later,
 * once per tag. `chunkUrl(tag)` says where a tag's chunk lives.
 */
export function lazyLoadWidgets(chunkUrl: (tag: string) => string): void {
  const release = reserveSpace();
  const requested = new Set<string>();

  const load = (element: Element) => {
    const tag = element.localName;
    if (!TAGS.includes(tag) || requested.has(tag)) return;
    requested.add(tag);
    // Already registered, e.g. by a shop that bundles the widgets itself.
    if (customElements.get(tag)) return;
    const url = chunkUrl(tag);
    import(url).catch(() => {
      release(tag);
      console.warn(`Kudos: could not load <${tag}> from ${url}`);
    });
  };
  const scan = (root: ParentNode) => root.querySelectorAll(SELECTOR).forEach(load);

  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node instanceof Element) {
          load(node);
          scan(node);
        }
      }
    }
    if (requested.size == TAGS.length) observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true });
  scan(document);
}
