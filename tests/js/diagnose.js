// diagnoseWebhook through the packed package, in any runtime (WebCrypto as the reference): for
// every cause, the failure built from a correct delivery the way an integration makes it, and the
// code the diagnosis must name. Run by node.test.mjs, run-smoke.mjs (Deno, Bun) and the browser
// pages.
import { noSecret } from './smoke.js';

const encoder = new TextEncoder();
const SECRET = 'whsec_Dg9mP2xQv7Lr4Tz8';
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const base64 = (bytes) => btoa(String.fromCharCode(...bytes));
const bytesOf = (v) => (typeof v === 'string' ? encoder.encode(v) : v);

async function mac(key, message, hash = 'SHA-256') {
  const k = await crypto.subtle.importKey('raw', bytesOf(key), { name: 'HMAC', hash }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, bytesOf(message)));
}
const sha256 = async (message) => new Uint8Array(await crypto.subtle.digest('SHA-256', bytesOf(message)));

// What a DialNexa-like sender puts on the wire, and what Python's json.dumps (default separators,
// ensure_ascii) would have sent for the same event.
const BODY = JSON.stringify({ event: 'call.completed', call_id: 'call_8f2a91', agent: 'Åsa Ørn', summary: 'Grüße 😀', duration_seconds: 42 });
const PYTHON_BODY = '{"event": "call.completed", "call_id": "call_8f2a91", "agent": "\\u00c5sa \\u00d8rn", "summary": "Gr\\u00fc\\u00dfe \\ud83d\\ude00", "duration_seconds": 42}';
const CRLF_BODY = '{\r\n  "event": "call.completed",\r\n  "call_id": "call_8f2a91"\r\n}';

export async function diagnoseRows() {
  const tag = await mac(SECRET, BODY);
  const header = hex(tag);
  const hexSecret = 'a3f1c2d4e5b60718293a4b5c6d7e8f90';
  const hexSecretBytes = Uint8Array.from(hexSecret.match(/../g), (h) => parseInt(h, 16));
  return [
    ['valid delivery', BODY, header, SECRET, 'none'],
    ['valid, previous secret during a rotation', BODY, hex(await mac('whsec_previous_Zt2', BODY)), [SECRET, 'whsec_previous_Zt2'], 'none'],
    ['secret read from a .env line with its newline', BODY, header, `${SECRET}\n`, 'secret_whitespace'],
    ['secret pasted with a trailing CRLF and spaces', BODY, header, `  ${SECRET}\r\n`, 'secret_whitespace'],
    ['secret still in its quotes', BODY, header, `"${SECRET}"`, 'secret_quoted'],
    ['hex secret decoded to bytes (registered as text)', BODY, hex(await mac(hexSecret, BODY)), hexSecretBytes, 'secret_encoding'],
    ['Lambda-style base64 body', base64(encoder.encode(BODY)), header, SECRET, 'body_base64'],
    ['body stream consumed before verification', '', header, SECRET, 'body_empty'],
    ['trailing newline added (a text file, curl -d @file)', `${BODY}\n`, header, SECRET, 'body_trailing_newline'],
    ['CRLF body converted to LF', CRLF_BODY.replaceAll('\r\n', '\n'), hex(await mac(SECRET, CRLF_BODY)), SECRET, 'body_line_endings'],
    ['UTF-8 byte-order mark added', `\ufeff${BODY}`, header, SECRET, 'body_bom'],
    ['Python-sent body re-serialized by JSON.stringify(JSON.parse(body))', JSON.stringify(JSON.parse(PYTHON_BODY)), hex(await mac(SECRET, PYTHON_BODY)), SECRET, 'body_reserialized'],
    ['compact body re-serialized with 2-space indentation', JSON.stringify(JSON.parse(BODY), null, 2), header, SECRET, 'body_reserialized'],
    ['body decoded with the wrong charset', BODY.replace('Åsa', '\ufffd\ufffdsa'), header, SECRET, 'body_not_utf8'],
    ['header holds the base64 of the tag', BODY, base64(tag), SECRET, 'header_base64'],
    ['header is an HMAC-SHA512', BODY, hex(await mac(SECRET, BODY, 'SHA-512')), SECRET, 'header_other_algorithm'],
    ['header is the plain SHA-256 of the body', BODY, hex(await sha256(BODY)), SECRET, 'header_unkeyed'],
    ['header is HMAC keyed with the body over the secret', BODY, hex(await mac(BODY, SECRET)), SECRET, 'header_swapped'],
    ['header is another provider\'s t=,v1= list', BODY, `t=1732700000,v1=${header}`, SECRET, 'header_other_scheme'],
    ['header is an Authorization value', BODY, 'Bearer abcdefghijklmn:123456a1b1234b', SECRET, 'header_other_scheme'],
    ['header missing (req.headers[\'X-DialNexa-Signature\'] in Node)', BODY, undefined, SECRET, 'header_missing'],
    ['header truncated', BODY, header.slice(0, 50), SECRET, 'header_malformed'],
    ['another secret altogether', BODY, hex(await mac('whsec_someone_else_9', BODY)), SECRET, 'unknown'],
  ];
}

export async function diagnoseTests(api) {
  const tests = [];
  const test = (name, fn) => tests.push({ name: `diagnoseWebhook: ${name}`, fn });
  for (const [name, payload, signature, secret, expected] of await diagnoseRows()) {
    test(`${name} → ${expected}`, () => {
      const result = api.diagnoseWebhook(payload, signature, secret);
      if (result.cause !== expected) throw new Error(`cause ${result.cause}, expected ${expected}`);
      if ((expected === 'none') !== result.ok) throw new Error(`ok ${result.ok}`);
      if (!result.ok && !['missing_signature', 'malformed_signature', 'signature_mismatch'].includes(result.reason)) throw new Error(`reason ${result.reason}`);
      if (typeof result.hint !== 'string' || result.hint.length < 20) throw new Error('no hint');
      for (const text of [result.hint, result.cause, JSON.stringify(result)]) noSecret(text, 'diagnosis');
      for (const fragment of [SECRET.slice(6, 12), (typeof signature === 'string' ? signature : '').slice(8, 16)]) {
        if (fragment.length >= 4 && JSON.stringify(result).includes(fragment)) throw new Error('the diagnosis shows a fragment of its input');
      }
    });
  }
  test('unrelated random secrets give unknown; valid deliveries give none', async () => {
    for (let i = 0; i < 20; i += 1) {
      const body = JSON.stringify({ event: 'call.completed', n: i, r: Math.random() });
      const secret = `whsec_${crypto.getRandomValues(new Uint32Array(2)).join('')}`;
      const other = `whsec_${crypto.getRandomValues(new Uint32Array(2)).join('')}`;
      const signature = hex(await mac(other, body));
      const found = api.diagnoseWebhook(body, signature, secret);
      if (found.cause !== 'unknown') throw new Error(`random secrets gave ${found.cause}`);
      if (api.diagnoseWebhook(body, hex(await mac(secret, body)), secret).cause !== 'none') throw new Error('a valid delivery was not none');
    }
  });
  test('programmer mistakes throw TypeError; hostile headers and bodies never throw', () => {
    let thrown;
    try {
      api.diagnoseWebhook(BODY, '00', new api.WebhookVerifier(SECRET));
    } catch (error) {
      thrown = error;
    }
    if (!(thrown instanceof TypeError) || !thrown.message.startsWith('dialnexa-verify: ')) throw new Error('a WebhookVerifier must be refused with a TypeError');
    const hostile = [null, 42, {}, [BODY, BODY], ['a', 'b'], 'a'.repeat(10 << 20), ' '.repeat(1 << 20), '\0', '\ud800'.repeat(64), 'sha256=', 'sha512=zz'];
    for (const header of hostile) api.diagnoseWebhook(BODY, header, SECRET);
    for (const body of ['[', '['.repeat(1 << 20), `{"a":${'['.repeat(100000)}`, new Uint8Array(2 << 20), new Uint8Array([0xff, 0xfe, 0x00]), null, undefined]) {
      api.diagnoseWebhook(body, hex(new Uint8Array(32)), SECRET);
    }
    if (!api.verifyWebhook('{}', api.signWebhook('{}', SECRET), SECRET)) throw new Error('the module stopped working');
  });

  test('the UTF-8 copies of string secrets it makes are overwritten, on every path', () => {
    const secret = 'whsec_copies_are_wiped_Zq81';
    const copies = [];
    const { encode } = TextEncoder.prototype;
    TextEncoder.prototype.encode = function spy(text) {
      const out = encode.call(this, text);
      if (text === secret) copies.push(out);
      return out;
    };
    try {
      const cases = [
        ['a tag-shaped header', ['{}', hex(new Uint8Array(32)), secret]],
        ['a header over 4 KiB', ['{}', 'x'.repeat(5000), secret]],
        ['a second secret over 16 KiB', ['{}', hex(new Uint8Array(32)), [secret, 'y'.repeat(17 * 1024)]]],
        ['a body over 1 MiB', [new Uint8Array((1 << 20) + 1), hex(new Uint8Array(32)), secret]],
      ];
      for (const [what, args] of cases) {
        copies.length = 0;
        api.diagnoseWebhook(...args);
        if (copies.length === 0) throw new Error(`${what}: no copy seen (the spy no longer sees the encoder)`);
        if (copies.some((copy) => copy.some((b) => b !== 0))) throw new Error(`${what}: a copy of the secret was left as it was`);
      }
    } finally {
      TextEncoder.prototype.encode = encode;
    }
  });

  test('the largest inputs at once (4 secrets of 16 KiB, a 1 MiB body, a 4 KiB header) give a diagnosis, never an exception', () => {
    const secrets = [0x61, 0x62, 0x63, 0x64].map((c) => new Uint8Array(16 * 1024).fill(c));
    const body = new Uint8Array(1 << 20).fill(0x7b);
    for (const header of ['ab'.repeat(2048), `sha256=${'a'.repeat(4089)}`, 'ab'.repeat(32)]) {
      const found = api.diagnoseWebhook(body, header, secrets);
      if (found.ok !== false || typeof found.cause !== 'string') throw new Error(`no diagnosis for a ${header.length}-character header`);
    }
    const strings = ['a', 'b', 'c', 'd'].map((c) => c.repeat(16 * 1024));
    api.diagnoseWebhook(body, 'ab'.repeat(2048), strings);
    if (!api.verifyWebhook('{}', api.signWebhook('{}', SECRET), SECRET)) throw new Error('the module stopped working');
  });
  return tests;
}

// Runs every test; returns report lines ending in "<label> diagnose: N passed, M failed".
export async function runDiagnose(api, label) {
  const lines = [];
  let passed = 0;
  const tests = await diagnoseTests(api);
  for (const { name, fn } of tests) {
    try {
      await fn();
      passed += 1;
    } catch (error) {
      lines.push(`not ok - ${label}: ${name}: ${error.message}`);
    }
  }
  lines.push(`${label} diagnose: ${passed} passed, ${tests.length - passed} failed`);
  return { passed, failed: tests.length - passed, lines };
}
