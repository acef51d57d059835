// The package's root entry: the API (api.js) and the fetch-API integrations (receive.js). Every
// runtime's entry file is this module bundled with that runtime's loader (tools/bundle-pkg.mjs).
export {
  ApiKeyError,
  DEFAULT_BODY_LIMIT,
  SIGNATURE_HEADER,
  UNAUTHORIZED_BODY,
  WebhookVerifier,
  checkApiKey,
  checkWebhook,
  generateApiKey,
  hashApiKeySecret,
  parseApiKey,
  parseAuthorization,
  redactApiKey,
  signWebhook,
  unauthorizedResponse,
  verifyWebhook,
  verifyWebhookRequest,
  verifyWebhookStream,
} from './api.js';
export { createReplayGuard, withApiKey, withWebhook } from './receive.js';
