// What other features may ask of share-to-save: the shop's campaigns (the console's list),
// its groups (metrics' KPIs), a customer's groups (their export) and storing the groups of the demo history (metrics' seed). The only door into share-save
// from another feature (.dependency-cruiser.cjs: features never import another's service
// or read its collections).
export { memberGroups } from './erase.js';
export { listCampaigns, listGroups, putGroupsIfAbsent } from './service.js';
