// The public JavaScript API, shared by every entry point. It turns JavaScript values into calls of
// the WebAssembly engine (pkg-template/wasm), throws TypeError only for programmer mistakes, and
// never puts a secret, a signature or any part of an API key into an error message.
//
// The compiled WebAssembly.Module comes from the runtime's entry file, which loads it the way that
// runtime allows and passes it to `install` before anything else runs (tools/bundle-pkg.mjs). The
// engine keeps no state between calls but its scratch buffer: prepared keys live here, in
// JavaScript, and are written in front of each body; every call zeroes the secret bytes it was
// given.

import { CAUSES } from './causes.js';
import { trimmedBounds } from './trim.js';

export const SIGNATURE_HEADER = 'x-dialnexa-signature';

export const UNAUTHORIZED_BODY = Object.freeze({
  statusCode: 401,
  message: 'Unauthorized',
  error: 'Unauthorized',
});
const UNAUTHORIZED_JSON = JSON.stringify(UNAUTHORIZED_BODY);
const TOO_LARGE_JSON = '{"statusCode":413,"message":"Payload Too Large","error":"Payload Too Large"}';
const BAD_REQUEST_JSON = '{"statusCode":400,"message":"Bad Request","error":"Bad Request"}';

/** The body limit of the helpers that read a request (5 MiB), unless `limit` says otherwise. */
export const DEFAULT_BODY_LIMIT = 5 * 1024 * 1024;

// The engine's layout and result codes (pkg-template/wasm/src/lib.rs).
const KEY_LEN = 64;
const STATE_LEN = 136;
const MAX_KEYS = 64;
const CHUNK = 64 * 1024;
const MISSING = -1;
const MALFORMED = -2;
const MISMATCH = -3;
const REASONS = ['', 'missing_signature', 'malformed_signature', 'signature_mismatch'];
// The longest header that can still be a signature once surrounding ASCII whitespace is removed:
// `sha256=` and 64 digits.
const LONGEST_SIGNATURE = 71;
// The longest API key or Authorization value looked at (a valid one is at most ~520 characters):
// anything longer is `too_long` without being copied into wasm memory.
const MAX_KEY_INPUT = 8192;
// DialNexa's own API-key secrets are 14 characters; shorter ones are refused when hashed.
const MIN_API_KEY_SECRET = 14;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

let wasmModule;
let engine;
let scratch;

/** Called once by the entry file with the compiled module. Not part of the public API. */
export function install(module) {
  if (wasmModule === undefined) {
    wasmModule = module;
    start();
  }
}

// A fresh instance of the module. Also how a trap is survived: the old instance (and any secret
// bytes left in its memory) is wiped and dropped, and the next call starts clean.
function start() {
  scratch?.fill(0);
  engine = new WebAssembly.Instance(wasmModule, {}).exports;
  scratch = new Uint8Array(engine.memory.buffer, engine.scratch(), engine.scratch_len());
}

function internalError(what, code) {
  return new Error(`dialnexa-verify: internal error in ${what} (engine code ${code}); please report it`);
}

// Runs `work`; if the module traps (it never should), starts afresh and returns `onTrap`.
function guarded(work, onTrap) {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof WebAssembly.RuntimeError)) throw error;
    start();
    return onTrap;
  }
}

const TRAPPED = Symbol('trapped');

// Runs `work` where no answer can stand in for a result (signing, preparing a key, hashing):
// after a trap, starts afresh and throws.
function mustRun(work, what) {
  const result = guarded(work, TRAPPED);
  if (result === TRAPPED) throw internalError(what, 'trap');
  return result;
}

const arrayBufferByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;
const sharedByteLength = typeof SharedArrayBuffer === 'function'
  ? Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength').get
  : undefined;

// Brand checks through internal slots: no getter or proxy trap of the value itself ever runs.
function isArrayBuffer(value) {
  for (const byteLength of [arrayBufferByteLength, sharedByteLength]) {
    try {
      if (byteLength) {
        byteLength.call(value);
        return true;
      }
    } catch {
      // not this kind of buffer
    }
  }
  return false;
}

// Array.isArray that never throws (it does for a revoked Proxy).
function isArray(value) {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

function typeName(value) {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
  try {
    if (Array.isArray(value)) return 'an array';
    return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  } catch {
    return 'an object whose properties cannot be read';
  }
}

// The bytes of a view, its offset respected; undefined when it is not a view.
function viewBytes(value) {
  if (!ArrayBuffer.isView(value)) return undefined;
  if (value instanceof Uint8Array) return value;
  try {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  } catch {
    return new Uint8Array(0); // a view of a detached buffer holds no bytes
  }
}

// A string, or a Uint8Array over exactly the bytes of the payload. A missing body (null or
// undefined: no body was sent, or a framework left `req.body` unset) is an empty body.
function payloadBytes(payload) {
  if (typeof payload === 'string') return payload;
  if (payload === null || payload === undefined) return new Uint8Array(0);
  const bytes = viewBytes(payload);
  if (bytes !== undefined) return bytes;
  if (isArrayBuffer(payload)) return new Uint8Array(payload);
  if (typeof payload === 'object') {
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

// The header as the engine should see it, or undefined when it cannot be a signature. Node gives
// a repeated header as an array: one value is used, several are `malformed_signature`. Long values
// lose their surrounding ASCII whitespace here, with two index loops (linear in the length, never
// a regular expression), so a huge hostile header is never copied into wasm memory.
function headerText(signature) {
  if (isArray(signature)) {
    if (signature.length === 0) return '';
    if (signature.length > 1) return undefined;
    signature = signature[0];
  }
  if (signature === null || signature === undefined) return '';
  if (typeof signature !== 'string') return undefined;
  if (signature.length <= 128) return signature;
  const [start, end] = trimmedBounds(signature);
  return end - start <= LONGEST_SIGNATURE ? signature.slice(start, end) : undefined;
}

// Writes a string's UTF-8 bytes at `at` (ASCII directly, anything else through TextEncoder, which
// encodes a lone surrogate as U+FFFD); returns how many. The caller makes sure it fits.
function writeText(text, at) {
  if (text.length <= 80) {
    let i = 0;
    for (; i < text.length; i += 1) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) break;
      scratch[at + i] = c;
    }
    if (i === text.length) return i;
  }
  return encoder.encodeInto(text, scratch.subarray(at)).written;
}

// Writes a header (at most 128 UTF-16 units): ASCII as is, anything else as 0xff, which is never
// whitespace or a hex digit, so the engine rejects it exactly as it rejects its UTF-8 bytes.
function writeHeader(header, at) {
  for (let i = 0; i < header.length; i += 1) {
    const c = header.charCodeAt(i);
    scratch[at + i] = c < 0x80 ? c : 0xff;
  }
  return header.length;
}

// The shape of a header, without a body: 0 (could be a signature), MISSING or MALFORMED.
function headerShape(header) {
  if (header === undefined) return MALFORMED;
  return guarded(() => engine.header_shape(writeHeader(header, 0)), MALFORMED);
}

function emptySecret(which) {
  return new TypeError(`dialnexa-verify: ${which} is empty: pass the secret registered with the webhook.`);
}

// Longest UTF-16 prefix of `text` from `from` whose UTF-8 fits in `room` bytes, not splitting a
// surrogate pair (for string bodies fed in pieces).
function textPiece(text, from, room) {
  let end = Math.min(text.length, from + Math.floor(room / 3));
  if (end < text.length && end > from) {
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  }
  return text.slice(from, end);
}

// The prepared key of one secret (its two SHA-256 midstates) as a new Uint8Array. The engine
// hashes a secret longer than a block first, as HMAC does. A secret must fit the scratch buffer
// (over 1 MiB; DialNexa's are a few dozen bytes): a longer one is a configuration mistake.
function prepareKey(secret) {
  const bytes = typeof secret === 'string' && secret.length * 3 > scratch.length ? encoder.encode(secret) : secret;
  if (bytes.length > scratch.length) {
    throw new TypeError(`dialnexa-verify: the webhook secret has ${bytes.length} bytes; more than ${scratch.length} is refused (is it the secret registered with the webhook?).`);
  }
  return mustRun(() => {
    let length;
    if (typeof bytes === 'string') length = writeText(bytes, 0);
    else {
      scratch.set(bytes, 0);
      length = bytes.length;
    }
    expect(engine.prepare(length), 'prepare');
    const key = scratch.slice(0, KEY_LEN);
    scratch.fill(0, 0, KEY_LEN);
    return key;
  }, 'prepare');
}

function expect(code, what) {
  if (code !== 0) throw internalError(what, code);
}

// String secrets keep their prepared keys between calls (a server passes the same one every
// time); evicted keys are wiped.
const keyCache = new Map();
const KEY_CACHE_SIZE = 8;

function cachedKey(secret) {
  let key = keyCache.get(secret);
  if (key === undefined) {
    key = prepareKey(secret);
    if (keyCache.size >= KEY_CACHE_SIZE) {
      const [oldest, oldKey] = keyCache.entries().next().value;
      keyCache.delete(oldest);
      oldKey.fill(0);
    }
    keyCache.set(secret, key);
  }
  return key;
}

// The prepared keys of `secret` (one, or several for rotation, current first) as one Uint8Array,
// and whether it is a temporary copy to wipe after use. Throws TypeError for configuration
// mistakes, before anything is read or hashed.
function keysOf(secret) {
  if (WebhookVerifier.is(secret)) return { keys: secret.keys(), temporary: false };
  if (typeof secret === 'string') {
    if (secret.length === 0) throw emptySecret('the webhook secret');
    return { keys: cachedKey(secret), temporary: false };
  }
  const list = secretList(secret);
  const keys = new Uint8Array(list.length * KEY_LEN);
  list.forEach((item, i) => {
    const key = typeof item === 'string' ? cachedKey(item) : prepareKey(item);
    keys.set(key, i * KEY_LEN);
    if (typeof item !== 'string') key.fill(0);
  });
  return { keys, temporary: true };
}

// The secrets of a string, bytes, or list, validated: strings as they are, bytes as Uint8Arrays.
function secretList(secret) {
  const many = isArray(secret);
  const list = many ? readList(secret) : [secret];
  if (list.length === 0) {
    throw new TypeError(
      'dialnexa-verify: the list of webhook secrets is empty: pass at least one secret, the current one first.',
    );
  }
  return list.map((item, index) => {
    const which = many ? `webhook secret #${index}` : 'the webhook secret';
    const bytes = typeof item === 'string' ? item : viewBytes(item);
    if (bytes === undefined) throw notASecret(which, item);
    if (bytes.length === 0) throw emptySecret(which);
    return bytes;
  });
}

// A plain copy of a list of secrets (an array, or a Proxy of one), read once: a list whose length
// or items cannot be read is refused, and one longer than any list of secrets before any copy.
function readList(list) {
  let length;
  try {
    length = list.length;
  } catch {
    throw unreadableList();
  }
  if (length > MAX_KEYS) {
    throw new TypeError(`dialnexa-verify: ${length} webhook secrets given: pass at most ${MAX_KEYS}, the current one first.`);
  }
  try {
    return Array.from({ length }, (_, index) => list[index]);
  } catch {
    throw unreadableList();
  }
}

function unreadableList() {
  return new TypeError('dialnexa-verify: the list of webhook secrets cannot be read: pass a plain array of secrets.');
}

// What a value that is neither a string nor bytes is, in the TypeError that refuses it as a secret.
function notASecret(which, item) {
  if (WebhookVerifier.is(item)) {
    return new TypeError(`dialnexa-verify: ${which} is a WebhookVerifier, not a secret: pass the secrets themselves here.`);
  }
  if (hasVerifierBrand(item)) {
    return new TypeError(`dialnexa-verify: ${which} is a WebhookVerifier that this copy of dialnexa-verify did not make ` +
      '(another installed version, a second bundle of it, or a wrapper such as a Proxy): make it with the WebhookVerifier ' +
      'of the copy that checks it.');
  }
  return new TypeError(`dialnexa-verify: ${which} is ${typeName(item)}: pass the secret registered with the webhook, ` +
    'as a string or a Uint8Array (is the environment variable set?).');
}

// Every copy of the package marks its WebhookVerifier class with this symbol, so that one copy can
// recognise another's verifiers in its error messages (its brand check is a private field, which
// only its own class can read). It guards nothing.
const VERIFIER_BRAND = Symbol.for('dialnexa-verify.WebhookVerifier');

function hasVerifierBrand(value) {
  try {
    return value !== null && typeof value === 'object' && value[VERIFIER_BRAND] === true;
  } catch {
    return false;
  }
}

function keyCount(keys) {
  return keys.length / KEY_LEN;
}

// Feeds a body into the stream states at the start of the scratch buffer, a chunk at a time.
function feed(count, body) {
  const at = count * STATE_LEN;
  if (typeof body === 'string') {
    for (let from = 0; from < body.length;) {
      const piece = textPiece(body, from, CHUNK);
      from += piece.length;
      expect(engine.stream_update(count, writeText(piece, at)), 'stream_update');
    }
    return;
  }
  for (let from = 0; from < body.length; from += CHUNK) {
    const piece = body.subarray(from, from + CHUNK);
    scratch.set(piece, at);
    expect(engine.stream_update(count, piece.length), 'stream_update');
  }
}

function fitsInOneCall(body, keysLength) {
  const room = scratch.length - keysLength - 128;
  return typeof body === 'string' ? body.length * 3 <= room : body.length <= room;
}

// The engine's result code for a check: the index of the matching secret, or MISSING, MALFORMED
// or MISMATCH. Throws only TypeError, for programmer mistakes.
function check(secret, payload, signature) {
  const body = payloadBytes(payload);
  const { keys, temporary } = keysOf(secret);
  const header = headerText(signature);
  try {
    if (header === undefined) return MALFORMED;
    const count = keyCount(keys);
    return guarded(() => {
      let code;
      if (fitsInOneCall(body, keys.length)) {
        scratch.set(keys, 0);
        const bodyLength = typeof body === 'string' ? writeText(body, keys.length) : (scratch.set(body, keys.length), body.length);
        code = engine.verify(count, bodyLength, writeHeader(header, keys.length + bodyLength));
      } else {
        const shape = engine.header_shape(writeHeader(header, 0));
        if (shape !== 0) return shape;
        scratch.set(keys, 0);
        expect(engine.stream_start(count), 'stream_start');
        feed(count, body);
        code = engine.stream_verify(count, writeHeader(header, count * STATE_LEN));
      }
      if (code < MISMATCH) throw internalError('verify', code);
      return code;
    }, MISMATCH);
  } finally {
    if (temporary) keys.fill(0);
  }
}

// The 64 hex digits at the start of the scratch buffer, which are then wiped.
function readHex() {
  const hex = String.fromCharCode.apply(null, scratch.subarray(0, 64));
  scratch.fill(0, 0, 64);
  return hex;
}

function sign(secret, payload) {
  const body = payloadBytes(payload);
  const { keys, temporary } = keysOf(secret);
  try {
    return mustRun(() => {
      const key = keys.subarray(0, KEY_LEN);
      if (fitsInOneCall(body, KEY_LEN)) {
        scratch.set(key, 0);
        const bodyLength = typeof body === 'string' ? writeText(body, KEY_LEN) : (scratch.set(body, KEY_LEN), body.length);
        expect(engine.sign(bodyLength), 'sign');
      } else {
        scratch.set(key, 0);
        expect(engine.stream_start(1), 'stream_start');
        feed(1, body);
        expect(engine.stream_sign(), 'stream_sign');
      }
      return readHex();
    }, 'sign');
  } finally {
    if (temporary) keys.fill(0);
  }
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

// A forgotten WebhookVerifier's keys are wiped when the garbage collector reclaims it, where the
// runtime has FinalizationRegistry; free() does it at once.
const forgotten = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry((keys) => keys.fill(0)) : undefined;

export class WebhookVerifier {
  #keys;

  constructor(secret) {
    const list = secretList(secret);
    const keys = new Uint8Array(list.length * KEY_LEN);
    list.forEach((item, i) => {
      const key = prepareKey(item);
      keys.set(key, i * KEY_LEN);
      key.fill(0);
    });
    this.#keys = keys;
    forgotten?.register(this, keys, this);
  }

  /** @internal A brand check that runs no getter or proxy trap of `value`. */
  static is(value) {
    return value !== null && typeof value === 'object' && #keys in value;
  }

  /** @internal */
  keys() {
    if (this.#keys === undefined) {
      throw new TypeError('dialnexa-verify: this WebhookVerifier was freed: create a new one.');
    }
    return this.#keys;
  }

  get secretCount() {
    return keyCount(this.keys());
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

  // Wipes the prepared keys now; later calls throw.
  free() {
    if (this.#keys !== undefined) {
      this.#keys.fill(0);
      this.#keys = undefined;
      forgotten?.unregister(this);
    }
  }

  toString() {
    return this.#keys === undefined ? 'WebhookVerifier { freed }' : `WebhookVerifier { secrets: ${keyCount(this.#keys)} }`;
  }

  [Symbol.for('nodejs.util.inspect.custom')]() {
    return this.toString();
  }
}

Object.defineProperty(WebhookVerifier.prototype, VERIFIER_BRAND, { value: true });

if (typeof Symbol.dispose === 'symbol') {
  Object.defineProperty(WebhookVerifier.prototype, Symbol.dispose, {
    value: WebhookVerifier.prototype.free,
    writable: true,
    configurable: true,
  });
}

function jsonResponse(text, status) {
  return new Response(text, { status, headers: { 'content-type': 'application/json' } });
}

export function unauthorizedResponse() {
  return jsonResponse(UNAUTHORIZED_JSON, 401);
}

function limitOf(options, where) {
  if (options === undefined || options === null) return DEFAULT_BODY_LIMIT;
  if (typeof options !== 'object') {
    throw new TypeError(`dialnexa-verify: the options of ${where} are ${typeName(options)}: pass an object such as { limit: 1048576 }.`);
  }
  const limit = property(options, 'limit');
  if (limit === undefined) return DEFAULT_BODY_LIMIT;
  if (typeof limit !== 'number' || !(limit >= 0)) {
    throw new TypeError(`dialnexa-verify: limit is ${typeName(limit)}: pass the largest body to accept, in bytes (a number, or Infinity).`);
  }
  return limit;
}

function signalOf(options, where) {
  const signal = options === undefined || options === null ? undefined : property(options, 'signal');
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || typeof signal.addEventListener !== 'function')) {
    throw new TypeError(`dialnexa-verify: signal of ${where} is ${typeName(signal)}: pass an AbortSignal (for example AbortSignal.timeout(10000)).`);
  }
  return signal;
}

function failure(reason, status) {
  const text = status === 401 ? UNAUTHORIZED_JSON : status === 413 ? TOO_LARGE_JSON : BAD_REQUEST_JSON;
  return { ok: false, reason, status, response: jsonResponse(text, status) };
}

function success(body, secretIndex) {
  return {
    ok: true,
    body,
    secretIndex,
    text: () => decoder.decode(body),
    json: () => JSON.parse(decoder.decode(body)),
  };
}

// The chunks of a body: a fetch API ReadableStream, or any (async) iterable of Uint8Arrays,
// Buffers or strings (a Node request is one). `stop()` cancels what is left.
function chunksOf(source) {
  if (source === null || source === undefined) return { next: async () => ({ done: true }), stop() {} };
  if (typeof source.getReader === 'function') {
    const reader = source.getReader();
    return {
      next: () => reader.read(),
      stop() {
        reader.cancel().catch(() => {});
      },
    };
  }
  if (typeof source.iterator === 'function' && typeof source.pipe === 'function') {
    // A Node stream: stopping must not destroy it (the socket would go with it, before an
    // answer could be sent); the caller closes the connection after answering.
    const iterator = source.iterator({ destroyOnReturn: false });
    return {
      next: () => iterator.next(),
      stop() {
        Promise.resolve(iterator.return?.()).catch(() => {});
        source.pause?.();
      },
    };
  }
  const iterable = source[Symbol.asyncIterator] ?? source[Symbol.iterator];
  if (typeof iterable !== 'function') {
    throw new TypeError(
      `dialnexa-verify: the body is ${typeName(source)}: pass a ReadableStream, a Node request or another async iterable of bytes.`,
    );
  }
  const iterator = iterable.call(source);
  return {
    next: async () => iterator.next(),
    stop() {
      Promise.resolve(iterator.return?.()).catch(() => {});
    },
  };
}

// Reads a body chunk by chunk and checks it: the header's shape first (a header that can never
// match is answered without reading anything), then the chunks hashed as they arrive, reading
// stopped as soon as `limit` is passed. Between chunks the stream states wait here in JavaScript,
// so concurrent requests never share engine state.
async function readAndCheck(source, signature, keys, limit, signal) {
  const count = keyCount(keys);
  const header = headerText(signature);
  const shape = headerShape(header);
  const chunks = chunksOf(source);
  if (shape !== 0) {
    chunks.stop();
    return failure(REASONS[-shape], 401);
  }
  const states = guarded(() => {
    scratch.set(keys, 0);
    expect(engine.stream_start(count), 'stream_start');
    const out = scratch.slice(0, count * STATE_LEN);
    scratch.fill(0, 0, count * STATE_LEN);
    return out;
  }, undefined);
  if (states === undefined) return failure('signature_mismatch', 401);
  // Aborting (a caller's timeout) stops the read where it is: the stream is cancelled.
  const abort = () => chunks.stop();
  signal?.addEventListener?.('abort', abort, { once: true });
  try {
    // The body is copied into one buffer that grows by doubling (never up to more than twice
    // the body), not kept as the chunks it came in: a sender of one-byte chunks would otherwise
    // make it hundreds of times its size in objects. It is hashed in pieces of CHUNK bytes as
    // it fills, so the engine is called once per 64 KiB whatever the chunking.
    let body = new Uint8Array(0);
    let total = 0;
    let hashed = 0;
    const hash = (upTo) => guarded(() => {
      scratch.set(states, 0);
      feed(count, body.subarray(hashed, upTo));
      states.set(scratch.subarray(0, states.length));
      scratch.fill(0, 0, states.length);
      hashed = upTo;
      return true;
    }, false);
    for (;;) {
      if (signal?.aborted) {
        chunks.stop();
        return failure('body_unreadable', 400);
      }
      let next;
      try {
        next = await chunks.next();
      } catch {
        return failure('body_unreadable', 400);
      }
      if (next.done) break;
      const chunk = typeof next.value === 'string' ? encoder.encode(next.value) : viewBytes(next.value);
      if (chunk === undefined) {
        chunks.stop();
        return failure('body_unreadable', 400);
      }
      if (total + chunk.length > limit) {
        chunks.stop();
        return failure('body_too_large', 413);
      }
      if (total + chunk.length > body.length) {
        const grown = new Uint8Array(Math.min(limit, Math.max(total + chunk.length, 2 * body.length, 4096)));
        grown.set(body.subarray(0, total));
        body = grown;
      }
      body.set(chunk, total);
      total += chunk.length;
      if (total - hashed >= CHUNK && !hash(total - ((total - hashed) % CHUNK))) return failure('signature_mismatch', 401);
    }
    if (total > hashed && !hash(total)) return failure('signature_mismatch', 401);
    const code = guarded(() => {
      scratch.set(states, 0);
      const result = engine.stream_verify(count, writeHeader(header, states.length));
      if (result < MISMATCH) throw internalError('stream_verify', result);
      return result;
    }, MISMATCH);
    body = body.subarray(0, total);
    if (signal?.aborted) return failure('body_unreadable', 400);
    if (code < 0) return { ...failure(REASONS[-code], 401), body };
    return success(body, code);
  } finally {
    signal?.removeEventListener?.('abort', abort);
    states.fill(0);
  }
}

export async function verifyWebhookStream(body, signature, secret, options) {
  const limit = limitOf(options, 'verifyWebhookStream');
  const signal = signalOf(options, 'verifyWebhookStream');
  const { keys, temporary } = keysOf(secret);
  try {
    return await readAndCheck(body, signature, keys, limit, signal);
  } finally {
    if (temporary) keys.fill(0);
  }
}

export async function verifyWebhookRequest(request, secret, options) {
  if (request === null || typeof request !== 'object' || typeof request.arrayBuffer !== 'function' || !request.headers) {
    throw new TypeError(
      `dialnexa-verify: verifyWebhookRequest expects a fetch API Request, got ${typeName(request)}.`,
    );
  }
  const limit = limitOf(options, 'verifyWebhookRequest');
  const signal = signalOf(options, 'verifyWebhookRequest');
  const { keys, temporary } = keysOf(secret); // configuration mistakes throw before anything is read
  try {
    const header = request.headers.get(SIGNATURE_HEADER);
    // A declared length over the limit is refused unread (once the header could be a signature).
    if (Number(request.headers.get('content-length')) > limit && headerShape(headerText(header)) === 0) {
      chunksOf(request.body).stop();
      return failure('body_too_large', 413);
    }
    // Firefox has no `Request.body` stream: there the body can only be read whole.
    const body = request.body === undefined ? [new Uint8Array(await request.arrayBuffer())] : request.body;
    return await readAndCheck(body, header, keys, limit, signal);
  } finally {
    if (temporary) keys.fill(0);
  }
}

export class ApiKeyError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'ApiKeyError';
    this.code = code;
  }
}

// Writes an API-key input and runs `call(length)`; the engine wipes the input.
function withKeyText(text, call, what) {
  return mustRun(() => call(writeText(text, 0)), what);
}

// The byte ranges the engine wrote: a valid key and all that precedes it are ASCII, so byte
// offsets are string indices.
function range(index) {
  const at = index * 4;
  return scratch[at] | (scratch[at + 1] << 8) | (scratch[at + 2] << 16) | (scratch[at + 3] << 24);
}

// `{ keyId, secret }` with the secret non-enumerable, so console.log and JSON.stringify of a
// parsed key do not print it.
function parseKey(text, authorization) {
  if (text.length > MAX_KEY_INPUT) {
    throw new ApiKeyError('too_long', `dialnexa-verify: the ${authorization ? 'Authorization header' : 'API key'} is longer than ${MAX_KEY_INPUT} characters`);
  }
  const result = withKeyText(text, (length) => {
    const code = engine.parse_key(length, authorization ? 1 : 0);
    if (code === 0) {
      const key = { keyId: text.slice(range(0), range(1)) };
      Object.defineProperty(key, 'secret', { value: text.slice(range(2), range(3)), enumerable: false });
      scratch.fill(0, 0, 16);
      return key;
    }
    if (code > -6) throw internalError('parse_key', code);
    const message = decoder.decode(scratch.subarray(0, -code));
    scratch.fill(0, 0, -code);
    const newline = message.indexOf('\n');
    return new ApiKeyError(message.slice(0, newline), message.slice(newline + 1));
  }, 'parse_key');
  if (result instanceof ApiKeyError) throw result;
  return result;
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
  const shown = guarded(() => {
    const code = engine.redact(writeText(key, 0));
    if (code !== 1) return undefined;
    const keyId = key.slice(range(0), range(1));
    scratch.fill(0, 0, 8);
    return keyId;
  }, undefined);
  return shown === undefined ? '****' : `${shown}:****`;
}

export function hashApiKeySecret(secret) {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new TypeError(
      `dialnexa-verify: hashApiKeySecret expects a non-empty secret string, got ${typeof secret === 'string' ? 'an empty string' : typeName(secret)}.`,
    );
  }
  // Refuse what no presented key could ever match: the parser's rules for a secret.
  try {
    parseKey(`k:${secret}`, false);
  } catch (error) {
    if (!(error instanceof ApiKeyError)) throw error;
    throw new TypeError(`dialnexa-verify: hashApiKeySecret: this is not a valid API-key secret (${error.code}: ${error.message.slice(17)}).`);
  }
  if (secret.length < MIN_API_KEY_SECRET) {
    throw new TypeError(
      `dialnexa-verify: hashApiKeySecret: the secret has ${secret.length} characters; API-key secrets must have at least ${MIN_API_KEY_SECRET} (generate them from a CSPRNG).`,
    );
  }
  return withKeyText(secret, (length) => {
    expect(engine.sha256_hex(length), 'sha256_hex');
    return readHex();
  }, 'sha256_hex');
}

// Reads `value[name]`, or undefined when that throws (a getter or proxy trap).
function property(value, name) {
  try {
    return value[name];
  } catch {
    return undefined;
  }
}

// SHA-256 of a short string (at most MAX_KEY_INPUT characters) as hex: the replay guard's keys.
// Not part of the public API (index.js does not export it).
export function sha256Hex(text) {
  return withKeyText(text, (length) => {
    expect(engine.sha256_hex(length), 'sha256_hex');
    return readHex();
  }, 'sha256_hex');
}

// The stored record of one API key: its key ID and the hash of its secret.
function storedRecord(stored) {
  const keyId = stored !== null && typeof stored === 'object' ? property(stored, 'keyId') : undefined;
  const secretHash = keyId === undefined ? undefined : property(stored, 'secretHash');
  if (typeof keyId !== 'string' || typeof secretHash !== 'string') {
    throw new TypeError(
      `dialnexa-verify: checkApiKey expects the stored record { keyId, secretHash } (secretHash from hashApiKeySecret), got ${typeof stored === 'string' ? 'a string: pass { keyId, secretHash } so that the key ID is checked too' : typeName(stored)}.`,
    );
  }
  return { keyId, secretHash };
}

export function checkApiKey(presented, stored) {
  const { keyId, secretHash } = storedRecord(stored);
  let text = presented;
  if (presented !== null && typeof presented === 'object') {
    const parts = [property(presented, 'keyId'), property(presented, 'secret')];
    text = typeof parts[0] === 'string' && typeof parts[1] === 'string' ? `${parts[0]}:${parts[1]}` : undefined;
  }
  if (typeof text !== 'string' || text.length > MAX_KEY_INPUT || keyId.length > MAX_KEY_INPUT || secretHash.length > 128) return false;
  return guarded(() => {
    const length = writeText(text, 0);
    const idLength = writeText(keyId, length);
    const hashLength = writeText(secretHash, length + idLength);
    const code = engine.check_api_key(length, idLength, hashLength);
    if (code !== 0 && code !== 1) throw internalError('check_api_key', code);
    return code === 1;
  }, false);
}

const KEY_ID_LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const SECRET_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const KEY_ID_LENGTH = 14; // like DialNexa's own key IDs
const SECRET_LENGTH = 22; // 22 of 62 characters: 131 bits of entropy

// `length` characters drawn uniformly from `alphabet` with the platform's CSPRNG (rejection
// sampling: bytes at or above the largest multiple of the alphabet's size are drawn again).
function randomText(alphabet, length) {
  if (typeof crypto !== 'object' || typeof crypto.getRandomValues !== 'function') {
    throw new TypeError('dialnexa-verify: generateApiKey needs crypto.getRandomValues (Node 20+, Deno, Bun, Workers, browsers).');
  }
  const limit = 256 - (256 % alphabet.length);
  let text = '';
  const bytes = new Uint8Array(length * 2);
  while (text.length < length) {
    crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      if (byte < limit && text.length < length) text += alphabet[byte % alphabet.length];
    }
  }
  bytes.fill(0);
  return text;
}

export function generateApiKey() {
  const keyId = randomText(KEY_ID_LETTERS, KEY_ID_LENGTH);
  const secret = randomText(SECRET_CHARACTERS, SECRET_LENGTH);
  const key = { key: `${keyId}:${secret}`, keyId, secret, secretHash: hashApiKeySecret(secret) };
  // Like a parsed key: the parts that carry the secret stay out of console.log and JSON.
  Object.defineProperty(key, 'key', { enumerable: false });
  Object.defineProperty(key, 'secret', { enumerable: false });
  return key;
}

// The diagnosis works on at most 4 secrets and, for the variants of the body, on bodies of at
// most 1 MiB (the Rust core's MAX_DIAGNOSIS_SECRETS and MAX_DIAGNOSIS_BODY).
const MAX_DIAGNOSIS_SECRETS = 4;
const MAX_DIAGNOSIS_BODY = 1 << 20;
const MAX_DIAGNOSIS_HEADER = 4096;
const MAX_DIAGNOSIS_SECRET = 16 * 1024;

function diagnosis(reason, index) {
  const [cause, hint] = CAUSES[index] ?? CAUSES[CAUSES.length - 1];
  return reason === undefined ? { ok: true, cause, hint } : { ok: false, reason, cause, hint };
}

// The header as the diagnosis reads it: trimmed of surrounding ASCII whitespace (linear), with
// several values joined as a fetch API Headers joins them; '' when absent; undefined when it is
// too long to be anything but malformed.
function diagnosisHeader(signature) {
  let text = signature;
  if (isArray(signature)) text = signature.every((v) => typeof v === 'string') ? signature.join(', ') : '\u00ff';
  else if (signature === null || signature === undefined) text = '';
  else if (typeof signature !== 'string') text = '\u00ff';
  const [start, end] = trimmedBounds(text);
  return end - start <= MAX_DIAGNOSIS_HEADER ? text.slice(start, end) : undefined;
}

export function diagnoseWebhook(payload, signature, secret) {
  if (WebhookVerifier.is(secret)) {
    throw new TypeError(
      'dialnexa-verify: diagnoseWebhook needs the secrets themselves (a string, bytes, or a list), not a WebhookVerifier, which keeps only prepared keys.',
    );
  }
  const body = payloadBytes(payload);
  const secrets = secretList(secret);
  const checked = checkWebhook(payload, signature, secrets);
  if (checked.ok) return diagnosis(undefined, 0);
  const header = diagnosisHeader(signature);
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  const tried = secrets.slice(0, MAX_DIAGNOSIS_SECRETS).map((s) => (typeof s === 'string' ? encoder.encode(s) : s));
  try {
    const unknown = CAUSES.length - 1;
    if (header === undefined) return diagnosis(checked.reason, CAUSES.findIndex(([cause]) => cause === 'header_malformed'));
    if (tried.some((s) => s.length > MAX_DIAGNOSIS_SECRET)) return diagnosis(checked.reason, unknown);
    // Past MAX_DIAGNOSIS_BODY only the header's shape can be examined: a tag-shaped header that
    // did not match stays unexplained.
    const large = bytes.length > MAX_DIAGNOSIS_BODY;
    if (large && checked.reason === 'signature_mismatch') return diagnosis(checked.reason, unknown);
    const bodyLength = large ? 0 : bytes.length;
    const total = tried.reduce((sum, s) => sum + 4 + s.length, 0) + bodyLength + header.length;
    // Four secrets of 16 KiB, a 1 MiB body and a 4 KiB header do not all fit in the scratch area
    // at once: such a call stays unexplained rather than throwing.
    if (total > scratch.length) return diagnosis(checked.reason, unknown);
    const index = guarded(() => {
      let at = 4 * tried.length;
      tried.forEach((s, i) => {
        new DataView(scratch.buffer, scratch.byteOffset + 4 * i, 4).setUint32(0, s.length, true);
        scratch.set(s, at);
        at += s.length;
      });
      if (!large) scratch.set(bytes, at);
      const headerLength = writeHeader(header, at + bodyLength);
      const code = engine.diagnose(tried.length, bodyLength, headerLength);
      if (code < 0) throw internalError('diagnose', code);
      return code;
    }, unknown);
    return diagnosis(checked.reason, index);
  } finally {
    for (const [i, s] of tried.entries()) if (s !== secrets[i]) s.fill(0); // the encoded copies of string secrets
  }
}
