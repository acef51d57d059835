// The public JavaScript API, shared by every entry point. It turns JavaScript values into calls of
// the thin wasm exports (src/wasm.rs), throws TypeError only for programmer mistakes, and never
// puts a secret, a signature or any part of an API key into an error message.
//
// `#wasm` (package.json `imports`) is the initialised wasm-bindgen glue plus the module's memory,
// picked per runtime. It is one binding that exists only after initialisation, so a bundler that prunes side-effect-free
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

// Result codes of the wasm engine (src/wasm.rs): >= 0 is the index of the matching secret.
const MALFORMED = -2;
const EMPTY_SECRET = -4;
const REASONS = ['', 'missing_signature', 'malformed_signature', 'signature_mismatch'];

// Bodies longer than this are hashed in pieces of this size, so the scratch buffer (and the
// module's memory) does not grow with the largest body seen.
const CHUNK = 64 * 1024;
// Room for a secret and a signature header beside a chunk.
const SLACK = 4096;
// The longest header that can still be a signature once surrounding ASCII whitespace is removed:
// `sha256=` and 64 digits.
const LONGEST_SIGNATURE = 71;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const engine = new wasm.Engine();
const { memory } = wasm;
let scratchAt = 0;
let scratchSize = 0;
let scratch = new Uint8Array(0);

// The scratch buffer, at least `length` bytes, as a view that is valid until the next wasm call
// that can allocate.
function view(length) {
  if (length > scratchSize) {
    scratchSize = Math.max(length, Math.min(2 * scratchSize, CHUNK + SLACK), 1024);
    scratchAt = engine.reserve(scratchSize);
    scratch = new Uint8Array(memory.buffer, scratchAt, scratchSize);
  } else if (scratch.length === 0) {
    // Growing the memory detached the old buffer, and every view of it now has length 0.
    scratch = new Uint8Array(memory.buffer, scratchAt, scratchSize);
  }
  return scratch;
}
view(1024); // the engine writes results (up to 1 KiB) at the start and never grows the buffer

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

// The header as the engine should see it, or undefined when it cannot be a signature. Long values
// lose their surrounding ASCII whitespace here (as the Rust core would), so a huge hostile header
// is never copied into wasm memory.
function headerText(signature) {
  if (signature === null || signature === undefined) return '';
  if (typeof signature !== 'string') return undefined;
  if (signature.length <= 128) return signature;
  const trimmed = signature.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '');
  return trimmed.length <= LONGEST_SIGNATURE ? trimmed : undefined;
}

// Writes a string's UTF-8 bytes at `at`; returns how many. `room` bytes must be available.
function writeText(text, at) {
  const out = view(at + text.length * 3);
  if (text.length <= 80) {
    let i = 0;
    for (; i < text.length; i += 1) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) break;
      out[at + i] = c;
    }
    if (i === text.length) return i;
  }
  return encoder.encodeInto(text, out.subarray(at)).written;
}

// Writes a header (at most 128 UTF-16 units): ASCII as is, anything else as 0xff, which is never
// whitespace or a hex digit, so the engine rejects it exactly as it rejects its UTF-8 bytes.
function writeHeader(header, at) {
  const out = view(at + header.length);
  for (let i = 0; i < header.length; i += 1) {
    const c = header.charCodeAt(i);
    out[at + i] = c < 0x80 ? c : 0xff;
  }
  return header.length;
}

function secretBytes(item, which) {
  if (typeof item === 'string') return item;
  if (ArrayBuffer.isView(item)) return new Uint8Array(item.buffer, item.byteOffset, item.byteLength);
  throw new TypeError(
    `dialnexa-verify: ${which} is ${typeName(item)}: pass the secret registered with the webhook, ` +
      'as a string or a Uint8Array (is the environment variable set?).',
  );
}

function emptySecret(which) {
  return new TypeError(`dialnexa-verify: ${which} is empty: pass the secret registered with the webhook.`);
}

// Prepares the HMAC key state of a list of secrets (current first) as WebhookKeys.
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
      const bytes = secretBytes(item, which);
      if (!keys.addSecret(typeof bytes === 'string' ? encoder.encode(bytes) : bytes)) throw emptySecret(which);
    });
  } catch (error) {
    keys.free();
    throw error;
  }
  return keys;
}

// Puts the secret (a string: the engine keeps its prepared key for the next calls) at the start
// of the scratch buffer and returns its length, or prepares WebhookKeys for anything else.
function secretOrKeys(secret) {
  if (typeof secret === 'string') {
    if (secret.length === 0) throw emptySecret('the webhook secret');
    return writeText(secret, 0);
  }
  if (secret instanceof WebhookVerifier) return secret.keys();
  if (secret instanceof WebhookKeys) return secret;
  return prepare(secret);
}

// Copies the body after `at`; returns its length, or -1 after feeding a long body to the streams
// (which the caller has started).
function bodyInOneGo(body, at) {
  if (typeof body === 'string') {
    if (body.length <= CHUNK / 3) return writeText(body, at);
    body = encoder.encode(body);
  }
  if (body.length <= CHUNK) {
    view(at + body.length).set(body, at);
    return body.length;
  }
  return -1;
}

function feed(body) {
  if (typeof body === 'string') body = encoder.encode(body);
  for (let offset = 0; offset < body.length; offset += CHUNK) {
    const piece = body.subarray(offset, offset + CHUNK);
    view(piece.length).set(piece, 0);
    engine.streamUpdate(piece.length);
  }
}

function isLong(body) {
  return typeof body === 'string' ? body.length > CHUNK / 3 : body.length > CHUNK;
}

// The engine's result code for a check: the index of the matching secret, or -1/-2/-3.
function check(secret, payload, signature) {
  const body = payloadBytes(payload);
  const target = secretOrKeys(secret);
  try {
    const header = headerText(signature);
    if (header === undefined) return MALFORMED;
    if (typeof target === 'number') {
      if (isLong(body)) {
        if (engine.streamWithSecret(target) === EMPTY_SECRET) throw emptySecret('the webhook secret');
        feed(body);
        return engine.streamVerify(writeHeader(header, 0));
      }
      const bodyLength = bodyInOneGo(body, target);
      const headerLength = writeHeader(header, target + bodyLength);
      const code = engine.verifyWithSecret(target, bodyLength, headerLength);
      if (code === EMPTY_SECRET) throw emptySecret('the webhook secret');
      return code;
    }
    if (isLong(body)) {
      engine.streamWithKeys(target);
      feed(body);
      return engine.streamVerify(writeHeader(header, 0));
    }
    const bodyLength = bodyInOneGo(body, 0);
    return engine.verifyWithKeys(target, bodyLength, writeHeader(header, bodyLength));
  } finally {
    release(secret, target);
  }
}

// The 64 hex digits at the start of the scratch buffer.
function readHex() {
  return String.fromCharCode.apply(null, view(64).subarray(0, 64));
}

function sign(secret, payload) {
  const body = payloadBytes(payload);
  const target = secretOrKeys(secret);
  try {
    let code;
    if (isLong(body)) {
      code = typeof target === 'number' ? engine.streamWithSecret(target) : (engine.streamWithKeys(target), 0);
      if (code === 0) {
        feed(body);
        code = engine.streamSign();
      }
    } else if (typeof target === 'number') {
      code = engine.signWithSecret(target, bodyInOneGo(body, target));
    } else {
      code = engine.signWithKeys(target, bodyInOneGo(body, 0));
    }
    if (code === EMPTY_SECRET) throw emptySecret('the webhook secret');
    return readHex();
  } finally {
    release(secret, target);
  }
}

// Frees WebhookKeys that were prepared for this one call.
function release(secret, target) {
  if (typeof target === 'object' && target !== secret && !(secret instanceof WebhookVerifier)) target.free();
}

function outcome(code) {
  return code >= 0 ? { ok: true, secretIndex: code } : { ok: false, reason: REASONS[-code] };
}

export function verifyWebhook(payload, signature, secret) {
  return check(secret, payload, signature) >= 0;
}

export function checkWebhook(payload, signature, secret) {
  return outcome(check(secret, payload, signature));
}

export function signWebhook(payload, secret) {
  return sign(secret, payload);
}

export class WebhookVerifier {
  #keys;
  #count;

  constructor(secret) {
    this.#keys = prepare(secret);
    this.#count = Array.isArray(secret) ? secret.length : 1;
  }

  /** @internal */
  keys() {
    if (this.#keys === undefined) {
      throw new TypeError('dialnexa-verify: this WebhookVerifier was freed: create a new one.');
    }
    return this.#keys;
  }

  get secretCount() {
    this.keys();
    return this.#count;
  }

  verify(payload, signature) {
    return check(this, payload, signature) >= 0;
  }

  check(payload, signature) {
    return outcome(check(this, payload, signature));
  }

  sign(payload) {
    return sign(this, payload);
  }

  free() {
    if (this.#keys !== undefined) {
      this.#keys.free();
      this.#keys = undefined;
    }
  }

  toString() {
    return this.#keys === undefined ? 'WebhookVerifier { freed }' : `WebhookVerifier { secrets: ${this.#count} }`;
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
  if (secret === '') throw emptySecret('the webhook secret');
  const owned = typeof secret === 'string' || secret instanceof WebhookVerifier ? undefined : prepare(secret);
  try {
    const body = new Uint8Array(await request.arrayBuffer());
    const code = check(owned ?? secret, body, request.headers.get(SIGNATURE_HEADER));
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
function parseKey(text, authorization) {
  view(1024); // room for the ranges or the error text: the engine never grows the scratch buffer
  const code = engine.parseKey(text, authorization);
  if (code === 0) {
    // Byte ranges: a valid key and all that precedes it are ASCII, so they are string indices.
    const ranges = new DataView(memory.buffer, scratchAt, 16);
    const key = { keyId: text.slice(ranges.getUint32(0, true), ranges.getUint32(4, true)) };
    Object.defineProperty(key, 'secret', {
      value: text.slice(ranges.getUint32(8, true), ranges.getUint32(12, true)),
      enumerable: false,
    });
    return key;
  }
  const message = decoder.decode(view(-code).subarray(0, -code));
  const newline = message.indexOf('\n');
  throw new ApiKeyError(message.slice(0, newline), message.slice(newline + 1));
}

export function parseApiKey(key) {
  if (typeof key !== 'string') {
    throw new TypeError(
      `dialnexa-verify: parseApiKey expects the API key as a string, got ${typeName(key)} (is the environment variable set?).`,
    );
  }
  return parseKey(key, false);
}

export function parseAuthorization(header) {
  if (header === null || header === undefined) header = '';
  else if (typeof header !== 'string') {
    throw new TypeError(
      `dialnexa-verify: parseAuthorization expects the Authorization header value as a string, got ${typeName(header)}.`,
    );
  }
  return parseKey(header, true);
}

export function redactApiKey(key) {
  if (typeof key !== 'string') return '****';
  view(1024);
  if (!engine.redact(key)) return '****';
  // A well-formed key ID and all that precedes it are ASCII: byte offsets are string indices.
  const range = new DataView(memory.buffer, scratchAt, 8);
  return `${key.slice(range.getUint32(0, true), range.getUint32(4, true))}:****`;
}

export function hashApiKeySecret(secret) {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new TypeError(
      `dialnexa-verify: hashApiKeySecret expects a non-empty secret string, got ${typeof secret === 'string' ? 'an empty string' : typeName(secret)}.`,
    );
  }
  engine.sha256(writeText(secret, 0));
  return readHex();
}

export function checkApiKey(presented, storedSecretHash) {
  if (typeof presented !== 'string' || typeof storedSecretHash !== 'string') return false;
  return wasm.checkApiKey(presented, storedSecretHash);
}
