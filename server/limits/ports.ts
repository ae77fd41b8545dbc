// What other features may ask of limits: a shop's limits as the routes that take browser
// (publishable-key) traffic enforce them. The only door into limits from another feature
// (.dependency-cruiser.cjs: features never import another's service); setting limits
// stays limits' own route.
export { browserLimitsOf, limitsOf, visitorLimitsOf } from './service.js';
