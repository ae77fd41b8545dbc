// What other features may ask of email claims: the customer id a verified address stands
// for in a shop, so an order a connector receives with the buyer's email counts for the
// same customer as their claims. The only door into email claims from another feature
// (.dependency-cruiser.cjs: features never import another's service).
export { emailCustomerId } from './service.js';
