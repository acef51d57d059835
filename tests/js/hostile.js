// Every export against every hostile value it could receive from the network or a
// misconfiguration, each with its documented result. After every row the module must still
// verify a known-good signature: nothing traps, nothing poisons later calls.
// Runtime-agnostic (WebCrypto is the reference HMAC); run in Node and in headless Chromium.
import { noSecret } from './smoke.js';

const SECRET = 'whk_Zq8vX2mP9tLr';
const KEY = 'abcdefghijklmn:s3cr3tPARTq7Zx';
const MiB = 1024 * 1024;
const encoder = new TextEncoder();

async function hmacHex(secret, body) {
  const raw = typeof secret === 'string' ? encoder.encode(secret) : secret;
  const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  return Array.from(new Uint8Array(await crypto.subtle.sign('HMAC', key, bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function sha256Hex(text) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

const THROWS_TYPE_ERROR = { throws: 'TypeError' };
const apiKeyError = (code) => ({ throws: 'ApiKeyError', code });

// Rows: [name, (api) => result (may be async), expected]. `expected` is a plain value (compared
// as JSON), a { throws } descriptor, or a function that checks the result.
export async function hostileRows() {
  const sig = await hmacHex(SECRET, '{}');
  const hex64 = 'ab'.repeat(32);
  const big = new Uint8Array(64 * MiB);
  for (let i = 0; i < big.length; i += 4096) big[i] = i & 0xff;
  const bigSig = await hmacHex(SECRET, big);
  const surrogateBody = 'a\ud800b\udc00c';
  const surrogateSig = await hmacHex(SECRET, surrogateBody); // TextEncoder: U+FFFD for each
  const longSecret = 'L'.repeat(MiB);
  const longSecretSig = await hmacHex(longSecret, '{}');
  const hugeHeader = 'a'.repeat(10 * MiB);
  const paddedSig = `${' '.repeat(5 * MiB)}${sig}\t\r\n`;

  const rows = [];
  const verify = (payload, signature, secret = SECRET) => (api) => api.verifyWebhook(payload, signature, secret);

  // Signature headers (attacker-controlled): a boolean, never an exception.
  for (const [name, header, expected] of [
    ['empty header', '', false],
    ['whitespace header', ' \t\r\n', false],
    ['NUL header', '\0', false],
    ['NUL bytes inside', `${sig.slice(0, 32)}\0${sig.slice(33)}`, false],
    ['sha256= alone', 'sha256=', false],
    ['sha256= twice', `sha256=sha256=${sig}`, false],
    ['63 hex digits', sig.slice(0, 63), false],
    ['65 hex digits', `${sig}0`, false],
    ['128 hex digits', sig + sig, false],
    ['whitespace inside', `${sig.slice(0, 32)} ${sig.slice(32)}`, false],
    ['lone surrogates', '\ud800'.repeat(64), false],
    ['Arabic-Indic digits', '٠'.repeat(64), false],
    ['fullwidth digits', '０'.repeat(64), false],
    ['10 MiB header', hugeHeader, false],
    ['valid, padded with 5 MiB of spaces', paddedSig, true],
    ['valid, tab and CRLF around, uppercase, prefixed', `\tsha256=${sig.toUpperCase()}\r\n`, true],
    ['a different valid-looking signature', hex64, false],
    ['number', 42, false],
    ['object', { toString: () => sig }, false],
    ['array of the right signature (Node, header sent once)', [sig], true],
    ['array of two values (header sent twice)', [sig, sig], false],
    ['empty array', [], false],
    ['null', null, false],
    ['undefined', undefined, false],
    ['BigInt', 10n, false],
    ['Symbol', Symbol('x'), false],
  ]) {
    rows.push([`verifyWebhook: ${name}`, verify('{}', header), expected]);
  }
  // The shape that made a backtracking trim quadratic (review finding): linear work, so 10 MiB
  // takes milliseconds. The bound is ten thousand times what a linear trim needs; the old
  // regular expression needed minutes at 1 MiB.
  for (const [name, size] of [['16 KiB', 16 * 1024], ['1 MiB', MiB], ['10 MiB', 10 * MiB]]) {
    const header = `a${' '.repeat(size)}a`;
    rows.push([`verifyWebhook: 'a' + ${name} of spaces + 'a', in linear time`, (api) => {
      const started = performance.now();
      const result = api.checkWebhook('{}', header, SECRET);
      const ms = performance.now() - started;
      return ms < 5000 ? result.reason : `took ${Math.round(ms)} ms`;
    }, 'malformed_signature']);
  }

  // Bodies.
  rows.push(['verifyWebhook: 64 MiB body', verify(big, bigSig), true]);
  rows.push(['verifyWebhook: 64 MiB body, one byte changed', (api) => {
    big[32 * MiB] ^= 1;
    try {
      return api.verifyWebhook(big, bigSig, SECRET);
    } finally {
      big[32 * MiB] ^= 1;
    }
  }, false]);
  rows.push(['verifyWebhook: empty body', verify('', await hmacHex(SECRET, '')), true]);
  rows.push(['verifyWebhook: NUL bytes body', verify('\0\0\0', await hmacHex(SECRET, '\0\0\0')), true]);
  rows.push(['verifyWebhook: lone surrogates in a string body (hashed as U+FFFD)', verify(surrogateBody, surrogateSig), true]);
  // No body at all is an empty body (Express 5 leaves req.body undefined): false, never an exception.
  for (const [name, payload] of [['null', null], ['undefined', undefined]]) {
    rows.push([`verifyWebhook: body is ${name} (no body)`, verify(payload, sig), false]);
    rows.push([`verifyWebhook: body is ${name}, signed as empty`, verify(payload, await hmacHex(SECRET, '')), true]);
  }
  // Objects whose every property access throws get this package's TypeError, not their own.
  const trap = () => { throw new Error('trap ran'); };
  const hostileObjects = [
    ['a Proxy with throwing traps', new Proxy({}, { get: trap, has: trap, getPrototypeOf: trap, ownKeys: trap, getOwnPropertyDescriptor: trap })],
    ['a revoked Proxy', (() => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; })()],
    ['a Proxy of a Uint8Array with throwing traps', new Proxy(new Uint8Array(4), { get: trap, getPrototypeOf: trap })],
  ];
  for (const [name, value] of hostileObjects) {
    rows.push([`verifyWebhook: body is ${name}`, verify(value, sig), THROWS_TYPE_ERROR]);
    rows.push([`verifyWebhook: secret is ${name}`, (api) => api.verifyWebhook('{}', sig, value), THROWS_TYPE_ERROR]);
  }
  for (const [name, payload] of [['a parsed object', { event: 'x' }],
    ['a number', 1], ['a function', () => '{}'], ['a Symbol', Symbol('b')], ['a BigInt', 1n], ['a Promise', Promise.resolve('{}')]]) {
    rows.push([`verifyWebhook: body is ${name}`, verify(payload, sig), THROWS_TYPE_ERROR]);
    rows.push([`signWebhook: body is ${name}`, (api) => api.signWebhook(payload, SECRET), THROWS_TYPE_ERROR]);
  }

  // Secrets (configuration): TypeError for mistakes; anything real works.
  for (const [name, secret] of [['empty string', ''], ['empty list', []], ['list with an empty secret', [SECRET, '']],
    ['undefined (unset env var)', undefined], ['null', null], ['number', 0], ['object', {}], ['empty bytes', new Uint8Array(0)]]) {
    rows.push([`verifyWebhook: secret is ${name}`, (api) => api.verifyWebhook('{}', sig, secret), THROWS_TYPE_ERROR]);
    rows.push([`new WebhookVerifier: secret is ${name}`, (api) => new api.WebhookVerifier(secret), THROWS_TYPE_ERROR]);
  }
  rows.push(['verifyWebhook: 1 MiB secret', verify('{}', longSecretSig, longSecret), true]);
  rows.push(['verifyWebhook: secret with NUL and control characters', async (api) =>
    api.verifyWebhook('{}', await hmacHex('a\0b\u0007c', '{}'), 'a\0b\u0007c'), true]);
  rows.push(['checkWebhook: reasons', (api) => [api.checkWebhook('{}', null, SECRET).reason,
    api.checkWebhook('{}', 'zz', SECRET).reason, api.checkWebhook('{ }', sig, SECRET).reason],
  ['missing_signature', 'malformed_signature', 'signature_mismatch']]);
  rows.push(['WebhookVerifier: hostile headers', (api) => {
    const verifier = new api.WebhookVerifier([SECRET]);
    try {
      return [hugeHeader, '\0', [sig], [sig, sig], 42, `sha256=sha256=${sig}`].map((h) => verifier.verify('{}', h));
    } finally {
      verifier.free();
    }
  }, [false, false, true, false, false, false]]);

  // Requests (fetch API).
  if (typeof Request === 'function' && typeof ReadableStream === 'function') {
    const post = (headers, body = '{}') => new Request('http://127.0.0.1/', { method: 'POST', body, headers, duplex: 'half' });
    // A body that would take 512 MiB, and counts what was read of it.
    const endless = () => {
      const counter = { pulled: 0 };
      counter.stream = new ReadableStream({ pull(controller) { counter.pulled += 1; controller.enqueue(new Uint8Array(MiB)); } });
      return counter;
    };
    // Streamed request bodies (Firefox has no Request.body: it would send the stream's name).
    const streams = 'body' in Request.prototype;
    for (const [name, headers, reason] of streams ? [['unsigned', {}, 'missing_signature'], ['malformed header', { 'x-dialnexa-signature': 'zz' }, 'malformed_signature']] : []) {
      rows.push([`verifyWebhookRequest: endless body, ${name}: answered without reading it`, async (api) => {
        const body = endless();
        const result = await api.verifyWebhookRequest(post(headers, body.stream), SECRET);
        return [result.reason, result.status, body.pulled <= 2];
      }, [reason, 401, true]]);
    }
    if (streams) rows.push(['verifyWebhookRequest: endless body, signed: reading stops past the limit', async (api) => {
      const body = endless();
      const result = await api.verifyWebhookRequest(post({ 'x-dialnexa-signature': sig }, body.stream), SECRET);
      return [result.reason, result.status, body.pulled <= 8];
    }, ['body_too_large', 413, true]]);
    // Browsers drop `content-length` from a Request they build (a forbidden header); servers keep it.
    if (post({ 'content-length': '2' }).headers.get('content-length') !== null) {
      rows.push(['verifyWebhookRequest: declared content-length over the limit', async (api) =>
        (await api.verifyWebhookRequest(post({ 'x-dialnexa-signature': sig, 'content-length': String(64 * MiB) }, '{}'), SECRET)).status, 413]);
    }
    rows.push(['verifyWebhookRequest: limit is not a number', async (api) => api.verifyWebhookRequest(post({}), SECRET, { limit: '1mb' }), THROWS_TYPE_ERROR]);
    rows.push(['verifyWebhookRequest: two signature headers', async (api) =>
      (await api.verifyWebhookRequest(post([['x-dialnexa-signature', sig], ['x-dialnexa-signature', sig]]), SECRET)).reason, 'malformed_signature']);
    rows.push(['verifyWebhookRequest: 16 MiB body', async (api) => {
      const body = new Uint8Array(16 * MiB);
      return (await api.verifyWebhookRequest(post({ 'x-dialnexa-signature': await hmacHex(SECRET, body) }, body), SECRET, { limit: 16 * MiB })).ok;
    }, true]);
    rows.push(['verifyWebhookRequest: not a Request', async (api) => api.verifyWebhookRequest('http://x', SECRET), THROWS_TYPE_ERROR]);
  }

  // API keys and Authorization headers.
  for (const [name, key, expected] of [
    ['empty', '', apiKeyError('empty_key')],
    ['NUL', '\0', apiKeyError('missing_separator')],
    ['two colons', 'abc:def:ghi', apiKeyError('too_many_separators')],
    ['control character', `${KEY}\u0007`, apiKeyError('invalid_character')],
    ['lone surrogate', 'ab\ud800:cd', apiKeyError('invalid_character')],
    ['Bearer with a tab', `Bearer\t${KEY}`, apiKeyError('starts_with_bearer')],
    ['BEARER in capitals', `BEARER ${KEY}`, apiKeyError('starts_with_bearer')],
    ['10 MiB', 'k'.repeat(10 * MiB), apiKeyError('too_long')],
    ['257-byte secret', `id:${'s'.repeat(257)}`, apiKeyError('too_long')],
    ['a number', 7, THROWS_TYPE_ERROR],
    ['valid, with a newline', `${KEY}\n`, { keyId: 'abcdefghijklmn' }],
  ]) {
    rows.push([`parseApiKey: ${name}`, (api) => api.parseApiKey(key), expected]);
  }
  for (const [name, header, expected] of [
    ['missing (undefined)', undefined, apiKeyError('missing_header')],
    ['missing (null)', null, apiKeyError('missing_header')],
    ['tab after Bearer', `Bearer\t${KEY}`, apiKeyError('wrong_scheme')],
    ['mixed case', `bEaReR ${KEY}`, { keyId: 'abcdefghijklmn' }],
    ['several spaces', `Bearer     ${KEY}`, { keyId: 'abcdefghijklmn' }],
    ['two colons', 'Bearer abc:def:ghi', apiKeyError('too_many_separators')],
    ['no colon', 'Bearer abcdefghijklmn', apiKeyError('missing_separator')],
    ['Basic', 'Basic dXNlcjpwYXNz', apiKeyError('wrong_scheme')],
    ['NUL before Bearer', `\0Bearer ${KEY}`, apiKeyError('wrong_scheme')],
    ['Bearer twice', `Bearer Bearer ${KEY}`, apiKeyError('starts_with_bearer')],
    ['control characters', `Bearer ${KEY}\u0001`, apiKeyError('invalid_character')],
    ['10 MiB', `Bearer ${'k'.repeat(10 * MiB)}`, apiKeyError('too_long')],
    ['an array', [KEY], THROWS_TYPE_ERROR],
  ]) {
    rows.push([`parseAuthorization: ${name}`, (api) => api.parseAuthorization(header), expected]);
  }
  for (const [name, key, expected] of [['valid', KEY, 'abcdefghijklmn:****'], ['no colon', 's3cr3tPARTq7Zx', '****'],
    ['bad key ID', 'a b:s3cr3tPARTq7Zx', '****'], ['10 MiB', 'k'.repeat(10 * MiB), '****'], ['lone surrogate', '\ud800:s3cr3tPARTq7Zx', '****'],
    ['undefined', undefined, '****'], ['object', {}, '****']]) {
    rows.push([`redactApiKey: ${name}`, (api) => api.redactApiKey(key), expected]);
  }
  const stored = await sha256Hex('s3cr3tPARTq7Zx');
  rows.push(['hashApiKeySecret: matches SHA-256', (api) => api.hashApiKeySecret('s3cr3tPARTq7Zx'), stored]);
  for (const [name, secret] of [['empty', ''], ['not a string', 5], ['lone surrogate', `\ud800${'s'.repeat(20)}`], ['a colon', `${'s'.repeat(20)}:x`],
    ['13 characters', 's'.repeat(13)], ['257 characters', 's'.repeat(257)], ['10 MiB', 's'.repeat(10 * MiB)], ['whitespace inside', 's3cr3t PARTq7Zx']]) {
    rows.push([`hashApiKeySecret: ${name}`, (api) => api.hashApiKeySecret(secret), THROWS_TYPE_ERROR]);
  }
  const record = { keyId: 'abcdefghijklmn', secretHash: stored };
  for (const [name, presented, hash, expected] of [['good', KEY, record, true], ['wrong secret', `${KEY}x`, record, false],
    ['another key ID, the right secret', 'someone-else:s3cr3tPARTq7Zx', record, false],
    ['10 MiB key', 'k'.repeat(10 * MiB), record, false], ['10 MiB hash', KEY, { ...record, secretHash: 'a'.repeat(10 * MiB) }, false],
    ['10 MiB key ID', KEY, { ...record, keyId: 'k'.repeat(10 * MiB) }, false],
    ['non-hex hash', KEY, { ...record, secretHash: 'z'.repeat(64) }, false], ['short hash', KEY, { ...record, secretHash: stored.slice(2) }, false],
    ['NUL in key', `${KEY}\0`, record, false], ['not a string', 1, record, false], ['a Proxy with throwing traps', hostileObjects[0][1], record, false],
    ['stored record is a bare hash', KEY, stored, THROWS_TYPE_ERROR], ['stored record is missing', KEY, undefined, THROWS_TYPE_ERROR]]) {
    rows.push([`checkApiKey: ${name}`, (api) => api.checkApiKey(presented, hash), expected]);
  }
  return { rows, sanity: (api) => api.verifyWebhook('{}', sig, SECRET) };
}

function matches(result, error, expected) {
  if (expected && expected.throws) {
    if (!error) return `expected ${expected.throws}, got ${JSON.stringify(result)}`;
    if (error.name !== expected.throws) return `expected ${expected.throws}, got ${error.name}: ${error.message}`;
    if (expected.code && error.code !== expected.code) return `expected code ${expected.code}, got ${error.code}`;
    if (!error.message.startsWith('dialnexa-verify: ')) return `message without prefix: ${error.message}`;
    noSecret(error.message, 'hostile error message');
    return '';
  }
  if (error) return `threw ${error.name}: ${error.message}`;
  if (expected && typeof expected === 'object' && !Array.isArray(expected)) {
    for (const [k, v] of Object.entries(expected)) if (result?.[k] !== v) return `${k}: ${result?.[k]} !== ${v}`;
    return '';
  }
  return JSON.stringify(result) === JSON.stringify(expected) ? '' : `got ${JSON.stringify(result)}, expected ${JSON.stringify(expected)}`;
}

// The rows as tests: each throws if its result is not the documented one, or if the module no
// longer works afterwards.
export async function hostileTests(api) {
  const { rows, sanity } = await hostileRows();
  return rows.map(([name, run, expected]) => ({
    name,
    fn: async () => {
      let result;
      let error;
      try {
        result = await run(api);
      } catch (caught) {
        error = caught;
      }
      const problem = matches(result, error, expected) || (sanity(api) === true ? '' : 'the module stopped working afterwards');
      if (problem) throw new Error(problem);
    },
  }));
}

// Runs every row; returns report lines ending in "<label> hostile: N passed, M failed".
export async function runHostile(api, label) {
  const lines = [];
  let passed = 0;
  const tests = await hostileTests(api);
  for (const { name, fn } of tests) {
    try {
      await fn();
      passed += 1;
    } catch (error) {
      lines.push(`not ok - ${label}: ${name}: ${error.message}`);
    }
  }
  lines.push(`${label} hostile: ${passed} passed, ${tests.length - passed} failed`);
  return { passed, failed: tests.length - passed, lines };
}
