// The Install page's script tag with the signed shopper identity, for the places shops
// build pages: a Shopify theme (Liquid), PHP, Node and Python. Each signs the customer id
// with HMAC-SHA256 and the shop's secret key, read from the server's environment (or a
// theme setting), never pasted into the page. test/server/console-setup.test.ts runs the
// Node and Python ones and checks the API accepts what they compute.

export interface IdentitySnippet {
  /** Stable id: the console's tab. */
  id: 'shopify' | 'php' | 'node' | 'python';
  /** Where it goes, in a few words (English; the console shows its own label). */
  where: string;
  code: string;
}

/** Double quotes in an attribute value would end it: a key or URL never has one, but be sure. */
const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

export function identitySnippets(apiOrigin: string, publishableKey: string): IdentitySnippet[] {
  const src = attr(`${apiOrigin}/kudos.js`);
  const key = attr(publishableKey);
  return [
    {
      id: 'shopify',
      where: 'theme.liquid, before </head>; add a theme setting kudos_secret_key holding your secret key',
      code: `{%- if customer -%}
  {%- assign kudos_customer_id = customer.id | append: '' -%}
  <script async blocking="render" src="${src}" data-key="${key}"
    data-customer-id="{{ kudos_customer_id }}"
    data-customer-hash="{{ kudos_customer_id | hmac_sha256: settings.kudos_identity_secret }}"></script>
{%- else -%}
  <script async blocking="render" src="${src}" data-key="${key}"></script>
{%- endif -%}`,
    },
    {
      id: 'php',
      where: 'your page template; KUDOS_IDENTITY_SECRET in the server environment',
      code: `<?php $kudosCustomer = $currentUserId ?? null; /* your signed-in customer's id, or null */ ?>
<script async blocking="render" src="${src}" data-key="${key}"<?php if ($kudosCustomer !== null): ?>
  data-customer-id="<?= htmlspecialchars((string) $kudosCustomer) ?>"
  data-customer-hash="<?= hash_hmac('sha256', (string) $kudosCustomer, getenv('KUDOS_IDENTITY_SECRET')) ?>"<?php endif; ?>></script>`,
    },
    {
      id: 'node',
      where: 'your server code that renders pages; KUDOS_IDENTITY_SECRET in the environment',
      code: `import { createHmac } from 'node:crypto';

/** The script tag for a page; customerId is your signed-in customer's id, or null. */
export function kudosScriptTag(customerId) {
  const base = '<script async blocking="render" src="${src}" data-key="${key}"';
  if (customerId == null) return base + '></script>';
  const id = String(customerId);
  const hash = createHmac('sha256', process.env.KUDOS_IDENTITY_SECRET).update(id).digest('hex');
  const safe = id.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return base + ' data-customer-id="' + safe + '" data-customer-hash="' + hash + '"></script>';
}`,
    },
    {
      id: 'python',
      where: 'your server code that renders pages; KUDOS_IDENTITY_SECRET in the environment',
      code: `import hashlib, hmac, html, os

def kudos_script_tag(customer_id=None):
    """The script tag for a page; customer_id is your signed-in customer's id, or None."""
    base = '<script async blocking="render" src="${src}" data-key="${key}"'
    if customer_id is None:
        return base + '></script>'
    cid = str(customer_id)
    digest = hmac.new(os.environ["KUDOS_IDENTITY_SECRET"].encode(), cid.encode(), hashlib.sha256).hexdigest()
    return base + f' data-customer-id="{html.escape(cid)}" data-customer-hash="{digest}"></script>'`,
    },
  ];
}
