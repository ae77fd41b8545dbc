// The demo shop's own page script. The first line is the Kudos snippet stub: it
// queues calls made before the async loader arrives (kept in a file, not inline,
// so the page runs under a strict Content-Security-Policy).
window.Kudos = window.Kudos || function () { (window.Kudos.q = window.Kudos.q || []).push(arguments); };

const customerId = document.body.dataset.customerId;
const status = document.getElementById('order-status');
const buy = document.getElementById('buy');

document.getElementById('new-shopper').href =
  `/examples/storefront.html?customer=c_${Math.random().toString(36).slice(2, 10)}`;

Kudos('track', 'product_view', { productId: 'ethiopia-yirgacheffe' });
for (const button of document.querySelectorAll('[data-product]')) {
  button.addEventListener('click', () => {
    Kudos('track', 'product_view', { productId: button.dataset.product });
    status.textContent = `You looked at ${button.textContent}.`;
  });
}

buy.addEventListener('click', async () => {
  buy.disabled = true;
  status.textContent = 'Placing your order…';
  try {
    // In a real shop this is the checkout; its backend then sends the purchase.
    const response = await fetch('/demo/purchase', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId, total: 24 }),
    });
    if (!response.ok) throw new Error((await response.json()).detail || response.statusText);
    const result = await response.json();
    status.textContent = 'Order placed. Thank you!';
    // Tell the widgets: each award triggers a refresh and an announcement.
    for (const award of result.awards) {
      document.dispatchEvent(new CustomEvent('kudos-award', { detail: award, bubbles: true, composed: true }));
    }
    if (result.awards.length === 0) Kudos('refresh');
  } catch (error) {
    status.textContent = `The order failed: ${error.message}`;
  } finally {
    buy.disabled = false;
  }
});
