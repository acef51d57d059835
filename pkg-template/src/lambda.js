// `dialnexa-verify/lambda`: AWS Lambda behind API Gateway REST (v1), HTTP API (v2), Lambda Function
// URLs and Application Load Balancers. The body is in the event (base64 when `isBase64Encoded`),
// headers in any case, repeated ones in `multiValueHeaders`.
import { DEFAULT_BODY_LIMIT, SIGNATURE_HEADER, WebhookVerifier, checkWebhook } from './api.js';
import { BODIES, verified } from './shared.js';

const REASONS = { 400: 'Bad Request', 401: 'Unauthorized', 413: 'Payload Too Large' };

// The values of a header, looked up without regard to case: every value of a repeated header
// (multiValueHeaders), else the single value.
function headerValues(event, name) {
  for (const field of ['multiValueHeaders', 'headers']) {
    const headers = event[field];
    if (headers === null || typeof headers !== 'object') continue;
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() !== name) continue;
      const value = headers[key];
      if (Array.isArray(value)) return value;
      if (typeof value === 'string') return [value];
    }
  }
  return [];
}

function base64Bytes(text) {
  if (typeof Buffer === 'function') return Buffer.from(text, 'base64');
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function rejected(event, reason, status) {
  const response = { statusCode: status, headers: { 'content-type': 'application/json' }, body: BODIES[status] };
  // An Application Load Balancer wants these two fields as well.
  if (event?.requestContext?.elb) Object.assign(response, { statusDescription: `${status} ${REASONS[status]}`, isBase64Encoded: false });
  return { ok: false, reason, response };
}

/**
 * Verifies a webhook delivery from a Lambda event. Returns `{ ok: true, body, text(), json(),
 * secretIndex }`, or `{ ok: false, reason, response }` where `response` is ready to return from the
 * handler (401 with DialNexa's body, 413 past `limit`, 400 for an event without a usable body).
 */
export function verifyLambdaEvent(event, secret, options = {}) {
  if (event === null || typeof event !== 'object') {
    throw new TypeError('dialnexa-verify: verifyLambdaEvent expects the Lambda event object your handler received.');
  }
  const limit = options?.limit ?? DEFAULT_BODY_LIMIT;
  if (typeof limit !== 'number' || !(limit >= 0)) {
    throw new TypeError('dialnexa-verify: verifyLambdaEvent: limit must be the largest body to accept, in bytes.');
  }
  // A bad secret throws here, before any body is looked at; strings keep their cached key.
  if (secret === '' || (typeof secret !== 'string' && !WebhookVerifier.is(secret))) secret = new WebhookVerifier(secret);
  const { body = null, isBase64Encoded = false } = event;
  if (body !== null && typeof body !== 'string') return rejected(event, 'body_unreadable', 400);
  const text = body ?? '';
  // Refuse what cannot fit before decoding it: base64 takes 4 characters for 3 bytes (less at
  // most 2 of padding), and UTF-8 takes at least one byte per UTF-16 unit.
  if ((isBase64Encoded ? Math.floor(text.length / 4) * 3 - 2 : text.length) > limit) return rejected(event, 'body_too_large', 413);
  const bytes = isBase64Encoded ? base64Bytes(text) : new TextEncoder().encode(text);
  if (bytes.length > limit) return rejected(event, 'body_too_large', 413);
  const values = headerValues(event, SIGNATURE_HEADER);
  const result = checkWebhook(bytes, values.length > 1 ? values : values[0], secret);
  return result.ok ? verified(bytes, result.secretIndex) : rejected(event, result.reason, 401);
}
