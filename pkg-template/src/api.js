// The public JavaScript API, shared by every entry point. It turns JavaScript values into calls of
// the thin wasm exports (src/wasm.rs), throws TypeError only for programmer mistakes, and never
// puts a secret, a signature or any part of an API key into an error message.
//
// `#wasm` (package.json `imports`) is the initialised wasm-bindgen glue plus the module's memory,
// picked per runtime. It is one binding that exists only after initialisation, so a bundler that
// prunes side-effect-free modules cannot drop the initialisation while keeping the API.
import { wasm } from '#wasm';

export const SIGNATURE_HEADER = 'x-dialnexa-signature';

export const UNAUTHORIZED_BODY = Object.freeze({
  statusCode: 401,
  message: 'Unauthorized',
  error: 'Unauthorized',
});
const UNAUTHORIZED_JSON = JSON.stringify(UNAUTHORIZED_BODY);

// Result codes of the wasm engine (src/wasm.rs): >= 0 is the index of the matching secret. Empty
// secrets never reach it: they are refused here first.
const MALFORMED = -2;
const STALE_SLOT = -5;
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

// Writes a string's UTF-8 bytes at `at` (ASCII directly, anything else through TextEncoder, which
// encodes a lone surrogate as U+FFFD); returns how many.
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

function emptySecret(which) {
  return new TypeError(`dialnexa-verify: ${which} is empty: pass the secret registered with the webhook.`);
}

// One or more secrets (current first), kept as bytes so that the engine can prepare them again
// whenever their slot has been given to another set: wasm memory stays bounded however many sets
// a program creates and forgets.
class SecretSet {
  constructor(secret) {
    const list = Array.isArray(secret) ? secret : [secret];
    if (list.length === 0) {
      throw new TypeError(
        'dialnexa-verify: the list of webhook secrets is empty: pass at least one secret, the current one first.',
      );
    }
    // Strings are kept as they are (immutable, and in the JS heap the garbage collector watches);
    // bytes are copied, so that changing the caller's buffer later changes nothing here.
    this.secrets = list.map((item, index) => {
      const which = Array.isArray(secret) ? `webhook secret #${index}` : 'the webhook secret';
      let kept;
      if (typeof item === 'string') kept = item;
      else if (ArrayBuffer.isView(item)) kept = new Uint8Array(item.buffer, item.byteOffset, item.byteLength).slice();
      else {
        throw new TypeError(
          `dialnexa-verify: ${which} is ${typeName(item)}: pass the secret registered with the webhook, ` +
            'as a string or a Uint8Array (is the environment variable set?).',
        );
      }
      if (kept.length === 0) throw emptySecret(which);
      return kept;
    });
    this.handle = -1;
  }

  // Prepares the secrets in a fresh slot (the engine's one-call slot when `temporary`).
  open(temporary) {
    this.handle = engine.slotOpen(temporary);
    for (const kept of this.secrets) {
      let length = kept.length;
      if (typeof kept === 'string') length = writeText(kept, 0);
      else view(length).set(kept, 0);
      engine.slotAdd(this.handle, length);
    }
    return this.handle;
  }

  // Runs `attempt(handle)` and, if the slot was reused meanwhile, prepares it again and retries.
  run(temporary, attempt) {
    if (temporary || this.handle < 0) this.open(temporary);
    const code = attempt(this.handle);
    return code === STALE_SLOT ? attempt(this.open(false)) : code;
  }
}

// Copies the body after `at`; returns its length, or -1 when it is too long for one call.
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

// The secrets to check with: a string's prepared key is cached by the engine; a WebhookVerifier
// has its own set; anything else becomes a set for this one call.
function secretSetOf(secret) {
  if (secret instanceof WebhookVerifier) return secret.secretSet();
  return secret instanceof SecretSet ? secret : new SecretSet(secret);
}

// The engine's result code for a check: the index of the matching secret, or -1/-2/-3.
function check(secret, payload, signature) {
  const body = payloadBytes(payload);
  if (typeof secret === 'string' && secret.length === 0) throw emptySecret('the webhook secret');
  const set = typeof secret === 'string' ? undefined : secretSetOf(secret);
  const header = headerText(signature);
  if (header === undefined) return MALFORMED;
  if (set === undefined) {
    const secretLength = writeText(secret, 0);
    if (isLong(body)) {
      engine.streamWithSecret(secretLength);
      feed(body);
      return engine.streamVerify(writeHeader(header, 0));
    }
    const bodyLength = bodyInOneGo(body, secretLength);
    return engine.verifyWithSecret(secretLength, bodyLength, writeHeader(header, secretLength + bodyLength));
  }
  return set.run(!(secret instanceof WebhookVerifier), (handle) => {
    if (isLong(body)) {
      const started = engine.streamWithSlot(handle);
      if (started !== 0) return started;
      feed(body);
      return engine.streamVerify(writeHeader(header, 0));
    }
    const bodyLength = bodyInOneGo(body, 0);
    return engine.verifyWithSlot(handle, bodyLength, writeHeader(header, bodyLength));
  });
}

// The 64 hex digits at the start of the scratch buffer.
function readHex() {
  return String.fromCharCode.apply(null, view(64).subarray(0, 64));
}

function sign(secret, payload) {
  const body = payloadBytes(payload);
  if (typeof secret === 'string' && secret.length === 0) throw emptySecret('the webhook secret');
  if (typeof secret === 'string') {
    const secretLength = writeText(secret, 0);
    if (isLong(body)) {
      engine.streamWithSecret(secretLength);
      feed(body);
      engine.streamSign();
    } else {
      engine.signWithSecret(secretLength, bodyInOneGo(body, secretLength));
    }
    return readHex();
  }
  const set = secretSetOf(secret);
  set.run(!(secret instanceof WebhookVerifier), (handle) => {
    if (!isLong(body)) return engine.signWithSlot(handle, bodyInOneGo(body, 0));
    const started = engine.streamWithSlot(handle);
    if (started !== 0) return started;
    feed(body);
    return engine.streamSign();
  });
  return readHex();
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
  #set;

  constructor(secret) {
    this.#set = new SecretSet(secret);
  }

  /** @internal */
  secretSet() {
    if (this.#set === undefined) {
      throw new TypeError('dialnexa-verify: this WebhookVerifier was freed: create a new one.');
    }
    return this.#set;
  }

  get secretCount() {
    return this.secretSet().secrets.length;
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

  // Releases the prepared keys now and clears this object's copies of the secrets. Forgetting to
  // call it costs nothing lasting: the engine's slots are bounded and reused.
  free() {
    if (this.#set !== undefined) {
      if (this.#set.handle >= 0) engine.slotClose(this.#set.handle);
      for (const kept of this.#set.secrets) if (typeof kept !== 'string') kept.fill(0);
      this.#set = undefined;
    }
  }

  toString() {
    return this.#set === undefined ? 'WebhookVerifier { freed }' : `WebhookVerifier { secrets: ${this.#set.secrets.length} }`;
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
  const checked = typeof secret === 'string' || secret instanceof WebhookVerifier ? secret : new SecretSet(secret);
  const body = new Uint8Array(await request.arrayBuffer());
  const code = check(checked, body, request.headers.get(SIGNATURE_HEADER));
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
}

export class ApiKeyError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'ApiKeyError';
    this.code = code;
  }
}

// The longest API key or Authorization value looked at (a valid one is at most ~520 characters):
// anything longer is `too_long` without being copied into wasm memory.
const MAX_KEY_INPUT = 8192;

// `{ keyId, secret }` with the secret non-enumerable, so console.log and JSON.stringify of a
// parsed key do not print it.
function parseKey(text, authorization) {
  if (text.length > MAX_KEY_INPUT) {
    throw new ApiKeyError('too_long', `dialnexa-verify: the ${authorization ? 'Authorization header' : 'API key'} is longer than ${MAX_KEY_INPUT} characters`);
  }
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
  if (typeof key !== 'string' || key.length > MAX_KEY_INPUT) return '****';
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
  if (presented.length > MAX_KEY_INPUT || storedSecretHash.length > MAX_KEY_INPUT) return false;
  return wasm.checkApiKey(presented, storedSecretHash);
}
