// What other features may ask of connectors: sealing connection secrets at rest (access).
// The only door into connectors from another feature (.dependency-cruiser.cjs: features
// never import another's service or read its collections).
export { resealConnectionSecrets } from './service.js';
