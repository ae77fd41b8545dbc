// The demo shop's own page script. The first line is the Kudos snippet stub: it
// queues calls made before the async loader arrives (kept in a file, not inline,
// so the page runs under a strict Content-Security-Policy).
window.Kudos = window.Kudos || function () { (window.Kudos.q = window.Kudos.q || []).push(arguments); };

const customerId = document.body.dataset.customerId;
const status = document.getElementById('order-status');
const buy = document.getElementById('buy');
const refund = document.getElementById('refund');
/** The order "Refund last order" takes back (demo). */
let lastOrder;

/** Demo routes play the shop's backend (secret key, server-side); answers are JSON or problem+json. */
async function postDemo(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customerId, ...body }),
  });
  const result = await response.json();
  if (!response.ok) throw new Error(result.detail || response.statusText);
  return result;
}

/** Tell the widgets, as a shop page would after its backend answered: each award refreshes and is announced. */
const announce = (award) =>
  document.dispatchEvent(new CustomEvent('kudos-award', { detail: award, bubbles: true, composed: true }));

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
    const result = await postDemo('/demo/purchase', { total: 24 });
    status.textContent = 'Order placed. Thank you!';
    lastOrder = result.orderId;
    refund.disabled = false;
    result.awards.forEach(announce);
    if (result.awards.length === 0) Kudos('refresh');
  } catch (error) {
    status.textContent = `The order failed: ${error.message}`;
  } finally {
    buy.disabled = false;
  }
});

// Demo only: the shop recognising a community contributor. In a real shop this is
// the shop's own backend calling POST /v1/trophies/:id/awards with the secret key.
const awardTrophy = document.getElementById('award-trophy');
const trophyStatus = document.getElementById('trophy-status');
awardTrophy?.addEventListener('click', async () => {
  awardTrophy.disabled = true;
  try {
    const result = await postDemo('/demo/trophy', {});
    trophyStatus.textContent = `Trophy awarded: ${result.award.name} (${result.level}).`;
    announce(result.award);
  } catch (error) {
    trophyStatus.textContent = `No trophy this time: ${error.message}`;
  } finally {
    awardTrophy.disabled = false;
  }
});

// Demo only: the share link carries this page's ?customer=, so offer the same
// invitation as a different shopper (a real shop's URLs carry no identity).
document.addEventListener('kudos-group', (event) => {
  const link = document.getElementById('share-save-friend');
  if (!link || !event.detail.shareUrl) return;
  const url = new URL(event.detail.shareUrl);
  url.searchParams.set('customer', `c_friend_${Math.random().toString(36).slice(2, 8)}`);
  link.href = url.href;
  link.parentElement.hidden = false;
});

// Demo only: the shop's backend refunding the last order (POST /v1/events, type refund,
// secret key): its points are clawed back and the widgets refresh.
refund.addEventListener('click', async () => {
  refund.disabled = true;
  status.textContent = 'Refunding your last order…';
  try {
    await postDemo('/demo/refund', { orderId: lastOrder, amount: 24 });
    lastOrder = undefined;
    status.textContent = 'Order refunded: its points were taken back.';
    Kudos('refresh');
  } catch (error) {
    refund.disabled = false;
    status.textContent = `The refund failed: ${error.message}`;
  }
});
