// What every fetch-runtime example must do, as checks that take a started server
// ({ base, pid, output }): the webhook contract, API keys, and survival of hostile clients (#13).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { chunked, exchange, head, stall } from './http.mjs';
import { EXAMPLES, sampleRss, treeRss, waitFor } from './servers.mjs';
import { resolve } from 'node:path';
import { ATTACKER, KEY, PREVIOUS, REVOKED, UNAUTHORIZED, WRONG_SECRET, tag } from './secrets.mjs';

/** The body limit every example documents: 1 MiB. */
export const LIMIT = 1024 * 1024;
const TOO_LARGE = '{"statusCode":413,"message":"Payload Too Large","error":"Payload Too Large"}';
const INTERNAL = '{"statusCode":500,"message":"Internal Server Error","error":"Internal Server Error"}';

/** A delivery body with a unique event name, bytes a re-serialization would change, and non-ASCII text. */
export function delivery(event = `call.completed.${randomUUID()}`) {
  return { event, body: `{"event":"${event}",  "call_id":"call_8f2a91",\n "transcript":"Grüße 😀 \\u00e9"}\r\n` };
}

/** A delivery of exactly `size` bytes. */
function sized(size) {
  const { event } = delivery();
  const start = `{"event":"${event}","pad":"`;
  return { event, body: `${start}${'a'.repeat(size - start.length - 2)}"}` };
}

const post = (url, body, headers = {}) => fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

/** The log line each example prints for a verified delivery, after its handler parsed it. */
export const accepted = (event, bytes, index) => `dialnexa: accepted ${event} (${bytes} bytes, secret #${index})`;

/**
 * The webhook contract. Returns the event names that must never show up as accepted in the
 * server's output (checked by `neverAccepted` once the server has printed everything).
 */
export async function webhookContract(server, path) {
  const url = server.base + path;
  const refused = [];

  // Signed: the handler runs on the exact bytes (the signature covers them; the handler echoes
  // the event and logs the byte count it got), with secret #0, whatever the header's spelling.
  for (const spell of [(s) => s, (s) => `sha256=${s.toUpperCase()}`, (s) => `  ${s}\t`]) {
    const { event, body } = delivery();
    const response = await post(url, body, { 'X-DialNexa-Signature': spell(tag(body)) });
    assert.equal(response.status, 200, `signed delivery: ${await response.clone().text()}`);
    assert.equal(response.headers.get('x-powered-by'), null, 'no framework banner');
    assert.deepEqual(await response.json(), { received: event });
    await waitFor(server.output, (text) => text.includes(accepted(event, Buffer.byteLength(body), 0)), 5_000, 'the handler\'s log line');
  }

  // Rotation: a delivery signed with DIALNEXA_WEBHOOK_SECRET_PREVIOUS is accepted as secret #1.
  {
    const { event, body } = delivery();
    const response = await post(url, body, { 'X-DialNexa-Signature': tag(body, PREVIOUS) });
    assert.equal(response.status, 200, 'previous secret');
    assert.deepEqual(await response.json(), { received: event });
    await waitFor(server.output, (text) => text.includes(accepted(event, Buffer.byteLength(body), 1)), 5_000, 'secret #1 in the log');
  }

  // A verified delivery whose handler throws (its body is not JSON): the example's error handler
  // answers a fixed JSON 500 (no framework error page), the details stay in the server's log.
  {
    const body = `not json ${randomUUID()}`;
    const response = await post(url, body, { 'X-DialNexa-Signature': tag(body) });
    assert.equal(response.status, 500, 'a handler that throws');
    assert.equal(await response.text(), INTERNAL);
    await waitFor(server.output, (text) => text.includes('SyntaxError'), 5_000, 'the error in the server\'s log');
  }

  // Rejected: 401 with DialNexa's exact body.
  const cases = [
    ['tampered body', (d) => [d.body.replace('8f2a91', '8f2a92'), { 'X-DialNexa-Signature': tag(d.body) }]],
    ['unsigned', (d) => [d.body, {}]],
    ['empty signature header', (d) => [d.body, { 'X-DialNexa-Signature': '' }]],
    ['signed with another secret', (d) => [d.body, { 'X-DialNexa-Signature': tag(d.body, ATTACKER) }]],
    ['truncated signature', (d) => [d.body, { 'X-DialNexa-Signature': tag(d.body).slice(0, 63) }]],
    ['signature with a non-hex digit', (d) => [d.body, { 'X-DialNexa-Signature': `${tag(d.body).slice(0, 63)}g` }]],
    ['re-serialized JSON', (d) => [JSON.stringify(JSON.parse(d.body)), { 'X-DialNexa-Signature': tag(d.body) }]],
    ['empty body, signature of the real one', (d) => ['', { 'X-DialNexa-Signature': tag(d.body) }]],
  ];
  for (const [what, make] of cases) {
    const d = delivery();
    refused.push(d.event);
    const [body, headers] = make(d);
    const response = await post(url, body, headers);
    assert.equal(response.status, 401, what);
    assert.equal(await response.text(), UNAUTHORIZED, what);
  }

  // Over the limit, correctly signed: 413, with content-length (refused unread) and streamed
  // without it (reading stops past the limit).
  {
    const big = sized(LIMIT + 1);
    refused.push(big.event);
    const response = await post(url, big.body, { 'X-DialNexa-Signature': tag(big.body) });
    assert.equal(response.status, 413, 'content-length over the limit');
    assert.equal(await response.text(), TOO_LARGE);
    const exact = sized(LIMIT);
    const ok = await post(url, exact.body, { 'X-DialNexa-Signature': tag(exact.body) });
    assert.equal(ok.status, 200, 'a body of exactly the limit is accepted');
    await ok.arrayBuffer();
  }
  {
    const { event } = delivery();
    refused.push(event);
    const streamed = await exchange(server.base, head('POST', path, [
      ['Content-Type', 'application/json'], ['Transfer-Encoding', 'chunked'], ['X-DialNexa-Signature', tag(event)],
    ]), { body: chunked(20, 64 * 1024) });
    assert.equal(streamed.status, 413, `streamed over the limit: ${JSON.stringify(streamed)}`);
    assert.equal(streamed.body, TOO_LARGE);
  }
  return refused;
}

/** Fails if any of `events` was accepted by a handler, according to the server's output. */
export function neverAccepted(server, events) {
  const text = server.output();
  for (const event of events) assert.ok(!text.includes(`accepted ${event}`), `the handler ran for ${event}`);
}

/**
 * API keys: `request(authorization)` sends the example's protected request and resolves to the
 * Response; `expectGood(response)` checks a success. Good, wrong secret, unknown, revoked,
 * malformed and missing keys.
 */
export async function apiKeyContract(request, expectGood) {
  await expectGood(await request(`Bearer ${KEY.keyId}:${KEY.secret}`));
  await expectGood(await request(`bearer   ${KEY.keyId}:${KEY.secret}`));
  const refused = [
    ['wrong secret', `Bearer ${KEY.keyId}:${WRONG_SECRET}`],
    ['unknown key ID', `Bearer unknownkeyidxx:${KEY.secret}`],
    ['revoked key', `Bearer ${REVOKED.keyId}:${REVOKED.secret}`],
    ['no separator', `Bearer ${KEY.keyId}`],
    ['two separators', `Bearer ${KEY.keyId}:${KEY.secret}:x`],
    ['Basic scheme', `Basic ${Buffer.from(`${KEY.keyId}:${KEY.secret}`).toString('base64')}`],
    ['Bearer without token', 'Bearer'],
    ['invalid character', `Bearer ${KEY.keyId}:${KEY.secret}%`],
    ['8 KiB header', `Bearer ${'a'.repeat(8192)}:${KEY.secret}`],
    ['missing', undefined],
  ];
  for (const [what, authorization] of refused) {
    const response = await request(authorization);
    assert.equal(response.status, 401, what);
    assert.equal(await response.text(), UNAUTHORIZED, what);
  }
}

/** Hostile raw requests: each must get a 4xx or a closed connection, never a 5xx or a hang. */
export function malformed(path) {
  const sig = 'ab'.repeat(32);
  return [
    ['URI that does not decode', 'GET /% HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'],
    ['bad percent-encoding on the webhook path', `POST ${path}?x=%ZZ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`],
    ['not HTTP at all', '\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n'],
    ['request line only', 'NONSENSE\r\n\r\n'],
    ['header line without a colon', `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n`],
    ['content-length not a number', `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\nConnection: close\r\n\r\n`],
    ['content-length and transfer-encoding', `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nX-DialNexa-Signature: ${sig}\r\nConnection: close\r\n\r\n0\r\n\r\n`],
    ['chunk size not hex', `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nX-DialNexa-Signature: ${sig}\r\nConnection: close\r\n\r\nzz\r\nhello\r\n0\r\n\r\n`],
    ['128 KiB signature header', `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-DialNexa-Signature: ${'a'.repeat(128 * 1024)}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`],
    ['control bytes in the signature', `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-DialNexa-Signature: \x01\x7f${sig}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`],
    ['signature header twice', `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-DialNexa-Signature: ${sig}\r\nX-DialNexa-Signature: ${sig}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`],
    ['gzip content-encoding that is not gzip', `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Encoding: gzip\r\nX-DialNexa-Signature: ${sig}\r\nContent-Length: 10\r\nConnection: close\r\n\r\n0123456789`],
    ['unknown content-encoding', `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Encoding: x-foo\r\nX-DialNexa-Signature: ${sig}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`],
    ['absolute-form target', `POST http://evil.example${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`],
    ['GET on the webhook path', `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`],
    ['unknown path', 'POST /../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}'],
  ];
}

/** A response body an attacker may see: fixed text, no stack, path or framework detail. */
export function assertBland(text, what) {
  for (const tell of ['node_modules', resolve(EXAMPLES, '..'), '    at ', 'Error:', 'stack']) {
    assert.ok(!text.includes(tell), `${what}: the response shows "${tell}": ${text.slice(0, 300)}`);
  }
}

/**
 * Opens the slow clients before the rest of the suite runs: a request head cut short, and a
 * request whose well-formed signature promises a body that never comes.
 */
export function openStalls(server, path) {
  return {
    head: stall(server.base, `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-DialNexa-Sig`),
    body: stall(server.base, `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n`
      + `Content-Length: 100\r\nX-DialNexa-Signature: ${'cd'.repeat(32)}\r\n\r\n{"event":`),
  };
}

/**
 * Aborted uploads, malformed requests and an unsigned 800 MB upload in 1 MiB chunks; returns
 * what the memory did, for the caller to bound where the runtime is expected to hold.
 * `allowed`: statuses other than 4xx a framework gives to one of the malformed requests.
 */
export async function hostileClients(server, path, t, allowed = {}) {
  // An upload that stops half-way: the client goes away.
  {
    const sig = tag('aborted');
    await exchange(server.base, head('POST', path, [['Content-Length', 1_000_000], ['X-DialNexa-Signature', sig]]),
      { body: [Buffer.alloc(300_000, 0x61)], abortAfterBody: true, timeout: 5_000 });
  }
  {
    const sig = tag('aborted chunked');
    await exchange(server.base, head('POST', path, [['Transfer-Encoding', 'chunked'], ['X-DialNexa-Signature', sig]]),
      { body: [...chunked(3, 64 * 1024)].slice(0, 3), abortAfterBody: true, timeout: 5_000 });
  }
  for (const [what, bytes] of malformed(path)) {
    const result = await exchange(server.base, bytes, { timeout: 15_000 });
    assert.ok(!result.timedOut, `${what}: no answer and the connection stayed open for 15 s`);
    if (result.status !== 0) {
      const expected = (result.status >= 400 && result.status < 500) || allowed[what]?.includes(result.status);
      assert.ok(expected, `${what}: ${result.status} ${result.headers.location ?? ''} ${result.body}`);
      assertBland(result.body, what);
    }
    t.diagnostic(`${what}: ${result.status || 'connection closed'}`);
  }
  // 800 MB, unsigned, streamed in 1 MiB chunks: answered 401 without reading (or buffering) it.
  const before = treeRss(server.pid);
  const peak = sampleRss(server.pid);
  const started = Date.now();
  const upload = await exchange(server.base, head('POST', path, [['Transfer-Encoding', 'chunked'], ['Content-Type', 'application/json']]),
    { body: chunked(800, 1024 * 1024), timeout: 120_000, waitForResponse: 1_000 });
  const highest = peak();
  assert.equal(upload.status, 401, `unsigned 800 MB upload: ${JSON.stringify(upload).slice(0, 200)}`);
  assert.equal(upload.body, UNAUTHORIZED);
  const memory = { before, peak: highest, growth: highest - before, ms: Date.now() - started };
  t.diagnostic(`800 MB unsigned upload: 401 after ${upload.answeredAfter} ms; ${mb(upload.sent)} of the body written in ${memory.ms} ms `
    + `(the server ${upload.sent < 800 * 1024 * 1024 ? 'closed the connection' : 'read and discarded it'}); `
    + `server RSS ${mb(before)} -> peak ${mb(highest)} (+${mb(memory.growth)})`);
  return memory;
}

export const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * After the suite: waits until `bound` ms after the slow clients connected (or until each was
 * answered and closed), then reports what the server did to each and closes them.
 */
export async function stallOutcome(stalls, bound) {
  const clients = Object.values(stalls);
  const until = Math.min(...clients.map((c) => c.opened)) + bound;
  while (Date.now() < until && clients.some((c) => c.state().closedAfter === null)) await new Promise((r) => setTimeout(r, 50));
  const outcome = {};
  for (const [name, client] of Object.entries(stalls)) {
    outcome[name] = client.state();
    client.destroy();
  }
  return outcome;
}

/** A normal signed delivery still gets 200 after all that. */
export async function stillServes(server, path) {
  const { event, body } = delivery();
  const response = await post(server.base + path, body, { 'X-DialNexa-Signature': tag(body) });
  assert.equal(response.status, 200, 'a signed delivery after the hostile clients');
  assert.deepEqual(await response.json(), { received: event });
}
