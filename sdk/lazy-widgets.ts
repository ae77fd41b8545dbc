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
  let css = TAGS.map((tag) => WIDGET_TAGS[tag]![0] && `${tag}:not(:defined){display:block;min-height:var(--${tag}-min-height,${WIDGET_TAGS[tag]![0]})}`).join('');
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  // A rule for <_>, which no page has.
  return (tag) => sheet.replaceSync((css = css.replace(tag + ':', '_:')));
}

/**
 * Import the chunk of each known widget present in the document, now or later,
 * once per tag. `chunkUrl(tag)` says where a tag's chunk lives; `found(element)` runs
 * for each element of a tag not defined yet, before its chunk is asked for (the
 * loader starts the element's first API requests there).
 */
export function lazyLoadWidgets(chunkUrl: (tag: string) => string, found?: (element: Element, requests: string[]) => void): void {
  const release = reserveSpace();
  const requested = new Set<string>();

  const load = (element: Element) => {
    const tag = element.localName;
    if (!TAGS.includes(tag) || customElements.get(tag)) return;
    found?.(element, WIDGET_TAGS[tag]!.slice(1));
    if (requested.has(tag)) return;
    requested.add(tag);
    const url = chunkUrl(tag);
    import(url).catch(() => {
      release(tag);
      console.warn(`Kudos: no <${tag}>`, url);
    });
  };
  const scan = (root: ParentNode) => root.querySelectorAll(SELECTOR).forEach(load);

  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node instanceof Element) {
          load(node);
          scan(node);
        }
      }
    }
  }).observe(document, { childList: true, subtree: true });
  scan(document);
}
