// What other features may ask of products: the shop's products (the console's list), the demo shop's
// directory neighbour (access's legacy-shop upgrade), and
// each one's stock with its sales and its funnel (segments). The only door into products from another
// feature (.dependency-cruiser.cjs: features never import another's service or read its
// collections).
export { demoPartnerShopId } from './seed.js';
export { listFunnels, listProducts, listStockStates } from './service.js';
