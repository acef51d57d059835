// Runs every framework example on 127.0.0.1 and sends it signed, tampered, unsigned and wrongly
// signed webhooks: each must accept exactly the genuine deliveries. Run by `make test` from this
// folder after `npm ci` (pinned frameworks, the package built into ../pkg).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { startWorker } from '../tests/js/workerd-serve.mjs';

const SECRET = 'whsec_examples_Hk29sLq0';
const UNAUTHORIZED = '{"statusCode":401,"message":"Unauthorized","error":"Unauthorized"}';
const DENO_NET = ['run', '--allow-net=127.0.0.1', '--allow-env=DIALNEXA_WEBHOOK_SECRET,PORT'];

const EXAMPLES = [
  { name: 'Express', command: ['node', 'express/server.mjs'] },
  { name: 'node:http', command: ['node', 'node-http/server.mjs'] },
  { name: 'Deno (Deno.serve)', command: ['deno', ...DENO_NET, 'deno/main.ts'] },
  { name: 'Bun (Bun.serve)', command: ['bun', 'bun/server.ts'] },
  { name: 'Cloudflare Worker (workerd)', worker: 'cloudflare-worker/src/index.js' },
  { name: 'Hono on Node', command: ['node', 'hono/node.mjs'] },
  { name: 'Hono on Deno', command: ['deno', 'run', '--allow-net=127.0.0.1', '--allow-env', 'hono/deno.ts'] },
  { name: 'Hono on Bun', command: ['bun', 'hono/bun.ts'] },
  { name: 'Hono on workerd', worker: 'hono/app.js' },
];

// Starts a server process with PORT=0 and waits for its "listening on <url>" line.
function startProcess([program, ...args]) {
  const child = spawn(program, args, {
    env: { ...process.env, PORT: '0', DIALNEXA_WEBHOOK_SECRET: SECRET, DENO_NO_UPDATE_CHECK: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${program} did not start`)), 60_000);
    let output = '';
    child.stdout.on('data', (data) => {
      output += data;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ base: match[1], stop: () => child.kill() });
      }
    });
    child.on('exit', (code) => reject(new Error(`${program} exited with ${code}: ${output}`)));
  });
}

const sign = (body, secret) => createHmac('sha256', secret).update(body).digest('hex');

async function expectContract(base) {
  const url = `${base}/webhooks/dialnexa`;
  const post = (body, headers = {}) => fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const body = JSON.stringify({ event: 'call.completed', call_id: 'call_8f2a91', transcript: 'Grüße 😀' });
  const good = sign(body, SECRET);

  for (const header of [good, `sha256=${good.toUpperCase()}`]) {
    const response = await post(body, { 'X-DialNexa-Signature': header });
    assert.equal(response.status, 200, `accepts ${header.slice(0, 12)}…`);
    assert.deepEqual(await response.json(), { received: 'call.completed' });
  }
  const rejected = [
    ['tampered body', body.replace('completed', 'failed'), { 'X-DialNexa-Signature': good }],
    ['no signature', body, {}],
    ['another secret', body, { 'X-DialNexa-Signature': sign(body, 'whsec_attacker') }],
    ['truncated signature', body, { 'X-DialNexa-Signature': good.slice(0, 40) }],
    ['re-serialized JSON', JSON.stringify(JSON.parse(body), null, 2), { 'X-DialNexa-Signature': good }],
    ['empty body', '', { 'X-DialNexa-Signature': good }],
  ];
  for (const [what, text, headers] of rejected) {
    const response = await post(text, headers);
    assert.equal(response.status, 401, what);
    assert.equal(await response.text(), UNAUTHORIZED, what);
  }
}

for (const example of EXAMPLES) {
  test(example.name, async () => {
    const server = example.worker
      ? await startWorker(example.worker, { DIALNEXA_WEBHOOK_SECRET: SECRET })
      : await startProcess(example.command);
    try {
      await expectContract(server.base);
    } finally {
      server.stop();
    }
  });
}
