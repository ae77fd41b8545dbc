// What other features may ask of micro-gifts: the gifts a customer was granted (loyalty's
// customer state) and when each customer was first gifted (segments). The only door into
// gifts from another feature (.dependency-cruiser.cjs: features never import another's
// service or read its collections).
export { customerGifts, firstGiftTimes } from './service.js';
