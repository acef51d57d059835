// send: against receivers started here (the package's verifyWebhookStream, node:crypto), the
// example receiver, hostile and silent servers.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SIGNATURE_HEADER, UNAUTHORIZED_BODY, verifyWebhookStream } from 'dialnexa-verify';
import { bodyOf, env, freePort, OTHER_SECRET, run, SCRATCH, SECRET, serve } from './harness.mjs';

const dir = mkdtempSync(join(tmpdir(), 'dialnexa-send-'));

describe('send to a receiver built on verifyWebhookStream', () => {
  let receiver;
  const seen = [];
  before(async () => {
    receiver = await serve(async (req, res) => {
      const result = await verifyWebhookStream(req, req.headers[SIGNATURE_HEADER], SECRET);
      seen.push({ headers: req.headers, body: result.ok ? Buffer.from(result.body) : undefined, reason: result.ok ? undefined : result.reason });
      if (!result.ok) {
        res.writeHead(result.status, { 'content-type': 'application/json' }).end(await result.response.text());
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ received: result.json().event }));
    });
  });
  after(() => receiver.close());

  test('the default sample event: 200, exit 0, the answer printed', async () => {
    const r = await run(['send', `${receiver.url}/webhooks/dialnexa`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^200 OK in \d+ ms\n\{"received":"call.completed"\}\n$/);
    const delivery = seen.at(-1);
    assert.equal(delivery.headers['content-type'], 'application/json');
    assert.match(delivery.headers[SIGNATURE_HEADER], /^[0-9a-f]{64}$/);
  });

  test('--data @FILE, --data - and literal --data send the exact bytes', async () => {
    const bytes = Buffer.from('{"event":"call.completed","name":"Zoë"}\r\n  ');
    const path = join(dir, 'event.json');
    writeFileSync(path, bytes);
    for (const [args, input] of [[['--data', `@${path}`]], [['--data', '-'], bytes], [['-d', bytes.toString('utf8')]]]) {
      const r = await run(['send', receiver.url, ...args], { input });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(seen.at(-1).body, bytes);
      assert.equal(seen.at(-1).headers['content-length'], String(bytes.length));
    }
  });

  test('extra headers are sent; the wrong secret gets 401 and exit 1', async () => {
    const r = await run(['send', receiver.url, '-H', 'X-Request-Id: abc-123', '--header', 'Content-Type: application/json; charset=utf-8']);
    assert.equal(r.code, 0);
    assert.equal(seen.at(-1).headers['x-request-id'], 'abc-123');
    assert.equal(seen.at(-1).headers['content-type'], 'application/json; charset=utf-8');
    const wrong = await run(['send', receiver.url], { env: env(OTHER_SECRET) });
    assert.equal(wrong.code, 1);
    assert.equal(seen.at(-1).reason, 'signature_mismatch');
    assert.match(wrong.stdout, /^401 Unauthorized in \d+ ms\n/);
    assert.ok(wrong.stdout.includes(JSON.stringify(UNAUTHORIZED_BODY)));
  });

  test('--json: one document with status, time and answer', async () => {
    const r = await run(['send', receiver.url, '--json']);
    assert.equal(r.code, 0);
    const report = JSON.parse(r.stdout);
    assert.equal(report.status, 200);
    assert.equal(report.ok, true);
    assert.equal(typeof report.ms, 'number');
    assert.equal(report.body, '{"received":"call.completed"}');
    assert.equal(report.truncated, false);
  });
});

test('send to a node:crypto receiver: the signature is HMAC-SHA256 of the exact bytes', async () => {
  let verdict;
  const receiver = await serve(async (req, res) => {
    const body = await bodyOf(req);
    const expected = createHmac('sha256', SECRET).update(body).digest();
    const given = Buffer.from(String(req.headers[SIGNATURE_HEADER]), 'hex');
    verdict = given.length === expected.length && timingSafeEqual(given, expected);
    res.writeHead(verdict ? 204 : 401).end();
  });
  try {
    const r = await run(['send', receiver.url, '--data', '{"event":"call.failed"}']);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(verdict, true);
    assert.match(r.stdout, /^204 No Content in \d+ ms\n$/);
  } finally {
    await receiver.close();
  }
});

test('a hostile answer cannot drive the terminal, and a long one is cut', async () => {
  const hostile = `\x1b[2J\x1b]0;pwned\x07\r\u202eevil\u009b31m${'A'.repeat(200_000)}`;
  const receiver = await serve((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain' }).end(hostile);
  });
  try {
    const r = await run(['send', receiver.url]);
    assert.equal(r.code, 0);
    for (const raw of ['\x1b', '\x07', '\r', '\u202e', '\u009b']) assert.ok(!r.stdout.includes(raw), `raw ${JSON.stringify(raw)} printed`);
    assert.ok(r.stdout.includes('\\x1b[2J\\x1b]0;pwned\\x07\\x0d\\u{202e}evil\\x9b31m'), r.stdout.slice(0, 200));
    assert.ok(r.stdout.length < 6000, `${r.stdout.length} characters printed`);
    assert.match(r.stdout, /\[answer cut at 4096 characters; it was more than \d+ bytes \(reading stopped\)\]/);
  } finally {
    await receiver.close();
  }
});

test('no answer: connection refused and a silent server give exit 3 within --timeout', async () => {
  const refused = await run(['send', `http://127.0.0.1:${await freePort()}/`]);
  assert.equal(refused.code, 3);
  assert.match(refused.stderr, /connection refused/);
  const silent = await serve(() => {}); // reads nothing, answers nothing
  try {
    const r = await run(['send', silent.url, '--timeout', '1']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /no answer within 1 s/);
    assert.ok(r.ms < 5000, `took ${r.ms} ms`);
  } finally {
    await silent.close();
  }
});

test('send to the example receiver (examples/node-http/server.mjs)', { skip: !existsSync(join(SCRATCH, 'example-node-http.mjs')) && 'the example is gone' }, async () => {
  const child = spawn(process.execPath, ['example-node-http.mjs'], { cwd: SCRATCH, env: env(SECRET, { PORT: '0' }), stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const port = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const match = /127\.0\.0\.1:(\d+)/.exec(out);
        if (match) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`the example exited (${code})`)));
    });
    const url = `http://127.0.0.1:${port}/webhooks/dialnexa`;
    const ok = await run(['send', url]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^2\d\d /);
    const wrong = await run(['send', url], { env: env(OTHER_SECRET) });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stdout, /^401 /);
  } finally {
    child.kill();
  }
});
