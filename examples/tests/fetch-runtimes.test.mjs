// The fetch-API examples on every runtime they name, on 127.0.0.1: Hono on Node, Deno, Bun and
// workerd; Deno.serve; Bun.serve; a Cloudflare Worker in workerd; Next.js (`next build`, then
// `next start`, a Node route and an Edge route); AWS Lambda handlers driven with event fixtures.
// Each server gets the webhook contract, API keys where it has them, and hostile clients (#13).
// Run from examples/ after `tools/setup.sh examples`: node --test tests/fetch-runtimes.test.mjs
// (FETCH_ONLY=<text> runs only the groups whose name contains <text>.)
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  apiKeyContract, assertBland, delivery, hostileClients, mb, neverAccepted, openStalls, stallOutcome, stillServes,
  webhookContract,
} from './fetch/contract.mjs';
import { chunked, exchange, head, received } from './fetch/http.mjs';
import { lambdaSuite } from './fetch/lambda.mjs';
import { API_KEY_HASHES, KEY, PREVIOUS, REVOKED, SECRET, UNAUTHORIZED, leaks, sha256, tag } from './fetch/secrets.mjs';
import { freePort } from '../../tests/js/workerd-serve.mjs';
import { EXAMPLES, launch, listening, startNext, startServer, startWorkerServer, transcript, waitFor } from './fetch/servers.mjs';

const WEBHOOK = '/webhooks/dialnexa';
const skip = (name) => Boolean(process.env.FETCH_ONLY) && !name.includes(process.env.FETCH_ONLY);
const ENV = { DIALNEXA_WEBHOOK_SECRET: SECRET, DIALNEXA_WEBHOOK_SECRET_PREVIOUS: PREVIOUS, API_KEY_HASHES };
const DENO_ENV = '--allow-env=DIALNEXA_WEBHOOK_SECRET,DIALNEXA_WEBHOOK_SECRET_PREVIOUS,API_KEY_HASHES,PORT,NODE_ENV';

// Memory an 800 MB unsigned upload may add to a server (Node and Deno: measured and bounded).
const MEMORY_BOUND = 64 * 1024 * 1024;

/**
 * One server through everything: slow clients opened first, the webhook contract, API keys
 * (`apiKeys`), hostile clients, then the slow clients' fate (`stalls`: ms within which each must
 * be cut off, or null where the runtime offers no bound) and a normal delivery.
 */
function serverSuite(name, start, { path = WEBHOOK, apiKeys, stalls, boundMemory = false, memoryBound = MEMORY_BOUND, allowed }) {
  describe(name, { skip: skip(name) }, () => {
    let server;
    let slow;
    let refused = [];
    before(async () => {
      server = await start();
      slow = openStalls(server, path);
    });
    after(async () => {
      await server?.stop();
      // A handler logs after it answers: checked once the server has printed everything.
      if (server) neverAccepted(server, refused);
    });

    test('listens on 127.0.0.1 only', () => {
      const addresses = listening(server.pid);
      assert.ok(addresses.length > 0, 'found the listening socket');
      for (const address of addresses) assert.match(address, /^127\.0\.0\.1:\d+$/);
    });
    test('webhooks: signed, rotated, a throwing handler, tampered, unsigned, wrongly signed, truncated, over the limit', async () => {
      refused = await webhookContract(server, path);
    });
    if (apiKeys) test('API keys: good, wrong secret, unknown, revoked, malformed, missing', () => apiKeys(server));
    test('hostile clients: aborted uploads, malformed requests, an unsigned 800 MB upload', async (t) => {
      const memory = await hostileClients(server, path, t, allowed);
      if (boundMemory) assert.ok(memory.growth < memoryBound, `RSS grew by ${mb(memory.growth)}`);
    });
    test(`slow clients: ${stalls.note}`, async (t) => {
      const outcome = await stallOutcome(slow, Math.max(stalls.head ?? 0, stalls.body ?? 0) + 1_000);
      for (const kind of ['head', 'body']) {
        const { answeredAfter, closedAfter, response } = outcome[kind];
        t.diagnostic(`stalled ${kind}: ${response ? `answered ${response.status} after ${answeredAfter} ms` : 'no answer'}, `
          + `${closedAfter === null ? 'connection still open' : `connection closed after ${closedAfter} ms`}`);
        if (stalls[kind] !== null) {
          const cutOff = Math.min(answeredAfter ?? Infinity, closedAfter ?? Infinity);
          assert.ok(cutOff <= stalls[kind], `the stalled ${kind} was neither answered nor closed within ${stalls[kind]} ms`);
        }
        if (response) {
          assert.ok(response.status >= 400 && response.status < 500, `stalled ${kind}: ${response.status}`);
          assertBland(response.body, `stalled ${kind}`);
        }
      }
      await stillServes(server, path);
    });
  });
}

// --- Hono: one app on four runtimes -------------------------------------------------------------

const honoCalls = (server) => apiKeyContract(
  (authorization) => fetch(`${server.base}/v1/calls`, {
    method: 'POST', body: '{"to":"+15550100"}', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
  }),
  async (response) => {
    assert.equal(response.status, 202);
    assert.deepEqual(await response.json(), { keyId: KEY.keyId, to: '+15550100' });
  },
);

async function honoApi(server) {
  await honoCalls(server);
  // Hono's bodyLimit on /v1: 413 past 16 KiB, declared or streamed; a body that is not JSON: 400.
  const authorization = `Bearer ${KEY.keyId}:${KEY.secret}`;
  const big = await fetch(`${server.base}/v1/calls`, { method: 'POST', body: `{"to":"${'1'.repeat(20_000)}"}`, headers: { authorization } });
  assert.equal(big.status, 413);
  assert.equal(await big.text(), '{"statusCode":413,"message":"Payload Too Large","error":"Payload Too Large"}');
  const streamed = await exchange(server.base, head('POST', '/v1/calls', [['Authorization', authorization], ['Transfer-Encoding', 'chunked']]),
    { body: chunked(5, 8192, 0x31) });
  assert.equal(streamed.status, 413, 'a streamed body past bodyLimit');
  const bad = await fetch(`${server.base}/v1/calls`, { method: 'POST', body: '{"to":', headers: { authorization } });
  assert.equal(bad.status, 400);
  assert.equal(await bad.text(), '{"statusCode":400,"message":"Bad Request","error":"Bad Request"}');
}

const BUN_STALLS = { head: 15_000, body: 15_000, note: 'Bun closes a connection idle for idleTimeout (10 s, checked every few seconds)' };
const NODE_STALLS = { head: 12_000, body: 12_000, note: 'Node closes a head after headersTimeout (10 s); the package answers a stalled body 408 after 10 s' };

serverSuite('Hono on Node (@hono/node-server)', () => startServer([process.execPath, 'hono/node.mjs'], { env: ENV }),
  { apiKeys: honoApi, stalls: NODE_STALLS, boundMemory: true });
serverSuite('Hono on Deno', () => startServer(['deno', 'run', '--allow-net=127.0.0.1', DENO_ENV, 'hono/deno.ts'], { env: ENV }),
  { apiKeys: honoApi, stalls: { head: null, body: 12_000, note: 'Deno.serve has no header timeout (head stays open); the package answers a stalled body 408 after 10 s' }, boundMemory: true });
serverSuite('Hono on Bun', () => startServer(['bun', 'hono/bun.ts'], { env: ENV }),
  { apiKeys: honoApi, stalls: BUN_STALLS });
serverSuite('Hono on workerd', () => startWorkerServer('hono/worker.js', ENV),
  { apiKeys: honoApi, stalls: { head: null, body: 12_000, note: 'workerd has no configurable header timeout (Cloudflare\'s edge bounds it in production); the package answers a stalled body 408 after 10 s' } });

// --- Deno.serve, Bun.serve, a Worker ------------------------------------------------------------

serverSuite('Deno.serve (examples/deno)', () => startServer(['deno', 'run', '--allow-net=127.0.0.1',
  '--allow-env=DIALNEXA_WEBHOOK_SECRET,DIALNEXA_WEBHOOK_SECRET_PREVIOUS,PORT,NODE_ENV', 'deno/main.ts'], { env: ENV }),
{ stalls: { head: null, body: 12_000, note: 'Deno.serve has no header timeout; withWebhook answers a stalled body 408 after 10 s' }, boundMemory: true });
serverSuite('Bun.serve (examples/bun)', () => startServer(['bun', 'bun/server.ts'], { env: ENV }),
  { stalls: BUN_STALLS });
serverSuite('Cloudflare Worker in workerd (examples/cloudflare-worker)', () => startWorkerServer('cloudflare-worker/src/index.js', ENV),
  { stalls: { head: null, body: 12_000, note: 'workerd: no configurable header timeout; withWebhook answers a stalled body 408 after 10 s' } });

// --- Next.js: next build, then next start; a Node route, an Edge route, an API-key route -----------

const NEXT_BUILD = join(EXAMPLES, 'tests/fetch/.build/nextjs');
const KEYS_DIR = mkdtempSync(join(tmpdir(), 'dialnexa-keys-'));
const KEYS_FILE = join(KEYS_DIR, 'api-keys.json');
const RUNTIME = { keyId: 'asdfghjklzxcvb', secret: 'Pn4Wr9Ts2Vx7Yz1Ab6Cd' };
const writeKeys = (runtimeRevoked) => writeFileSync(KEYS_FILE, JSON.stringify({
  [KEY.keyId]: { secretHash: sha256(KEY.secret), revoked: false },
  [REVOKED.keyId]: { secretHash: sha256(REVOKED.secret), revoked: true },
  [RUNTIME.keyId]: { secretHash: sha256(RUNTIME.secret), revoked: runtimeRevoked },
}));
after(() => rmSync(KEYS_DIR, { recursive: true, force: true }));

// The example as a user's project: its files, and the package as npm installs it (a folder, not
// the repository's link: Turbopack resolves nothing outside the project root), beside the
// frameworks in examples/node_modules. Built without any secret in the environment.
let nextBuild;
function buildNext() {
  nextBuild ??= (async () => {
    rmSync(NEXT_BUILD, { recursive: true, force: true });
    mkdirSync(join(NEXT_BUILD, 'node_modules'), { recursive: true });
    cpSync(join(EXAMPLES, 'nextjs'), NEXT_BUILD, { recursive: true, filter: (path) => !path.includes('/.next') });
    cpSync(join(EXAMPLES, 'node_modules/dialnexa-verify'), join(NEXT_BUILD, 'node_modules/dialnexa-verify'), { recursive: true, dereference: true });
    const run = launch([process.execPath, join(EXAMPLES, 'node_modules/next/dist/bin/next'), 'build'], { cwd: NEXT_BUILD });
    const { code } = await run.exited;
    assert.equal(code, 0, `next build failed:\n${run.output()}`);
    return run.output();
  })();
  return nextBuild;
}
const startBuiltNext = async (env = ENV) => {
  await buildNext();
  writeKeys(false);
  return startNext(NEXT_BUILD, { ...env, API_KEYS_FILE: KEYS_FILE });
};

describe('Next.js build', { skip: skip('Next.js build') }, () => {
  test('next build succeeds without the secret; the Edge route is an edge function with the package\'s .wasm', async () => {
    await buildNext();
    const manifest = JSON.parse(readFileSync(join(NEXT_BUILD, '.next/server/middleware-manifest.json'), 'utf8'));
    const edge = manifest.functions['/webhooks/dialnexa-edge/route'];
    assert.ok(edge, 'the Edge route is built as an edge function');
    assert.equal(edge.wasm?.length, 1, 'with one WebAssembly module (the edge-light entry\'s ?module import)');
    assert.match(edge.wasm[0].filePath, /dialnexa_verify.*\.wasm$/);
    assert.equal(manifest.functions['/webhooks/dialnexa/route'], undefined, 'the Node route is not an edge function');
  });
});

// Next.js answers an absolute-form request target (`POST http://host/path`, which only proxies
// receive) with a 308 to that same URL: the client is sent where it asked to go.
const NEXT_ALLOWED = { 'absolute-form target': [308] };
const NEXT_STALLS = {
  head: null, body: 12_000,
  note: 'next start keeps Node\'s defaults (headersTimeout 60 s, requestTimeout 300 s; only --keepAliveTimeout is configurable); withWebhook answers a stalled body 408 after 10 s',
};

async function nextApi(server) {
  const me = (authorization) => fetch(`${server.base}/v1/me`, { headers: authorization ? { authorization } : {} });
  await apiKeyContract(me, async (response) => {
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { keyId: KEY.keyId });
  });
  // Revoking a key in the store refuses it from the very next request.
  const runtime = `Bearer ${RUNTIME.keyId}:${RUNTIME.secret}`;
  assert.equal((await me(runtime)).status, 200);
  writeKeys(true);
  const revoked = await me(runtime);
  assert.equal(revoked.status, 401);
  assert.equal(await revoked.text(), UNAUTHORIZED);
  // The store failing (its file gone) is a fixed 500, the details in the server's log.
  rmSync(KEYS_FILE);
  const failed = await me(`Bearer ${KEY.keyId}:${KEY.secret}`);
  assert.equal(failed.status, 500);
  assert.equal(await failed.text(), '{"statusCode":500,"message":"Internal Server Error","error":"Internal Server Error"}');
  await waitFor(server.output, (text) => text.includes('GET /v1/me failed: Error: ENOENT'), 5_000, 'the logged error');
  writeKeys(true);
}

serverSuite('Next.js Node route (next start)', () => startBuiltNext(),
  { apiKeys: nextApi, stalls: NEXT_STALLS, boundMemory: true, allowed: NEXT_ALLOWED });
// `next start` runs an edge route in its sandbox and holds the route's response until the request
// body has ended (next/dist/server/web/sandbox/sandbox.js awaits `finalize()` of the cloned body),
// reading it all (passing at most 10 MB on): the 401 to an unsigned upload comes after the upload,
// and a stalled body is only cut off by Node's requestTimeout (300 s). Memory stays bounded.
serverSuite('Next.js Edge route (next start, edge sandbox)', () => startBuiltNext(), {
  path: '/webhooks/dialnexa-edge',
  stalls: { head: null, body: null, note: 'next start holds an edge route\'s response until the body ends; Node\'s defaults (60 s / 300 s) bound it' },
  boundMemory: true,
  memoryBound: 128 * 1024 * 1024, // Next's two 10 MB body copies and its stream buffers: +50 to +61 MB measured
  allowed: NEXT_ALLOWED,
});

// --- Start-up without the secret ----------------------------------------------------------------

describe('start-up without DIALNEXA_WEBHOOK_SECRET', { skip: skip('start-up without DIALNEXA_WEBHOOK_SECRET') }, () => {
  const commands = {
    'Hono on Node': [process.execPath, 'hono/node.mjs'],
    'Hono on Deno': ['deno', 'run', '--allow-net=127.0.0.1', DENO_ENV, 'hono/deno.ts'],
    'Hono on Bun': ['bun', 'hono/bun.ts'],
    'Deno.serve': ['deno', 'run', '--allow-net=127.0.0.1', DENO_ENV, 'deno/main.ts'],
    'Bun.serve': ['bun', 'bun/server.ts'],
    'Next.js (next start)': 'next',
    'Lambda (module import)': [process.execPath, '--input-type=module', '-e', "await import('./lambda/handler.mjs')"],
  };
  for (const [name, command] of Object.entries(commands)) {
    test(`${name}: exits and names the variable`, async () => {
      if (command === 'next') await buildNext();
      const run = command === 'next'
        ? launch([process.execPath, join(EXAMPLES, 'node_modules/next/dist/bin/next'), 'start', '-H', '127.0.0.1', '-p', String(await freePort())], { cwd: NEXT_BUILD })
        : launch(command, { env: { PORT: '0' } });
      const { code } = await run.exited;
      assert.notEqual(code, 0);
      assert.match(run.output(), /DIALNEXA_WEBHOOK_SECRET is not set/);
      assert.doesNotMatch(run.output(), /listening on/);
    });
  }
  for (const [name, entry] of [['Hono on workerd', 'hono/worker.js'], ['Cloudflare Worker', 'cloudflare-worker/src/index.js']]) {
    test(`${name}: a fixed 500 on first use, the binding named in the log`, async () => {
      const server = await startWorkerServer(entry, {});
      try {
        const { body } = delivery();
        const response = await fetch(server.base + WEBHOOK, { method: 'POST', body, headers: { 'x-dialnexa-signature': tag(body) } });
        assert.equal(response.status, 500);
        assert.equal(await response.text(), '{"statusCode":500,"message":"Internal Server Error","error":"Internal Server Error"}');
        await waitFor(server.output, (text) => text.includes('DIALNEXA_WEBHOOK_SECRET is not set'), 5_000, 'the log line');
      } finally {
        await server.stop();
      }
    });
  }
});

// --- Lambda -------------------------------------------------------------------------------------

describe('AWS Lambda (examples/lambda)', { skip: skip('AWS Lambda (examples/lambda)') }, () => lambdaSuite());

// --- Nothing leaked -----------------------------------------------------------------------------

test('no fragment of a test secret or of a tag in anything printed or answered', { skip: Boolean(process.env.FETCH_ONLY) }, () => {
  const texts = [...transcript.map((r) => r.text), ...received];
  assert.ok(texts.length > 20, 'the check saw the output');
  assert.deepEqual(leaks(texts), []);
});
