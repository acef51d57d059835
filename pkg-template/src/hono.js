// `dialnexa-verify/hono`: middleware for Hono 4 on every runtime (Node, Deno, Bun, Workers).
//   app.post('/webhooks/dialnexa', webhookMiddleware({ secret }), (c) => c.json(c.get('dialnexa').json()));
import {
  BODIES, apiKeyOptions, authenticate, checkRequest, claim, delivery, logRejection, release, signatureOf, webhookOptions,
} from './shared.js';

function answer(c, status) {
  return c.body(BODIES[status], status, { 'content-type': 'application/json' });
}

/**
 * Verifies DialNexa webhook deliveries: reads the raw body itself (stopping past `limit`), answers
 * 401/413/409, and sets `c.get('dialnexa')` for the handler.
 */
export function webhookMiddleware(options) {
  const settings = webhookOptions(options, 'dialnexa-verify/hono webhookMiddleware');
  return async (c, next) => {
    const request = c.req.raw;
    if (request.bodyUsed) {
      settings.error('dialnexa-verify: cannot verify a webhook delivery: the request body was read before webhookMiddleware() ran. '
        + 'Hono: put webhookMiddleware() first on the webhook route, and read the body as c.get(\'dialnexa\').json() instead of c.req.json().');
      return answer(c, 500);
    }
    const signature = signatureOf(request);
    const result = await checkRequest(settings, request);
    if (!result.ok) {
      logRejection(settings, result.reason, result.body, signature);
      return answer(c, result.status);
    }
    if ((await claim(settings, signature)) === 'replay') {
      logRejection(settings, 'replayed');
      return answer(c, 409);
    }
    c.set('dialnexa', delivery(result));
    try {
      await next();
    } finally {
      if (settings.replay !== undefined && (c.error || c.res.status >= 300)) await release(settings, signature);
    }
    return undefined;
  };
}

/**
 * Checks `Authorization: Bearer keyid:secret` against `lookup(keyId)`; sets `c.get('apiKey')`.
 */
export function apiKeyMiddleware(options) {
  const settings = apiKeyOptions(options, 'dialnexa-verify/hono apiKeyMiddleware');
  return async (c, next) => {
    const keyId = await authenticate(settings, c.req.header('authorization'));
    if (keyId === undefined) return answer(c, 401);
    c.set('apiKey', { keyId });
    await next();
    return undefined;
  };
}
