// A static file server on 127.0.0.1 for `make www` and the page test: serves one folder, with
// the right MIME types (application/wasm for the module), and nothing outside it.
// Usage: node tools/serve.mjs <folder> [port]        (port 0 or absent: any free port)
//
// Hostile clients cannot stop it: a URL that does not parse or decode is answered 400, a path
// outside the folder 403, a method other than GET or HEAD 405, a client that stalls before its
// headers are complete 408 once a timeout expires, and a client that disconnects is dropped. Every
// response carries the security headers below.
import { createServer, STATUS_CODES } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

// The policy of the <meta> tag in www-example/index.html (tests/www/serve.test.mjs checks that
// they agree), plus frame-ancestors, which browsers honour only in a header.
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self'; " +
  "img-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

export const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const TIMEOUTS = {
  headersTimeout: 10_000, // the request line and headers must arrive within this
  requestTimeout: 20_000, // the whole request (it has no body we read) within this
  idleTimeout: 30_000, // a socket with no traffic either way (a client that stops reading)
  connectionsCheckingInterval: 1_000, // how often the two request timeouts are checked
};

function reply(response, status, headers = {}, body) {
  response.writeHead(status, { ...SECURITY_HEADERS, ...headers });
  response.end(body);
}

async function handle(root, request, response) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    reply(response, 405, { allow: 'GET, HEAD', connection: 'close' });
    return;
  }
  let path;
  try {
    path = decodeURIComponent(new URL(request.url, 'http://127.0.0.1').pathname);
  } catch { // URIError (GET /%) or a URL that does not parse
    reply(response, 400);
    return;
  }
  if (path.includes('\0')) {
    reply(response, 400);
    return;
  }
  if (path.endsWith('/')) path += 'index.html';
  const file = normalize(join(root, path));
  if (file !== root && !file.startsWith(root + sep)) {
    reply(response, 403);
    return;
  }
  let body;
  try {
    body = await readFile(file);
  } catch { // missing, a folder, a name too long: all the same to the client
    reply(response, 404);
    return;
  }
  reply(response, 200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
  }, request.method === 'HEAD' ? undefined : body);
}

// A request the HTTP parser rejects (or that timed out) has no response object: answer it on the
// socket, unless the client is gone or a response is already under way on it.
function onClientError(error, socket) {
  if (error.code === 'ECONNRESET' || !socket.writable || socket._httpMessage?.headersSent) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const headers = Object.entries({ ...SECURITY_HEADERS, 'content-length': 0, connection: 'close' })
    .map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers}\r\n`, () => socket.destroy());
}

// `options` overrides TIMEOUTS (the tests shorten them).
export function serve(folder, port = 0, options = {}) {
  const root = resolve(folder);
  const { idleTimeout, ...timeouts } = { ...TIMEOUTS, ...options };
  const server = createServer(timeouts, (request, response) => {
    request.on('error', () => {}); // a client that aborts: nothing to do, the socket is closed
    response.on('error', () => {});
    handle(root, request, response).catch(() => {
      if (!response.headersSent) reply(response, 500);
      else response.destroy();
    });
  });
  server.on('clientError', onClientError);
  server.setTimeout(idleTimeout); // with no 'timeout' listener, an idle socket is destroyed
  return new Promise((ready) => server.listen(port, '127.0.0.1', () => ready(server)));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await serve(process.argv[2] ?? '.', Number(process.argv[3] ?? 0));
  console.log(`Serving ${process.argv[2]} at http://127.0.0.1:${server.address().port}/ (Ctrl-C to stop)`);
}
