// The package's API (api.js) and fetch-API integrations (receive.js), bundled as dist/core.js (and,
// with the Node loaders, as dist/node.mjs and dist/node.cjs). Each runtime's entry file loads the
// .wasm its own way, passes it to `install`, and re-exports everything here but `install`
// (tools/bundle-pkg.mjs).
export {
  ApiKeyError,
  DEFAULT_BODY_LIMIT,
  SIGNATURE_HEADER,
  UNAUTHORIZED_BODY,
  WebhookVerifier,
  checkApiKey,
  checkWebhook,
  diagnoseWebhook,
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
  install,
} from './api.js';
export { createReplayGuard, withApiKey, withWebhook } from './receive.js';
