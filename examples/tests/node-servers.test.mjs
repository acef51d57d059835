// Every Node server we ship or show: the Express 5, Express 4, node:http, Fastify 5 and NestJS 11
// examples and the demo's gateway, each started as its own process on 127.0.0.1 (PORT=0) with the
// frameworks pinned in examples/package-lock.json. For each: the webhook and API-key contract
// (issue 10) and hostile clients (issue 13). Run from examples/ after `make pkg` and
// `tools/setup.sh examples`: node --test --test-reporter=spec tests/node-servers.test.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { exchange, head, openRaw, runToExit, secretFragments, sha256Hex, sign, startServer, waitUntil } from './node/harness.mjs';

const examples = fileURLToPath(new URL('..', import.meta.url));
const tools = fileURLToPath(new URL('../../tools/', import.meta.url));

// Test secrets: no 4-character fragment of any of them may appear in any server's output.
const SECRET = 'Tq8Vn2Lx7Rb4Kd9PzW5c';
const PREVIOUS = 'Mz3Hc6Wy1Gf5Jp0SxE7u';
const ATTACKER = 'Qa2Zr8Ye4Dn6Bk1HvJ9s'; // signs the "wrongly signed" deliveries
const KEY_ID = 'gatewaykeyidab';
const KEY_SECRET = 'Xk3mP9qR2sT7vW4yB8nC';
const WRONG_KEY_SECRET = 'Xk3mP9qR2sT7vW4yB8nD';
const KEY = `${KEY_ID}:${KEY_SECRET}`;
const SECRETS = [SECRET, PREVIOUS, ATTACKER, KEY_SECRET, WRONG_KEY_SECRET];
const ENV = {
  DIALNEXA_WEBHOOK_SECRET: SECRET,
  DIALNEXA_WEBHOOK_SECRET_PREVIOUS: PREVIOUS,
  API_KEY_HASHES: `${KEY_ID}:${sha256Hex(KEY_SECRET)},otherkeyidabcd:${sha256Hex('Other9Secret4Value2')}`,
};

const LIMIT = 5 * 1024 * 1024; // the package default, documented by every example
const UNAUTHORIZED = '{"statusCode":401,"message":"Unauthorized","error":"Unauthorized"}';
const fixed = (status) => JSON.stringify({ statusCode: status, message: STATUS_CODES[status], error: STATUS_CODES[status] });
// Odd spacing and multi-byte characters: a body re-serialized or re-encoded on the way would differ.
const EVENT = '{"event":"call.completed",  "call_id":"call_8f2a91",\n "transcript":"Grüße 😀 \\u00e9"}';
const EVENT_BYTES = Buffer.byteLength(EVENT);

// What a handler logs for an accepted delivery: [bytes, secretIndex].
const EXAMPLE_LINE = { pattern: /dialnexa webhook "call\.completed": (\d+) bytes, secret #(\d+)/g, index: (m) => Number(m[2]) };
const DEMO_LINE = {
  pattern: /\[receiver\] 200 "call\.completed" \S+: (\d+) bytes, signed with the (current|previous) secret/g,
  index: (m) => (m[2] === 'current' ? 0 : 1),
};

// nestjs/tsconfig.json, with @types/node and @types/express (the example's devDependencies) taken
// from tools/node_modules.
function buildNest() {
  execFileSync(`${tools}node_modules/.bin/tsc`, ['-p', 'tests/node/nestjs.tsconfig.json'], { cwd: examples, stdio: 'inherit' });
}

const SERVERS = [
  { name: 'Express 5 example (global express.json())', args: ['express/server.mjs'], json: { limit: 100 * 1024 } },
  {
    name: 'Express 4 example (global express.json())',
    args: ['--import', './tests/node/express4.mjs', 'express4/server.mjs'],
    json: { limit: 100 * 1024 },
    loaded: /'express' resolved to \S+\/node_modules\/express4\//,
  },
  { name: 'node:http example', args: ['node-http/server.mjs'] },
  { name: 'Fastify 5 example', args: ['fastify/server.mjs'], json: { limit: 1024 * 1024 } },
  // readsBodyFirst: the route's raw parser takes the whole body (up to the limit) before the check.
  { name: 'NestJS 11 example', args: ['nestjs/dist/main.js'], json: { limit: 100 * 1024 }, build: buildNest, readsBodyFirst: true },
  { name: 'demo gateway (demo/server.mjs)', args: ['demo/server.mjs'], line: DEMO_LINE, keyStore: true },
];

// fetch, checking what every response must satisfy: no framework banner header.
async function send(base, path, { method = 'POST', body, headers = {} } = {}) {
  const response = await fetch(`${base}${path}`, { method, body, headers });
  const text = await response.text();
  assert.equal(response.headers.get('x-powered-by'), null, `${method} ${path}: X-Powered-By`);
  return { status: response.status, text, headers: response.headers };
}

const deliver = (base, body, signature, headers = {}) => send(base, '/webhooks/dialnexa', {
  body,
  headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { 'x-dialnexa-signature': signature }), ...headers },
});

// An error response: the exact status, the app's fixed JSON body, and nothing that points inside
// the server. `framework`: an answer the HTTP layer gives before any app code runs (a request it
// cannot parse, or one that timed out): no body (node:http) or a fixed JSON one of that status.
function assertSafeError(response, status, what, { framework = false } = {}) {
  assert.ok(response !== undefined, `${what}: no response`);
  assert.equal(response.status, status, `${what}: status (${response.body ?? response.text})`);
  const body = response.body ?? response.text;
  if (!framework) assert.equal(body, fixed(status), `${what}: body`);
  else if (body !== '') assert.equal(JSON.parse(body).statusCode, status, `${what}: body`);
  const headers = response.headers instanceof Headers ? Object.fromEntries(response.headers) : response.headers;
  assert.equal(headers['x-powered-by'], undefined, `${what}: X-Powered-By`);
  assert.doesNotMatch(JSON.stringify(headers) + body, /\bat \S|\/work\/|node_modules|\.m?[jt]s:\d/, `${what}: leaks a stack or a path`);
}

// The content codings a body parser may inflate, and the content types a webhook may come with.
const COMPRESSIONS = [['gzip', gzipSync], ['deflate', deflateSync], ['br', brotliCompressSync]];
const TYPES = ['application/json', 'application/x-www-form-urlencoded', 'text/plain'];

// A delivery big enough to pass the limit by one byte (or to hit it exactly), signed.
function sized(bytes) {
  const prefix = '{"event":"call.completed","padding":"';
  const body = Buffer.from(`${prefix}${'x'.repeat(bytes - prefix.length - 2)}"}`);
  assert.equal(body.length, bytes);
  return body;
}

describe('Node servers', { concurrency: true }, () => {
  before(() => {
    for (const spec of SERVERS) spec.build?.(); // once, before any of them starts
  });

  for (const spec of SERVERS) {
    describe(spec.name, { concurrency: 1 }, () => {
      const line = spec.line ?? EXAMPLE_LINE;
      let server;
      let stalled;
      let stalledAt;
      let accepted = 0; // deliveries this suite expects the handler to have run for

      const accepts = async (body, signature, secretIndex = 0) => {
        const response = await deliver(server.base, body, signature);
        assert.equal(response.status, 200, response.text);
        const json = JSON.parse(response.text);
        assert.equal(json.received, 'call.completed');
        assert.equal(json.bytes, Buffer.byteLength(body), 'the handler got the exact bytes');
        accepted += 1;
        const runs = await waitForRuns(accepted);
        assert.equal(runs.at(-1).bytes, Buffer.byteLength(body));
        assert.equal(runs.at(-1).secretIndex, secretIndex);
      };
      const runsOf = () => [...server.output.matchAll(line.pattern)].map((m) => ({ bytes: Number(m[1]), secretIndex: line.index(m) }));
      const waitForRuns = async (count) => {
        await waitUntil(() => runsOf().length >= count, 5000);
        const runs = runsOf();
        assert.equal(runs.length, count, 'handler runs');
        return runs;
      };
      const stillServes = async () => {
        await accepts(EVENT, sign(EVENT, SECRET));
        assert.ok(server.alive(), 'the server process is alive');
      };

      before(async () => {
        server = await startServer(spec.args, { cwd: examples, env: ENV });
        if (spec.loaded) await server.waitFor(spec.loaded);
        // Headers of a signed delivery announcing 1000 bytes, and then nothing: held open meanwhile.
        stalled = openRaw(server.port);
        stalledAt = Date.now();
        await stalled.write(head('POST', '/webhooks/dialnexa', {
          'content-type': 'application/json', 'content-length': 1000, 'x-dialnexa-signature': sign(EVENT, SECRET),
        }));
      });
      after(async () => {
        stalled?.destroy();
        await server?.stop();
      });

      it('signed delivery: 200, the handler gets the exact raw bytes', async () => {
        await accepts(EVENT, sign(EVENT, SECRET));
        await accepts(EVENT, `sha256=${sign(EVENT, SECRET).toUpperCase()}`);
      });

      it('rotation: a delivery signed with the previous secret is accepted with secretIndex 1', async () => {
        await accepts(EVENT, sign(EVENT, PREVIOUS), 1);
      });

      it('tampered, unsigned, wrongly signed, truncated: 401 with DialNexa\'s body, the handler never runs', async () => {
        const good = sign(EVENT, SECRET);
        const rejected = [
          ['tampered body', EVENT.replace('completed', 'failed'), good],
          ['unsigned', EVENT, undefined],
          ['signed with another secret', EVENT, sign(EVENT, ATTACKER)],
          ['truncated signature', EVENT, good.slice(0, 40)],
          ['one hex digit short', EVENT, good.slice(0, 63)],
          ['re-serialized JSON', JSON.stringify(JSON.parse(EVENT)), good],
          ['empty body', '', good],
          ['signature of an empty body, for a body', EVENT, sign('', SECRET)],
        ];
        for (const [what, body, signature] of rejected) {
          const response = await deliver(server.base, body, signature);
          assert.equal(response.status, 401, what);
          assert.equal(response.text, UNAUTHORIZED, what);
        }
        await waitForRuns(accepted);
      });

      it('a delivery of exactly 5 MiB is accepted', async () => {
        const body = sized(LIMIT);
        await accepts(body, sign(body, SECRET));
      });

      it('over the limit: 413, with a content-length and streamed without one', async () => {
        const body = sized(LIMIT + 1);
        const signature = sign(body, SECRET);
        const headers = { 'content-type': 'application/json', 'x-dialnexa-signature': signature, connection: 'close' };
        const declared = await exchange(server.port, head('POST', '/webhooks/dialnexa', { ...headers, 'content-length': body.length }), body);
        assertSafeError(declared, 413, 'content-length over the limit');
        const chunked = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
        const streamed = await exchange(server.port, head('POST', '/webhooks/dialnexa', { ...headers, 'transfer-encoding': 'chunked' }), chunked);
        assertSafeError(streamed, 413, 'streamed over the limit');
        await stillServes();
      });

      // The signature covers the bytes on the wire, and DialNexa does not compress them: a
      // compressed body is refused (415) before anything inflates it.
      it('a gzip, deflate or br delivery signed over its inflated bytes is refused, whatever its content type', async () => {
        const signature = sign(EVENT, SECRET);
        for (const [encoding, compress] of COMPRESSIONS) {
          for (const type of TYPES) {
            const what = `${encoding}, ${type}, signed over the inflated bytes`;
            const response = await deliver(server.base, compress(EVENT), signature, { 'content-type': type, 'content-encoding': encoding });
            assertSafeError(response, 415, what);
          }
        }
        await waitForRuns(accepted);
        await stillServes();
      });

      it('a compressed delivery gets 415 before its body is read, even signed over the compressed bytes; a zip bomb costs nothing', async () => {
        for (const [encoding, compress] of COMPRESSIONS) {
          const body = compress(EVENT);
          for (const type of TYPES) {
            const response = await deliver(server.base, body, sign(body, SECRET), { 'content-type': type, 'content-encoding': encoding });
            assertSafeError(response, 415, `${encoding}, ${type}, signed over the compressed bytes`);
          }
        }
        // 4 MiB of delivery in a few kilobytes, signed over the 4 MiB: under the limit once inflated.
        const inflated = sized(4 * 1024 * 1024);
        const bomb = gzipSync(inflated);
        assert.ok(bomb.length < 16 * 1024, `the bomb is ${bomb.length} bytes`);
        assertSafeError(await deliver(server.base, bomb, sign(inflated, SECRET), { 'content-encoding': 'gzip' }), 415, 'a gzip bomb');
        // Half of it sent, then nothing: the answer comes at once, not when the rest would have
        // arrived, and the connection is closed rather than the rest read.
        const raw = openRaw(server.port);
        let closed = false;
        raw.closed.then(() => { closed = true; });
        try {
          await raw.write(head('POST', '/webhooks/dialnexa', {
            'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length, 'x-dialnexa-signature': sign(inflated, SECRET),
          }));
          await raw.write(bomb.subarray(0, bomb.length >> 1));
          await Promise.race([raw.closed, waitUntil(() => raw.response() !== undefined, 2000)]);
          assertSafeError(raw.response(), 415, 'half a gzip bomb, within 2 s');
          await waitUntil(() => closed, 2000);
          assert.ok(closed, 'the connection is closed after the 415, the rest of the body unread');
        } finally {
          raw.destroy();
        }
        await waitForRuns(accepted);
        await stillServes();
      });

      it('API keys: a good key passes; wrong secret, unknown, malformed, another scheme, missing: 401', async () => {
        const good = await send(server.base, '/v1/agents', { method: 'GET', headers: { authorization: `Bearer ${KEY}` } });
        assert.equal(good.status, 200, good.text);
        assert.equal(JSON.parse(good.text).keyId, KEY_ID);
        const rejected = [
          ['wrong secret', `Bearer ${KEY_ID}:${WRONG_KEY_SECRET}`],
          ['unknown key ID', `Bearer unknownkeyidab:${KEY_SECRET}`],
          ['another key\'s ID', `Bearer otherkeyidabcd:${KEY_SECRET}`],
          ['malformed: no secret', `Bearer ${KEY_ID}`],
          ['malformed: two separators', `Bearer ${KEY}:x`],
          ['malformed: bad character', `Bearer ${KEY_ID}:${KEY_SECRET}%`],
          ['Basic scheme', `Basic ${Buffer.from(KEY).toString('base64')}`],
          ['Bearer and nothing', 'Bearer '],
          ['missing', undefined],
        ];
        for (const [what, authorization] of rejected) {
          const response = await send(server.base, '/v1/agents', { method: 'GET', headers: authorization === undefined ? {} : { authorization } });
          assert.equal(response.status, 401, what);
          assert.equal(response.text, UNAUTHORIZED, what);
        }
        assert.deepEqual(secretFragments(server.output, [KEY_SECRET, WRONG_KEY_SECRET]), [], 'the log shows no part of a key\'s secret');
      });

      if (spec.json) {
        it('other routes keep their JSON parser, behind the API key', async () => {
          const created = await send(server.base, '/v1/agents', {
            body: JSON.stringify({ name: 'Ava' }),
            headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
          });
          assert.equal(created.status, 201, created.text);
          assert.deepEqual(JSON.parse(created.text), { created: 'Ava' });
          const unauthenticated = await send(server.base, '/v1/agents', { body: '{"name":"Eve"}', headers: { 'content-type': 'application/json' } });
          assert.equal(unauthenticated.text, UNAUTHORIZED);
        });

        it('the framework\'s own errors on a JSON route get the fixed JSON body', async () => {
          const headers = { 'content-type': 'application/json', authorization: `Bearer ${KEY}` };
          const cases = [
            ['a body over the JSON limit', { ...headers }, `{"name":"${'x'.repeat(spec.json.limit)}"}`, 413],
            ['malformed JSON', headers, '{"name":', 400],
          ];
          if (!spec.name.startsWith('Fastify')) {
            // Fastify does not decode content-encoding: a gzip body is just malformed JSON to it (above).
            cases.push(['content-encoding: gzip, not gzip', { ...headers, 'content-encoding': 'gzip' }, '{"name":"Ava"}', 400]);
            cases.push(['content-encoding: x-foo', { ...headers, 'content-encoding': 'x-foo' }, '{"name":"Ava"}', 415]);
          }
          for (const [what, requestHeaders, body, status] of cases) {
            assertSafeError(await send(server.base, '/v1/agents', { body, headers: requestHeaders }), status, what);
          }
          await stillServes();
        });
      }

      if (spec.keyStore) {
        it('keys created through the gateway work at once, and are refused on the very next request once revoked', async () => {
          const auth = (key) => ({ authorization: `Bearer ${key}` });
          const created = await send(server.base, '/v1/keys', { headers: auth(KEY) });
          assert.equal(created.status, 201, created.text);
          const { keyId, key } = JSON.parse(created.text);
          SECRETS.push(key.slice(keyId.length + 1)); // checked against the log below
          assert.equal((await send(server.base, '/v1/agents', { method: 'GET', headers: auth(key) })).status, 200);
          const stranger = await send(server.base, `/v1/keys/${KEY_ID}`, { method: 'DELETE', headers: auth(key) });
          assert.equal(stranger.status, 404, 'a key cannot revoke the key that created it');
          assert.equal((await send(server.base, `/v1/keys/${keyId}`, { method: 'DELETE', headers: auth(KEY) })).status, 204);
          const revoked = await send(server.base, '/v1/agents', { method: 'GET', headers: auth(key) });
          assert.equal(revoked.status, 401);
          assert.equal(revoked.text, UNAUTHORIZED);
          assert.equal((await send(server.base, '/v1/agents', { method: 'GET', headers: auth(KEY) })).status, 200, 'the creator still works');
        });
      }

      it('aborted uploads (half a body, then the connection destroyed) leave it serving', async () => {
        const signature = sign(EVENT, SECRET);
        const uploads = [
          [head('POST', '/webhooks/dialnexa', { 'content-type': 'application/json', 'content-length': 100_000, 'x-dialnexa-signature': signature }), 'x'.repeat(50_000)],
          [head('POST', '/webhooks/dialnexa', { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'x-dialnexa-signature': signature }), '4000\r\nabc'],
          [head('POST', '/webhooks/dialnexa', { 'content-type': 'text/plain', 'content-length': 100_000, 'x-dialnexa-signature': signature }), 'x'.repeat(50_000)],
          [head('POST', '/v1/agents', { 'content-type': 'application/json', 'content-length': 50_000, authorization: `Bearer ${KEY}` }), '{"name":"'],
          [head('POST', '/nowhere', { 'content-type': 'application/json', 'content-length': 50_000 }), '{"name":"'],
        ];
        for (const [requestHead, part] of uploads) {
          const raw = openRaw(server.port);
          await raw.write(requestHead + part);
          await new Promise((resolve) => setTimeout(resolve, 50)); // the server is reading it now
          raw.destroy();
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
        await stillServes();
      });

      if (!spec.readsBodyFirst) {
        it('an unsigned or malformed upload gets 401 at once and the connection is closed, the rest never read', async () => {
          for (const [what, extra] of [['unsigned', {}], ['malformed', { 'x-dialnexa-signature': 'sha256=zz' }]]) {
            // 4 MiB declared: under the 5 MiB limit, so only the signature can answer early.
            for (const framing of [{ 'content-length': 4 * 1024 * 1024 }, { 'transfer-encoding': 'chunked' }]) {
              const raw = openRaw(server.port);
              let closed = false;
              raw.closed.then(() => { closed = true; });
              try {
                await raw.write(head('POST', '/webhooks/dialnexa', { 'content-type': 'application/json', ...framing, ...extra }));
                // The body keeps coming (64 KiB at a time) until the server answers and closes.
                const piece = framing['content-length'] ? 'x'.repeat(64 * 1024) : `10000\r\n${'x'.repeat(64 * 1024)}\r\n`;
                for (let i = 0; i < 63 && !closed && raw.response() === undefined; i += 1) await raw.write(piece);
                await waitUntil(() => closed, 3000);
                assertSafeError(raw.response(), 401, `${what}, ${Object.keys(framing)[0]}`);
                assert.ok(closed, `${what}, ${Object.keys(framing)[0]}: the connection stays open after the 401 (the server drains the body)`);
              } finally {
                raw.destroy();
              }
            }
          }
          await stillServes();
        });
      }

      it('malformed requests get a 4xx, a fixed JSON body and nothing that leaks', async () => {
        assertSafeError(await exchange(server.port, 'GARBAGE\r\n\r\n'), 400, 'a garbage request line', { framework: true });
        const percent = await exchange(server.port, head('GET', '/%', { connection: 'close' }));
        assert.ok([400, 404].includes(percent?.status), `GET /%: ${percent?.status}`);
        assertSafeError(percent, percent.status, 'GET /%');
        for (const encoding of ['gzip', 'x-foo']) {
          const response = await deliver(server.base, EVENT, undefined, { 'content-encoding': encoding });
          assert.ok([400, 401, 415].includes(response.status), `unsigned, content-encoding: ${encoding}`);
          assertSafeError(response, response.status, `unsigned, content-encoding: ${encoding}`);
        }
        assertSafeError(await send(server.base, '/nowhere', { method: 'GET' }), 404, 'an unknown route');
        const length = head('POST', '/webhooks/dialnexa', { 'content-length': 'abc' });
        assertSafeError(await exchange(server.port, length), 400, 'a content-length that is not a number', { framework: true });
        await stillServes();
      });

      it('a stalled upload does not block others and is cut off within a minute', { timeout: 90_000 }, async () => {
        await stillServes(); // while the stalled connection is still open
        const deadline = stalledAt + 65_000;
        await Promise.race([stalled.closed, waitUntil(() => stalled.response() !== undefined, deadline - Date.now())]);
        const response = stalled.response();
        assert.ok(response !== undefined || stalled.socket.destroyed, `still open after ${Date.now() - stalledAt} ms`);
        if (response !== undefined) assertSafeError(response, 408, 'the stalled upload', { framework: true });
        await stillServes();
      });

      it('the handler ran once per accepted delivery, and the log holds no fragment of a secret', async () => {
        await waitForRuns(accepted);
        assert.ok(server.alive(), 'the server process is alive');
        assert.deepEqual(secretFragments(server.output, SECRETS), []);
        // Every rejection above was a 4xx, logged in one line: a stack trace means a 5xx or a crash.
        assert.doesNotMatch(server.output, /^\s+at \S|unhandled|uncaught/im, 'no stack trace in the log');
      });
    });
  }

  for (const spec of SERVERS) {
    it(`${spec.name}: without DIALNEXA_WEBHOOK_SECRET it exits at start-up, naming the variable`, async () => {
      const { DIALNEXA_WEBHOOK_SECRET, ...rest } = ENV;
      const { code, output } = await runToExit(spec.args, { cwd: examples, env: rest });
      assert.notEqual(code, 0, output);
      assert.match(output, /DIALNEXA_WEBHOOK_SECRET is not set/);
      assert.doesNotMatch(output, /listening on/);
      assert.deepEqual(secretFragments(output, SECRETS), []);
    });
  }

  for (const express of ['express', 'express4']) {
    it(`${express === 'express' ? 'Express 5' : 'Express 4'} with express.json() mounted before the webhook route: 500, the handler never runs, the fix in the log`, async () => {
      const server = await startServer(['tests/node/misordered-express.mjs', express], { cwd: examples, env: { DIALNEXA_WEBHOOK_SECRET: SECRET } });
      try {
        for (const signature of [sign(EVENT, SECRET), undefined]) {
          const response = await deliver(server.base, EVENT, signature);
          assertSafeError(response, 500, 'a delivery whose raw bytes are gone');
        }
        await server.waitFor(/mount the webhook route, with webhookMiddleware\(\), before app\.use\(express\.json\(\)\)/);
        assert.doesNotMatch(server.output, /dialnexa webhook/, 'the handler never ran');
        assert.ok(server.alive());
        assert.deepEqual(secretFragments(server.output, SECRETS), []);
      } finally {
        await server.stop();
      }
    });
  }

  // make demo: the whole scenario, with the key store on sql.js (Node 20) and on node:sqlite (Node 24).
  const DEMO_SECRETS = ['whk_Q7k2VbT9xR', 'whk_Z9x1LmP4sW', '123456a1b1234b']; // as tools/check-log.mjs is given them
  const node24 = `${tools}node24/node_modules/.bin/node`;
  for (const [engine, node] of [['sql.js', process.execPath], ['node:sqlite', node24]]) {
    const missing = !existsSync(node) && 'Node 24 is not installed (tools/setup.sh node_versions)';
    it(`demo/demo.mjs (${engine}): every step passes, a revoked key is refused, the output holds no secret`, { skip: missing }, async () => {
      const { code, output } = await runToExit(['demo/demo.mjs'], { cwd: examples, node, timeout: 60_000 });
      assert.equal(code, 0, output);
      assert.ok(output.includes(`API keys in SQLite through ${engine})`), `the store runs on ${engine}`);
      assert.match(output, /PASS \d+\. The revoked key gets the 401 body on the very next request/);
      assert.match(output, /^demo: (\d+) passed, 0 failed$/m);
      assert.deepEqual(secretFragments(output, DEMO_SECRETS), []);
    });
  }

  it('dialnexa-verify/fastify: a body that stalls gets 408 after the plugin\'s `timeout` (1 s here)', async () => {
    const server = await startServer(['tests/node/fastify-timeout.mjs'], { cwd: examples, env: { DIALNEXA_WEBHOOK_SECRET: SECRET } });
    const raw = openRaw(server.port);
    try {
      await raw.write(head('POST', '/webhooks/dialnexa', { 'content-type': 'application/json', 'content-length': 100, 'x-dialnexa-signature': sign(EVENT, SECRET) }));
      await raw.write('{"event":');
      await Promise.race([raw.closed, waitUntil(() => raw.response() !== undefined, 4000)]);
      assert.equal(raw.response()?.status, 408, 'no answer 4 s after the body stalled (WebhookOptions.timeout is 1 s)');
    } finally {
      raw.destroy();
      await server.stop();
    }
  });

  it('dialnexa-verify/fastify: no signature, or a malformed one, gets 401 before the body is read', async () => {
    const server = await startServer(['tests/node/fastify-timeout.mjs'], { cwd: examples, env: { DIALNEXA_WEBHOOK_SECRET: SECRET } });
    try {
      for (const [what, signature] of [['unsigned', undefined], ['malformed', 'sha256=not-hex'], ['truncated', sign(EVENT, SECRET).slice(0, 32)]]) {
        const raw = openRaw(server.port);
        try {
          const headers = { 'content-type': 'application/json', 'content-length': 4 * 1024 * 1024 };
          if (signature !== undefined) headers['x-dialnexa-signature'] = signature;
          // Four of the declared 4 MiB arrive, then nothing: only an answer that does not wait for
          // the body is a 401 (waiting gets 408 after the 1 s timeout).
          await raw.write(head('POST', '/webhooks/dialnexa', headers));
          await raw.write('{"ev');
          await Promise.race([raw.closed, waitUntil(() => raw.response() !== undefined, 4000)]);
          assertSafeError(raw.response(), 401, `${what}, body still arriving`);
          let closed = false;
          raw.closed.then(() => { closed = true; });
          await waitUntil(() => closed, 4000);
          assert.ok(closed, `${what}: the connection is closed within a few seconds of the answer (drain.js), the rest of the body unread`);
        } finally {
          raw.destroy();
        }
      }
      // A well-formed signature waits for the body, and a correct one is accepted.
      const ok = await deliver(`http://127.0.0.1:${server.port}`, EVENT, sign(EVENT, SECRET));
      assert.equal(ok.status, 200, ok.text);
    } finally {
      await server.stop();
    }
  });
});
