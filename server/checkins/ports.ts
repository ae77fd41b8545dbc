// What other features may ask of check-ins: a customer's recent visits (gifts' "check-in
// then order" rule), when each person checked in (metrics' market visits), and sealing
// visit emails at rest (access). The only door into check-ins from another feature
// (.dependency-cruiser.cjs: features never import another's service or read its collections).
export { customerVisits, resealVisitEmails, visitTimesByCustomer } from './service.js';
