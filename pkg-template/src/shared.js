// What every integration (withWebhook, and the node, fastify, hono and lambda entries) does the
// same way: read its options once, answer with DialNexa's bodies, log a rejection (rate-limited,
// never a secret), and run a verified delivery through the replay guard. Bundled into each entry
// that uses it; its imports of './api.js' and './receive.js' are the package's public API.
import {
  DEFAULT_BODY_LIMIT, SIGNATURE_HEADER, UNAUTHORIZED_BODY, WebhookVerifier, checkApiKey, checkWebhook, diagnoseWebhook,
  parseAuthorization, redactApiKey, verifyWebhookRequest, verifyWebhookStream,
} from './api.js';
import { NOT_DIAGNOSED, diagnosisBudget, needsBody, smallEnough } from './budget.js';

export const UNAUTHORIZED_JSON = JSON.stringify(UNAUTHORIZED_BODY);
export const BODIES = {
  400: '{"statusCode":400,"message":"Bad Request","error":"Bad Request"}',
  401: UNAUTHORIZED_JSON,
  408: '{"statusCode":408,"message":"Request Timeout","error":"Request Timeout"}',
  409: '{"statusCode":409,"message":"Duplicate delivery: it was already accepted","error":"Conflict"}',
  413: '{"statusCode":413,"message":"Payload Too Large","error":"Payload Too Large"}',
  415: '{"statusCode":415,"message":"Unsupported Media Type","error":"Unsupported Media Type"}',
  500: '{"statusCode":500,"message":"Internal Server Error","error":"Internal Server Error"}',
};

/** How long a body may take to arrive, unless `timeout` says otherwise (ms). */
export const DEFAULT_BODY_TIMEOUT = 30_000;

function fail(where, message) {
  return new TypeError(`dialnexa-verify: ${where}: ${message}`);
}

// Whether diagnosis is on when the options do not say: on in a server runtime (Node, Deno, Bun)
// unless NODE_ENV is 'production', off where there is no `process` (browsers, Workers without
// Node.js compatibility) and in Cloudflare Workers, which set no NODE_ENV in production either.
// Reading the environment may itself be refused (Deno without --allow-env): then off.
function diagnoseByDefault() {
  try {
    const env = globalThis.process?.env;
    if (env === undefined || globalThis.navigator?.userAgent === 'Cloudflare-Workers') return false;
    return env.NODE_ENV !== 'production';
  } catch {
    return false;
  }
}

// A logger: the option's `warn`/`error` methods, a function, or the console.
function loggerOf(log, where) {
  if (log === undefined) return { warn: (line) => console.warn(line), error: (line) => console.error(line) };
  if (typeof log === 'function') return { warn: log, error: log };
  if (log !== null && typeof log === 'object' && typeof log.warn === 'function' && typeof log.error === 'function') {
    return { warn: (line) => log.warn(line), error: (line) => log.error(line) };
  }
  if (log === false) return { warn() {}, error() {} };
  throw fail(where, 'log must be a function, an object with warn() and error() (console, pino, winston), or false.');
}

// At most `rate` lines a second (a token bucket), so that a flood of bad requests cannot flood
// the logs, nor make the diagnosis behind a line run more often than that; the lines dropped are
// counted in the next one. `line` is a string, or a function that makes it (only when it is
// written).
function limited(write, rate = 5) {
  let tokens = rate;
  let last = Date.now();
  let dropped = 0;
  return (line) => {
    const now = Date.now();
    tokens = Math.min(rate, tokens + ((now - last) / 1000) * rate);
    last = now;
    if (tokens < 1) {
      dropped += 1;
      return;
    }
    tokens -= 1;
    const text = typeof line === 'function' ? line() : line;
    const count = dropped;
    dropped = 0;
    try {
      write(count > 0 ? `${text} (${count} similar lines dropped)` : text);
    } catch {
      // A logger that throws (a closed transport) must not turn a rejected request into a crash.
    }
  };
}

/**
 * The options of a webhook integration, checked once when it is created: a bad secret or option
 * throws TypeError at start-up, not on the first request.
 */
export function webhookOptions(options, where, { deferDiagnosis = false } = {}) {
  if (options === null || typeof options !== 'object') {
    throw fail(where, 'pass an options object such as { secret: process.env.DIALNEXA_WEBHOOK_SECRET }.');
  }
  const { secret, limit, timeout, diagnose = diagnoseByDefault(), replay, log } = options;
  const keys = typeof secret === 'function' ? keysFrom(secret, where, Boolean(diagnose)) : once(prepare(secret, where, Boolean(diagnose)));
  if (limit !== undefined && (typeof limit !== 'number' || !(limit >= 0))) {
    throw fail(where, 'limit must be the largest body to accept, in bytes (a number, or Infinity).');
  }
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0))) {
    throw fail(where, 'timeout must be how long a body may take to arrive, in milliseconds.');
  }
  if (replay !== undefined && (replay === null || typeof replay.claim !== 'function' || typeof replay.release !== 'function')) {
    throw fail(where, 'replay must be a guard from createReplayGuard().');
  }
  const logger = loggerOf(log, where);
  return {
    keys,
    diagnose: Boolean(diagnose),
    deferDiagnosis,
    budget: diagnosisBudget(),
    limit,
    timeout: timeout ?? DEFAULT_BODY_TIMEOUT,
    replay,
    warn: limited(logger.warn),
    error: limited(logger.error, 1),
  };
}

// The secret, prepared: a verifier that serves every request, and the secrets themselves, kept
// only for the diagnosis of rejected deliveries when it is on.
function prepare(secret, where, diagnose) {
  if (secret === undefined || secret === null || secret === '') {
    throw fail(where, 'the webhook secret is missing or empty: pass { secret } (is DIALNEXA_WEBHOOK_SECRET set?).');
  }
  const verifier = WebhookVerifier.is(secret) ? secret : new WebhookVerifier(secret);
  return { verifier, secrets: diagnose && !WebhookVerifier.is(secret) ? secret : undefined };
}

const once = (prepared) => () => prepared;

const same = (a, b) => a === b || (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => item === b[i]));

// A secret given as a function (`() => process.env.DIALNEXA_WEBHOOK_SECRET`): read on each
// request, so that a framework can build the handler before the environment is there (Next.js
// evaluates route modules at build time), and a rotation needs no restart. It is prepared again
// only when it changes.
function keysFrom(read, where, diagnose) {
  let last;
  let prepared;
  return () => {
    const secret = read();
    if (prepared === undefined || !same(secret, last)) {
      prepared = prepare(secret, where, diagnose);
      last = secret;
    }
    return prepared;
  };
}

/**
 * The prepared secret for one request, or undefined after logging why there is none (a secret
 * given as a function that returned nothing): the integration then answers 500.
 */
export function keysFor(settings) {
  try {
    return settings.keys();
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    settings.error(`${error.message} No delivery can be verified until it is.`);
    return undefined;
  }
}

/** The delivery a verified request gives the handler. */
export function delivery(result) {
  return { body: result.body, secretIndex: result.secretIndex, text: result.text, json: result.json };
}

const SIGNATURE_REASONS = new Set(['missing_signature', 'malformed_signature', 'signature_mismatch']);

/**
 * Logs why a delivery was rejected and, with diagnosis on, the cause and its hint. Never the
 * secret, the signature or the body. A header that is missing or not a tag is explained at once,
 * from its shape; what needs the body (a signature that does not match, a header that may be the
 * tag in base64) is diagnosed within the bounds of budget.js, and in the Node.js servers
 * (`deferDiagnosis`) after the answer has been sent. Nothing the diagnosis does can reach the
 * request.
 */
export function logRejection(settings, keys, reason, body, signature) {
  const line = `dialnexa-verify: rejected a webhook delivery (${reason})`;
  if (!settings.diagnose || !SIGNATURE_REASONS.has(reason)) {
    settings.warn(line);
    return;
  }
  if (keys.secrets === undefined) {
    settings.warn(`${line}; pass the secret itself, not a WebhookVerifier, to have the cause diagnosed`);
    return;
  }
  if (!needsBody(reason, signature) || body === undefined) {
    // From the header alone (a body left unread cannot be examined): no HMAC over a body.
    settings.warn(() => diagnosedLine(line, new Uint8Array(0), signature, keys.secrets));
    return;
  }
  const bytes = body ?? new Uint8Array(0);
  if (!smallEnough(bytes)) {
    settings.warn(`${line}; ${NOT_DIAGNOSED.large}`);
    return;
  }
  if (!settings.budget.take()) {
    settings.warn(`${line}; ${NOT_DIAGNOSED.often}`);
    return;
  }
  const diagnosed = () => diagnosedLine(line, bytes, signature, keys.secrets);
  if (settings.deferDiagnosis) setTimeout(() => settings.warn(diagnosed), 0);
  else settings.warn(diagnosed);
}

function diagnosedLine(line, body, signature, secrets) {
  try {
    const found = diagnoseWebhook(body, signature, secrets);
    return `${line}: ${found.cause}. ${found.hint}`;
  } catch {
    return `${line}; the diagnosis failed`;
  }
}

/**
 * Runs a verified delivery through the replay guard, if any: 'fresh' (go on), or 'replay' (answer
 * 409, the handler must not run).
 */
export async function claim(settings, signature) {
  if (settings.replay === undefined) return 'fresh';
  return (await settings.replay.claim(signature)) ? 'fresh' : 'replay';
}

/** Lets a retry of a delivery through after its handler failed. */
export async function release(settings, signature) {
  if (settings.replay !== undefined) await settings.replay.release(signature);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A verified body with the accessors a handler gets. */
export function verified(body, secretIndex) {
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  return {
    ok: true,
    body: bytes,
    secretIndex,
    text: () => decoder.decode(bytes),
    json: () => JSON.parse(decoder.decode(bytes)),
  };
}

/**
 * Checks a body already in memory (a framework's raw buffer, a Lambda event) against the options'
 * limit (default DEFAULT_BODY_LIMIT) and secrets.
 */
export function checkBody(settings, keys, body, signature) {
  const length = typeof body === 'string' ? encoder.encode(body).length : body.byteLength;
  if (length > (settings.limit ?? DEFAULT_BODY_LIMIT)) return { ok: false, reason: 'body_too_large', status: 413 };
  const result = checkWebhook(body, signature, keys.verifier);
  return result.ok ? verified(body, result.secretIndex) : { ...result, status: 401 };
}

// `read(signal)`, or a 408 result once the options' timeout has passed; the signal then stops the
// read (a fetch body is cancelled; a Node request is closed after the answer).
async function inTime(settings, read) {
  const controller = new AbortController();
  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ ok: false, reason: 'body_timeout', status: 408 });
    }, settings.timeout);
  });
  try {
    return await Promise.race([read(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads and checks a body stream (a Node request, a ReadableStream) with the options' limit and timeout. */
export function checkStream(settings, keys, stream, signature) {
  return inTime(settings, (signal) => verifyWebhookStream(stream, signature, keys.verifier, { limit: settings.limit, signal }));
}

/**
 * Whether a `Content-Encoding` value says the body is compressed (any coding but `identity`).
 * DialNexa signs and sends a delivery's bytes as they are: a compressed body is answered 415
 * before it is read, so that nothing is inflated before it is verified (a small compressed body
 * can inflate to gigabytes) and a handler never gets compressed bytes to parse.
 */
export function compressed(value) {
  if (value === undefined || value === null) return false;
  const text = Array.isArray(value) ? value.join(',') : String(value);
  return text.split(',').some((coding) => {
    const name = coding.trim().toLowerCase();
    return name !== '' && name !== 'identity';
  });
}

const COMPRESSED = Object.freeze({ ok: false, reason: 'content_encoding', status: 415 });

/** Reads and checks a fetch API Request with the options' limit and timeout. */
export function checkRequest(settings, keys, request) {
  if (compressed(request.headers.get('content-encoding'))) return Promise.resolve(COMPRESSED);
  return inTime(settings, (signal) => verifyWebhookRequest(request, keys.verifier, { limit: settings.limit, signal }));
}

/** The signature header of a fetch API Request. */
export function signatureOf(request) {
  return request.headers.get(SIGNATURE_HEADER);
}

/**
 * The options of an API-key integration: `lookup(keyId)` gives (or resolves to) the stored secret
 * hash from hashApiKeySecret, or a `{ keyId, secretHash }` record, or null/undefined for a key
 * that is unknown or revoked.
 */
export function apiKeyOptions(options, where) {
  if (options === null || typeof options !== 'object' || typeof options.lookup !== 'function') {
    throw fail(where, 'pass { lookup: (keyId) => storedSecretHash | null } (it may return a Promise).');
  }
  return { lookup: options.lookup, warn: limited(loggerOf(options.log, where).warn) };
}

/** The stored record that `lookup` gave for `keyId`, or undefined for an unknown or revoked key. */
function recordOf(found, keyId) {
  if (found === null || found === undefined) return undefined;
  if (typeof found === 'string') return { keyId, secretHash: found };
  return found;
}

/**
 * The key ID of a valid `Authorization` value, or undefined (logged with its reason). Shared by
 * every API-key integration; a `lookup` that throws (a database down) propagates.
 */
export async function authenticate(settings, authorization) {
  let key;
  try {
    key = parseAuthorization(typeof authorization === 'string' ? authorization : undefined);
  } catch (error) {
    if (error?.name !== 'ApiKeyError') throw error;
    settings.warn(`dialnexa-verify: rejected an API key (${error.code}): ${redactApiKey(authorization ?? '')}`);
    return undefined;
  }
  const record = recordOf(await settings.lookup(key.keyId), key.keyId);
  if (record === undefined || !checkApiKey(key, record)) {
    settings.warn(`dialnexa-verify: rejected an API key (${record === undefined ? 'unknown or revoked' : 'wrong secret'}): ${redactApiKey(authorization)}`);
    return undefined;
  }
  return key.keyId;
}
