// What other features may ask of webhooks: telling subscribers a fact (check-ins, email
// claims, drops, survey requests), whether anyone subscribes to a type, and sealing endpoint
// secrets at rest (access). The only door into webhooks from another feature
// (.dependency-cruiser.cjs: features never import another's service or read its collections).
export { enqueueWebhookFacts, subscribers } from './outbox.js';
export { resealEndpointSecrets } from './service.js';
