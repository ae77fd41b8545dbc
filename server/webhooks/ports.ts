// What other features may ask of webhooks: sealing endpoint secrets at rest (access).
// The only door into webhooks from another feature (.dependency-cruiser.cjs: features
// never import another's service or read its collections).
export { resealEndpointSecrets } from './service.js';
