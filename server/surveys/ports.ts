// What other features may ask of surveys: every survey's tally (metrics' NPS). The only
// door into surveys from another feature (.dependency-cruiser.cjs: features never import
// another's service or read its collections).
export { listTallies } from './service.js';
