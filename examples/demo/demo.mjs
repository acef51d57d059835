// `make demo`: an end-to-end run of dialnexa-verify on 127.0.0.1.
//
// A small Node server plays two parts: the webhook receiver of a DialNexa customer (raw body,
// X-DialNexa-Signature, two secrets during a rotation) and an API gateway that checks
// `Authorization: Bearer keyid:secret` against stored secret hashes. The client side plays
// DialNexa: it signs deliveries with node:crypto, independently of the library under test.
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import {
  ApiKeyError,
  SIGNATURE_HEADER,
  UNAUTHORIZED_BODY,
  WebhookVerifier,
  checkApiKey,
  hashApiKeySecret,
  parseAuthorization,
  redactApiKey,
} from 'dialnexa-verify';

const CURRENT_SECRET = 'whk_Q7k2VbT9xR';
const PREVIOUS_SECRET = 'whk_Z9x1LmP4sW';
const API_KEY = 'abcdefghijklmn:123456a1b1234b'; // the spec's example key
const color = process.stdout.isTTY ? (code, text) => `\x1b[${code}m${text}\x1b[0m` : (_, text) => text;
const log = (who, line) => console.log(color('2', `    [${who}] ${line}`));

// --- The server under test -------------------------------------------------------------------
const webhooks = new WebhookVerifier([CURRENT_SECRET, PREVIOUS_SECRET]);
// Key ID -> SHA-256 of the secret, as stored when the key was created. Never the secret.
const secretHashes = new Map([['abcdefghijklmn', hashApiKeySecret('123456a1b1234b')]]);

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const rawBody = Buffer.concat(chunks); // the exact bytes DialNexa signed

  if (req.url === '/webhooks/dialnexa') {
    const result = webhooks.check(rawBody, req.headers[SIGNATURE_HEADER]);
    if (!result.ok) {
      log('receiver', `401 ${result.reason}`);
      return send(res, 401, UNAUTHORIZED_BODY);
    }
    const event = JSON.parse(rawBody.toString('utf8'));
    const which = result.secretIndex === 0 ? 'current secret' : 'previous secret: finish the rotation';
    log('receiver', `200 ${event.event} ${event.call_id} (signed with the ${which})`);
    return send(res, 200, { received: event.event, secretIndex: result.secretIndex });
  }

  if (req.url === '/v1/agents') {
    try {
      const key = parseAuthorization(req.headers.authorization);
      const stored = secretHashes.get(key.keyId);
      if (stored !== undefined && checkApiKey(`${key.keyId}:${key.secret}`, stored)) {
        log('gateway', `200 ${redactApiKey(req.headers.authorization)}`);
        return send(res, 200, { agents: [] });
      }
      log('gateway', `401 wrong secret for ${redactApiKey(req.headers.authorization)}`);
    } catch (error) {
      if (!(error instanceof ApiKeyError)) throw error;
      log('gateway', `401 ${error.code} (${redactApiKey(req.headers.authorization ?? '')})`);
    }
    return send(res, 401, UNAUTHORIZED_BODY);
  }
  send(res, 404, { statusCode: 404, message: 'Not Found' });
});

await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

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
const results = [];

async function step(title, request, expect, explain) {
  console.log(`\n  ${title}`);
  const response = await fetch(`${base}${request.path}`, { method: request.method ?? 'POST', body: request.body, headers: request.headers });
  const text = await response.text();
  const ok = response.status === expect.status && (expect.body === undefined || text === expect.body) && (expect.check?.(JSON.parse(text)) ?? true);
  results.push(ok);
  console.log(`    -> ${response.status} ${text}`);
  if (explain) console.log(`    ${explain}`);
  console.log(`  ${ok ? color('32', 'PASS') : color('31', 'FAIL')} ${title}`);
}

const unauthorized = JSON.stringify(UNAUTHORIZED_BODY);
console.log(`dialnexa-verify demo: receiver and gateway listening on ${base}`);
console.log('\nWebhooks: HMAC-SHA256 over the raw body, hex in X-DialNexa-Signature');

await step('1. A correctly signed call.completed webhook is accepted',
  { path: '/webhooks/dialnexa', body: rawEvent, headers: { 'X-DialNexa-Signature': sign(rawEvent, CURRENT_SECRET) } },
  { status: 200, check: (b) => b.secretIndex === 0 });

const tampered = rawEvent.replace('"duration_seconds":42', '"duration_seconds":4200');
await step('2. The same webhook with a tampered body is rejected',
  { path: '/webhooks/dialnexa', body: tampered, headers: { 'X-DialNexa-Signature': sign(rawEvent, CURRENT_SECRET) } },
  { status: 401, body: unauthorized }, 'reason: signature_mismatch (one field changed after signing)');

await step('3. A request without a signature is rejected',
  { path: '/webhooks/dialnexa', body: rawEvent },
  { status: 401, body: unauthorized }, 'reason: missing_signature');

await step('4. During a rotation, a delivery signed with the previous secret is accepted',
  { path: '/webhooks/dialnexa', body: rawEvent, headers: { 'X-DialNexa-Signature': sign(rawEvent, PREVIOUS_SECRET) } },
  { status: 200, check: (b) => b.secretIndex === 1 }, 'secretIndex 1: the sender still uses the previous secret');

const reserialized = JSON.stringify(JSON.parse(rawEvent), null, 2);
await step('5. A body that was parsed and re-serialized is rejected',
  { path: '/webhooks/dialnexa', body: reserialized, headers: { 'X-DialNexa-Signature': sign(rawEvent, CURRENT_SECRET) } },
  { status: 401, body: unauthorized },
  'same JSON value, different bytes: verify the raw body before JSON.parse (express.raw(), request.arrayBuffer())');

console.log('\nAPI keys: Authorization: Bearer keyid:secret, checked against a stored SHA-256 of the secret');
await step('6. A good API key is accepted',
  { path: '/v1/agents', method: 'GET', headers: { authorization: `Bearer ${API_KEY}` } },
  { status: 200 });
await step('7. The right key ID with a wrong secret gets DialNexa\'s 401 body',
  { path: '/v1/agents', method: 'GET', headers: { authorization: 'Bearer abcdefghijklmn:123456a1b1234c' } },
  { status: 401, body: unauthorized });
await step('8. A malformed key (no secret part) gets the 401 body',
  { path: '/v1/agents', method: 'GET', headers: { authorization: 'Bearer abcdefghijklmn' } },
  { status: 401, body: unauthorized }, 'code: missing_separator; the log shows no part of the key');
await step('9. A request without an Authorization header gets the 401 body',
  { path: '/v1/agents', method: 'GET' },
  { status: 401, body: unauthorized }, 'code: missing_header');

server.close();
webhooks.free();
const passed = results.filter(Boolean).length;
const failed = results.length - passed;
console.log(failed === 0
  ? `\n${color('32', 'PASS')}: every step behaved as documented`
  : `\n${color('31', 'FAIL')}: ${failed} step(s) did not behave as documented`);
console.log(`demo: ${passed} passed, ${failed} failed`);
console.log('\nNext: open the webhook and API-key debugger page with `make www` (it runs entirely in your browser).');
process.exitCode = failed === 0 ? 0 : 1;
