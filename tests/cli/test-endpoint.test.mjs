// test-endpoint against a correct receiver, the CLI's own listen, the example receiver, and
// deliberately broken ones: the right rows must FAIL and the exit code must count them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SIGNATURE_HEADER, signWebhook, verifyWebhookStream } from 'dialnexa-verify';
import { bodyOf, env, freePort, OTHER_SECRET, rowsOf, run, SCRATCH, SECRET, serve, startListen } from './harness.mjs';

const ALL_ROWS = ['signed', 'tampered_body', 'no_signature', 'wrong_secret', 'truncated_signature', 'reserialized_body', 'oversized_body', 'still_answers'];

// A correct receiver: the package's streaming check, with a 1 MiB limit.
const correctHandler = async (req, res) => {
  const result = await verifyWebhookStream(req, req.headers[SIGNATURE_HEADER], SECRET, { limit: 1024 * 1024 });
  if (result.ok) return res.writeHead(204).end();
  res.writeHead(result.status, { 'content-type': 'application/json' }).end(await result.response.text());
};

// Starts a receiver in its own process; resolves with its URL.
function spawnReceiver(file, environment) {
  const child = spawn(process.execPath, [file], { cwd: SCRATCH, env: environment, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const match = /127\.0\.0\.1:(\d+)|listening on (\d+)/.exec(out);
      if (match) resolve(`http://127.0.0.1:${match[1] ?? match[2]}/webhooks/dialnexa`);
    });
    child.on('exit', (code) => reject(new Error(`${file} exited (${code}) before listening`)));
  });
  return { child, url };
}

describe('test-endpoint against correct receivers: every row passes, exit 0', () => {
  test('a receiver on verifyWebhookStream (text table, default 20 MiB oversized body)', async () => {
    const receiver = await serve(correctHandler);
    try {
      const r = await run(['test-endpoint', receiver.url]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const lines = r.stdout.trim().split('\n');
      assert.equal(lines.filter((l) => l.startsWith('PASS  ')).length, 8, r.stdout);
      assert.match(r.stdout, /PASS {2}oversized body \(20 MiB\) +(413 in \d+ ms|closed early)/);
      assert.match(r.stdout, /all 8 rows passed/);
    } finally {
      await receiver.close();
    }
  });

  test('the CLI\'s own listen, with --json', async () => {
    const { proc, url } = await startListen();
    try {
      const r = await run(['test-endpoint', `${url}/hook`, '--json']);
      assert.equal(r.code, 0, r.stdout);
      const { report, pass } = rowsOf(r.stdout);
      assert.deepEqual([...pass], ALL_ROWS);
      assert.equal(report.failed, 0);
      assert.equal(report.rows.find((row) => row.id === 'oversized_body').status, 413);
    } finally {
      await proc.stop();
    }
  });

  test('the example receiver (examples/node-http/server.mjs)', { skip: !existsSync(join(SCRATCH, 'example-node-http.mjs')) && 'the example is gone' }, async () => {
    const { child, url } = spawnReceiver('example-node-http.mjs', env(SECRET, { PORT: '0' }));
    try {
      const r = await run(['test-endpoint', await url, '--json']);
      const { fail } = rowsOf(r.stdout);
      assert.deepEqual([...fail], []);
      assert.equal(r.code, 0);
    } finally {
      child.kill();
    }
  });
});

describe('test-endpoint against broken receivers: the right rows fail, exit = their number', () => {
  test('a receiver that accepts everything', async () => {
    const receiver = await serve(async (req, res) => {
      await bodyOf(req);
      res.writeHead(200).end('ok');
    });
    try {
      const r = await run(['test-endpoint', receiver.url, '--json', '--max-body', '2MiB']);
      const { fail, pass } = rowsOf(r.stdout);
      assert.deepEqual([...fail], ['tampered_body', 'no_signature', 'wrong_secret', 'truncated_signature', 'reserialized_body', 'oversized_body']);
      assert.deepEqual([...pass], ['signed', 'still_answers']);
      assert.equal(r.code, 6);
    } finally {
      await receiver.close();
    }
  });

  test('a receiver whose process dies on a large body', async () => {
    const { child, url } = spawnReceiver('crash-receiver.mjs', { ...process.env, RECEIVER_SECRET: SECRET });
    try {
      const r = await run(['test-endpoint', await url]);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stdout, /FAIL {2}still answers afterwards +no answer +(connection refused|the connection was closed).*: it stopped answering after the oversized body \(crashed or hung\?\)/);
      assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('FAIL')).length, 1);
      assert.equal(child.exitCode ?? (await new Promise((resolve) => child.on('exit', resolve))), 70);
    } finally {
      child.kill();
    }
  });

  test('a receiver that answers 500 to bad signatures passes those rows with a note; one that hangs on a large body fails', async () => {
    const receiver = await serve(async (req, res) => {
      const header = req.headers[SIGNATURE_HEADER];
      if (Number(req.headers['content-length']) > 1024 * 1024) return; // never reads, never answers
      const body = await bodyOf(req);
      if (header !== signWebhook(body, SECRET)) return res.writeHead(500).end();
      res.writeHead(200).end();
    });
    try {
      const r = await run(['test-endpoint', receiver.url, '--json', '--timeout', '1', '--max-body', '4MiB']);
      const { report, fail } = rowsOf(r.stdout);
      assert.deepEqual([...fail], ['oversized_body']);
      assert.equal(r.code, 1);
      const oversized = report.rows.find((row) => row.id === 'oversized_body');
      assert.equal(oversized.result, 'hung');
      assert.match(report.rows.find((row) => row.id === 'no_signature').detail, /5xx: DialNexa retries 5xx; answer 401/);
    } finally {
      await receiver.close();
    }
  });

  test('a receiver that cannot be reached: every row fails, exit 8', async () => {
    const r = await run(['test-endpoint', `http://127.0.0.1:${await freePort()}/`]);
    assert.equal(r.code, 8);
    assert.match(r.stderr, /connection refused/);
    assert.match(r.stdout, /8 of 8 rows failed/);
  });

  test('the wrong secret on our side: the signed rows fail', async () => {
    const receiver = await serve(correctHandler);
    try {
      const r = await run(['test-endpoint', receiver.url, '--json', '--max-body', '2MiB'], { env: env(OTHER_SECRET) });
      const { fail } = rowsOf(r.stdout);
      assert.deepEqual([...fail], ['signed', 'still_answers']);
      assert.equal(r.code, 2);
    } finally {
      await receiver.close();
    }
  });
});

describe('test-endpoint --timing', () => {
  test('a receiver that answers later when the first byte is right: |t| > 4.5, the row fails', async () => {
    const receiver = await serve(async (req, res) => {
      if (Number(req.headers['content-length']) > 1024 * 1024) return res.writeHead(413, { connection: 'close' }).end();
      const body = await bodyOf(req);
      const expected = signWebhook(body, SECRET);
      const header = String(req.headers[SIGNATURE_HEADER] ?? '');
      if (header === expected) return res.writeHead(200).end();
      if (header[0] === expected[0]) await sleep(3); // an early-exit comparison, exaggerated
      res.writeHead(401).end();
    });
    try {
      const r = await run(['test-endpoint', receiver.url, '--json', '--timing', '--timing-samples', '100', '--max-body', '2MiB']);
      const { report, fail } = rowsOf(r.stdout);
      assert.deepEqual([...fail], ['timing']);
      assert.equal(r.code, 1);
      const timing = report.rows.find((row) => row.id === 'timing');
      assert.ok(Math.abs(timing.timing.t) > 4.5, `t = ${timing.timing.t}`);
      assert.ok(timing.timing.meanMs[1] > timing.timing.meanMs[0] + 2, JSON.stringify(timing.timing));
      assert.match(timing.detail, /evidence that the comparison takes longer/);
    } finally {
      await receiver.close();
    }
  });

  test('a constant-time receiver: the statistic is printed with what it means', async () => {
    const receiver = await serve(correctHandler);
    try {
      const r = await run(['test-endpoint', receiver.url, '--timing', '--timing-samples', '100', '--max-body', '2MiB']);
      assert.match(r.stdout, /(PASS|FAIL) {2}timing \(first vs last byte\) +t = -?\d+\.\d\d/);
      assert.match(r.stdout, /\d+ \+ \d+ samples/);
      assert.match(r.stdout, /(no evidence of a timing difference \(not proof|evidence that the comparison takes longer)/);
    } finally {
      await receiver.close();
    }
  });
});

test('test-endpoint usage errors come before any request: exit 2', async () => {
  let requests = 0;
  const receiver = await serve((req, res) => {
    requests++;
    res.writeHead(200).end();
  });
  try {
    for (const args of [[], ['--data', 'not json'], ['-H', 'X-DialNexa-Signature: 00'], ['--max-body', '12'], ['--timing-samples', '1']]) {
      const r = await run(['test-endpoint', ...(args.length ? [receiver.url] : []), ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stdout, '');
    }
    assert.equal(requests, 0);
  } finally {
    await receiver.close();
  }
});
