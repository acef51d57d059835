// The root package's integrations for fetch-API handlers (Next.js route handlers, Remix/React
// Router, SvelteKit, Astro, Bun.serve, Deno.serve, Workers), and the replay guard every
// integration can use.
import { SIGNATURE_HEADER, sha256Hex, verifyWebhookRequest } from './api.js';
import { BODIES, apiKeyOptions, authenticate, claim, delivery, logRejection, release, webhookOptions } from './shared.js';

function json(text, status) {
  return new Response(text, { status, headers: { 'content-type': 'application/json' } });
}

// The tag a header carries, as 64 lowercase hex digits (surrounding whitespace and a `sha256=`
// prefix dropped), so that one delivery sent with differently written headers is one key. Only
// called for headers that verified, which have exactly that shape.
function canonicalTag(signature) {
  let text = (Array.isArray(signature) ? signature[0] : signature).trim();
  if (text.length === 71) text = text.slice(7);
  return text.toLowerCase();
}

/**
 * Remembers the deliveries it accepted, to refuse the same delivery twice (DialNexa signs only the
 * body, with no timestamp: a captured delivery verifies forever). Keys are SHA-256 of the tag,
 * never the tag itself. The default store is in memory (one process); pass `store` to share it
 * between instances: `add(key, ttlMs)` resolves to true when the key was not there and is now
 * (Redis: `SET key 1 NX PX ttl`), `delete(key)` removes it.
 */
export function createReplayGuard(options = {}) {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('dialnexa-verify: createReplayGuard: pass an options object such as { ttl: 86400000 }.');
  }
  const { ttl = 24 * 60 * 60 * 1000, max = 100_000, store } = options;
  if (typeof ttl !== 'number' || !(ttl > 0) || typeof max !== 'number' || !(max >= 1)) {
    throw new TypeError('dialnexa-verify: createReplayGuard: ttl (ms) and max (entries) must be positive numbers.');
  }
  if (store !== undefined && (store === null || typeof store.add !== 'function' || typeof store.delete !== 'function')) {
    throw new TypeError('dialnexa-verify: createReplayGuard: store must have add(key, ttlMs) and delete(key).');
  }
  const shared = store ?? memoryStore(max);
  const keyOf = (signature) => `dialnexa-verify:replay:${sha256Hex(canonicalTag(signature))}`;
  return Object.freeze({
    ttl,
    /** Resolves to true for a delivery not seen within `ttl` (now remembered), false for a replay. */
    async claim(signature) {
      return (await shared.add(keyOf(signature), ttl)) === true;
    },
    /** Forgets a delivery (its handler failed: a retry must get through). */
    async release(signature) {
      await shared.delete(keyOf(signature));
    },
  });
}

// At most `max` keys, each until it expires; when full, the oldest goes first.
function memoryStore(max) {
  const expiries = new Map();
  return {
    add(key, ttl) {
      const now = Date.now();
      const expiry = expiries.get(key);
      if (expiry !== undefined && expiry > now) return false;
      expiries.delete(key);
      // Insertion order is expiry order (one ttl for all): expired keys are at the front.
      for (const [oldest, until] of expiries) {
        if (until > now && expiries.size < max) break;
        expiries.delete(oldest);
      }
      expiries.set(key, now + ttl);
      return true;
    },
    delete(key) {
      expiries.delete(key);
    },
  };
}

/**
 * Wraps a fetch-API handler: `handler(request, delivery, ...rest)` runs only for verified
 * deliveries; everything else is answered here (401 with DialNexa's body, 413 past the limit,
 * 409 for a replay when a guard is given).
 */
export function withWebhook(handler, options) {
  if (typeof handler !== 'function') throw new TypeError('dialnexa-verify: withWebhook(handler, options): the handler must be a function.');
  const settings = webhookOptions(options, 'withWebhook');
  return async (request, ...rest) => {
    const signature = request.headers.get(SIGNATURE_HEADER);
    const result = await verifyWebhookRequest(request, settings.verifier, { limit: settings.limit });
    if (!result.ok) {
      logRejection(settings, result.reason, result.body, signature);
      return result.response;
    }
    if ((await claim(settings, signature)) === 'replay') {
      logRejection(settings, 'replayed');
      return json(BODIES[409], 409);
    }
    let response;
    try {
      response = await handler(request, delivery(result), ...rest);
    } catch (error) {
      await release(settings, signature);
      throw error;
    }
    if (!(response instanceof Response) || response.status >= 300) await release(settings, signature);
    return response;
  };
}

/**
 * Wraps a fetch-API handler: `handler(request, { keyId }, ...rest)` runs only for a request whose
 * `Authorization: Bearer keyid:secret` matches the record `lookup(keyId)` gives; every other
 * request gets 401 with DialNexa's body. Logs show only `keyid:****`.
 */
export function withApiKey(handler, options) {
  if (typeof handler !== 'function') throw new TypeError('dialnexa-verify: withApiKey(handler, options): the handler must be a function.');
  const settings = apiKeyOptions(options, 'withApiKey');
  return async (request, ...rest) => {
    const authorization = request.headers.get('authorization');
    const keyId = await authenticate(settings, authorization);
    if (keyId === undefined) return json(BODIES[401], 401);
    return handler(request, { keyId }, ...rest);
  };
}
