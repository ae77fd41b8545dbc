// The built loader with data-celebrate and data-launcher (dist/public/kudos.js, so
// `npm run build:web` first): it inserts <kudos-toast> and <kudos-launcher> into <body>,
// and their chunks load like any other widget's.
import { expect, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';

const LOADER = '/dist/public/kudos.js';

describe('kudos.js with data-celebrate and data-launcher', () => {
  before(async () => {
    const built = await fetch(LOADER, { method: 'HEAD' });
    if (!built.ok) throw new Error(`${LOADER} is missing: run "npm run build:web" before the browser tests.`);
    const shop = await executeServerCommand<{ api: string; key: string }, undefined>('kudos-fixture');
    const script = document.createElement('script');
    script.src = LOADER;
    Object.assign(script.dataset, { key: shop.key, api: shop.api, celebrate: '', launcher: '' });
    await new Promise((resolve, reject) => {
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
  });

  it('inserts one <kudos-toast> and one <kudos-launcher> into the body, and defines them', async () => {
    expect(document.body.querySelectorAll('kudos-toast')).to.have.length(1);
    expect(document.body.querySelectorAll('kudos-launcher')).to.have.length(1);
    await waitUntil(() => customElements.get('kudos-toast') && customElements.get('kudos-launcher'), 'chunks not loaded');
  });

  it('shows the award the page announces as a toast', async () => {
    const toast = document.querySelector('kudos-toast')!;
    await customElements.whenDefined('kudos-toast');
    document.dispatchEvent(new CustomEvent('kudos-award', { detail: { kind: 'badge', id: 'x', name: 'Early bird' } }));
    await waitUntil(() => toast.shadowRoot?.querySelector('[part~="name"]')?.textContent === 'Early bird', 'no toast');
  });
});
