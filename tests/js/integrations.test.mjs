// The integrations that need no framework, through the packed package in Node: withWebhook and
// withApiKey on fetch API Requests, the replay guard, and verifyLambdaEvent on every Lambda event
// shape. (The framework integrations are tested against the real frameworks in examples/tests.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createReplayGuard, hashApiKeySecret, withApiKey, withWebhook, WebhookVerifier } from 'dialnexa-verify';
import { verifyLambdaEvent } from 'dialnexa-verify/lambda';
import * as nodeEntry from 'dialnexa-verify/node';
import * as fastifyEntry from 'dialnexa-verify/fastify';
import * as honoEntry from 'dialnexa-verify/hono';

const SECRET = 'whsec_integrations_Yq3r';
const UNAUTHORIZED = '{"statusCode":401,"message":"Unauthorized","error":"Unauthorized"}';
const sign = (body, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex');
const body = JSON.stringify({ event: 'call.completed', call_id: 'call_1', agent: 'Ava 😀' });
const quiet = { log: false };
const post = (text, signature, extra = {}) => new Request('http://127.0.0.1/webhooks/dialnexa', {
  method: 'POST', body: text, headers: { ...(signature ? { 'x-dialnexa-signature': signature } : {}), ...extra },
});

test('every entry loads through require() as CommonJS, on the root\'s one instance', async () => {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  // CommonJS builds of their own (a CommonJS program never starts the ES module loader for them)...
  const entries = { node: require('dialnexa-verify/node'), hono: require('dialnexa-verify/hono'), lambda: require('dialnexa-verify/lambda') };
  assert.match(require.resolve('dialnexa-verify/node'), /integrations[\\/]node\.cjs$/);
  assert.notEqual(entries.node.webhookMiddleware, nodeEntry.webhookMiddleware);
  // ...that use the root package's one instance: a verifier made through `import` is accepted as
  // one (a second instance would refuse it: its brand check is a private field).
  const verifier = new WebhookVerifier(SECRET);
  for (const [name, entry] of [['node', entries.node], ['hono', entries.hono], ['node (import)', nodeEntry]]) {
    assert.equal(typeof entry.webhookMiddleware({ secret: verifier }), 'function', name);
  }
  const event = { headers: { 'x-dialnexa-signature': sign(body) }, body, isBase64Encoded: false };
  assert.equal(entries.lambda.verifyLambdaEvent(event, verifier).ok, true);
  assert.equal(require('dialnexa-verify').WebhookVerifier, WebhookVerifier);
  // Shaped as Fastify plugins are for require(): the plugin itself, with .default and its names.
  const fastifyCjs = require('dialnexa-verify/fastify');
  assert.equal(typeof fastifyCjs, 'function');
  assert.equal(fastifyCjs.default, fastifyCjs);
  assert.equal(fastifyCjs.dialnexaWebhook, fastifyCjs);
  assert.equal(typeof fastifyCjs.dialnexaApiKey, 'function');
  assert.equal(typeof fastifyEntry.dialnexaApiKey, 'function');
});

test('withWebhook: only verified deliveries reach the handler, with the exact bytes', async () => {
  const seen = [];
  const handler = withWebhook(async (request, delivery, extra) => {
    seen.push([Buffer.from(delivery.body).toString(), delivery.secretIndex, extra]);
    return Response.json({ received: delivery.json().event });
  }, { secret: [SECRET, 'whsec_previous'], limit: 1000, ...quiet });
  const good = await handler(post(body, sign(body)), 'context');
  assert.equal(good.status, 200);
  assert.deepEqual(await good.json(), { received: 'call.completed' });
  assert.equal((await handler(post(body, sign(body, 'whsec_previous')))).status, 200);
  assert.deepEqual(seen, [[body, 0, 'context'], [body, 1, undefined]]);
  for (const [text, signature] of [[`${body} `, sign(body)], [body, undefined], [body, sign(body, 'whsec_attacker')], [body, sign(body).slice(0, 40)]]) {
    const response = await handler(post(text, signature));
    assert.equal(response.status, 401);
    assert.equal(await response.text(), UNAUTHORIZED);
  }
  const large = 'x'.repeat(1001);
  assert.equal((await handler(post(large, sign(large)))).status, 413);
  assert.equal(seen.length, 2, 'the handler never ran for a rejected delivery');
});

test('withWebhook answers 415 to a compressed body without reading it, whatever its signature', async () => {
  const { gzipSync } = await import('node:zlib');
  let ran = false;
  const handler = withWebhook(() => { ran = true; return new Response('ran'); }, { secret: SECRET, ...quiet });
  const compressedBody = gzipSync(body);
  for (const [encoding, signature] of [['gzip', sign(compressedBody)], ['gzip', sign(body)], ['GZip, identity', sign(compressedBody)], ['br', sign(body)], ['x-custom', sign(body)]]) {
    let pulled = false;
    const stream = new ReadableStream({ pull(controller) { pulled = true; controller.enqueue(compressedBody); controller.close(); } }, { highWaterMark: 0 });
    const request = new Request('http://127.0.0.1/', {
      method: 'POST', body: stream, duplex: 'half', headers: { 'content-encoding': encoding, 'x-dialnexa-signature': signature },
    });
    const response = await handler(request);
    assert.equal(response.status, 415, encoding);
    assert.deepEqual(await response.json(), { statusCode: 415, message: 'Unsupported Media Type', error: 'Unsupported Media Type' });
    assert.equal(pulled, false, `${encoding}: the body was read`);
  }
  assert.equal(ran, false);
  // identity, or an empty value, is no compression.
  for (const encoding of ['identity', ' ', 'Identity']) {
    const response = await handler(new Request('http://127.0.0.1/', { method: 'POST', body, headers: { 'content-encoding': encoding, 'x-dialnexa-signature': sign(body) } }));
    assert.equal(response.status, 200, encoding);
  }
});

test('diagnosis in the logs: header problems at once; what needs the body once a second, up to 64 KiB', async () => {
  const lines = [];
  // The secret kept its .env newline: a genuine delivery fails, and the diagnosis says why.
  const handler = withWebhook(() => new Response('ran'), { secret: `${SECRET}\n`, diagnose: true, log: (line) => lines.push(line) });
  const last = () => lines.at(-1);
  // Over 64 KiB: not diagnosed, and no diagnosis spent.
  const large = JSON.stringify({ pad: 'x'.repeat(70 * 1024) });
  assert.equal((await handler(post(large, sign(large)))).status, 401);
  assert.match(last(), /\(signature_mismatch\); not diagnosed: the body is over 64 KiB$/);
  assert.equal((await handler(post(body, sign(body)))).status, 401);
  assert.match(last(), /\(signature_mismatch\): secret_whitespace\. Trim the secret/);
  // Within the same second: the next mismatch is not diagnosed...
  assert.equal((await handler(post(`${body} `, sign(body)))).status, 401);
  assert.match(last(), /\(signature_mismatch\); not diagnosed: one diagnosis a second at most$/);
  // ... but a header problem is, from the header alone.
  assert.equal((await handler(post(body, undefined))).status, 401);
  assert.match(last(), /\(missing_signature\): header_missing\./);
  assert.equal((await handler(post(body, 'sha1=0123'))).status, 401);
  assert.match(last(), /\(malformed_signature\): header_malformed\./);
  assert.equal(lines.length, 5, lines.join('\n'));
  // A second later, diagnosed again.
  await new Promise((resolve) => setTimeout(resolve, 1050));
  assert.equal((await handler(post(body, sign(body)))).status, 401);
  assert.match(last(), /secret_whitespace/);
  for (const line of lines) assert.ok(!line.includes(SECRET.slice(6)) && !line.includes(sign(body)), line);
});

test('the node middleware diagnoses after the answer, counts a string body in UTF-8 bytes, and survives a logger that throws', async () => {
  const lines = [];
  const middleware = nodeEntry.webhookMiddleware({ secret: `${SECRET}\n`, diagnose: true, log: (line) => lines.push(line) });
  const respond = async (requestBody, signature) => {
    const req = { headers: { 'x-dialnexa-signature': signature }, body: requestBody, complete: true, readableEnded: true };
    const res = { statusCode: 0, headers: {}, setHeader(name, value) { this.headers[name] = value; }, end(text) { this.text = text; }, on() {} };
    let nextCalled = false;
    await middleware(req, res, () => { nextCalled = true; });
    return { status: res.statusCode, nextCalled };
  };
  // 30,000 characters of U+20AC: 90,000 bytes of UTF-8, over 64 KiB though under 64 Ki characters.
  const euros = JSON.stringify({ pad: '\u20ac'.repeat(30000) });
  assert.equal((await respond(euros, sign(euros))).status, 401);
  assert.match(lines.at(-1), /not diagnosed: the body is over 64 KiB$/);
  const before = lines.length;
  assert.deepEqual(await respond(Buffer.from(body), sign(body)), { status: 401, nextCalled: false });
  assert.equal(lines.length, before, 'the diagnosis ran before the answer');
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.match(lines.at(-1), /secret_whitespace/);
  // A header that may be the tag in base64 is diagnosed with the body at hand (a budget of its own).
  const fresh = [];
  const other = nodeEntry.webhookMiddleware({ secret: SECRET, diagnose: true, log: (line) => fresh.push(line) });
  const base64Tag = Buffer.from(sign(body), 'hex').toString('base64');
  const res = { statusCode: 0, setHeader() {}, end() {}, on() {} };
  await other({ headers: { 'x-dialnexa-signature': ` sha256=${base64Tag}` }, body: Buffer.from(body), complete: true, readableEnded: true }, res, () => {});
  assert.equal(res.statusCode, 401);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.match(fresh.at(-1), /\(malformed_signature\): header_base64\./);
  // A logger that throws, even in the deferred diagnosis, reaches neither the request nor the process.
  let uncaught;
  const onUncaught = (error) => { uncaught = error; };
  process.on('uncaughtException', onUncaught);
  try {
    const failing = nodeEntry.webhookMiddleware({ secret: `${SECRET}\n`, diagnose: true, log: () => { throw new Error('transport closed'); } });
    const res = { statusCode: 0, setHeader() {}, end() {}, on() {} };
    await failing({ headers: { 'x-dialnexa-signature': sign(body) }, body: Buffer.from(body), complete: true, readableEnded: true }, res, () => {});
    assert.equal(res.statusCode, 401);
    const sync = withWebhook(() => new Response('ran'), { secret: SECRET, log: () => { throw new Error('transport closed'); } });
    assert.equal((await sync(post(body, undefined))).status, 401);
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    process.off('uncaughtException', onUncaught);
  }
  assert.equal(uncaught, undefined);
});

test('withWebhook answers 408 when the body stalls, and cancels it', async () => {
  let cancelled = false;
  const handler = withWebhook(() => new Response('ran'), { secret: SECRET, timeout: 200, ...quiet });
  const stalled = new ReadableStream({ start(controller) { controller.enqueue(new TextEncoder().encode('{')); }, cancel() { cancelled = true; } });
  const request = new Request('http://127.0.0.1/', { method: 'POST', body: stalled, duplex: 'half', headers: { 'x-dialnexa-signature': sign('{}') } });
  const started = Date.now();
  const response = await handler(request);
  assert.equal(response.status, 408);
  assert.deepEqual(await response.json(), { statusCode: 408, message: 'Request Timeout', error: 'Request Timeout' });
  assert.ok(Date.now() - started < 2000);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(cancelled, true, 'the stalled body is cancelled');
});

test('a secret given as a function is read per request; missing, it fails closed with 500', async () => {
  let current;
  const errors = [];
  const handler = withWebhook(async (request, delivery) => Response.json({ index: delivery.secretIndex }), {
    secret: () => current, log: { warn() {}, error: (line) => errors.push(line) },
  });
  assert.equal((await handler(post(body, sign(body)))).status, 500, 'no secret yet (a build without the environment)');
  assert.match(errors[0], /DIALNEXA_WEBHOOK_SECRET/);
  current = SECRET;
  assert.equal((await handler(post(body, sign(body)))).status, 200);
  current = ['whsec_rotated_in', SECRET];
  const rotated = await handler(post(body, sign(body)));
  assert.deepEqual(await rotated.json(), { index: 1 }, 'a rotation without a restart');
});

test('withWebhook refuses bad options at creation, not on the first request', () => {
  assert.throws(() => withWebhook(() => new Response(), { secret: undefined }), /DIALNEXA_WEBHOOK_SECRET/);
  assert.throws(() => withWebhook(() => new Response(), { secret: '' }), TypeError);
  assert.throws(() => withWebhook(() => new Response(), { secret: SECRET, limit: '1mb' }), TypeError);
  assert.throws(() => withWebhook(() => new Response(), { secret: SECRET, replay: {} }), TypeError);
  assert.throws(() => withWebhook('not a function', { secret: SECRET }), TypeError);
  assert.throws(() => nodeEntry.webhookMiddleware({}), /secret/);
  assert.throws(() => honoEntry.webhookMiddleware({ secret: SECRET, log: 'yes' }), TypeError);
});

test('replay guard: a replay gets 409 and the handler does not run; a failed handler lets the retry through', async () => {
  let runs = 0;
  let fail = false;
  const replay = createReplayGuard();
  const handler = withWebhook(async () => {
    runs += 1;
    return fail ? new Response('error', { status: 500 }) : new Response(null, { status: 204 });
  }, { secret: SECRET, replay, ...quiet });
  assert.equal((await handler(post(body, sign(body)))).status, 204);
  const again = await handler(post(body, `sha256=${sign(body).toUpperCase()}`)); // same delivery, header written differently
  assert.equal(again.status, 409);
  assert.deepEqual(await again.json(), { statusCode: 409, message: 'Duplicate delivery: it was already accepted', error: 'Conflict' });
  assert.equal(runs, 1);
  fail = true;
  const other = JSON.stringify({ event: 'call.failed' });
  assert.equal((await handler(post(other, sign(other)))).status, 500);
  fail = false;
  assert.equal((await handler(post(other, sign(other)))).status, 204, 'the retry of a failed delivery gets through');
  assert.equal(runs, 3);
  // A rejected delivery is never remembered.
  assert.equal((await handler(post(`${body}x`, sign(body)))).status, 401);
});

test('replay guard: expiry, the bound on remembered deliveries, a shared store', async () => {
  const short = createReplayGuard({ ttl: 50 });
  const sig = sign('a');
  assert.equal(await short.claim(sig), true);
  assert.equal(await short.claim(sig), false);
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.equal(await short.claim(sig), true, 'after ttl a delivery is new again');
  const small = createReplayGuard({ max: 3 });
  const sigs = ['1', '2', '3', '4'].map((b) => sign(b));
  for (const s of sigs) assert.equal(await small.claim(s), true);
  assert.equal(await small.claim(sigs[0]), true, 'the oldest was forgotten to stay within max');
  assert.equal(await small.claim(sigs[3]), false);
  const keys = new Map();
  const store = { add: async (key, ttl) => (keys.has(key) ? false : (keys.set(key, ttl), true)), delete: async (key) => keys.delete(key) };
  const [a, b] = [createReplayGuard({ store }), createReplayGuard({ store })];
  assert.equal(await a.claim(sig), true);
  assert.equal(await b.claim(sig), false, 'one store, two instances');
  const [key, ttl] = [...keys][0];
  assert.equal(ttl, 24 * 60 * 60 * 1000);
  assert.ok(key.startsWith('dialnexa-verify:replay:') && key.length === 23 + 64, key);
  assert.ok(!key.includes(sig.slice(0, 8)), 'keys are a hash of the tag, not the tag');
  assert.throws(() => createReplayGuard({ ttl: -1 }), TypeError);
  assert.throws(() => createReplayGuard({ store: { add() {} } }), TypeError);
});

test('withApiKey: good, wrong secret, unknown, revoked, malformed, missing', async () => {
  const records = new Map([['abcdefghijklmn', hashApiKeySecret('123456a1b1234b')], ['revokedkeyidxx', null]]);
  const logs = [];
  const handler = withApiKey(async (request, key) => Response.json(key), { lookup: async (keyId) => records.get(keyId), log: (line) => logs.push(line) });
  const call = (authorization) => handler(new Request('http://127.0.0.1/v1', { headers: authorization ? { authorization } : {} }));
  const good = await call('Bearer abcdefghijklmn:123456a1b1234b');
  assert.deepEqual([good.status, await good.json()], [200, { keyId: 'abcdefghijklmn' }]);
  for (const bad of ['Bearer abcdefghijklmn:123456a1b1234c', 'Bearer unknownkeyidxx:123456a1b1234b', 'Bearer revokedkeyidxx:123456a1b1234b',
    'Bearer abcdefghijklmn', 'Basic dXNlcjpwYXNz', undefined, 'Bearer someone-else:123456a1b1234b']) {
    const response = await call(bad);
    assert.equal(response.status, 401, String(bad));
    assert.equal(await response.text(), UNAUTHORIZED);
  }
  assert.ok(logs.length >= 5);
  for (const line of logs) assert.ok(!line.includes('123456') && !line.includes('1234b'), line);
});

test('verifyLambdaEvent: API Gateway v1 and v2, Function URL, ALB; base64 or not', () => {
  const b64 = Buffer.from(body).toString('base64');
  const events = {
    'REST v1': { resource: '/webhooks', httpMethod: 'POST', headers: { 'X-DialNexa-Signature': sign(body), 'Content-Type': 'application/json' }, multiValueHeaders: { 'X-DialNexa-Signature': [sign(body)] }, body, isBase64Encoded: false, requestContext: { stage: 'prod' } },
    'HTTP API v2': { version: '2.0', rawPath: '/webhooks', headers: { 'x-dialnexa-signature': sign(body) }, cookies: ['a=b'], body: b64, isBase64Encoded: true, requestContext: { http: { method: 'POST' } } },
    'Function URL': { version: '2.0', headers: { 'x-dialnexa-signature': sign(body) }, body, isBase64Encoded: false, requestContext: { domainName: 'x.lambda-url.eu-west-1.on.aws' } },
    ALB: { httpMethod: 'POST', headers: { 'x-dialnexa-signature': sign(body) }, body: b64, isBase64Encoded: true, requestContext: { elb: { targetGroupArn: 'arn' } } },
  };
  const verifier = new WebhookVerifier(SECRET);
  for (const [name, event] of Object.entries(events)) {
    const result = verifyLambdaEvent(event, verifier);
    assert.equal(result.ok, true, name);
    assert.equal(result.text(), body, name);
    assert.deepEqual(result.json().event, 'call.completed');
    const tampered = verifyLambdaEvent({ ...event, body: event.isBase64Encoded ? Buffer.from(`${body} `).toString('base64') : `${body} ` }, SECRET);
    assert.equal(tampered.ok, false, name);
    assert.equal(tampered.response.statusCode, 401);
    assert.equal(tampered.response.body, UNAUTHORIZED);
    assert.equal('statusDescription' in tampered.response, name === 'ALB', `${name}: statusDescription only for ALB`);
  }
  const twice = verifyLambdaEvent({ ...events['REST v1'], multiValueHeaders: { 'x-dialnexa-signature': [sign(body), sign(body)] } }, SECRET);
  assert.equal(twice.reason, 'malformed_signature');
  assert.equal(verifyLambdaEvent({ headers: {}, body: null }, SECRET).reason, 'missing_signature');
  const huge = verifyLambdaEvent({ headers: { 'x-dialnexa-signature': sign('x') }, body: 'x'.repeat(2048) }, SECRET, { limit: 1024 });
  assert.deepEqual([huge.reason, huge.response.statusCode], ['body_too_large', 413]);
  const hugeB64 = verifyLambdaEvent({ headers: { 'x-dialnexa-signature': sign('x') }, body: 'QUFB'.repeat(1000), isBase64Encoded: true }, SECRET, { limit: 1024 });
  assert.equal(hugeB64.reason, 'body_too_large');
  assert.equal(verifyLambdaEvent({ headers: {}, body: { parsed: true } }, SECRET).response.statusCode, 400);
  assert.throws(() => verifyLambdaEvent(null, SECRET), TypeError);
  assert.throws(() => verifyLambdaEvent(events.ALB, undefined), TypeError);
});
