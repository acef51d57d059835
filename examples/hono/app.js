// One Hono app for Node, Deno, Bun and Cloudflare Workers. `createApp(config)` builds it from a
// configuration that each runtime's entry file reads with `configFrom(get)`, where `get(name)` is
// that runtime's way to read a variable (process.env, Deno.env, Bun.env, a Worker's env).
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { apiKeyMiddleware, webhookMiddleware } from 'dialnexa-verify/hono';

/** The largest webhook delivery accepted, in bytes (DialNexa deliveries can carry transcripts). */
export const WEBHOOK_LIMIT = 1024 * 1024;
/** How long a delivery's body may take to arrive, in ms. */
export const WEBHOOK_TIMEOUT = 10_000;
/** The largest JSON body the API routes accept. */
export const API_LIMIT = 16 * 1024;

const REASONS = { 400: 'Bad Request', 404: 'Not Found', 413: 'Payload Too Large', 500: 'Internal Server Error' };
const problem = (c, status) => c.json({ statusCode: status, message: REASONS[status], error: REASONS[status] }, status);

/**
 * The app's configuration from its environment: the webhook secret (with the previous one during
 * a rotation) and the API keys. Throws an Error naming the variable that is missing or wrong.
 */
export function configFrom(get) {
  const current = get('DIALNEXA_WEBHOOK_SECRET');
  if (!current) throw new Error('DIALNEXA_WEBHOOK_SECRET is not set: set it to the webhook secret registered with DialNexa.');
  const previous = get('DIALNEXA_WEBHOOK_SECRET_PREVIOUS');
  // API_KEY_HASHES: "keyId=sha256hex,keyId=sha256hex" (hashApiKeySecret of each secret; never the secrets).
  const hashes = new Map();
  for (const entry of (get('API_KEY_HASHES') ?? '').split(',').filter(Boolean)) {
    const [keyId, secretHash] = entry.trim().split('=');
    if (!keyId || !/^[0-9a-f]{64}$/.test(secretHash ?? '')) throw new Error('API_KEY_HASHES must be "keyId=<64 hex digits>,..."');
    hashes.set(keyId, secretHash);
  }
  return { secret: previous ? [current, previous] : current, lookup: (keyId) => hashes.get(keyId) };
}

/**
 * The app.
 * @param {object} config
 * @param {import('dialnexa-verify').WebhookSecret} config.secret
 * @param {import('dialnexa-verify').ApiKeyOptions['lookup']} config.lookup
 * @param {import('dialnexa-verify').ReplayGuard} [config.replay] a guard from createReplayGuard() (see replay-redis.js)
 */
export function createApp({ secret, lookup, replay }) {
  const app = new Hono();

  // The package reads the body itself: it answers an unsigned or malformed request before reading
  // any of it, hashes the rest as it arrives and stops past WEBHOOK_LIMIT (413) or WEBHOOK_TIMEOUT (408).
  // #region readme
  app.post('/webhooks/dialnexa', webhookMiddleware({ secret, limit: WEBHOOK_LIMIT, timeout: WEBHOOK_TIMEOUT, replay }), (c) => {
    const delivery = c.get('dialnexa');
    const event = delivery.json();
    // ... handle the event, idempotently (DialNexa retries, and a captured delivery verifies forever) ...
    console.log(`dialnexa: accepted ${event.event} (${delivery.body.length} bytes, secret #${delivery.secretIndex})`);
    return c.json({ received: event.event });
  });
  // #endregion

  // API routes: the key is checked first (header only), then Hono's bodyLimit bounds what c.req.json() reads.
  app.use('/v1/*', apiKeyMiddleware({ lookup }), bodyLimit({ maxSize: API_LIMIT, onError: (c) => problem(c, 413) }));
  app.post('/v1/calls', async (c) => {
    const call = await c.req.json().catch(() => null);
    if (typeof call?.to !== 'string') return problem(c, 400);
    return c.json({ keyId: c.get('apiKey').keyId, to: call.to }, 202);
  });

  app.notFound((c) => problem(c, 404));
  app.onError((error, c) => {
    console.error(`${c.req.method} ${c.req.path} failed:`, error); // details stay in the server's log
    return problem(c, 500);
  });
  return app;
}
