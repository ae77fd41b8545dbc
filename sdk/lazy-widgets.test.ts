// The loader's lazy loading, with chunks made up on the spot (blob: modules), so this
// file needs no build. The built loader end to end is in loader.test.ts.
import { expect } from '@open-wc/testing';
import { lazyLoadWidgets } from './lazy-widgets.js';

/** A stand-in chunk: defines the tag and says so, like a real widget chunk would register it. */
const chunkFor = (tag: string) =>
  URL.createObjectURL(
    new Blob(
      [
        `customElements.define(${JSON.stringify(tag)}, class extends HTMLElement {});
         document.dispatchEvent(new CustomEvent('test-chunk-loaded', { detail: ${JSON.stringify(tag)} }));`,
      ],
      { type: 'text/javascript' },
    ),
  );

// kudos-badges' chunk fails to load, to show the reserved room is given back.
const MISSING_CHUNK = new URL('/__no-such-chunk__/kudos-badges.js', location.href).href;

describe('lazyLoadWidgets', () => {
  const loaded: string[] = [];
  const warnings: unknown[][] = [];
  const originalWarn = console.warn;
  const requestedUrls: string[] = [];
  let earlyBadges: HTMLElement;

  before(() => {
    document.addEventListener('test-chunk-loaded', (e) => loaded.push((e as CustomEvent<string>).detail));
    console.warn = (...args: unknown[]) => void warnings.push(args);
    // Elements already on the page when the loader runs.
    const page = document.createElement('main');
    page.innerHTML = '<kudos-badges></kudos-badges><kudos-share-save></kudos-share-save><x-kudos-badges></x-kudos-badges><div><kudos-points></kudos-points><kudos-points></kudos-points></div>';
    document.body.append(page);
    earlyBadges = page.querySelector('kudos-badges')!;
    customElements.define('kudos-share-save', class extends HTMLElement {});
    lazyLoadWidgets((tag) => {
      requestedUrls.push(tag);
      return tag == 'kudos-badges' ? MISSING_CHUNK : chunkFor(tag);
    });
  });
  after(() => {
    console.warn = originalWarn;
  });

  const until = async (condition: () => boolean) => {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
  };

  it('reserves room for a widget until its chunk has defined it', () => {
    // The chunk import has not even started resolving: the element is still undefined.
    expect(customElements.get('kudos-badges')).to.equal(undefined);
    expect(getComputedStyle(earlyBadges).display).to.equal('block');
    // 45rem on a phone, 14rem from 768 px wide: the figures the widget's :host uses.
    expect(getComputedStyle(earlyBadges).minHeight).to.equal(innerWidth < 768 ? '720px' : '224px');
  });

  it('lets the page size the reserved room with --kudos-badges-min-height', () => {
    const themed = document.createElement('kudos-badges');
    themed.style.setProperty('--kudos-badges-min-height', '3rem');
    document.body.append(themed);
    expect(getComputedStyle(themed).minHeight).to.equal('48px');
  });

  it('imports the chunk of each widget on the page once', async () => {
    await customElements.whenDefined('kudos-points');
    expect(loaded.filter((tag) => tag == 'kudos-points')).to.have.length(1);
    expect(requestedUrls.filter((tag) => tag == 'kudos-points')).to.have.length(1);
  });

  it('imports chunks for widgets added later, nested or not', async () => {
    const container = document.createElement('section');
    container.innerHTML = '<div><kudos-trophy-case></kudos-trophy-case></div>';
    document.body.append(container);
    document.body.append(document.createElement('kudos-nps'));
    await customElements.whenDefined('kudos-trophy-case');
    await customElements.whenDefined('kudos-nps');
    container.append(document.createElement('kudos-trophy-case'));
    document.body.append(document.createElement('kudos-points'));
    // A tag loaded afterwards proves the observer has seen the nodes appended before it.
    document.body.append(document.createElement('kudos-buy-button'));
    await customElements.whenDefined('kudos-buy-button');
    expect(requestedUrls.filter((tag) => tag == 'kudos-trophy-case')).to.have.length(1);
    expect(requestedUrls.filter((tag) => tag == 'kudos-points')).to.have.length(1);
  });

  it('leaves tags that are already defined and elements it does not know alone', () => {
    expect(requestedUrls).not.to.include('kudos-share-save');
    expect(requestedUrls.every((tag) => tag.startsWith('kudos-'))).to.equal(true);
  });

  it('warns about a chunk that cannot load and gives its reserved room back', async () => {
    await until(() => warnings.length > 0);
    expect(String(warnings[0])).to.contain('kudos-badges');
    expect(getComputedStyle(earlyBadges).minHeight).to.equal('0px');
    expect(customElements.get('kudos-badges')).to.equal(undefined);
  });
});
