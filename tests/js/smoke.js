// The package's behaviour in any JavaScript runtime: only standard APIs (WebCrypto as the HMAC
// reference, TextEncoder, Request/Response where they exist). Each runtime's harness imports the
// *packed* package and passes it to `smokeTests`, then runs every test.

const SECRET_FRAGMENT = 's3cr3tPARTq7Zx';
const KEY = `abcdefghijklmn:${SECRET_FRAGMENT}`;
const EXPORTS = [
  'ApiKeyError', 'DEFAULT_BODY_LIMIT', 'SIGNATURE_HEADER', 'UNAUTHORIZED_BODY', 'WebhookVerifier',
  'checkApiKey', 'checkWebhook', 'hashApiKeySecret', 'parseApiKey', 'parseAuthorization',
  'redactApiKey', 'signWebhook', 'unauthorizedResponse', 'verifyWebhook', 'verifyWebhookRequest',
  'verifyWebhookStream', 'generateApiKey', 'withWebhook', 'withApiKey', 'createReplayGuard', 'diagnoseWebhook',
];
const API_KEY_CODES = [
  'empty_key', 'missing_separator', 'too_many_separators', 'empty_key_id', 'empty_secret', 'too_long',
  'invalid_character', 'starts_with_bearer', 'missing_header', 'wrong_scheme', 'missing_token',
];

const encoder = new TextEncoder();

export class AssertionError extends Error {}

function ok(condition, message) {
  if (!condition) throw new AssertionError(message);
}

function eq(actual, expected, message = '') {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new AssertionError(`${message} expected ${e}, got ${a}`);
}

function throws(fn, check, message) {
  let thrown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  ok(thrown !== undefined, `${message}: did not throw`);
  check(thrown);
  return thrown;
}

// Every 4+ character fragment of the test secrets must stay out of all visible text.
export const collectedText = [];
export function noSecret(text, what) {
  collectedText.push(String(text));
  for (const secret of [SECRET_FRAGMENT, 'whk_Zq8vX2mP9tLr']) {
    for (let n = 4; n <= secret.length; n += 1) {
      for (let i = 0; i + n <= secret.length; i += 1) {
        ok(!String(text).includes(secret.slice(i, i + n)), `${what} leaks a secret fragment`);
      }
    }
  }
}

function isTypeErrorNamingTheFix(error) {
  ok(error instanceof TypeError, `expected TypeError, got ${error && error.name}`);
  ok(error.message.startsWith('dialnexa-verify: '), `message prefix: ${error.message}`);
  noSecret(error.message, 'TypeError message');
}

async function hmacHex(secretBytes, bodyBytes) {
  const key = await crypto.subtle.importKey('raw', secretBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const tag = new Uint8Array(await crypto.subtle.sign('HMAC', key, bodyBytes));
  return Array.from(tag, (b) => b.toString(16).padStart(2, '0')).join('');
}

// Deterministic pseudo-random bytes (xorshift32), so a failure can be replayed.
function randomBytes(length, seed) {
  let x = seed >>> 0 || 1;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 1) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export function smokeTests(api) {
  const T = [];
  const test = (name, fn) => T.push({ name, fn });
  const secret = 'whk_Zq8vX2mP9tLr';

  test('every documented export is present, and nothing else', () => {
    for (const name of EXPORTS) ok(name in api, `missing export ${name}`);
    eq(Object.keys(api).filter((name) => name !== 'default').sort(), [...EXPORTS].sort());
    eq(api.DEFAULT_BODY_LIMIT, 5 * 1024 * 1024);
    eq(api.SIGNATURE_HEADER, 'x-dialnexa-signature');
    eq(api.UNAUTHORIZED_BODY, { statusCode: 401, message: 'Unauthorized', error: 'Unauthorized' });
    eq(JSON.stringify(api.UNAUTHORIZED_BODY), '{"statusCode":401,"message":"Unauthorized","error":"Unauthorized"}');
    ok(Object.isFrozen(api.UNAUTHORIZED_BODY), 'UNAUTHORIZED_BODY is frozen');
  });

  test('published vectors: RFC 4231 case 2 and the spec snippet sample', () => {
    eq(api.signWebhook('what do ya want for nothing?', 'Jefe'),
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    const sample = '{"event":"call.completed","call_id":"call_8f2a","duration_seconds":42,"agent":"Ava"}';
    // tests/data/spec_snippet_vectors.txt, "sample-event" (the spec's Python snippet).
    const expected = 'f758c9b92dedfb3bd0bf2f58c2c9525bb5d31128cade1736807034399dc355f7';
    eq(api.signWebhook(sample, 'whsec_example'), expected);
    ok(api.verifyWebhook(sample, expected, 'whsec_example'), 'sample verifies');
  });

  test('cross-check against WebCrypto HMAC-SHA256 on random inputs (1 B to 300 KiB)', async () => {
    const sizes = [0, 1, 55, 56, 63, 64, 65, 1000, 4096, 65535, 65536, 65537, 300 * 1024];
    for (const [i, size] of sizes.entries()) {
      const body = randomBytes(size, i + 1);
      const key = randomBytes(1 + ((i * 37) % 150), i + 100);
      const expected = await hmacHex(key, body);
      eq(api.signWebhook(body, key), expected, `sign ${size} B`);
      ok(api.verifyWebhook(body, expected, key), `verify ${size} B`);
      ok(api.verifyWebhook(body.buffer, expected.toUpperCase(), key), `ArrayBuffer ${size} B`);
      if (size > 0) {
        const tampered = body.slice();
        tampered[size >> 1] ^= 1;
        ok(!api.verifyWebhook(tampered, expected, key), `tampered ${size} B`);
      }
    }
    for (const [i, text] of ['', 'a', '{"a":"Grüße 東京 😀"}', 'x'.repeat(30000), '东'.repeat(40000), 'lone \ud800 surrogate'].entries()) {
      const expected = await hmacHex(encoder.encode('k' + i), encoder.encode(text));
      eq(api.signWebhook(text, 'k' + i), expected, `string #${i}`);
      ok(api.verifyWebhook(text, expected, 'k' + i), `string #${i} verifies`);
    }
  });

  test('payload views: subarray offsets, DataView, other typed arrays', () => {
    const whole = randomBytes(200, 7);
    const part = whole.subarray(50, 150);
    const sig = api.signWebhook(whole.slice(50, 150), secret);
    ok(api.verifyWebhook(part, sig, secret), 'subarray');
    ok(api.verifyWebhook(new DataView(whole.buffer, 50, 100), sig, secret), 'DataView');
    ok(!api.verifyWebhook(whole, sig, secret), 'the whole buffer is another body');
    ok(api.verifyWebhook(new Uint16Array(whole.buffer, 50, 50), sig, secret), 'Uint16Array view');
    const big = randomBytes(200000, 9);
    const bigSig = api.signWebhook(big.slice(1000, 190000), secret);
    ok(api.verifyWebhook(big.subarray(1000, 190000), bigSig, secret), 'large subarray, chunked');
  });

  test('header forms: case, prefix, whitespace accepted; everything else false', () => {
    const sig = api.signWebhook('{}', secret);
    for (const good of [sig, sig.toUpperCase(), `sha256=${sig}`, ` ${sig}\r\n`]) {
      ok(api.verifyWebhook('{}', good, secret), `accepts ${JSON.stringify(good)}`);
    }
    const bad = [null, undefined, '', ' ', sig.slice(0, 63), `${sig}0`, sig.slice(0, 32), `sha256=sha256=${sig}`,
      `${sig.slice(0, 32)} ${sig.slice(32)}`, `${sig.slice(0, 63)}\0`, `${sig.slice(0, 63)}\uff10`, sig + sig,
      42, {}, [sig, sig], [], [42], Symbol.iterator, 10n];
    for (const header of bad) ok(api.verifyWebhook('{}', header, secret) === false, `rejects ${String(header)}`);
    eq(api.checkWebhook('{}', undefined, secret), { ok: false, reason: 'missing_signature' });
    eq(api.checkWebhook('{}', 'abc', secret), { ok: false, reason: 'malformed_signature' });
    // Node gives a repeated header as an array: one value is that value, several are malformed.
    eq(api.checkWebhook('{}', [sig], secret), { ok: true, secretIndex: 0 });
    eq(api.checkWebhook('{}', [sig, sig], secret), { ok: false, reason: 'malformed_signature' });
    eq(api.checkWebhook('{}', [], secret), { ok: false, reason: 'missing_signature' });
    eq(api.checkWebhook('{ }', sig, secret), { ok: false, reason: 'signature_mismatch' });
    eq(api.checkWebhook('{}', sig, secret), { ok: true, secretIndex: 0 });
  });

  test('secret rotation reports which secret matched', () => {
    const secrets = ['whsec_new', encoder.encode('whsec_mid'), 'whsec_old'];
    const sig = api.signWebhook('{}', 'whsec_old');
    eq(api.checkWebhook('{}', sig, secrets), { ok: true, secretIndex: 2 });
    ok(api.verifyWebhook('{}', api.signWebhook('{}', 'whsec_mid'), secrets), 'bytes secret');
    eq(api.signWebhook('{}', secrets), api.signWebhook('{}', 'whsec_new'));
  });

  test('programmer errors throw TypeError naming the fix; nothing else throws', () => {
    const sig = api.signWebhook('{}', secret);
    // No body at all (Express leaves req.body unset) is an empty body: false, not an exception.
    for (const payload of [null, undefined]) {
      eq(api.checkWebhook(payload, sig, secret), { ok: false, reason: 'signature_mismatch' });
      ok(api.verifyWebhook(payload, api.signWebhook('', secret), secret), 'an empty body signed as such');
    }
    for (const payload of [{ event: 'x' }, [1, 2], 42, true]) {
      throws(() => api.verifyWebhook(payload, sig, secret), isTypeErrorNamingTheFix, `payload ${typeof payload}`);
      throws(() => api.checkWebhook(payload, sig, secret), isTypeErrorNamingTheFix, 'checkWebhook');
      throws(() => api.signWebhook(payload, secret), isTypeErrorNamingTheFix, 'signWebhook');
    }
    const parsed = throws(() => api.verifyWebhook({ a: 1 }, sig, secret), isTypeErrorNamingTheFix, 'object');
    ok(parsed.message.includes('raw request body') && parsed.message.includes('JSON'), 'explains the raw body');
    for (const bad of ['', [], undefined, null, 5, [''], [secret, ''], {}, new Uint8Array(0), Array(65).fill('s')]) {
      throws(() => api.verifyWebhook('{}', sig, bad), isTypeErrorNamingTheFix, `secret ${JSON.stringify(bad)}`);
      throws(() => new api.WebhookVerifier(bad), isTypeErrorNamingTheFix, 'WebhookVerifier');
    }
    throws(() => api.hashApiKeySecret(''), isTypeErrorNamingTheFix, 'empty hash secret');
    throws(() => api.hashApiKeySecret('short'), isTypeErrorNamingTheFix, 'a secret under 14 characters');
    throws(() => api.hashApiKeySecret(`${SECRET_FRAGMENT}!`), isTypeErrorNamingTheFix, 'a secret no key could carry');
    throws(() => api.checkApiKey(KEY, api.hashApiKeySecret(SECRET_FRAGMENT)), isTypeErrorNamingTheFix, 'a bare hash as the stored record');
    throws(() => api.parseApiKey(undefined), isTypeErrorNamingTheFix, 'parseApiKey(undefined)');
    throws(() => api.parseAuthorization(7), isTypeErrorNamingTheFix, 'parseAuthorization(7)');
  });

  test('WebhookVerifier: verify, check, sign, free, dispose', () => {
    const verifier = new api.WebhookVerifier([secret, encoder.encode('whsec_old')]);
    eq(verifier.secretCount, 2);
    const sig = verifier.sign('{}');
    eq(sig, api.signWebhook('{}', secret));
    ok(verifier.verify('{}', sig), 'verify');
    eq(verifier.check('{}', api.signWebhook('{}', 'whsec_old')), { ok: true, secretIndex: 1 });
    noSecret(String(verifier), 'String(verifier)');
    noSecret(JSON.stringify(verifier), 'JSON.stringify(verifier)');
    verifier.free();
    verifier.free();
    throws(() => verifier.verify('{}', sig), isTypeErrorNamingTheFix, 'after free');
    if (typeof Symbol.dispose === 'symbol') {
      const disposable = new api.WebhookVerifier(secret);
      disposable[Symbol.dispose]();
      throws(() => disposable.sign('{}'), isTypeErrorNamingTheFix, 'after dispose');
    }
    for (let i = 0; i < 2000; i += 1) new api.WebhookVerifier(secret).verify('{}', sig); // never freed
    // A verifier is a secret too: it can stand wherever a secret goes.
    const shared = new api.WebhookVerifier(['whsec_other', secret]);
    eq(api.checkWebhook('{}', sig, shared), { ok: true, secretIndex: 1 });
    eq(api.signWebhook('{}', shared), api.signWebhook('{}', 'whsec_other'));
    shared.free();
  });

  test('more live WebhookVerifiers than the engine keeps prepared: each stays correct', () => {
    const secrets = Array.from({ length: 100 }, (_, i) => `whk_many_${i}_${'q'.repeat(i % 7)}`);
    const verifiers = secrets.map((s, i) => new api.WebhookVerifier(i % 3 === 0 ? [`old_${i}`, s] : s));
    const sigs = secrets.map((s) => api.signWebhook('{}', s));
    for (let round = 0; round < 3; round += 1) {
      for (let k = 0; k < verifiers.length; k += 1) {
        const i = (k * 37 + round) % verifiers.length;
        eq(verifiers[i].check('{}', sigs[i]), { ok: true, secretIndex: i % 3 === 0 ? 1 : 0 }, `verifier ${i}`);
        ok(!verifiers[i].verify('{}', sigs[(i + 1) % verifiers.length]), `verifier ${i} rejects its neighbour`);
        eq(verifiers[i].sign('{}'), i % 3 === 0 ? api.signWebhook('{}', `old_${i}`) : sigs[i]);
      }
    }
    for (const v of verifiers) v.free();
  });

  test('verifyWebhookRequest and unauthorizedResponse', async () => {
    if (typeof Request !== 'function') return;
    const body = '{"event":"call.completed"}';
    const sig = api.signWebhook(body, secret);
    const post = (headers, text = body) => new Request('http://127.0.0.1/webhook', { method: 'POST', body: text, headers });
    const good = await api.verifyWebhookRequest(post({ 'X-DialNexa-Signature': sig }), secret);
    ok(good.ok, 'signed request');
    eq(good.secretIndex, 0);
    eq(good.text(), body);
    eq(good.json(), { event: 'call.completed' });
    ok(good.body instanceof Uint8Array && good.body.length === body.length, 'body bytes');
    const verifier = new api.WebhookVerifier(['other', secret]);
    const rotated = await api.verifyWebhookRequest(post({ 'x-dialnexa-signature': sig }), verifier);
    eq(rotated.secretIndex, 1);
    for (const [headers, text, reason] of [
      [{}, body, 'missing_signature'],
      [{ 'X-DIALNEXA-SIGNATURE': 'zz' }, body, 'malformed_signature'],
      [{ 'X-DialNexa-Signature': sig }, body + ' ', 'signature_mismatch'],
    ]) {
      const result = await api.verifyWebhookRequest(post(headers, text), secret);
      eq([result.ok, result.reason, result.status], [false, reason, 401]);
      eq(result.response.status, 401);
      eq(result.response.headers.get('content-type'), 'application/json');
      eq(await result.response.text(), '{"statusCode":401,"message":"Unauthorized","error":"Unauthorized"}');
    }
    // Over the limit: 413, whether the length is declared or only found while reading.
    const large = 'x'.repeat(5000);
    const tooLarge = await api.verifyWebhookRequest(post({ 'X-DialNexa-Signature': api.signWebhook(large, secret) }, large), secret, { limit: 4096 });
    eq([tooLarge.ok, tooLarge.reason, tooLarge.status, tooLarge.response.status], [false, 'body_too_large', 413, 413]);
    eq(await tooLarge.response.json(), { statusCode: 413, message: 'Payload Too Large', error: 'Payload Too Large' });
    const atLimit = await api.verifyWebhookRequest(post({ 'X-DialNexa-Signature': api.signWebhook(large, secret) }, large), secret, { limit: 5000 });
    ok(atLimit.ok, 'a body of exactly the limit');
    const chunks = (parts) => new ReadableStream({ pull(controller) { if (parts.length) controller.enqueue(encoder.encode(parts.shift())); else controller.close(); } });
    const streamed = await api.verifyWebhookStream(chunks(['{"event":', '"call.', 'completed"}']), sig, secret, { limit: 100 });
    ok(streamed.ok && streamed.text() === body, 'a body in three chunks');
    const over = await api.verifyWebhookStream(chunks(['x'.repeat(60), 'x'.repeat(60), 'never read']), api.signWebhook('x'.repeat(120), secret), secret, { limit: 100 });
    eq([over.ok, over.reason], [false, 'body_too_large']);
    const iterable = await api.verifyWebhookStream([encoder.encode('{"event":'), '"call.completed"}'], [sig], ['whsec_other', secret]);
    eq([iterable.ok, iterable.secretIndex], [true, 1]);
    const failing = { async *[Symbol.asyncIterator]() { yield encoder.encode('{'); throw new Error('aborted'); } };
    const aborted = await api.verifyWebhookStream(failing, sig, secret);
    eq([aborted.ok, aborted.reason, aborted.status], [false, 'body_unreadable', 400]);
    // A header that can never match is answered before the body is read at all.
    let pulled = 0;
    const watched = () => new ReadableStream({ pull(controller) { pulled += 1; controller.enqueue(new Uint8Array(10)); } });
    eq((await api.verifyWebhookStream(watched(), 'zz', secret)).reason, 'malformed_signature');
    eq((await api.verifyWebhookStream(watched(), undefined, secret)).reason, 'missing_signature');
    ok(pulled <= 2, `read ${pulled} chunks of two bodies whose header can never match`);
    let rejected;
    try {
      await api.verifyWebhookRequest({ not: 'a request' }, secret);
    } catch (error) {
      rejected = error;
    }
    isTypeErrorNamingTheFix(rejected);
    const response = api.unauthorizedResponse();
    eq(response.status, 401);
    eq(await response.json(), { statusCode: 401, message: 'Unauthorized', error: 'Unauthorized' });
  });

  test('API keys: parse, Authorization, codes, redaction, hashes', () => {
    const key = api.parseApiKey(` ${KEY}\n`);
    eq(key.keyId, 'abcdefghijklmn');
    eq(key.secret, SECRET_FRAGMENT);
    noSecret(JSON.stringify(key), 'JSON of a parsed key');
    eq(Object.keys(key), ['keyId']);
    eq(api.parseAuthorization(`bearer   ${KEY}`).secret, SECRET_FRAGMENT);
    const cases = [
      [() => api.parseApiKey(''), 'empty_key'],
      [() => api.parseApiKey(SECRET_FRAGMENT), 'missing_separator'],
      [() => api.parseApiKey(`${KEY}:x`), 'too_many_separators'],
      [() => api.parseApiKey(`:${SECRET_FRAGMENT}`), 'empty_key_id'],
      [() => api.parseApiKey('abcdefghijklmn:'), 'empty_secret'],
      [() => api.parseApiKey(`id:${SECRET_FRAGMENT}${'x'.repeat(300)}`), 'too_long'],
      [() => api.parseApiKey(`id:${SECRET_FRAGMENT}!`), 'invalid_character'],
      [() => api.parseApiKey(`Bearer ${KEY}`), 'starts_with_bearer'],
      [() => api.parseAuthorization(undefined), 'missing_header'],
      [() => api.parseAuthorization(`Basic ${SECRET_FRAGMENT}`), 'wrong_scheme'],
      [() => api.parseAuthorization('Bearer   '), 'missing_token'],
    ];
    eq(cases.map(([, code]) => code), API_KEY_CODES);
    for (const [fn, code] of cases) {
      throws(fn, (error) => {
        ok(error instanceof api.ApiKeyError && error instanceof Error, 'ApiKeyError');
        eq(error.name, 'ApiKeyError');
        eq(error.code, code);
        ok(error.message.startsWith('dialnexa-verify: '), 'prefix');
        noSecret(error.message, `ApiKeyError ${code}`);
        noSecret(String(error), 'String(error)');
      }, code);
    }
    eq(api.redactApiKey(KEY), 'abcdefghijklmn:****');
    eq(api.redactApiKey(`Bearer ${KEY}`), 'abcdefghijklmn:****');
    for (const odd of [SECRET_FRAGMENT, '', undefined, null, 42, {}, `bad id!:${SECRET_FRAGMENT}`]) {
      const redacted = api.redactApiKey(odd);
      noSecret(redacted, 'redactApiKey');
    }
    const secretHash = api.hashApiKeySecret(SECRET_FRAGMENT);
    eq(secretHash, '0bc22de40f755ee78d9dab5a3953a1a6176e02abd1dd6c44f9df062bc23fc3ea');
    const stored = { keyId: 'abcdefghijklmn', secretHash };
    ok(api.checkApiKey(KEY, stored), 'good key');
    ok(api.checkApiKey(api.parseAuthorization(`Bearer ${KEY}`), stored), 'a parsed key');
    ok(api.checkApiKey(KEY, { ...stored, secretHash: secretHash.toUpperCase() }), 'uppercase stored hash');
    for (const [presented, record] of [[`${KEY}x`, stored], [KEY, { ...stored, secretHash: secretHash.slice(1) }], ['', stored],
      [KEY, { ...stored, secretHash: '' }], [undefined, stored], [42, stored], [`Bearer ${KEY}`, stored],
      [`someone-else:${SECRET_FRAGMENT}`, stored], [KEY, { ...stored, keyId: 'abcdefghijklm' }], [{ keyId: 'x' }, stored]]) {
      ok(api.checkApiKey(presented, record) === false, `checkApiKey(${typeof presented === 'string' ? presented.length : typeof presented}) false`);
    }
  });

  test('generateApiKey: parses, checks against its record, hides its secret, never repeats', () => {
    const seen = new Set();
    for (let i = 0; i < 2000; i += 1) {
      const issued = api.generateApiKey();
      ok(/^[a-z]{14}$/.test(issued.keyId), 'key ID: 14 lowercase letters');
      ok(/^[A-Za-z0-9]{22}$/.test(issued.secret), 'secret: 22 alphanumerics');
      eq(issued.key, `${issued.keyId}:${issued.secret}`);
      const parsed = api.parseApiKey(issued.key);
      eq([parsed.keyId, parsed.secret === issued.secret], [issued.keyId, true]);
      ok(api.checkApiKey(issued.key, { keyId: issued.keyId, secretHash: issued.secretHash }), 'checks against its record');
      eq(Object.keys(issued).sort(), ['keyId', 'secretHash']);
      ok(!JSON.stringify(issued).includes(issued.secret), 'JSON leaves the secret out');
      seen.add(issued.key);
      seen.add(issued.keyId);
    }
    eq(seen.size, 4000);
  });

  test('hostile input never traps and the module keeps working', () => {
    const sig = api.signWebhook('{}', secret);
    const hugeHeader = 'a'.repeat(10 * 1024 * 1024);
    ok(!api.verifyWebhook('{}', hugeHeader, secret), '10 MiB header');
    ok(!api.verifyWebhook('{}', '0'.repeat(64 * 3), secret), '192 hex digits');
    for (const n of [63, 65, 128]) ok(!api.verifyWebhook('{}', 'a'.repeat(n), secret), `${n} hex digits`);
    ok(!api.verifyWebhook('{}', '\ud800'.repeat(64), secret), 'lone surrogates header');
    ok(!api.verifyWebhook('{}', '٠'.repeat(64), secret), 'Arabic-Indic digits');
    const hugeBody = new Uint8Array(16 * 1024 * 1024);
    ok(!api.verifyWebhook(hugeBody, sig, secret), '16 MiB body');
    for (const header of [hugeHeader, '\0', 'Bearer\t' + KEY, 'BEARER ' + KEY, `${KEY}\u0007`, '\ud800:\udc00']) {
      try {
        api.parseAuthorization(header);
      } catch (error) {
        ok(error instanceof api.ApiKeyError, 'only ApiKeyError');
        noSecret(error.message, 'hostile header message');
      }
      api.redactApiKey(header);
      api.checkApiKey(header, { keyId: header, secretHash: header });
    }
    ok(api.verifyWebhook('{}', sig, secret), 'still works afterwards');
    eq(api.parseApiKey(KEY).keyId, 'abcdefghijklmn');
  });

  return T;
}

// Runs every test and returns the lines of a report, ending in "smoke: N passed, M failed".
export async function runSmoke(api, label) {
  const lines = [];
  let passed = 0;
  let failed = 0;
  for (const { name, fn } of smokeTests(api)) {
    try {
      await fn();
      passed += 1;
      lines.push(`ok - ${label}: ${name}`);
    } catch (error) {
      failed += 1;
      lines.push(`not ok - ${label}: ${name}: ${error && error.message} ${error && error.stack ? error.stack : error}`);
    }
  }
  lines.push(`${label} smoke: ${passed} passed, ${failed} failed`);
  return { passed, failed, lines };
}
