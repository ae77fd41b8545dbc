// The demo checkout: reads the Kudos parameters from its address and has the
// demo backend send the purchase with them (as a real shop's backend would).
const query = new URLSearchParams(location.search);
const fields = ['product', 'kudos_src', 'kudos_ref', 'kudos_reservation'];
const shop = query.get('shop') === 'ceramics' ? 'ceramics' : 'coffee';
document.getElementById('shop').textContent = shop === 'ceramics' ? 'Atelier Mia Ceramics' : 'Demo Coffee Roasters';
const list = document.getElementById('params');
for (const name of fields) {
  if (!query.has(name)) continue;
  const dt = document.createElement('dt');
  dt.textContent = name;
  const dd = document.createElement('dd');
  dd.textContent = query.get(name);
  dd.dataset.param = name;
  list.append(dt, dd);
}
const pay = document.getElementById('pay');
const status = document.getElementById('status');
pay.addEventListener('click', async () => {
  pay.disabled = true;
  const body = { shop };
  for (const name of fields) if (query.has(name)) body[name] = query.get(name);
  try {
    const response = await fetch('/demo/directory-checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.detail || answer.title);
    status.textContent = `Order ${answer.orderId} placed${body.kudos_ref ? `, attributed to ${body.kudos_ref}` : ''}.`;
  } catch (error) {
    status.textContent = `The order failed: ${error.message}`;
    pay.disabled = false;
  }
});
