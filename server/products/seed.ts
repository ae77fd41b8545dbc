// The directory demo: a second demo shop (a ceramics studio running a drop)
// beside the coffee roaster, and three buy-button products. Products are put
// again on every start: their URLs follow the server's address, and the live
// drop's window stays live. What was sold or held is kept.
import { newShop } from '../shops.js';
import type { DocumentRef, Shop, Store } from '../store/store.js';
import { ProductInput } from './schemas.js';
import { putProduct, secureToken } from './service.js';

/** In the first demo shop's documents: which shop is its directory neighbour. */
export const DEMO_PARTNERS = 'demo-partners';
const PARTNER_REF: DocumentRef = { collection: DEMO_PARTNERS, id: 'ceramics' };
const HOUR = 3_600_000;

/** The id of the demo shop's directory neighbour, if seeded (access's legacy-shop upgrade marks it a demo backend). */
export async function demoPartnerShopId(store: Store, demoShopId: string): Promise<string | undefined> {
  return (await store.getDocument<{ shopId: string }>(demoShopId, PARTNER_REF))?.shopId;
}

export async function demoPartnerShop(store: Store, demoShop: Shop): Promise<Shop | undefined> {
  const partner = await store.getDocument<{ shopId: string }>(demoShop.id, PARTNER_REF);
  return partner && store.getShop(partner.shopId);
}

/** Returns the second demo shop, creating it the first time. */
export async function seedDemoDirectory(store: Store, now: () => Date, demoShop: Shop, baseUrl: string): Promise<Shop> {
  let partner = await demoPartnerShop(store, demoShop);
  if (!partner) {
    partner = newShop({ name: 'Atelier Mia Ceramics', origins: [], demoKey: true }, now()).shop;
    await store.createShop(partner);
    await store.updateDocuments(demoShop.id, [PARTNER_REF], () => ({ values: [{ shopId: partner!.id }], result: undefined }));
  }
  const t = now().getTime();
  const checkout = (shop: string, product: string) => `${baseUrl}/examples/directory-checkout.html?shop=${shop}&product=${product}`;
  const deps = { store, now, token: secureToken };
  const products: [Shop, string, ProductInput][] = [
    [
      demoShop,
      'house-blend',
      ProductInput.parse({
        name: 'House blend, 250 g',
        description: 'Chocolate and hazelnut, roasted weekly.',
        price: 12.5,
        currency: 'EUR',
        imageUrl: `${baseUrl}/examples/directory/coffee.svg`,
        checkoutUrl: checkout('coffee', 'house-blend'),
      }),
    ],
    [
      partner,
      'moon-mug',
      ProductInput.parse({
        name: 'Moon glaze mug — drop #3',
        description: 'Fifty hand-thrown mugs, two per customer.',
        price: 28,
        currency: 'EUR',
        imageUrl: `${baseUrl}/examples/directory/mug.svg`,
        checkoutUrl: checkout('ceramics', 'moon-mug'),
        availableFrom: new Date(t - HOUR).toISOString(),
        availableUntil: new Date(t + 48 * HOUR).toISOString(),
        stock: 50,
        perCustomerLimit: 2,
      }),
    ],
    [
      partner,
      'speckled-bowl',
      ProductInput.parse({
        name: 'Speckled bowl',
        description: 'Last run sold out in an hour.',
        price: 34,
        currency: 'EUR',
        imageUrl: `${baseUrl}/examples/directory/bowl.svg`,
        checkoutUrl: checkout('ceramics', 'speckled-bowl'),
        stock: 0,
      }),
    ],
  ];
  for (const [shop, id, input] of products) await putProduct(deps, shop.id, id, input);
  return partner;
}
