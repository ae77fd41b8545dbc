// What other features may ask of trophies: every award (metrics' KPIs), a customer's awards
// and holdings (their export) and sealing the credential issuer key at rest (access). The only door into trophies' store code from
// another feature (.dependency-cruiser.cjs: features never import another's service or
// read its collections).
export { resealIssuerKey } from './issuer-key.js';
export { customerAwards, holderOf, listAwards } from './service.js';
