// Every export against every hostile value it could receive from the network or a
// misconfiguration, each with its documented result. After every row the module must still
// verify a known-good signature: nothing traps, nothing poisons later calls.
// Runtime-agnostic (WebCrypto is the reference HMAC); run in Node and in headless Chromium.
import { noSecret } from './smoke.js';

const SECRET = 'whk_Zq8vX2mP9tLr';
const KEY = 'abcdefghijklmn:s3cr3tPART';
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
    ['array of the right signature', [sig], false],
    ['null', null, false],
    ['undefined', undefined, false],
    ['BigInt', 10n, false],
    ['Symbol', Symbol('x'), false],
  ]) {
    rows.push([`verifyWebhook: ${name}`, verify('{}', header), expected]);
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
  for (const [name, payload] of [['a parsed object', { event: 'x' }], ['null', null], ['undefined', undefined],
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
      return [hugeHeader, '\0', [sig], 42, `sha256=sha256=${sig}`].map((h) => verifier.verify('{}', h));
    } finally {
      verifier.free();
    }
  }, [false, false, false, false, false]]);

  // Requests (fetch API).
  if (typeof Request === 'function') {
    const post = (headers, body = '{}') => new Request('http://127.0.0.1/', { method: 'POST', body, headers });
    rows.push(['verifyWebhookRequest: two signature headers', async (api) =>
      (await api.verifyWebhookRequest(post([['x-dialnexa-signature', sig], ['x-dialnexa-signature', sig]]), SECRET)).reason, 'malformed_signature']);
    rows.push(['verifyWebhookRequest: 16 MiB body', async (api) => {
      const body = new Uint8Array(16 * MiB);
      return (await api.verifyWebhookRequest(post({ 'x-dialnexa-signature': await hmacHex(SECRET, body) }, body), SECRET)).ok;
    }, true]);
    rows.push(['verifyWebhookRequest: not a Request', async (api) => api.verifyWebhookRequest('http://x', SECRET), THROWS_TYPE_ERROR]);
  }

  // API keys and Authorization headers.
  for (const [name, key, expected] of [
    ['empty', '', apiKeyError('empty')],
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
  for (const [name, key, expected] of [['valid', KEY, 'abcdefghijklmn:****'], ['no colon', 's3cr3tPART', '****'],
    ['bad key ID', 'a b:s3cr3tPART', '****'], ['10 MiB', 'k'.repeat(10 * MiB), '****'], ['lone surrogate', '\ud800:s3cr3tPART', '****'],
    ['undefined', undefined, '****'], ['object', {}, '****']]) {
    rows.push([`redactApiKey: ${name}`, (api) => api.redactApiKey(key), expected]);
  }
  const stored = await sha256Hex('s3cr3tPART');
  rows.push(['hashApiKeySecret: matches SHA-256', (api) => api.hashApiKeySecret('s3cr3tPART'), stored]);
  rows.push(['hashApiKeySecret: lone surrogate hashed as U+FFFD', (api) => api.hashApiKeySecret('\ud800'), await sha256Hex('\ud800')]);
  rows.push(['hashApiKeySecret: empty', (api) => api.hashApiKeySecret(''), THROWS_TYPE_ERROR]);
  rows.push(['hashApiKeySecret: not a string', (api) => api.hashApiKeySecret(5), THROWS_TYPE_ERROR]);
  for (const [name, presented, hash, expected] of [['good', KEY, stored, true], ['wrong secret', `${KEY}x`, stored, false],
    ['10 MiB key', 'k'.repeat(10 * MiB), stored, false], ['10 MiB hash', KEY, 'a'.repeat(10 * MiB), false],
    ['non-hex hash', KEY, 'z'.repeat(64), false], ['short hash', KEY, stored.slice(2), false],
    ['NUL in key', `${KEY}\0`, stored, false], ['non-strings', 1, {}, false]]) {
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
