// What other features may ask of loyalty: the shop's program (points per unit, tiers,
// expiry), which recording, drops, tier-change webhooks, a customer's export and the demo
// history read. The only door into loyalty from another feature (.dependency-cruiser.cjs:
// features never import another's service); changing the program stays loyalty's route.
export { programOf } from './service.js';
