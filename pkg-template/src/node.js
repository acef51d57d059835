// `dialnexa-verify/node`: Connect-style middleware `(req, res, next)` for node:http, Express 4
// and 5, and NestJS (Express adapter). It finds the raw body wherever it is, verifies it, and
// calls next() only for a verified delivery (req.dialnexa) or a valid API key (req.apiKey).
import { DEFAULT_BODY_LIMIT, SIGNATURE_HEADER } from './api.js';
import { drainBriefly } from './drain.js';
import {
  BODIES, apiKeyOptions, authenticate, checkBody, checkStream, claim, compressed, delivery, keysFor, logRejection, release,
  webhookOptions,
} from './shared.js';

function send(req, res, status) {
  if (res.headersSent) {
    res.destroy?.();
    return;
  }
  const body = BODIES[status];
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-length', String(body.length));
  // Answered before the whole body arrived: see drain.js.
  if (!req.complete && !req.readableEnded) res.on?.('finish', () => drainBriefly(req));
  res.end(body);
}


const isBytes = (value) => value instanceof Uint8Array || typeof value === 'string';

// Where the raw body is: bytes a raw parser kept (req.body from express.raw()/express.text(),
// req.rawBody from NestJS `rawBody: true` or fastify-raw-body style plugins), the request stream
// itself when nothing has read it, or nowhere (a parser consumed it and kept only its result).
function rawBody(req) {
  if (isBytes(req.body)) return { bytes: req.body };
  if (isBytes(req.rawBody)) return { bytes: req.rawBody };
  const unread = req.readableDidRead === false || (req.readableDidRead === undefined && !req.complete);
  if (unread && !req.readableEnded) return { stream: req };
  return { missing: req.body !== undefined && req.body !== null ? 'parsed' : 'consumed' };
}

// The fix for the framework the request came through, for the log of a misconfiguration.
function fixFor(req, missing) {
  const express = typeof req.app === 'function' && typeof req.app.get === 'function';
  const what = missing === 'parsed'
    ? 'req.body was already parsed into an object by a body parser that ran first, and no raw bytes were kept'
    : 'the request body was read before webhookMiddleware() ran, and its bytes were not kept';
  if (express) {
    return `${what}. Express: mount the webhook route, with webhookMiddleware(), before app.use(express.json()) ` +
      '(or exclude its path from express.json()); NestJS: create the app with NestFactory.create(AppModule, { rawBody: true }).';
  }
  return `${what}. Run webhookMiddleware() first, or keep the exact bytes in req.rawBody (a Buffer).`;
}

/**
 * Verifies DialNexa webhook deliveries. See the package README and node.d.ts.
 */
export function webhookMiddleware(options) {
  const settings = webhookOptions(options, 'webhookMiddleware', { deferDiagnosis: true });
  return async function dialnexaWebhook(req, res, next) {
    const keys = keysFor(settings);
    if (keys === undefined) return send(req, res, 500);
    const signature = req.headers[SIGNATURE_HEADER];
    const source = rawBody(req);
    if (source.missing) {
      // Fail closed: a 500 tells the sender to retry once the server is fixed.
      settings.error(`dialnexa-verify: cannot verify a webhook delivery: ${fixFor(req, source.missing)}`);
      return send(req, res, 500);
    }
    // A compressed body is refused unread (even if a raw parser before us inflated it).
    if (compressed(req.headers['content-encoding'])) {
      logRejection(settings, keys, 'content_encoding');
      return send(req, res, 415);
    }
    // A declared length over the limit is refused before a byte of the body is read.
    if (source.stream && Number(req.headers['content-length']) > (settings.limit ?? DEFAULT_BODY_LIMIT)) {
      logRejection(settings, keys, 'body_too_large');
      return send(req, res, 413);
    }
    const result = source.stream
      ? await checkStream(settings, keys, source.stream, signature)
      : checkBody(settings, keys, source.bytes, signature);
    if (!result.ok) {
      logRejection(settings, keys, result.reason, result.body ?? source.bytes, signature);
      return send(req, res, result.status);
    }
    if ((await claim(settings, signature)) === 'replay') {
      logRejection(settings, keys, 'replayed');
      return send(req, res, 409);
    }
    if (settings.replay !== undefined) {
      // Accepted only if the handler answers 2xx: otherwise a retry must get through.
      res.on?.('finish', () => {
        if (res.statusCode >= 300) release(settings, signature).catch(() => {});
      });
    }
    req.dialnexa = delivery(result);
    return next();
  };
}

/**
 * Checks `Authorization: Bearer keyid:secret` against `lookup(keyId)`. See node.d.ts.
 */
export function apiKeyMiddleware(options) {
  const settings = apiKeyOptions(options, 'apiKeyMiddleware');
  return async function dialnexaApiKey(req, res, next) {
    let keyId;
    try {
      keyId = await authenticate(settings, req.headers.authorization);
    } catch (error) {
      return next(error); // the lookup failed (a database down): the app's error handling decides
    }
    if (keyId === undefined) return send(req, res, 401);
    req.apiKey = { keyId };
    return next();
  };
}
