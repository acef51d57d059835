// Bundles worker.js the way wrangler does (workerd/worker conditions, .wasm kept as a module),
// serves it with workerd on 127.0.0.1, and sends it signed, tampered and unsigned webhooks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const out = join(process.cwd(), 'workerd-out');
let workerd;
let base;

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

before(async () => {
  mkdirSync(out, { recursive: true });
  execFileSync('esbuild', ['worker.js', '--bundle', '--format=esm', '--platform=neutral',
    '--conditions=workerd,worker', '--external:*.wasm', `--outfile=${join(out, 'worker.bundle.js')}`, '--log-level=warning'],
  { stdio: 'inherit' });
  const pkgDir = dirname(createRequire(import.meta.url).resolve('dialnexa-verify/package.json'));
  copyFileSync(join(pkgDir, 'dist', 'dialnexa_verify_bg.wasm'), join(out, 'dialnexa_verify_bg.wasm'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  writeFileSync(join(out, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.bundle.js", esModule = embed "worker.bundle.js"),
    (name = "dialnexa_verify_bg.wasm", wasm = embed "dialnexa_verify_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
);
`);
  workerd = spawn('workerd', ['serve', join(out, 'config.capnp')], { stdio: ['ignore', 'inherit', 'inherit'] });
  for (let i = 0; i < 100; i += 1) {
    try {
      await fetch(`${base}/`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('workerd did not start');
});

after(() => workerd?.kill());

const sign = (body, secret) => createHmac('sha256', secret).update(body).digest('hex');
const post = (body, headers = {}) => fetch(`${base}/webhook`, { method: 'POST', body, headers });
const UNAUTHORIZED = '{"statusCode":401,"message":"Unauthorized","error":"Unauthorized"}';

test('the smoke suite passes inside the workerd isolate', async () => {
  const report = await (await fetch(`${base}/smoke`)).json();
  console.log(report.lines.join('\n'));
  assert.equal(report.failed, 0);
  assert.ok(report.passed >= 11);
});

test('signed webhooks are accepted, with the matching secret reported', async () => {
  const body = JSON.stringify({ event: 'call.completed', call_id: 'call_8f2a' });
  for (const [secret, index] of [['whsec_worker_new', 0], ['whsec_worker_old', 1]]) {
    const response = await post(body, { 'X-DialNexa-Signature': sign(body, secret) });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { received: JSON.parse(body), secretIndex: index });
  }
  const large = JSON.stringify({ transcript: 'x'.repeat(3 << 20) });
  const response = await post(large, { 'x-dialnexa-signature': `sha256=${sign(large, 'whsec_worker_new').toUpperCase()}` });
  assert.equal(response.status, 200);
});

test('tampered, unsigned and wrongly signed webhooks get the 401 body', async () => {
  const body = '{"event":"call.completed"}';
  const cases = [
    [body.replace('completed', 'failed'), { 'X-DialNexa-Signature': sign(body, 'whsec_worker_new') }],
    [body, {}],
    [body, { 'X-DialNexa-Signature': sign(body, 'whsec_attacker') }],
    [body, { 'X-DialNexa-Signature': sign(body, 'whsec_worker_new').slice(0, 32) }],
    [JSON.stringify(JSON.parse(body), null, 2), { 'X-DialNexa-Signature': sign(body, 'whsec_worker_new') }],
  ];
  for (const [text, headers] of cases) {
    const response = await post(text, headers);
    assert.equal(response.status, 401);
    assert.equal(await response.text(), UNAUTHORIZED);
  }
});

test('API keys: good key accepted, bad keys get the 401 body', async () => {
  const call = (authorization) => fetch(`${base}/api`, { headers: authorization ? { authorization } : {} });
  const good = await call('Bearer abcdefghijklmn:123456a1b1234b');
  assert.equal(good.status, 200);
  assert.deepEqual(await good.json(), { keyId: 'abcdefghijklmn' });
  for (const bad of ['Bearer abcdefghijklmn:123456a1b1234c', 'Bearer abcdefghijklmn', 'Basic dXNlcjpwYXNz', undefined, 'Bearer other:123456a1b1234b']) {
    const response = await call(bad);
    assert.equal(response.status, 401);
    assert.equal(await response.text(), UNAUTHORIZED);
  }
});
