// The public JavaScript API, shared by every entry point. It turns JavaScript values into calls of
// the thin wasm exports (src/wasm.rs), throws TypeError only for programmer mistakes, and never
// puts a secret, a signature or any part of an API key into an error message.
//
// `#wasm` (package.json `imports`) is the initialised wasm-bindgen glue, picked per runtime. It is
// one binding that exists only after initialisation, so a bundler that prunes side-effect-free
// modules cannot drop the initialisation while keeping the API.
import { wasm } from '#wasm';

const { WebhookKeys } = wasm;

export const SIGNATURE_HEADER = 'x-dialnexa-signature';

export const UNAUTHORIZED_BODY = Object.freeze({
  statusCode: 401,
  message: 'Unauthorized',
  error: 'Unauthorized',
});
const UNAUTHORIZED_JSON = JSON.stringify(UNAUTHORIZED_BODY);

// Bodies larger than this are copied into wasm memory and hashed in pieces of this size, so the
// module's memory does not grow with the largest body it has seen.
const CHUNK = 64 * 1024;
const MALFORMED = -2;
const REASONS = ['', 'missing_signature', 'malformed_signature', 'signature_mismatch'];

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function typeName(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
}

function isArrayBuffer(value) {
  const tag = Object.prototype.toString.call(value);
  return tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]';
}

// A string, or a Uint8Array over exactly the bytes of the payload (a view's offset respected).
function payloadBytes(payload) {
  if (typeof payload === 'string') return payload;
  if (ArrayBuffer.isView(payload)) {
    return payload instanceof Uint8Array
      ? payload
      : new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
  }
  if (isArrayBuffer(payload)) return new Uint8Array(payload);
  if (payload !== null && typeof payload === 'object') {
    throw new TypeError(
      `dialnexa-verify: the payload is ${typeName(payload)}, not the raw request body. ` +
        'Verify the exact bytes received (for example express.raw(), or await request.arrayBuffer()) ' +
        'before JSON.parse: re-serialized JSON does not match the signature.',
    );
  }
  throw new TypeError(
    `dialnexa-verify: the payload is ${typeName(payload)}: pass the raw request body as a string, ` +
      'Uint8Array, Buffer, ArrayBuffer or DataView.',
  );
}

// Prepares the HMAC key state of one secret or a list of secrets (current first).
function prepare(secret) {
  const list = Array.isArray(secret) ? secret : [secret];
  if (list.length === 0) {
    throw new TypeError(
      'dialnexa-verify: the list of webhook secrets is empty: pass at least one secret, the current one first.',
    );
  }
  const keys = new WebhookKeys();
  try {
    list.forEach((item, index) => {
      const which = Array.isArray(secret) ? `webhook secret #${index}` : 'the webhook secret';
      let bytes;
      if (typeof item === 'string') bytes = encoder.encode(item);
      else if (ArrayBuffer.isView(item)) bytes = new Uint8Array(item.buffer, item.byteOffset, item.byteLength);
      else {
        throw new TypeError(
          `dialnexa-verify: ${which} is ${typeName(item)}: pass the secret registered with the webhook, ` +
            'as a string or a Uint8Array (is the environment variable set?).',
        );
      }
      if (!keys.addSecret(bytes)) {
        throw new TypeError(
          `dialnexa-verify: ${which} is empty: pass the secret registered with the webhook.`,
        );
      }
    });
  } catch (error) {
    keys.free();
    throw error;
  }
  return keys;
}

// Runs `fn` with prepared keys, freeing them afterwards unless they belong to a WebhookVerifier.
function withKeys(secret, fn) {
  if (secret instanceof WebhookVerifier) return fn(secret.keys());
  const keys = prepare(secret);
  try {
    return fn(keys);
  } finally {
    keys.free();
  }
}

// What can go to wasm in one call (a short string, or bytes up to CHUNK), or undefined after a
// longer body has been fed to the keys' stream in CHUNK-sized pieces.
function inOneCall(keys, body) {
  if (typeof body === 'string') {
    if (body.length <= CHUNK / 3) return body; // at most 3 UTF-8 bytes per UTF-16 unit
    body = encoder.encode(body);
  }
  if (body.length <= CHUNK) return body;
  keys.streamStart();
  for (let offset = 0; offset < body.length; offset += CHUNK) {
    keys.streamUpdate(body.subarray(offset, offset + CHUNK));
  }
  return undefined;
}

// The wasm result code: the index of the matching secret, or -1/-2/-3 (see REASONS).
function check(keys, payload, signature) {
  const body = payloadBytes(payload);
  if (signature === null || signature === undefined) signature = '';
  else if (typeof signature !== 'string') return MALFORMED;
  const piece = inOneCall(keys, body);
  if (piece === undefined) return keys.streamCheck(signature);
  return typeof piece === 'string' ? keys.checkString(piece, signature) : keys.check(piece, signature);
}

function sign(keys, payload) {
  const piece = inOneCall(keys, payloadBytes(payload));
  if (piece === undefined) return keys.streamSign();
  return typeof piece === 'string' ? keys.signString(piece) : keys.sign(piece);
}

function outcome(code) {
  return code >= 0 ? { ok: true, secretIndex: code } : { ok: false, reason: REASONS[-code] };
}

export function verifyWebhook(payload, signature, secret) {
  return withKeys(secret, (keys) => check(keys, payload, signature)) >= 0;
}

export function checkWebhook(payload, signature, secret) {
  return outcome(withKeys(secret, (keys) => check(keys, payload, signature)));
}

export function signWebhook(payload, secret) {
  return withKeys(secret, (keys) => sign(keys, payload));
}

export class WebhookVerifier {
  #keys;

  constructor(secret) {
    this.#keys = prepare(secret);
  }

  /** @internal */
  keys() {
    if (this.#keys === undefined) {
      throw new TypeError('dialnexa-verify: this WebhookVerifier was freed: create a new one.');
    }
    return this.#keys;
  }

  get secretCount() {
    return this.keys().count;
  }

  verify(payload, signature) {
    return check(this.keys(), payload, signature) >= 0;
  }

  check(payload, signature) {
    return outcome(check(this.keys(), payload, signature));
  }

  sign(payload) {
    return sign(this.keys(), payload);
  }

  free() {
    if (this.#keys !== undefined) {
      this.#keys.free();
      this.#keys = undefined;
    }
  }

  toString() {
    return this.#keys === undefined ? 'WebhookVerifier { freed }' : `WebhookVerifier { secrets: ${this.#keys.count} }`;
  }

  [Symbol.for('nodejs.util.inspect.custom')]() {
    return this.toString();
  }
}

if (typeof Symbol.dispose === 'symbol') {
  Object.defineProperty(WebhookVerifier.prototype, Symbol.dispose, {
    value: WebhookVerifier.prototype.free,
    writable: true,
    configurable: true,
  });
}

export function unauthorizedResponse() {
  return new Response(UNAUTHORIZED_JSON, {
    status: 401,
    headers: { 'content-type': 'application/json' },
  });
}

export async function verifyWebhookRequest(request, secret) {
  if (request === null || typeof request !== 'object' || typeof request.arrayBuffer !== 'function' || !request.headers) {
    throw new TypeError(
      `dialnexa-verify: verifyWebhookRequest expects a fetch API Request, got ${typeName(request)}.`,
    );
  }
  // A bad secret throws before the body is read; a WebhookVerifier is looked at after the await.
  const owned = secret instanceof WebhookVerifier ? undefined : prepare(secret);
  try {
    const body = new Uint8Array(await request.arrayBuffer());
    const code = check(owned ?? secret.keys(), body, request.headers.get(SIGNATURE_HEADER));
    if (code < 0) {
      return { ok: false, reason: REASONS[-code], response: unauthorizedResponse() };
    }
    return {
      ok: true,
      body,
      secretIndex: code,
      text: () => decoder.decode(body),
      json: () => JSON.parse(decoder.decode(body)),
    };
  } finally {
    owned?.free();
  }
}

export class ApiKeyError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'ApiKeyError';
    this.code = code;
  }
}

// `{ keyId, secret }` with the secret non-enumerable, so console.log and JSON.stringify of a
// parsed key do not print it.
function parsedKey(raw) {
  if (raw.code !== undefined) throw new ApiKeyError(raw.code, raw.message);
  const key = { keyId: raw.keyId };
  Object.defineProperty(key, 'secret', { value: raw.secret, enumerable: false });
  return key;
}

export function parseApiKey(key) {
  if (typeof key !== 'string') {
    throw new TypeError(
      `dialnexa-verify: parseApiKey expects the API key as a string, got ${typeName(key)} (is the environment variable set?).`,
    );
  }
  return parsedKey(wasm.parseApiKey(key));
}

export function parseAuthorization(header) {
  if (header === null || header === undefined) header = '';
  else if (typeof header !== 'string') {
    throw new TypeError(
      `dialnexa-verify: parseAuthorization expects the Authorization header value as a string, got ${typeName(header)}.`,
    );
  }
  return parsedKey(wasm.parseAuthorization(header));
}

export function redactApiKey(key) {
  return typeof key === 'string' ? wasm.redactApiKey(key) : '****';
}

export function hashApiKeySecret(secret) {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new TypeError(
      `dialnexa-verify: hashApiKeySecret expects a non-empty secret string, got ${typeof secret === 'string' ? 'an empty string' : typeName(secret)}.`,
    );
  }
  return wasm.hashApiKeySecret(secret);
}

export function checkApiKey(presented, storedSecretHash) {
  if (typeof presented !== 'string' || typeof storedSecretHash !== 'string') return false;
  return wasm.checkApiKey(presented, storedSecretHash);
}
