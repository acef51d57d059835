// `dialnexa-verify/fastify`: Fastify 5 plugins. Register them inside the scope that holds the
// webhook (or API) routes; with `fastify-plugin` semantics (skip-override), what they add applies
// to that scope and no further:
//   app.register(async (scope) => {
//     await scope.register(dialnexaWebhook, { secret });
//     scope.post('/webhooks/dialnexa', async (request) => request.dialnexa.json());
//   });
import { PassThrough } from 'node:stream';
import { DEFAULT_BODY_LIMIT, SIGNATURE_HEADER, checkWebhook } from './api.js';
import { needsBody } from './budget.js';
import { drainBriefly } from './drain.js';
import {
  BODIES, apiKeyOptions, authenticate, checkBody, claim, compressed, delivery, keysFor, logRejection, release, webhookOptions,
} from './shared.js';

function shared(plugin, name) {
  plugin[Symbol.for('skip-override')] = true;
  plugin[Symbol.for('fastify.display-name')] = name;
  plugin[Symbol.for('plugin-meta')] = { name, fastify: '>=5' };
  return plugin;
}

function answer(reply, status) {
  return reply.code(status).type('application/json').send(BODIES[status]);
}

/**
 * Verifies DialNexa webhook deliveries for every route of the scope it is registered in: the
 * scope's bodies arrive as raw Buffers (Fastify answers 413 past `limit`), and a preHandler hook
 * answers 401 (or 409 for a replay) before the handler runs. `request.dialnexa` on success.
 */
async function dialnexaWebhook(scope, options) {
  const settings = webhookOptions(options, 'dialnexa-verify/fastify', { deferDiagnosis: true });
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: settings.limit ?? DEFAULT_BODY_LIMIT }, (request, body, done) => done(null, body));
  if (!scope.hasRequestDecorator('dialnexa')) scope.decorateRequest('dialnexa', null);
  // A compressed body: 415. No signature, or one that cannot be a signature: 401. Both before the
  // body is read; the rest of it is then dropped briefly and the connection closed (drain.js). The
  // HMAC of an empty body tells the header's shape; a well-formed header waits for the body.
  scope.addHook('onRequest', async (request, reply) => {
    const keys = keysFor(settings);
    if (keys === undefined) return answer(reply, 500);
    if (compressed(request.headers['content-encoding'])) {
      logRejection(settings, keys, 'content_encoding');
      reply.raw.once('finish', () => drainBriefly(request.raw));
      return answer(reply, 415);
    }
    const signature = request.headers[SIGNATURE_HEADER];
    const shape = checkWebhook(new Uint8Array(0), signature, keys.verifier);
    if (shape.ok || shape.reason === 'signature_mismatch') return undefined;
    // With diagnosis on, a header that may be the tag in base64 waits for the body (within the
    // limit and the timeout), which its diagnosis needs.
    if (settings.diagnose && needsBody(shape.reason, signature)) return undefined;
    logRejection(settings, keys, shape.reason, undefined, signature);
    reply.raw.once('finish', () => drainBriefly(request.raw));
    return answer(reply, 401);
  });
  // A body that takes longer than `timeout` to arrive: Fastify answers 408 (the error's status)
  // and the connection is closed once that answer is out, so the rest is never read.
  scope.addHook('preParsing', async (request, reply, payload) => {
    const body = new PassThrough();
    const timer = setTimeout(() => {
      payload.unpipe(body);
      reply.header('connection', 'close');
      body.destroy(Object.assign(new Error('Request Timeout'), { statusCode: 408, code: 'DIALNEXA_BODY_TIMEOUT' }));
    }, settings.timeout);
    const stop = () => clearTimeout(timer);
    payload.once('end', stop);
    payload.once('close', stop);
    payload.once('error', stop);
    payload.pipe(body);
    return body;
  });
  scope.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode === 408) request.raw.destroy();
  });
  scope.addHook('preHandler', async (request, reply) => {
    const keys = keysFor(settings);
    if (keys === undefined) return answer(reply, 500);
    const { body } = request;
    if (body !== undefined && body !== null && !(body instanceof Uint8Array)) {
      settings.error('dialnexa-verify: cannot verify a webhook delivery: request.body is not the raw bytes; '
        + 'register dialnexaWebhook in the scope of the webhook route, and no other body parser in that scope.');
      return answer(reply, 500);
    }
    const signature = request.headers[SIGNATURE_HEADER];
    const result = checkBody(settings, keys, body ?? new Uint8Array(0), signature);
    if (!result.ok) {
      logRejection(settings, keys, result.reason, body, signature);
      return answer(reply, result.status);
    }
    if ((await claim(settings, signature)) === 'replay') {
      logRejection(settings, keys, 'replayed');
      return answer(reply, 409);
    }
    request.dialnexa = delivery(result);
    return undefined;
  });
  if (settings.replay !== undefined) {
    scope.addHook('onResponse', async (request, reply) => {
      if (request.dialnexa && reply.statusCode >= 300) await release(settings, request.headers[SIGNATURE_HEADER]);
    });
  }
}

/**
 * Checks `Authorization: Bearer keyid:secret` against `lookup(keyId)` for every route of the scope
 * it is registered in; 401 with DialNexa's body otherwise. `request.apiKey` on success.
 */
async function dialnexaApiKey(scope, options) {
  const settings = apiKeyOptions(options, 'dialnexa-verify/fastify');
  if (!scope.hasRequestDecorator('apiKey')) scope.decorateRequest('apiKey', null);
  scope.addHook('onRequest', async (request, reply) => {
    const keyId = await authenticate(settings, request.headers.authorization);
    if (keyId === undefined) return answer(reply, 401);
    request.apiKey = { keyId };
    return undefined;
  });
}

export default shared(dialnexaWebhook, 'dialnexa-verify');
const apiKeyPlugin = shared(dialnexaApiKey, 'dialnexa-verify-api-key');
export { apiKeyPlugin as dialnexaApiKey, dialnexaWebhook };
