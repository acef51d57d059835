// listen: round trips with send, forwarding to an upstream that records what it got, hostile
// clients (aborted uploads, stalls, garbage), limits, signals, and the argument list.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { signWebhook, UNAUTHORIZED_BODY } from 'dialnexa-verify';
import { bodyOf, env, freePort, OTHER_SECRET, run, SECRET, serve, startListen } from './harness.mjs';

const dir = mkdtempSync(join(tmpdir(), 'dialnexa-listen-'));

// Writes raw bytes on a new connection; resolves with what came back and when the server closed it.
function rawExchange(port, chunks, { holdMs = 0, destroyAfterMs } = {}) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const started = Date.now();
    let answer = '';
    socket.on('data', (d) => {
      answer += d;
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve({ answer, closedAfterMs: Date.now() - started }));
    socket.on('connect', async () => {
      for (const chunk of chunks) socket.write(chunk);
      if (destroyAfterMs !== undefined) setTimeout(() => socket.destroy(), destroyAfterMs);
      else if (holdMs > 0) setTimeout(() => socket.end(), holdMs);
    });
  });
}

// The lines of stdout that contain `word`, once there are at least `count` of them.
async function linesWith(proc, word, count, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = proc.stdout.split('\n').filter((line) => line.includes(word));
    if (lines.length >= count) return lines;
    if (Date.now() > deadline) throw new Error(`${count} lines with ${word} expected within ${timeoutMs} ms; stdout: ${proc.stdout.slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('listen and send', () => {
  test('round trip: verified, rejected, and DialNexa\'s 401 body; one line each', async () => {
    const { proc, url } = await startListen();
    try {
      const ok = await run(['send', `${url}/webhooks/dialnexa`]);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /^200 OK in \d+ ms\n/);
      const wrong = await run(['send', `${url}/webhooks/dialnexa`], { env: env(OTHER_SECRET) });
      assert.equal(wrong.code, 1);
      assert.ok(wrong.stdout.includes(JSON.stringify(UNAUTHORIZED_BODY)), wrong.stdout);
      await proc.waitFor(/rejected signature_mismatch/);
      const lines = proc.stdout.trim().split('\n');
      assert.equal(lines.length, 2);
      assert.match(lines[0], /^\d\d:\d\d:\d\d\.\d{3} {2}POST \/webhooks\/dialnexa {2}\d+ B {2}verified {2}call\.completed {2}-> 200$/);
      assert.match(lines[1], /POST \/webhooks\/dialnexa {2}\d+ B {2}rejected signature_mismatch, cause unknown -> 401 {2}Check that the secret is the one registered/);
    } finally {
      const stopped = await proc.stop('SIGINT');
      assert.equal(stopped.code, 0);
    }
  });

  test('--forward-to: the upstream gets the exact bytes and headers; its answer is relayed', async () => {
    let got;
    const upstream = await serve(async (req, res) => {
      got = { rawHeaders: req.rawHeaders, headers: req.headers, body: await bodyOf(req), url: req.url };
      res.writeHead(201, { 'content-type': 'application/json', 'x-app': 'yes' }).end('{"app":"stored"}');
    });
    const { proc, url } = await startListen(['--forward-to', `${upstream.url}/hooks/in`]);
    try {
      const bytes = Buffer.from('{"event":"call.completed","note":"Zoë\\u00e9 ☎"}\r\n');
      const path = join(dir, 'forward.json');
      writeFileSync(path, bytes);
      const r = await run(['send', `${url}/anything`, '--data', `@${path}`, '-H', 'X-Trace-Id: t-42']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^201 Created in \d+ ms\n\{"app":"stored"\}\n$/);
      assert.deepEqual(got.body, bytes);
      assert.equal(got.url, '/hooks/in');
      assert.equal(got.headers['x-dialnexa-signature'], signWebhook(bytes, SECRET));
      assert.equal(got.headers['content-type'], 'application/json');
      assert.equal(got.headers['content-length'], String(bytes.length));
      assert.match(got.headers['user-agent'], /^dialnexa-verify-cli\//);
      // Header names keep their case.
      assert.ok(got.rawHeaders.includes('X-Trace-Id') && got.rawHeaders.includes('t-42'), got.rawHeaders.join(' '));
      assert.ok(got.rawHeaders.includes('X-DialNexa-Signature'));
      await proc.waitFor(/verified {2}call\.completed {2}-> 201 from 127\.0\.0\.1:\d+ in \d+ ms/);

      // A rejected delivery never reaches the app.
      got = undefined;
      const wrong = await run(['send', url], { env: env(OTHER_SECRET) });
      assert.equal(wrong.code, 1);
      assert.equal(got, undefined);
    } finally {
      assert.equal((await proc.stop('SIGTERM')).code, 0);
      await upstream.close();
    }
  });

  test('--forward-to drops hop-by-hop headers and those the Connection header names, both ways', async () => {
    let got;
    const upstream = await serve(async (req, res) => {
      got = { rawHeaders: req.rawHeaders, headers: req.headers, body: await bodyOf(req) };
      res.writeHead(202, {
        'Content-Type': 'application/json',
        Connection: 'close, X-Upstream-Private',
        'X-Upstream-Private': 'not for the client',
        'Proxy-Authenticate': 'Basic realm="upstream"',
        'X-App': 'yes',
      });
      res.end('{"app":"ok"}');
    });
    const { proc, port } = await startListen(['--forward-to', upstream.url]);
    try {
      const body = '{"event":"call.completed","call_id":"call_hop"}';
      const request = [
        'POST /hooks HTTP/1.1',
        'Host: 127.0.0.1',
        'Content-Type: application/json',
        `Content-Length: ${body.length}`,
        `X-DialNexa-Signature: ${signWebhook(body, SECRET)}`,
        'Connection: close,X-Drop-Me , x-ALSO-drop,, ',
        'Connection: X-Third',
        'X-Drop-Me: 1',
        'X-Also-Drop: 2',
        'X-Third: 3',
        'X-Kept: 4',
        'Keep-Alive: timeout=5',
        'Proxy-Connection: keep-alive',
        'Proxy-Authorization: Basic cHJveHk6cGFzcw==',
        'TE: trailers',
        'Trailer: X-Checksum',
        'Upgrade: websocket',
        '',
        body,
      ].join('\r\n');
      const { answer } = await rawExchange(port, [request]);
      assert.match(answer, /^HTTP\/1\.1 202 /);
      assert.ok(answer.endsWith('{"app":"ok"}'), answer);
      assert.equal(got.body.toString(), body);
      const names = new Set(got.rawHeaders.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase()));
      for (const name of ['keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'upgrade', 'x-drop-me', 'x-also-drop', 'x-third']) {
        assert.ok(!names.has(name), `${name} was forwarded: ${got.rawHeaders.join(' ')}`);
      }
      // The only Connection the app sees is the new connection's own.
      assert.ok(got.headers.connection === undefined || got.headers.connection === 'close', got.headers.connection);
      assert.equal(got.headers['x-kept'], '4');
      assert.equal(got.headers['x-dialnexa-signature'], signWebhook(body, SECRET));
      const head = answer.slice(0, answer.indexOf('\r\n\r\n')).toLowerCase();
      assert.match(head, /\r\nx-app: yes\r\n/);
      for (const name of ['x-upstream-private', 'proxy-authenticate']) assert.ok(!head.includes(`\r\n${name}:`), `${name} was relayed: ${head}`);
      await proc.waitFor(/POST \/hooks {2}\d+ B {2}verified {2}call\.completed {2}-> 202 from/);
    } finally {
      await proc.stop();
      await upstream.close();
    }
  });

  test('--forward-to an app that is down: 502, and the line says so', async () => {
    const { proc, url } = await startListen(['--forward-to', `http://127.0.0.1:${await freePort()}/`]);
    try {
      const r = await run(['send', url]);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /^502 Bad Gateway/);
      await proc.waitFor(/verified {2}call\.completed {2}-> 502: forwarding failed: connection refused/);
    } finally {
      await proc.stop();
    }
  });

  test('a rejected line carries the diagnosis; --no-diagnose leaves it out', async () => {
    const compact = '{"event":"call.completed","call_id":"call_8f2a"}';
    const pretty = JSON.stringify(JSON.parse(compact), null, 2);
    const reserialized = ['--data', pretty, '-H', `X-DialNexa-Signature: ${signWebhook(compact, SECRET)}`];
    const { proc, url } = await startListen(['--json']);
    try {
      assert.equal((await run(['send', url, ...reserialized])).code, 1);
      await proc.waitFor(/"verdict":"rejected"/);
    } finally {
      await proc.stop();
    }
    const record = JSON.parse(proc.stdout.trim().split('\n')[1]);
    assert.deepEqual([record.reason, record.cause], ['signature_mismatch', 'body_reserialized']);
    assert.match(record.hint, /raw bytes/);

    const quiet = await startListen(['--no-diagnose']);
    try {
      assert.equal((await run(['send', quiet.url, ...reserialized])).code, 1);
      await quiet.proc.waitFor(/rejected signature_mismatch -> 401 {2}another body or another secret than the ones signed/);
      assert.doesNotMatch(quiet.proc.stdout, /cause/);
    } finally {
      await quiet.proc.stop();
    }
  });

  test('diagnosis: after the answer, one a second, bodies up to 64 KiB; the rest say why not', async () => {
    const badSignature = signWebhook('{}', OTHER_SECRET);
    const post = async (url, body) => {
      const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-dialnexa-signature': badSignature } });
      assert.equal(res.status, 401);
      assert.equal(await res.text(), JSON.stringify(UNAUTHORIZED_BODY));
    };
    const padded = (size) => {
      const head = '{"event":"call.completed","pad":"';
      return `${head}${'x'.repeat(size - head.length - 2)}"}`;
    };
    for (const json of [false, true]) {
      const { proc, url } = await startListen(json ? ['--json'] : []);
      let lines;
      try {
        await post(url, padded(64 * 1024 + 1)); // over 64 KiB: not diagnosed, and no diagnosis used up
        await post(url, padded(64 * 1024)); // diagnosed
        await post(url, '{"event":"a"}'); // within the second: not diagnosed
        await post(url, '{"event":"bb"}');
        // Within the same second, a malformed header is still explained: that needs no HMAC.
        const malformed = await fetch(url, { method: 'POST', body: '{}', headers: { 'x-dialnexa-signature': 'sha256=zz' } });
        assert.equal(malformed.status, 401);
        await malformed.text();
        await linesWith(proc, 'rejected', 5);
        await new Promise((resolve) => setTimeout(resolve, 1100));
        await post(url, '{"event":"ccc"}'); // a second later: diagnosed again
        lines = await linesWith(proc, 'rejected', 6);
      } finally {
        await proc.stop();
      }
      const header = lines.filter((line) => line.includes('malformed_signature'));
      assert.equal(header.length, 1, lines.join('\n'));
      assert.match(header[0], json ? /"cause":"header_\w+"/ : /cause header_\w+/, header[0]);
      lines = lines.filter((line) => !line.includes('malformed_signature'));
      assert.equal(lines.length, 5, lines.join('\n'));
      const bySize = new Map();
      for (const line of lines) {
        if (json) {
          const record = JSON.parse(line);
          bySize.set(record.bytes, [record.cause === undefined ? undefined : 'diagnosed', record.detail]);
        } else {
          const match = / (\d+) B {2}rejected signature_mismatch(, cause \w+)? -> 401 {2}(.*)$/.exec(line);
          assert.ok(match, line);
          bySize.set(Number(match[1]), [match[2] === undefined ? undefined : 'diagnosed', match[2] === undefined ? match[3] : undefined]);
        }
      }
      const mode = json ? '--json' : 'text';
      assert.deepEqual(bySize.get(64 * 1024 + 1), [undefined, 'not diagnosed: the body is over 64 KiB'], mode);
      assert.deepEqual(bySize.get(64 * 1024), ['diagnosed', undefined], mode);
      assert.deepEqual(bySize.get(13), [undefined, 'not diagnosed: one diagnosis a second at most'], mode);
      assert.deepEqual(bySize.get(14), [undefined, 'not diagnosed: one diagnosis a second at most'], mode);
      assert.deepEqual(bySize.get(15), ['diagnosed', undefined], mode);
    }
  });

  test('--json: JSON Lines, a listening record then one per request', async () => {
    const { proc, url } = await startListen(['--json']);
    try {
      await run(['send', url]);
      await run(['send', url], { env: env(OTHER_SECRET) });
      await proc.waitFor(/"verdict":"rejected"/);
    } finally {
      await proc.stop();
    }
    const records = proc.stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.equal(records[0].type, 'listening');
    assert.deepEqual(
      records.slice(1).map((r) => [r.type, r.verdict, r.status, r.reason]),
      [
        ['request', 'verified', 200, undefined],
        ['request', 'rejected', 401, 'signature_mismatch'],
      ],
    );
  });
});

describe('listen survives hostile clients', () => {
  test('an aborted upload, a stalled client, a stalled body, garbage, huge headers; then still answers', async () => {
    const { proc, url, port } = await startListen(['--request-timeout', '2']);
    try {
      // An upload abandoned halfway.
      const aborted = await rawExchange(port, ['POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n', 'x'.repeat(100)], {
        destroyAfterMs: 200,
      });
      assert.equal(aborted.answer, '');
      await proc.waitFor(/POST \/ {2}100 B {2}aborted {2}the client went away after 100 bytes/);

      // A client that stops in the middle of its headers, and one in the middle of its body:
      // closed with 408 after --request-timeout; meanwhile others are served.
      const stalledHeaders = rawExchange(port, ['POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ']);
      const stalledBody = rawExchange(port, ['POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{"event"']);
      const during = await run(['send', url]);
      assert.equal(during.code, 0, 'served while two clients stall');
      for (const stalled of await Promise.all([stalledHeaders, stalledBody])) {
        assert.match(stalled.answer, /^HTTP\/1\.1 408 /);
        assert.ok(stalled.closedAfterMs < 6000, `closed after ${stalled.closedAfterMs} ms`);
      }

      // Garbage, and headers over 16 KiB.
      const garbage = await rawExchange(port, ['\x16\x03\x01 NOT HTTP AT ALL\r\n\r\n'], { holdMs: 3000 });
      assert.match(garbage.answer, /^HTTP\/1\.1 400 /);
      const huge = await rawExchange(port, [`POST / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`], { holdMs: 3000 });
      assert.match(huge.answer, /^HTTP\/1\.1 431 /);
      const get = await fetch(url);
      assert.equal(get.status, 405);
      await get.arrayBuffer();

      const after = await run(['send', url]);
      assert.equal(after.code, 0, 'still answers');
      await proc.waitFor(/malformed -> 400/);
      await proc.waitFor(/headers too large -> 431/);
      await proc.waitFor(/GET \/ {2}not a post -> 405/);
    } finally {
      assert.equal((await proc.stop()).code, 0);
    }
  });

  test('a body trickled in forever gets 408 after --request-timeout; one declared over the default 5 MiB gets 413', async () => {
    const { proc, port } = await startListen(['--request-timeout', '2']);
    try {
      // A byte every 100 ms never stalls long enough for an idle timeout: only the bound on the
      // whole request stops it.
      const exchange = new Promise((resolve) => {
        const socket = connect(port, '127.0.0.1');
        const started = Date.now();
        let answer = '';
        let timer;
        socket.on('data', (d) => {
          answer += d;
        });
        socket.on('error', () => {});
        socket.on('close', () => {
          clearInterval(timer);
          resolve({ answer, closedAfterMs: Date.now() - started });
        });
        socket.on('connect', () => {
          socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n');
          timer = setInterval(() => {
            if (Date.now() - started > 15_000) socket.destroy();
            else socket.write('x');
          }, 100);
        });
      });
      const trickled = await exchange;
      assert.match(trickled.answer, /^HTTP\/1\.1 408 /);
      assert.ok(trickled.closedAfterMs < 6000, `closed after ${trickled.closedAfterMs} ms`);

      const declared = await rawExchange(port, [`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${5 * 1024 * 1024 + 1}\r\n\r\n{"event"`]);
      assert.match(declared.answer, /^HTTP\/1\.1 413 /);
      await proc.waitFor(/POST \/ {2}5242881 B {2}too large -> 413 {2}declared 5242881 bytes; --limit is 5 MiB/);
    } finally {
      await proc.stop();
    }
  });

  test('--limit: a larger body gets 413, declared or streamed, and the receiver goes on', async () => {
    const { proc, url } = await startListen(['--limit', '64KiB']);
    try {
      const path = join(dir, 'large.json');
      writeFileSync(path, `{"event":"call.completed","pad":"${'x'.repeat(300_000)}"}`);
      const declared = await run(['send', url, '--data', `@${path}`]);
      assert.equal(declared.code, 1);
      assert.match(declared.stdout, /^413 Payload Too Large/);
      // Chunked (no Content-Length): the limit applies while reading.
      const res = await fetch(url, {
        method: 'POST',
        body: new ReadableStream({
          start(controller) {
            for (let i = 0; i < 10; i++) controller.enqueue(new Uint8Array(16 * 1024));
            controller.close();
          },
        }),
        duplex: 'half',
      });
      assert.equal(res.status, 413);
      await res.arrayBuffer();
      assert.equal((await run(['send', url])).code, 0);
      await proc.waitFor(/too large -> 413 {2}over --limit 64 KiB/);
    } finally {
      await proc.stop();
    }
  });
});

describe('listen itself', () => {
  test('the secret is not in its argument list (/proc/PID/cmdline), even from --secret-file', async () => {
    const path = join(dir, 'secret.txt');
    writeFileSync(path, `${SECRET}\n`, { mode: 0o600 });
    for (const options of [[[], env()], [['--secret-file', path], env(null)]]) {
      const { proc } = await startListen(options[0], { env: options[1] });
      try {
        const cmdline = readFileSync(`/proc/${proc.child.pid}/cmdline`, 'utf8');
        assert.match(cmdline, /listen/);
        assert.ok(!cmdline.includes(SECRET.slice(6, 20)), 'the secret is in the argument list');
      } finally {
        await proc.stop();
      }
    }
  });

  test('SIGINT and SIGTERM: exit 0, the port is closed', async () => {
    for (const signal of ['SIGINT', 'SIGTERM']) {
      const { proc, port } = await startListen();
      const stopped = await proc.stop(signal);
      assert.equal(stopped.code, 0, signal);
      assert.match(stopped.stderr, new RegExp(`${signal}: stopping`));
      const closed = await rawExchange(port, []);
      assert.equal(closed.answer, '');
    }
  });

  test('--forward-to itself: a usage error, not a loop', async () => {
    const port = await freePort();
    const r = await run(['listen', '--port', String(port), '--forward-to', `http://localhost:${port}/hook`]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is this receiver itself/);
  });

  test('a port in use: exit 3', async () => {
    const { proc, port } = await startListen();
    try {
      const r = await run(['listen', '--port', String(port)], { timeoutMs: 10_000 });
      assert.equal(r.code, 3);
      assert.match(r.stderr, /cannot listen on 127\.0\.0\.1:\d+: the port is in use/);
    } finally {
      await proc.stop();
    }
  });
});
