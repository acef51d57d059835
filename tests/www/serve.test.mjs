// tools/serve.mjs (behind `make www` and the page test) against hostile clients: malformed and
// traversing URLs, other methods, oversized and garbage requests, a client that stalls and
// clients that abort. The server runs as its own process, as `make www` runs it, so a crash shows
// as an exit; requests that fetch() would normalise are written on raw node:net sockets.
// Run by `make test-www` after tools/build-www.sh (the .wasm checked here is in www-example/dist).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CONTENT_SECURITY_POLICY, serve } from '../../tools/serve.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
let child;
let exited = null;
let port;
let base;

before(async () => {
  child = spawn(process.execPath, ['tools/serve.mjs', 'www-example', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  child.on('exit', (code, signal) => { exited = `exit ${code ?? signal}: ${stderr}`; });
  port = await new Promise((ready, fail) => {
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /127\.0\.0\.1:(\d+)/.exec(stdout);
      if (match) ready(Number(match[1]));
    });
    child.on('exit', () => fail(new Error(exited)));
  });
  base = `http://127.0.0.1:${port}`;
});

after(() => child?.kill());

// Writes `data` on a fresh socket and resolves with everything the server sends until it closes
// the connection (or `wait` ms pass).
function raw(data, { wait = 5_000, to = port } = {}) {
  return new Promise((done, fail) => {
    const socket = connect(to, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => { socket.destroy(); done(received); }, wait);
    socket.on('data', (chunk) => { received += chunk; });
    socket.on('error', (error) => { clearTimeout(timer); error.code === 'ECONNRESET' ? done(received) : fail(error); });
    socket.on('close', () => { clearTimeout(timer); done(received); });
    socket.write(data);
  });
}

const status = (response) => Number(/^HTTP\/1\.1 (\d{3}) /.exec(response)?.[1]);
const get = (path) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;

async function stillServing() {
  assert.equal(exited, null, 'the server process is still running');
  const response = await fetch(`${base}/`);
  assert.equal(response.status, 200);
  assert.match(await response.text(), /DialNexa webhook and API-key debugger/);
}

function assertSecurityHeaders(headers, what) {
  assert.equal(headers.get('content-security-policy'), CONTENT_SECURITY_POLICY, what);
  assert.match(headers.get('content-security-policy'), /(^|; )frame-ancestors 'none'(;|$)/, what);
  assert.equal(headers.get('x-content-type-options'), 'nosniff', what);
  assert.equal(headers.get('referrer-policy'), 'no-referrer', what);
  assert.equal(headers.get('cache-control'), 'no-store', what);
}

test('GET /% is answered 400, and the server still answers afterwards', async () => {
  const response = await raw(get('/%'));
  assert.equal(status(response), 400, response);
  assert.match(response, /\r\ncontent-security-policy: default-src 'none'/i);
  for (const path of ['/%E0%A4%A', '/%zz', '/a%', '/%C0%AF', '/%00', '/index.html%00.png']) {
    assert.equal(status(await raw(get(path))), 400, path);
  }
  await stillServing();
});

test('traversal attempts stay inside the folder (403 or 404)', async () => {
  const paths = [
    '/%2e%2e/%2e%2e/etc/passwd', '/../../etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd',
    '/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/dist/..%2f..%2f..%2fetc%2fpasswd', '/..%5c..%5cetc%5cpasswd',
    '//etc/passwd', 'http://127.0.0.1/..%2f..%2fetc%2fpasswd', '/.%2e/.%2e/tools/serve.mjs',
    '/..%2f', '/dist/..%2f..%2f',
  ];
  for (const path of paths) {
    const response = await raw(get(path));
    assert.ok([403, 404].includes(status(response)), `${path}: ${response.split('\r\n')[0]}`);
    assert.doesNotMatch(response, /root:|createServer/, path);
  }
  await stillServing();
});

test('other methods are answered 405; HEAD gets the headers without the body', async () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    const response = await fetch(`${base}/`, { method, body: method === 'POST' || method === 'PUT' ? 'x'.repeat(1000) : undefined });
    assert.equal(response.status, 405, method);
    assert.equal(response.headers.get('allow'), 'GET, HEAD', method);
    assertSecurityHeaders(response.headers, method);
  }
  const head = await fetch(`${base}/index.html`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.ok(Number(head.headers.get('content-length')) > 1000);
  assert.equal(await head.text(), '');
  assertSecurityHeaders(head.headers, 'HEAD');
  await stillServing();
});

test('the index and the .wasm carry the CSP (with frame-ancestors), nosniff and no-store', async () => {
  const index = await fetch(`${base}/`);
  assert.equal(index.status, 200);
  assertSecurityHeaders(index.headers, 'index');
  // The header is the page's own <meta> policy plus frame-ancestors, which only a header can set.
  const html = await readFile(`${root}/www-example/index.html`, 'utf8');
  const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
  assert.equal(CONTENT_SECURITY_POLICY, `${meta}; frame-ancestors 'none'`);

  const wasm = await fetch(`${base}/dist/dialnexa_verify.wasm`);
  assert.equal(wasm.status, 200, 'run tools/build-www.sh first');
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  assertSecurityHeaders(wasm.headers, '.wasm');
  for (const path of ['/missing.html', '/..%2fetc', '/%']) {
    assertSecurityHeaders((await fetch(`${base}${path}`)).headers, path);
  }
});

test('garbage, oversized and unusual requests are refused, and the server lives on', async () => {
  const cases = [
    ['GARBAGE\r\n\r\n', [400]],
    ['GET / HTTP/9.9\r\n\r\n', [400]],
    [`GET /${'a'.repeat(4000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, [404]],
    [`GET /${'%2e%2e/'.repeat(1000)}etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, [403, 404]],
    [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, [431]],
    ['GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello', [400]],
    ['GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', [400]],
    ['OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', [405]],
    ['GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n', [200]], // served as a plain GET
    ['CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n', [NaN]], // closed, no answer
    ['\0\0\0\0\r\n\r\n', [400]],
  ];
  for (const [request, expected] of cases) {
    const response = await raw(request, { wait: 2_000 });
    assert.ok(expected.includes(status(response)), `${JSON.stringify(request.slice(0, 40))}: ${response.split('\r\n')[0]}`);
  }
  await stillServing();
});

test('a client that sends half a request line and stalls does not stop others being served', async () => {
  const stalled = [];
  for (let i = 0; i < 20; i += 1) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write('GET /ind');
    stalled.push(socket);
  }
  try {
    const started = Date.now();
    for (let i = 0; i < 5; i += 1) await stillServing();
    assert.ok(Date.now() - started < 2_000, 'served promptly');
  } finally {
    for (const socket of stalled) socket.destroy();
  }
});

test('a stalled client is answered 408 and disconnected once the headers timeout expires', async () => {
  const server = await serve(`${root}/www-example`, 0, { headersTimeout: 300, requestTimeout: 600, connectionsCheckingInterval: 50 });
  try {
    const started = Date.now();
    const response = await raw('GET /index.ht', { to: server.address().port, wait: 5_000 });
    assert.equal(status(response), 408, response);
    assert.match(response, /\r\nx-content-type-options: nosniff\r\n/i);
    assert.ok(Date.now() - started < 4_000, 'closed by the server, not by the test');
  } finally {
    server.close();
  }
});

test('clients that abort mid-request or mid-response do not crash it', async () => {
  const abort = (data, how) => new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.on('close', done);
    socket.write(data, () => setTimeout(() => (how === 'reset' ? socket.resetAndDestroy() : socket.destroy()), 5));
  });
  for (const how of ['close', 'reset']) {
    for (let i = 0; i < 10; i += 1) {
      await abort('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\npartial body', how);
      await abort('GET /dist/dialnexa_verify.wasm HTTP/1.1\r\nHost: x\r\n\r\n', how);
      await abort('GET /screenshot.png HTTP/1.1\r\nHost: x\r\n\r\nGET /', how);
      await abort('GET /index.html HTTP/1.1\r\nHo', how);
    }
  }
  await new Promise((wait) => setTimeout(wait, 200));
  await stillServing();
});
