// `make demo`: an end-to-end run of dialnexa-verify on 127.0.0.1.
//
// One Node server (server.mjs) plays two parts: the webhook receiver of a DialNexa customer
// (webhookMiddleware: raw body, X-DialNexa-Signature, two secrets during a rotation) and an API
// gateway (apiKeyMiddleware: `Authorization: Bearer keyid:secret` checked against SHA-256 hashes of
// the secrets in SQLite, keys created and revoked while it runs). The client side plays DialNexa
// and the gateway's users: it signs deliveries with node:crypto, independently of the library.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { UNAUTHORIZED_BODY, hashApiKeySecret, redactApiKey } from 'dialnexa-verify';
import { webhookMiddleware } from 'dialnexa-verify/node';
import { openKeyStore } from './key-store.mjs';
import { createDemoServer } from './server.mjs';

const CURRENT_SECRET = 'whk_Q7k2VbT9xR';
const PREVIOUS_SECRET = 'whk_Z9x1LmP4sW';
const API_KEY = 'abcdefghijklmn:123456a1b1234b'; // the spec's example key
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const color = process.stdout.isTTY ? (code, text) => `\x1b[${code}m${text}\x1b[0m` : (_, text) => text;
const logged = []; // every server line, for the steps that check what the receiver logged
const log = (who, line) => {
  logged.push(line);
  console.log(color('2', `    [${who}] ${line}`));
};

// --- The server under test -------------------------------------------------------------------
const keys = await openKeyStore();
keys.add({ keyId: 'abcdefghijklmn', secretHash: hashApiKeySecret('123456a1b1234b') }); // stored at key creation
const server = createDemoServer({ secrets: [CURRENT_SECRET, PREVIOUS_SECRET], keys, log });
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

// A second receiver, configured the way many integrations go wrong first: its secret read from a
// .env file by hand, with the file's trailing newline (readFileSync(...).split('=')[1]).
const dotenvSecret = `${CURRENT_SECRET}\n`;
const misconfigured = webhookMiddleware({ secret: dotenvSecret, log: (line) => log('receiver, .env', line) });
const misconfiguredServer = createServer((req, res) => misconfigured(req, res, () => res.writeHead(200).end('{}')));
await new Promise((resolve) => misconfiguredServer.listen(0, '127.0.0.1', resolve));
const misconfiguredBase = `http://127.0.0.1:${misconfiguredServer.address().port}`;

// --- The scenario ----------------------------------------------------------------------------
const sign = (body, secret) => createHmac('sha256', secret).update(body).digest('hex');
const event = {
  event: 'call.completed',
  call_id: 'call_8f2a91',
  agent_id: 'agent_ava',
  duration_seconds: 42,
  transcript: 'Hello, this is Ava from DialNexa. Grüße!',
};
const rawEvent = JSON.stringify(event);
const unauthorized = JSON.stringify(UNAUTHORIZED_BODY);
const webhook = (body, signature) => ({
  path: '/webhooks/dialnexa',
  body,
  headers: signature === undefined ? {} : { 'X-DialNexa-Signature': signature },
});
const api = (method, path, key) => ({ method, path, headers: key === undefined ? {} : { authorization: `Bearer ${key}` } });
const tampered = rawEvent.replace('"duration_seconds":42', '"duration_seconds":4200');
const reserialized = JSON.stringify(JSON.parse(rawEvent), null, 2);
// What Python's json.dumps sends by default (", " and ": ", non-ASCII escaped), and what a
// receiver that ran JSON.parse then JSON.stringify before verifying hashes instead.
const pythonEvent = '{"event": "call.completed", "call_id": "call_8f2a92", "agent_id": "agent_ava", "transcript": "Gr\\u00fc\\u00dfe!"}';
const diagnosed = (cause) => (lines) => lines.some((line) => line.includes(`(signature_mismatch): ${cause}.`));

// Steps run in order and are numbered as they run. Each has a title, a request (or a function of
// what earlier steps kept in `state`), what must come back (`status`, and an exact `body` or a
// `check` of the parsed one), optionally what it shows (`explain`), what to keep (`keep`) and how
// to print a response that holds a secret (`show`), and what the server must have logged meanwhile
// (`logged`, a check of the new lines). A string is a section heading.
const steps = [
  'Webhooks: HMAC-SHA256 over the raw body, hex in X-DialNexa-Signature',
  {
    title: 'A correctly signed call.completed webhook is accepted',
    request: webhook(rawEvent, sign(rawEvent, CURRENT_SECRET)),
    status: 200,
    check: (b) => b.secretIndex === 0 && b.bytes === Buffer.byteLength(rawEvent),
  },
  {
    title: 'The same webhook with a tampered body is rejected',
    request: webhook(tampered, sign(rawEvent, CURRENT_SECRET)),
    status: 401,
    body: unauthorized,
    explain: 'reason: signature_mismatch (one field changed after signing)',
  },
  {
    title: 'A request without a signature is rejected',
    request: webhook(rawEvent),
    status: 401,
    body: unauthorized,
    explain: 'reason: missing_signature',
  },
  {
    title: 'During a rotation, a delivery signed with the previous secret is accepted',
    request: webhook(rawEvent, sign(rawEvent, PREVIOUS_SECRET)),
    status: 200,
    check: (b) => b.secretIndex === 1,
    explain: 'secretIndex 1: the sender still uses the previous secret',
  },
  {
    title: 'A body that was parsed and re-serialized is rejected',
    request: webhook(reserialized, sign(rawEvent, CURRENT_SECRET)),
    status: 401,
    body: unauthorized,
    explain: 'same JSON value, different bytes: verify the raw body before any JSON parser runs '
      + '(webhookMiddleware reads it itself; in Express, mount the route before express.json())',
  },
  'Diagnosis: with the secret in hand, the receiver logs why a signature failed (diagnose is on outside production)',
  {
    title: 'A receiver whose secret kept the newline of its .env line rejects a genuine delivery',
    request: { ...webhook(rawEvent, sign(rawEvent, CURRENT_SECRET)), base: misconfiguredBase },
    status: 401,
    body: unauthorized,
    logged: diagnosed('secret_whitespace'),
    explain: 'cause: secret_whitespace: trim the secret (the log line above says how)',
  },
  {
    title: 'A Lambda-style base64 body (isBase64Encoded) is rejected, and diagnosed',
    request: webhook(Buffer.from(rawEvent).toString('base64'), sign(rawEvent, CURRENT_SECRET)),
    status: 401,
    body: unauthorized,
    logged: diagnosed('body_base64'),
    explain: 'cause: body_base64: decode event.body when event.isBase64Encoded (dialnexa-verify/lambda does)',
  },
  {
    title: 'A body sent by Python and re-serialized with other spacing is rejected, and diagnosed',
    request: webhook(JSON.stringify(JSON.parse(pythonEvent)), sign(pythonEvent, CURRENT_SECRET)),
    status: 401,
    body: unauthorized,
    logged: diagnosed('body_reserialized'),
    explain: 'cause: body_reserialized: verify the raw bytes before any JSON parser touches them',
  },
  'API keys: Authorization: Bearer keyid:secret, checked against SHA-256 hashes in SQLite',
  {
    title: 'A good API key is accepted',
    request: api('GET', '/v1/agents', API_KEY),
    status: 200,
  },
  {
    title: 'The right key ID with a wrong secret gets DialNexa\'s 401 body',
    request: api('GET', '/v1/agents', 'abcdefghijklmn:123456a1b1234c'),
    status: 401,
    body: unauthorized,
  },
  {
    title: 'An unknown key ID gets the 401 body',
    request: api('GET', '/v1/agents', 'zyxwvutsrqponm:123456a1b1234b'),
    status: 401,
    body: unauthorized,
    explain: 'unknown or revoked: the store has no such key',
  },
  {
    title: 'A malformed key (no secret part) gets the 401 body',
    request: api('GET', '/v1/agents', 'abcdefghijklmn'),
    status: 401,
    body: unauthorized,
    explain: 'code: missing_separator; the log shows no part of the key',
  },
  {
    title: 'A request without an Authorization header gets the 401 body',
    request: api('GET', '/v1/agents'),
    status: 401,
    body: unauthorized,
    explain: 'code: missing_header',
  },
  {
    title: 'A new key is created with generateApiKey(): SQLite keeps only its ID and hash',
    request: api('POST', '/v1/keys', API_KEY),
    status: 201,
    check: (b) => typeof b.key === 'string' && b.key.startsWith(`${b.keyId}:`),
    keep: (b, state) => Object.assign(state, { keyId: b.keyId, key: b.key }),
    show: (b) => JSON.stringify({ keyId: b.keyId, key: redactApiKey(b.key) }),
    explain: 'the secret is in this response only (shown redacted here): the client stores it, the server cannot recover it',
  },
  {
    title: 'The new key works at once',
    request: (state) => api('GET', '/v1/agents', state.key),
    status: 200,
  },
  {
    title: 'The new key is revoked',
    request: (state) => api('DELETE', `/v1/keys/${state.keyId}`, API_KEY),
    status: 204,
  },
  {
    title: 'The revoked key gets the 401 body on the very next request',
    request: (state) => api('GET', '/v1/agents', state.key),
    status: 401,
    body: unauthorized,
    explain: 'revoked: lookup() no longer finds it',
  },
];

console.log(`dialnexa-verify demo: receiver and gateway listening on ${base} (API keys in SQLite through ${keys.engine})`);
const results = [];
const state = {};
let number = 0;
for (const step of steps) {
  if (typeof step === 'string') {
    console.log(`\n${step}`);
    continue;
  }
  number += 1;
  const title = `${number}. ${step.title}`;
  console.log(`\n  ${title}`);
  const request = typeof step.request === 'function' ? step.request(state) : step.request;
  // The receiver diagnoses at most one rejection a second (and logs at most 5): leave room for
  // the line a step checks.
  if (step.logged) await sleep(1050);
  const linesBefore = logged.length;
  let response;
  let text;
  try {
    response = await fetch(`${request.base ?? base}${request.path}`, { method: request.method ?? 'POST', body: request.body, headers: request.headers });
    text = await response.text();
  } catch (error) {
    results.push(false);
    console.log(`    -> no response (${error.cause?.code ?? error.message})`);
    console.log(`  ${color('31', 'FAIL')} ${title}`);
    continue;
  }
  // The diagnosis runs once the answer is out: give its line a moment to arrive.
  for (let waited = 0; step.logged && !step.logged(logged.slice(linesBefore)) && waited < 2000; waited += 20) await sleep(20);
  let parsed;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const ok = response.status === step.status
    && (step.body === undefined || text === step.body)
    && (step.check === undefined || (parsed !== undefined && step.check(parsed) === true))
    && (step.logged === undefined || step.logged(logged.slice(linesBefore)));
  if (ok) step.keep?.(parsed, state);
  results.push(ok);
  console.log(`    -> ${response.status} ${step.show && parsed !== undefined ? step.show(parsed) : text}`);
  if (step.explain) console.log(`    ${step.explain}`);
  console.log(`  ${ok ? color('32', 'PASS') : color('31', 'FAIL')} ${title}`);
}

server.close();
misconfiguredServer.close();
const passed = results.filter(Boolean).length;
const failed = results.length - passed;
console.log(failed === 0
  ? `\n${color('32', 'PASS')}: every step behaved as documented`
  : `\n${color('31', 'FAIL')}: ${failed} step(s) did not behave as documented`);
console.log(`demo: ${passed} passed, ${failed} failed`);
console.log('\nNext: open the webhook and API-key debugger page with `make www` (it runs entirely in your browser).');
process.exitCode = failed === 0 ? 0 : 1;
