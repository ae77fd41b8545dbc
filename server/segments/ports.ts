// What other features may ask of segments: counting a drop's funnel (views, holds, sales)
// as it happens. `countedFunnelOf` and `funnelRef` let products count a sale in the same
// atomic write as the sale itself. The only door into segments from another feature
// (.dependency-cruiser.cjs: features never import another's service).
export { countFunnel, countedFunnelOf, funnelRef } from './service.js';
